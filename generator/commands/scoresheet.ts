// `kaohe scoresheet RETURNED… --out FILE [--plan P] [--force]`: one 考核组评分表 for every unit
// that handed in a usable workbook, for the 考核组 to fill (SPEC §11).
import type { Command } from 'commander';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pickWorkbooks } from '../../core/aggregate.ts';
import { scoreSheetContent } from '../../core/scoresheet.ts';
import { checkFiles } from '../check-pool.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../exit-codes.ts';
import { collectWorkbookPaths } from '../files.ts';
import { formatProblem } from '../messages.ts';
import { formatPlanError, loadPlanFile } from '../plan-file.ts';
import { buildScoreSheetWorkbook, saveScoreSheet } from '../scoresheet-xlsx.ts';

export interface ScoreSheetOptions {
  plan?: string;
  out: string;
  force?: boolean;
  /** Fixed creation time for reproducible output (demo, tests); defaults to now. */
  createdAt?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const exists = (file: string): Promise<boolean> =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

export async function scoreSheetCommand(inputs: readonly string[], options: ScoreSheetOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const loaded = await loadPlanFile(options.plan);
  if (!loaded.ok) {
    stderr.write('考核方案有误，请修改后重试：\n');
    for (const error of loaded.errors) stderr.write(`  ${formatPlanError(error)}\n`);
    return EXIT_USAGE;
  }
  // A filled score sheet is the assessors' work: never overwritten by accident.
  if (!options.force && (await exists(options.out))) {
    stderr.write(`错误：${options.out} 已存在，未覆盖（其中可能已有考核组的评分）；如需重新生成请加 --force。\n`);
    return EXIT_USAGE;
  }
  const { plan, hash } = loaded;
  const collected = await collectWorkbookPaths(inputs);
  for (const m of collected.missing) stderr.write(`【错误】${m.message}\n`);
  const out = path.resolve(options.out);
  const files = collected.files.filter((f) => path.resolve(f) !== out);
  const checked = await checkFiles(files, plan, hash, () => undefined);
  const { counted } = pickWorkbooks(checked);
  for (const w of checked) {
    if (counted.some((c) => c.file === w.file)) continue;
    stderr.write(`【提醒】${path.basename(w.file)} 未列入评分表：`);
    stderr.write(`${w.problems.filter((p) => p.severity === '错误').map(formatProblem).join('；') || '同一单位有报送时间较晚的工作簿'}\n`);
  }
  if (counted.length === 0) {
    stderr.write('没有可以列入评分表的单位工作簿，未生成评分表。\n');
    return EXIT_PROBLEMS;
  }
  const content = scoreSheetContent(plan, counted, options.createdAt ?? new Date().toISOString(), hash);
  await saveScoreSheet(buildScoreSheetWorkbook(content), options.out);
  const listed = new Set(content.meta.units);
  const missing = plan.units.filter((u) => !listed.has(u.id));
  stdout.write(
    `已生成考核组评分表：${out}，共 ${listed.size} 个单位` +
      (missing.length > 0 ? `（未报送或工作簿无法使用：${missing.map((u) => u.name).join('、')}）` : '') +
      '。\n请考核组在“考核组评分”“考核组意见”两列填写，加分、扣分、一票否决行同样填写在“考核组评分”列；填好后用 kaohe check 检查，再用 kaohe report … --scores 汇总。\n',
  );
  return collected.missing.length > 0 ? EXIT_USAGE : EXIT_OK;
}

export function register(program: Command): void {
  program
    .command('scoresheet')
    .description('根据各单位报送的工作簿生成考核组评分表（每个已报送单位逐项列出自评分、自动得分和得分依据，供考核组评分）')
    .argument('<paths...>', '收回的工作簿文件或文件夹')
    .option('-p, --plan <file>', '考核方案文件（默认使用内置的 templates/plan.yaml）')
    .requiredOption('-o, --out <file>', '评分表文件，如 考核组评分表.xlsx')
    .option('-f, --force', '覆盖已有的评分表')
    .action(async (paths: string[], options: ScoreSheetOptions) => {
      process.exitCode = await scoreSheetCommand(paths, options);
    });
}
