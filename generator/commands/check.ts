// `kaohe check PATHS… [--plan P] [--json]`: validate the workbooks units handed in.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { settleDuplicates } from '../../core/duplicates.ts';
import type { Plan, Problem, Submission } from '../../core/types.ts';
import { missingPath } from '../check-file.ts';
import { checkFiles } from '../check-pool.ts';
import type { PoolOptions } from '../check-pool.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../exit-codes.ts';
import { collectWorkbookPaths } from '../files.ts';
import { formatFileReport, formatSummary, summarize } from '../messages.ts';
import type { FileReport } from '../messages.ts';
import { loadCommandPlan } from '../plan-file.ts';

export interface CheckOptions {
  plan?: string;
  json?: boolean;
  strict?: boolean;
}

/** One checked file: what the report needs as well as what `check` prints. */
export interface CheckedFile extends FileReport {
  unitId: string | null;
  submission: Submission | null;
}

function progressBar(total: number): { tick(): void; stop(): void } {
  if (!process.stderr.isTTY || total < 5) return { tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '检查工作簿 [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}

/** Checks every workbook under the given paths through the batch pipeline `kaohe report` uses; a bad file is reported and the batch goes on. */
export async function checkPaths(inputs: readonly string[], plan: Plan, planHash: string, pool: PoolOptions = {}): Promise<CheckedFile[]> {
  const { files, missing, skipped } = await collectWorkbookPaths(inputs);
  if (skipped > 0) process.stderr.write(`文件夹中有 ${skipped} 个不是电子表格的文件，已跳过。\n`);
  const bar = progressBar(files.length);
  const checked = await checkFiles(files, plan, planHash, () => bar.tick(), pool);
  bar.stop();
  const settled = settleDuplicates([...missing.map(missingPath), ...checked]).checked;
  return settled.map((w) => ({
    file: w.file,
    unit: w.unit?.name ?? null,
    unitId: w.unit?.id ?? null,
    submission: w.submission,
    problems: w.problems.map((p: Problem) => ({ ...p, file: p.file ?? w.file })),
  }));
}

export async function checkCommand(inputs: readonly string[], options: CheckOptions): Promise<number> {
  const loaded = await loadCommandPlan(options.plan, inputs, process.stderr, options.strict);
  if (!loaded.ok) return EXIT_USAGE;
  if (options.strict && loaded.placeholders.length > 0) return EXIT_PROBLEMS;
  const results = await checkPaths(inputs, loaded.plan, loaded.hash);
  if (results.length === 0) {
    process.stderr.write(`在 ${inputs.join('、')} 中没有找到 .xlsx 工作簿。\n`);
    return EXIT_USAGE;
  }
  const summary = summarize(results);
  if (options.json) {
    const files = results.map(({ file, unit, problems }) => ({ file, unit, problems }));
    process.stdout.write(`${JSON.stringify({ files, summary }, null, 2)}\n`);
  } else {
    process.stdout.write(`${results.map((r) => formatFileReport(r)).join('\n\n')}\n\n${formatSummary(summary)}\n`);
  }
  // A path that does not exist is a mistyped command line: the rest is still checked, but it is a usage error.
  if (results.some((r) => r.problems.some((p) => p.code === 'path-missing'))) return EXIT_USAGE;
  return summary.errors > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

export function register(program: Command): void {
  program
    .command('check')
    .description('检查各单位报送的填报工作簿，按文件列出错误和提醒')
    .argument('<paths...>', '工作簿文件或文件夹（文件夹内的 .xlsx 会逐级查找）')
    .option('-p, --plan <file>', '考核方案文件（默认依次找当前文件夹、工作簿所在文件夹及其上一级的 plan.yaml，都没有时用内置示例方案）')
    .option('--json', '以 JSON 输出检查结果')
    .option('--strict', '方案中还有占位内容（联系人“占位”、示例单位 example: true）时不执行，退出码为 1')
    .action(async (paths: string[], options: CheckOptions) => {
      process.exitCode = await checkCommand(paths, options);
    });
}
