// `kaohe check PATHS… [--plan P] [--json]`: validate the workbooks units handed in.
import path from 'node:path';
import { checkWorkbook } from '../../core/check.ts';
import type { Plan, Problem, Submission, Unit } from '../../core/types.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../exit-codes.ts';
import { collectWorkbookPaths } from '../files.ts';
import { displayPath, formatFileReport, formatSummary, summarize } from '../messages.ts';
import type { FileReport } from '../messages.ts';
import { ingestFile } from '../ingest.ts';
import { loadPlanFile, planErrorsText } from '../plan-file.ts';
import { progress } from '../progress.ts';

export interface CheckOptions {
  plan?: string;
  json?: boolean;
}

/** One checked file: what the report needs as well as what `check` prints. */
export interface CheckedFile extends FileReport {
  unitId: string | null;
  submission: Submission | null;
}

async function checkOne(file: string, plan: Plan, planHash: string): Promise<CheckedFile> {
  // The same reader as `kaohe report`, so both give every file the same verdict.
  const read = await ingestFile(file);
  if (!read.ok) return { file, unit: null, unitId: null, submission: null, problems: [read.problem] };
  const checked = checkWorkbook(read.grid, plan, { file, planHash });
  const unit: Unit | null = checked.unit ?? null;
  const problems = checked.problems.map((p: Problem) => ({ ...p, file: p.file ?? file }));
  return { file, unit: unit?.name ?? null, unitId: unit?.id ?? null, submission: checked.submission ?? null, problems };
}

/** Two workbooks claiming one unit: neither can be trusted over the other, so both get a 错误. */
function markDuplicateUnits(files: CheckedFile[]): void {
  const byUnit = new Map<string, CheckedFile[]>();
  for (const f of files) {
    if (f.unitId === null) continue;
    byUnit.set(f.unitId, [...(byUnit.get(f.unitId) ?? []), f]);
  }
  for (const group of byUnit.values()) {
    if (group.length < 2) continue;
    for (const f of group) {
      // Copies often share a file name in different folders; then only the full path tells them apart.
      const others = group
        .filter((o) => o !== f)
        .map((o) => `「${path.basename(o.file) === path.basename(f.file) ? displayPath(o.file) : path.basename(o.file)}」`);
      f.problems.push({
        severity: '错误',
        code: 'duplicate-unit',
        file: f.file,
        message: `与${others.join('、')}是同一单位（${f.unit ?? f.unitId}）的工作簿，请确认以哪一份为准，只保留一份。`,
      });
    }
  }
}

/** Checks every workbook under the given paths; a bad file is reported and the batch goes on. */
export async function checkPaths(inputs: readonly string[], plan: Plan, planHash: string): Promise<CheckedFile[]> {
  const { files, missing, skipped } = await collectWorkbookPaths(inputs);
  if (skipped > 0) process.stderr.write(`文件夹中有 ${skipped} 个不是电子表格的文件，已跳过。\n`);
  const results: CheckedFile[] = missing.map((m) => ({
    file: m.path,
    unit: null,
    unitId: null,
    submission: null,
    problems: [{ severity: '错误', code: 'path-missing', message: m.message, file: m.path }],
  }));
  // stdout is the report; progress lines in a pipe would only bury it.
  const bar = progress('检查工作簿', files.length, { lines: false });
  for (const file of files) {
    results.push(await checkOne(file, plan, planHash));
    bar.tick(path.basename(file));
  }
  bar.stop();
  markDuplicateUnits(results);
  return results;
}

export async function checkCommand(inputs: readonly string[], options: CheckOptions): Promise<number> {
  const loaded = await loadPlanFile(options.plan);
  if (!loaded.ok) {
    process.stderr.write(planErrorsText(loaded.errors));
    return EXIT_USAGE;
  }
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
