// What the fast reader refuses and how it says so: the hard limits, checked before the
// allocation they would justify, and the located failure every part of the reader throws.

export const DEFAULT_MAX_INFLATED_BYTES = 200 * 1024 * 1024;

/**
 * Hard limits, each checked while scanning and before the allocation it would justify, so one
 * crafted cell or tag costs a located refusal instead of the batch. A filled unit workbook holds a
 * few thousand cells in parts well under 1 MB; these leave a hundredfold margin.
 */
export const LIMITS = {
  /** Inflated size of any one XML part (its decoded string is about twice that in memory). */
  partBytes: 32 * 1024 * 1024,
  /** Stored (non-empty or formatted) cells in one sheet, and in all sheets read. */
  cellsPerSheet: 200_000,
  cellsPerWorkbook: 500_000,
  /** Attributes on one tag: a cell has at most six, a real tag a few dozen. */
  attributesPerTag: 256,
  /** Zip entries in the package: a workbook has a few dozen. */
  zipEntries: 10_000,
} as const;

export type XlsxFailureKind =
  /** No zip signature at all. */
  | 'notZip'
  /** A zip whose end (central directory) is missing or points past the end of the file. */
  | 'truncated'
  /** The parts to read would inflate past the budget, or inflate past their declared size. */
  | 'bomb'
  /** A zip without an Office workbook part. */
  | 'noWorkbook'
  /** Damaged compressed data or XML. */
  | 'corrupt'
  /** Readable in principle but past a hard limit, or built to mislead (duplicate zip entries). */
  | 'refused';

export interface XlsxFailure {
  kind: XlsxFailureKind;
  /** Technical detail for logs and the message's tail (English, not shown alone to users). */
  detail: string;
  /** What is wrong, in Chinese, for `refused` and for the damage a user can act on. */
  what?: string;
  sheet?: string;
  /** A1 address, when the problem has one inside Excel's grid. */
  cell?: string;
}

export class XlsxReadError extends Error {
  readonly failure: XlsxFailure;
  constructor(failure: XlsxFailure) {
    super(`${failure.kind}: ${failure.detail}`);
    this.failure = failure;
  }
}

export function fail(kind: XlsxFailureKind, detail: string, where: Omit<XlsxFailure, 'kind' | 'detail'> = {}): never {
  throw new XlsxReadError({ kind, detail, ...where });
}
