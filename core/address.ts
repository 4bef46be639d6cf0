// A1 cell addresses (`H7`, `XFD1048576`), read once for every reader: the xlsx scanner, the
// add-in's gateway and the problem sort. Excel's sheet is 1,048,576 rows × 16,384 columns (XFD);
// an address outside it is not a cell, however the file spells it.

export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;
/** XFD is three letters; a longer run cannot name a column, so scanning stops there. */
const MAX_COLUMN_LETTERS = 3;
/** 1048576 is seven digits; more cannot be a row, however many leading zeros. */
const MAX_ROW_DIGITS = 7;

export interface CellPosition {
  /** 0-based: row 0 is Excel row 1. */
  row: number;
  /** 0-based: column 0 is column A. */
  col: number;
}

/**
 * `H7` → { row: 6, col: 7 }; letters in either case. Null for anything that is not a cell
 * inside Excel's grid (`A0`, `A1000000000`, `ZZZZZZZ1`, `1e9`, `A1.5`), without arithmetic on
 * more digits or letters than a real address can hold.
 */
export function parseCellAddress(ref: string): CellPosition | null {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i) | 0x20;
    if (code < 97 || code > 122) break;
    if (i === MAX_COLUMN_LETTERS) return null;
    col = col * 26 + code - 96;
  }
  if (i === 0 || col > EXCEL_MAX_COLUMNS) return null;
  const row = parseRowNumber(ref, i);
  return row === null ? null : { row, col: col - 1 };
}

/** The digits of `ref` from `from` to its end as a 0-based row, or null when they are not a row number. */
export function parseRowNumber(ref: string, from = 0): number | null {
  if (from >= ref.length || ref.length - from > MAX_ROW_DIGITS) return null;
  let row = 0;
  for (let i = from; i < ref.length; i++) {
    const d = ref.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    row = row * 10 + d;
  }
  return row >= 1 && row <= EXCEL_MAX_ROWS ? row - 1 : null;
}
