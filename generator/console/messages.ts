// How problems read on a terminal and in --json: grouped by file, the place first, then the advice.
import path from 'node:path';
import type { Problem } from '../../core/types.ts';

export interface FileReport {
  file: string;
  /** The unit the workbook belongs to, when it could be told. */
  unit: string | null;
  problems: Problem[];
}

export interface CheckSummary {
  files: number;
  /** Files without any 错误 (they may still have 提醒). */
  passed: number;
  failed: number;
  errors: number;
  warnings: number;
}

export function summarize(reports: readonly FileReport[]): CheckSummary {
  let errors = 0;
  let warnings = 0;
  let failed = 0;
  for (const report of reports) {
    const e = report.problems.filter((p) => p.severity === '错误').length;
    errors += e;
    warnings += report.problems.length - e;
    if (e > 0) failed += 1;
  }
  return { files: reports.length, passed: reports.length - failed, failed, errors, warnings };
}

/** `重点任务!H7`, or just the sheet, or nothing for whole-file problems. */
export function problemPlace(problem: Problem): string {
  if (problem.sheet && problem.cell) return `${problem.sheet}!${problem.cell}`;
  return problem.sheet ?? '';
}

/** `【错误】重点任务!H7 完成进度应为 0 到 100 的数字` */
export function formatProblem(problem: Problem): string {
  const place = problemPlace(problem);
  return `【${problem.severity}】${place ? `${place} ` : ''}${problem.message}`;
}

const errorsFirst = (a: Problem, b: Problem): number => {
  if (a.severity !== b.severity) return a.severity === '错误' ? -1 : 1;
  return 0;
};

/** Relative to the working folder when the file lies inside it, else as given: no `../../` chains. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

export function formatFileReport(report: FileReport, cwd = process.cwd()): string {
  const shown = displayPath(report.file, cwd);
  const unit = report.unit ? `（${report.unit}）` : '';
  const lines = [`${shown}${unit}`];
  if (report.problems.length === 0) lines.push('  通过，未发现问题');
  for (const problem of [...report.problems].sort(errorsFirst)) lines.push(`  ${formatProblem(problem)}`);
  return lines.join('\n');
}

export function formatSummary(summary: CheckSummary): string {
  return `共检查 ${summary.files} 个文件：${summary.passed} 个通过，${summary.failed} 个有错误；错误 ${summary.errors} 条，提醒 ${summary.warnings} 条。`;
}
