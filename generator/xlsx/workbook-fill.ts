// Fills a unit workbook built by unit-workbook.ts the way a unit would in Excel: values typed into
// the cells under the headers. Columns are found by header text, so the fill never assumes
// the layout's column order. Used by the demo and by test fixtures.
import type ExcelJS from 'exceljs';
import { INFO_SHEET, KEY_TASKS_SHEET, META_KEYS, META_SHEET, NOMINATIONS_SHEET, COMPLAINTS_SHEET, PROBLEMS_SHEET, RULES_SHEET, SCORES_SHEET } from '../../core/layout.ts';
import type { TableSheet } from '../../core/layout.ts';
import { contentHash } from '../../core/hash.ts';
import { gridFromWorkbook } from './grid.ts';

/** A cell as typed: ISO dates (YYYY-MM-DD) become Excel dates, everything else is written as is. */
export type FillValue = string | number | boolean | null;
/** One row keyed by the layout's column keys (e.g. `progress`, `status`). */
export type FillRow = Record<string, FillValue>;

export interface UnitFill {
  /** 单位信息 values keyed by field key (e.g. `head`, `planHandedIn`). */
  info: Record<string, FillValue>;
  /** Edits to prefilled 重点任务 rows, keyed by 任务编号. */
  keyTasks: Record<string, FillRow>;
  /** Edits to prefilled 考核评分 rows, keyed by 指标编号. */
  scores: Record<string, FillRow>;
  complaints: FillRow[];
  problems: FillRow[];
  rules: FillRow[];
  nominations: FillRow[];
  /** Stamped into `_meta` with the content hash, as the add-in does on submission. */
  submittedAt?: string;
  /** The review stamp the add-in's review mode writes into `_meta` (core/review.ts). */
  reviewStamp?: { reviewedBy: string; reviewedAt: string; reviewSeal: string };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function excelValue(v: FillValue, type: string): ExcelJS.CellValue {
  if (typeof v === 'string' && type === 'date') {
    const m = ISO.exec(v);
    if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  }
  return v;
}

function sheetOf(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`workbook has no sheet ${name}`);
  return ws;
}

/** Column number (1-based) of each layout column, found by header text in row 1. */
function headerColumns(ws: ExcelJS.Worksheet, spec: TableSheet): Map<string, number> {
  const byHeader = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => byHeader.set(String(cell.value ?? '').trim(), col));
  const out = new Map<string, number>();
  for (const c of spec.columns) {
    const col = byHeader.get(c.header);
    if (col !== undefined) out.set(c.key, col);
  }
  return out;
}

function writeRow(ws: ExcelJS.Worksheet, spec: TableSheet, cols: Map<string, number>, rowNumber: number, values: FillRow): void {
  const row = ws.getRow(rowNumber);
  for (const [key, value] of Object.entries(values)) {
    const col = cols.get(key);
    const type = spec.columns.find((c) => c.key === key)?.type ?? 'text';
    if (col !== undefined) row.getCell(col).value = excelValue(value, type);
  }
}

/** Updates prefilled rows whose first column (the id) matches a key of `edits`. */
function editPrefilled(wb: ExcelJS.Workbook, spec: TableSheet, edits: Record<string, FillRow>): void {
  const ws = sheetOf(wb, spec.name);
  const cols = headerColumns(ws, spec);
  const idCol = cols.get(spec.columns[0]!.key)!;
  for (let r = 2; r <= ws.rowCount; r++) {
    const id = String(ws.getRow(r).getCell(idCol).value ?? '').trim();
    const values = edits[id];
    if (values) writeRow(ws, spec, cols, r, values);
  }
}

/** Appends rows below the last non-empty row. */
function appendRows(wb: ExcelJS.Workbook, spec: TableSheet, rows: readonly FillRow[]): void {
  if (rows.length === 0) return;
  const ws = sheetOf(wb, spec.name);
  const cols = headerColumns(ws, spec);
  let last = 1;
  ws.eachRow((row, n) => {
    if (n > 1 && row.values && (row.values as unknown[]).some((v) => v !== null && v !== undefined && v !== '')) last = n;
  });
  rows.forEach((values, i) => writeRow(ws, spec, cols, last + 1 + i, values));
}

function fillInfo(wb: ExcelJS.Workbook, info: Record<string, FillValue>): void {
  const ws = sheetOf(wb, INFO_SHEET.name);
  for (let r = 2; r <= ws.rowCount; r++) {
    const label = String(ws.getRow(r).getCell(1).value ?? '').trim();
    const field = INFO_SHEET.fields.find((f) => f.label === label);
    if (field && field.key in info) ws.getRow(r).getCell(2).value = excelValue(info[field.key] ?? null, field.type);
  }
}

function stampMeta(wb: ExcelJS.Workbook, key: (typeof META_KEYS)[number], value: string): void {
  const row = sheetOf(wb, META_SHEET.name).getRow(META_KEYS.indexOf(key) + 1);
  row.getCell(1).value = key;
  row.getCell(2).value = value;
}

/** As the add-in does on submission: the time, and the hash of the content as submitted. */
function stampSubmitted(wb: ExcelJS.Workbook, submittedAt: string): void {
  stampMeta(wb, 'submittedAt', submittedAt);
  stampMeta(wb, 'contentHash', contentHash(gridFromWorkbook(wb)));
}

export function fillUnitWorkbook(wb: ExcelJS.Workbook, fill: UnitFill): void {
  fillInfo(wb, fill.info);
  editPrefilled(wb, KEY_TASKS_SHEET, fill.keyTasks);
  editPrefilled(wb, SCORES_SHEET, fill.scores);
  appendRows(wb, COMPLAINTS_SHEET, fill.complaints);
  appendRows(wb, PROBLEMS_SHEET, fill.problems);
  appendRows(wb, RULES_SHEET, fill.rules);
  appendRows(wb, NOMINATIONS_SHEET, fill.nominations);
  if (fill.submittedAt) stampSubmitted(wb, fill.submittedAt);
  if (fill.reviewStamp) for (const [key, value] of Object.entries(fill.reviewStamp)) stampMeta(wb, key as keyof typeof fill.reviewStamp, value);
}
