// Hashes that both adapters compute identically: sync and browser-safe (no Node crypto).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { cleanText, readText } from './cells.ts';
import { INFO_SHEET, SCORES_SHEET, TABLE_SHEETS } from './layout.ts';
import { findSheet } from './parse.ts';
import type { RawValue, SheetGrid, WorkbookGrid } from './types.ts';

/** sha256 of a string's UTF-8 bytes, as lowercase hex. */
export type Sha256Hex = (text: string) => string;

/** Pure JavaScript, so the add-in computes it in any browser; the CLI passes node:crypto's (ten times faster) where it hashes in bulk. */
export const sha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

/** The data sheets; 填报说明 holds no unit data and `_meta` holds the hash itself. */
const HASHED_SHEETS = [INFO_SHEET.name, ...TABLE_SHEETS.map((s) => s.name)];

/** One shared empty row for every hole, so a cell at row 1,048,576 costs no million arrays. */
const NO_CELLS: string[] = [];

/** What the unit sees in one cell: an error's text, cleaned text, a number or date as formatted, '' for a hole. */
function shownValue(v: RawValue | undefined, format: string | null | undefined, date1904: boolean): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return v.error;
  if (typeof v === 'string') return cleanText(v);
  const t = readText(v, format, date1904);
  return t.ok ? t.value : '';
}

/**
 * Cells as the user sees their values (a date-formatted serial as its date); trailing blanks are
 * dropped because exceljs and Office.js report used ranges differently. Plain loops rather than
 * Array.from with a callback: this runs on every cell of every workbook checked.
 */
function normalisedRows(sheet: SheetGrid, date1904: boolean): string[][] {
  const rows: string[][] = [];
  // Holes (a sparse grid from the fast reader) count as empty, as in the dense grid Office.js gives.
  for (let r = 0; r < sheet.values.length; r++) {
    const row = sheet.values[r];
    if (row === undefined) {
      rows.push(NO_CELLS);
      continue;
    }
    const formats = sheet.numberFormats?.[r];
    const cells: string[] = [];
    for (let c = 0; c < row.length; c++) cells.push(shownValue(row[c], formats?.[c], date1904));
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    rows.push(cells);
  }
  while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
  return rows;
}

/** The assessors' columns belong to the review (sealed by core/review.ts), not to the unit's submission. */
const ASSESSOR_HEADERS = new Set(SCORES_SHEET.columns.filter((c) => c.editor === 'review').map((c) => c.header));

/** 考核评分 without the assessors' cells, found by header text like the parser finds columns. */
function withoutAssessorCells(rows: string[][]): string[][] {
  const header = rows[0] ?? [];
  const assessor = header.map((h, c) => (ASSESSOR_HEADERS.has(h.trim()) ? c : -1)).filter((c) => c >= 0);
  if (assessor.length === 0) return rows;
  return rows.map((row, r) => {
    if (r === 0) return row;
    const cells = row.map((v, c) => (assessor.includes(c) ? '' : v));
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    return cells;
  });
}

/**
 * sha256 (hex) of the values of the data sheets: formatting changes leave it alone, any value
 * change by the unit does not. The assessors' scores after submission do not count as an edit.
 */
export function contentHash(grid: WorkbookGrid, digest: Sha256Hex = sha256Hex): string {
  const date1904 = grid.date1904 === true;
  const content = HASHED_SHEETS.map((name) => {
    // Same lookup as the parser, so a tab renamed with a stray space is not taken for an edit.
    const sheet = findSheet(grid, name);
    const rows = sheet ? normalisedRows(sheet, date1904) : null;
    return [name, rows && name === SCORES_SHEET.name ? withoutAssessorCells(rows) : rows];
  });
  return digest(JSON.stringify(content));
}
