// The reference conversion from an exceljs workbook to the core's grid: the demo's filler stamps
// the content hash of what it wrote with it, and the tests hold the fast reader equal to it.
import ExcelJS from 'exceljs';
import { serialFromTime } from '../../core/cells.ts';
import type { CellError, RawValue, SheetGrid, WorkbookGrid } from '../../core/types.ts';

function isCellError(value: unknown): value is CellError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

function richTextOf(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'richText' in value) {
    const runs = (value as ExcelJS.CellRichTextValue).richText;
    return runs.map((run) => run.text ?? '').join('');
  }
  return null;
}

/**
 * Flattens what exceljs hands back for one cell to the plain values the core accepts. exceljs
 * turns a date-formatted serial into a Date; it goes back to the serial the file holds.
 */
function plainValue(value: unknown, date1904: boolean): RawValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return serialFromTime(value.getTime(), date1904);
  if (isCellError(value)) return { error: String(value.error) };
  const rich = richTextOf(value);
  if (rich !== null) return rich;
  if (typeof value === 'object' && 'hyperlink' in value) {
    const text = (value as ExcelJS.CellHyperlinkValue).text as unknown;
    return typeof text === 'string' ? text : (richTextOf(text) ?? null);
  }
  if (typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
    return plainValue((value as ExcelJS.CellFormulaValue).result, date1904);
  }
  return null;
}

function cellValue(cell: ExcelJS.Cell, date1904: boolean): RawValue {
  // A merged range keeps its value in the master cell only, as Excel itself stores it.
  if (cell.type === ExcelJS.ValueType.Merge) return null;
  return plainValue(cell.type === ExcelJS.ValueType.Formula ? cell.result : cell.value, date1904);
}

function sheetGrid(ws: ExcelJS.Worksheet, date1904: boolean): SheetGrid {
  const values: RawValue[][] = [];
  const numberFormats: (string | null)[][] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const rowValues: RawValue[] = [];
    const rowFormats: (string | null)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      rowValues[colNumber - 1] = cellValue(cell, date1904);
      rowFormats[colNumber - 1] = cell.numFmt ?? null;
    });
    values[rowNumber - 1] = rowValues;
    numberFormats[rowNumber - 1] = rowFormats;
    width = Math.max(width, rowValues.length);
  });
  // Dense rectangles: sparse arrays would surprise every consumer that maps over them.
  const dense = <T>(rows: T[][], fill: T): T[][] =>
    Array.from({ length: rows.length }, (_, r) => Array.from({ length: width }, (_, c) => rows[r]?.[c] ?? fill));
  return { values: dense(values, null), numberFormats: dense(numberFormats, null) };
}

/** The reference conversion from an exceljs workbook to the core's grid. */
export function gridFromWorkbook(wb: ExcelJS.Workbook): WorkbookGrid {
  const sheets: Record<string, SheetGrid> = {};
  const date1904 = wb.properties?.date1904 === true;
  wb.eachSheet((ws) => {
    sheets[ws.name] = sheetGrid(ws, date1904);
  });
  return { sheets, date1904 };
}
