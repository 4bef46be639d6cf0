// `kaohe scoresheet RETURNED… --out FILE [--plan P] [--update | --force]`: one 考核组评分表 for every unit
// that handed in a usable workbook, for the 考核组 to fill (SPEC §11).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pickWorkbooks } from '../../core/aggregate.ts';
import { checkScoreSheet, isScoreSheet, scoreSheetContent, type AssessorEntry } from '../../core/scoresheet.ts';
import type { Plan, Unit } from '../../core/types.ts';
import { checkFiles } from '../batch/check-pool.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../console/exit-codes.ts';
import { collectWorkbookPaths } from '../files/paths.ts';
import { formatProblem } from '../console/messages.ts';
import { ingestFile } from '../batch/ingest.ts';
import { formatPlanError, loadPlanFile } from '../files/plan-file.ts';
import { buildScoreSheetWorkbook, saveScoreSheet } from '../xlsx/scoresheet.ts';

export interface ScoreSheetOptions {
  plan?: string;
  out: string;
  force?: boolean;
  /** Rebuild an existing score sheet: keep what the 考核组 typed, add late units, refresh the totals. */
  update?: boolean;
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

type Entries = Map<string, Map<string, AssessorEntry>>;

/**
 * What the 考核组 already typed into the sheet being updated, or why it cannot be kept. A value
 * the checks reject would be dropped by a rewrite, so any 错误 other than a unit not yet in the
 * sheet (the reason to update) stops the update.
 */
async function assessorsOf(file: string, plan: Plan, planHash: string): Promise<{ ok: true; entries: Entries } | { ok: false; lines: string[] }> {
  const read = await ingestFile(file);
  if (!read.ok) return { ok: false, lines: [formatProblem(read.problem)] };
  if (!isScoreSheet(read.grid)) return { ok: false, lines: [`${file} 不是考核组评分表，未改动。`] };
  const checked = checkScoreSheet(read.grid, plan, { file, planHash });
  const blocking = checked.problems.filter((p) => p.severity === '错误' && p.code !== 'scoresheet.unitMissing');
  if (!checked.data || blocking.length > 0) return { ok: false, lines: [...blocking.map(formatProblem), '请先改正评分表中的错误再更新，评分表未改动。'] };
  return { ok: true, entries: checked.data.units };
}

/** Units scored in the old sheet that the new one would drop: their scores must not vanish. */
function droppedUnits(entries: Entries, kept: readonly Unit[], plan: Plan): string[] {
  const ids = new Set(kept.map((u) => u.id));
  return [...entries.keys()].filter((id) => !ids.has(id)).map((id) => plan.units.find((u) => u.id === id)?.name ?? id);
}

export async function scoreSheetCommand(inputs: readonly string[], options: ScoreSheetOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const loaded = await loadPlanFile(options.plan);
  if (!loaded.ok) {
    stderr.write('考核方案有误，请修改后重试：\n');
    for (const error of loaded.errors) stderr.write(`  ${formatPlanError(error)}\n`);
    return EXIT_USAGE;
  }
  const { plan, hash } = loaded;
  // A filled score sheet is the assessors' work: never overwritten by accident.
  const existing = await exists(options.out);
  if (existing && !options.force && !options.update) {
    stderr.write(`错误：${options.out} 已存在，未覆盖（其中可能已有考核组的评分）；要保留已填评分并加入新报送的单位请加 --update，要重新生成空白评分表请加 --force。\n`);
    return EXIT_USAGE;
  }
  let assessors: Entries | undefined;
  if (existing && options.update) {
    const kept = await assessorsOf(options.out, plan, hash);
    if (!kept.ok) {
      for (const line of kept.lines) stderr.write(`${line}\n`);
      return EXIT_PROBLEMS;
    }
    assessors = kept.entries;
  }
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
  const dropped = assessors ? droppedUnits(assessors, counted.map((c) => c.unit), plan) : [];
  if (dropped.length > 0) {
    stderr.write(`评分表中已有 ${dropped.join('、')} 的评分，但这次没有找到这些单位可用的工作簿；请把它们的工作簿一并给出，评分表未改动。\n`);
    return EXIT_PROBLEMS;
  }
  const content = scoreSheetContent(plan, counted, options.createdAt ?? new Date().toISOString(), hash, assessors);
  await saveScoreSheet(buildScoreSheetWorkbook(content), options.out);
  const listed = new Set(content.meta.units);
  const missing = plan.units.filter((u) => !listed.has(u.id));
  stdout.write(
    `${assessors ? '已更新' : '已生成'}考核组评分表：${out}，共 ${listed.size} 个单位` +
      (missing.length > 0 ? `（未报送或工作簿无法使用：${missing.map((u) => u.name).join('、')}）` : '') +
      '。\n请考核组在“考核组评分”“考核组意见”两列填写，加分、扣分、一票否决行同样填写在“考核组评分”列；填好后用 kaohe check 检查，再用 kaohe report … --scores 汇总。\n',
  );
  return collected.missing.length > 0 ? EXIT_USAGE : EXIT_OK;
}

