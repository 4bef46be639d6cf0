// `kaohe check PATHS… [--plan P] [--json]`: validate the workbooks units handed in.
import path from 'node:path';
import { settleDuplicates } from '../../core/duplicates.ts';
import { checkScoreSheet, SCORESHEET_SHEET } from '../../core/scoresheet.ts';
import type { Plan, Problem, Submission } from '../../core/types.ts';
import { missingPath, unsealedProblem, type CheckedHead } from '../batch/check-file.ts';
import { startCheckPool } from '../batch/check-pool.ts';
import type { CheckPool, PoolOptions } from '../batch/check-pool.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../console/exit-codes.ts';
import { collectWorkbookPaths, type CollectedPaths } from '../files/paths.ts';
import { formatFileReport, formatSummary, summarize } from '../console/messages.ts';
import type { FileReport } from '../console/messages.ts';
import { ingestFile } from '../batch/ingest.ts';
import { loadCommandPlan } from '../files/plan-file.ts';
import { progress } from '../console/progress.ts';

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

/** Checks every workbook under the given paths through the batch pipeline `kaohe report` uses; a bad file is reported and the batch goes on. */
export async function checkPaths(inputs: readonly string[], plan: Plan, planHash: string, pool: PoolOptions = {}): Promise<CheckedFile[]> {
  const found = await collectWorkbookPaths(inputs);
  return checkFound(found, startCheckPool(found.files, pool), plan, planHash);
}

async function checkFound(found: CollectedPaths, pool: CheckPool, plan: Plan, planHash: string): Promise<CheckedFile[]> {
  const { files, missing, skipped } = found;
  if (skipped > 0) process.stderr.write(`文件夹中有 ${skipped} 个不是电子表格的文件，已跳过。\n`);
  // stdout is the report; progress lines in a pipe would only bury it.
  const bar = progress('检查工作簿', files.length, { lines: false });
  const checked = await pool.check(plan, planHash, (file) => bar.tick(path.basename(file)));
  bar.stop();
  const settled = settleDuplicates([...missing.map(missingPath), ...checked]).checked;
  const results: CheckedFile[] = settled.map((w) => {
    // A head from the pool (keep: 'head') brings this problem with it; its submission has no rows.
    const unsealed = 'unsealed' in w ? (w as CheckedHead).unsealed : unsealedProblem(w, plan);
    return {
      file: w.file,
      unit: w.unit?.name ?? null,
      unitId: w.unit?.id ?? null,
      submission: w.submission,
      problems: [...w.problems, ...(unsealed ? [unsealed] : [])].map((p: Problem) => ({ ...p, file: p.file ?? w.file })),
    };
  });
  await checkScoreSheets(results, plan, planHash);
  return results;
}

/**
 * Score sheets are told apart by the unit-workbook check; each is read again here and checked on
 * its own, and must cover every unit whose workbook is among the checked files.
 */
async function checkScoreSheets(files: CheckedFile[], plan: Plan, planHash: string): Promise<void> {
  const handedIn = files.filter((f) => f.unitId !== null && !f.problems.some((p) => p.code === 'meta.plan')).map((f) => f.unitId!);
  for (const f of files) {
    if (!f.problems.some((p) => p.code === 'scoresheet.notUnit')) continue;
    const read = await ingestFile(f.file);
    if (!read.ok) continue;
    f.unit = SCORESHEET_SHEET.name;
    f.problems = checkScoreSheet(read.grid, plan, { file: f.file, planHash, expected: handedIn }).problems;
  }
}

export async function checkCommand(inputs: readonly string[], options: CheckOptions): Promise<number> {
  // The workers load while this thread reads the plan.
  const found = await collectWorkbookPaths(inputs);
  // Only problems are printed: the submissions' rows stay in the workers.
  const pool = startCheckPool(found.files, { keep: 'head' });
  const loaded = await loadCommandPlan(options.plan, inputs, process.stderr, options.strict);
  if (!loaded.ok || (options.strict && loaded.placeholders.length > 0)) {
    pool.cancel();
    return loaded.ok ? EXIT_PROBLEMS : EXIT_USAGE;
  }
  const results = await checkFound(found, pool, loaded.plan, loaded.hash);
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
