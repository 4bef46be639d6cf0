// One workbook from disk to a CheckedWorkbook: the unit of work `kaohe report` spreads over threads.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { CheckedWorkbook } from '../../core/aggregate.ts';
import { unsealedAssessorCells } from '../../core/assessment.ts';
import { capProblems, checkWorkbook } from '../../core/check.ts';
import { isForeign } from '../../core/duplicates.ts';
import { TABLE_SHEETS } from '../../core/layout.ts';
import type { Plan, Problem } from '../../core/types.ts';
import { nodeSha256Hex } from '../files/digest.ts';
import type { Keep } from './check-pool.ts';
import { ingestFile } from './ingest.ts';

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A failure outside the checks (a fault, a thread that died) as a problem on that file. */
export function internalFailure(file: string, err: unknown, mtimeMs?: number): CheckedWorkbook {
  return {
    file,
    ...(mtimeMs !== undefined ? { mtimeMs } : {}),
    submission: null,
    unit: null,
    problems: [
      {
        severity: '错误',
        code: 'internal',
        file,
        message: `文件「${path.basename(file)}」（${file}）读取或检查时遇到程序未预料的情况，该文件未计入，其他文件照常处理（技术信息：${messageOf(err)}）。请把该文件发给维护人员`,
      },
    ],
  };
}

/** A path given on the command line that does not exist (or a broken link in a folder), as a checked file with one 错误. */
export function missingPath(m: { path: string; message: string; code?: string }): CheckedWorkbook {
  return { file: m.path, submission: null, unit: null, problems: [{ severity: '错误', code: m.code ?? 'path-missing', file: m.path, message: m.message }] };
}

/** Synchronous: the promise API's round trip through libuv's pool cost more than the stat itself. */
function modifiedAt(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Reads and checks one file; every failure becomes a problem on that file, never an exception. The grid is dropped here. */
export async function checkFile(file: string, plan: Plan, planHash: string): Promise<CheckedWorkbook> {
  const mtimeMs = modifiedAt(file);
  const base = { file, ...(mtimeMs !== undefined ? { mtimeMs } : {}) };
  try {
    const read = await ingestFile(file);
    if (!read.ok) return { ...base, submission: null, unit: null, problems: [read.problem] };
    const checked = checkWorkbook(read.grid, plan, { file, planHash, sha256Hex: nodeSha256Hex });
    return { ...base, submission: checked.submission, unit: checked.unit, problems: capProblems(checked.problems) };
  } catch (err) {
    return internalFailure(file, err, mtimeMs);
  }
}

/**
 * The problem `kaohe check` adds for assessor cells a unit typed itself without a review stamp,
 * said as the report will treat them without a score sheet. A workbook of another activity has
 * its one error already; its cells mean nothing under this plan.
 */
export function unsealedProblem(w: CheckedWorkbook, plan: Plan): Problem | null {
  return w.submission && !isForeign(w) ? (unsealedAssessorCells(w.submission, plan, w.file)?.problem ?? null) : null;
}

/** A checked workbook as `kaohe check` takes it from a worker: see headOf. */
export interface CheckedHead extends CheckedWorkbook {
  unsealed: Problem | null;
}

/** Every table sheet's rows, none: a submission's rows are keyed by their sheet's key (core/parse.ts). */
const NO_ROWS = Object.fromEntries(TABLE_SHEETS.map((s) => [s.key, []]));

/**
 * What `kaohe check` needs of a checked workbook, which it prints the problems of: the submission
 * without its rows (its _meta and 单位信息 stay, for the duplicate rule), and the one problem check
 * derives from the rows worked out beside them. The rows were most of each worker's message.
 */
export function headOf(w: CheckedWorkbook, plan: Plan): CheckedHead {
  const sub = w.submission;
  return { ...w, submission: sub && { ...sub, ...NO_ROWS }, unsealed: unsealedProblem(w, plan) };
}

/** A checked workbook as the pool hands it back (PoolOptions.keep). */
export const keptOf = (w: CheckedWorkbook, plan: Plan, keep: Keep): CheckedWorkbook => (keep === 'head' ? headOf(w, plan) : w);
