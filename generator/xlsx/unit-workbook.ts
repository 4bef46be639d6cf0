// Writes a unit workbook with exceljs. Everything about columns, lists and editors comes from
// core/layout.ts; this module only decides how the workbook looks and what is locked.
import ExcelJS from 'exceljs';
import type { DataValidation } from 'exceljs';
import {
  GUIDE_SHEET,
  META_SHEET,
  SHEETS,
  columnLetter,
} from '../../core/layout.ts';
import type { ColumnType, FormSheet, TableSheet } from '../../core/layout.ts';
import { metaRows } from '../../core/blank.ts';
import {
  COLOURS,
  DATE_FORMAT,
  FONTS,
  formLabelFont,
  guideFont,
  FORM_WIDTHS,
  GUIDE_WIDTH,
  PROTECTION,
  RULE_COLOUR,
  assessorRowRanges,
  inputLastRow,
  inputRule,
  ruledRows,
  unitColumn,
} from '../../core/look.ts';
import type { InputRule } from '../../core/look.ts';
import type { ContentValue, WorkbookContent } from '../../core/blank.ts';
import type { WorkbookMeta } from '../../core/types.ts';
import { writeFileAtomic } from '../files/atomic-write.ts';

export { INPUT_ROWS } from '../../core/look.ts';

/** #RRGGBB (core/look.ts) as an exceljs solid fill. */
function solid(hex: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${hex.slice(1)}` } };
}

const HEADER_FILL = solid(COLOURS.header);
const REVIEW_HEADER_FILL = solid(COLOURS.reviewHeader);
const FIXED_FILL = solid(COLOURS.fixed);
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: `FF${RULE_COLOUR.slice(1)}` } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

const PROTECTION_OPTIONS: Partial<ExcelJS.WorksheetProtection> = PROTECTION;

/** A4 landscape, one page wide: the unit workbook and the 考核组评分表 print alike. */
export const PRINT_SETUP: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  horizontalCentered: true,
  margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
};

/** exceljs keeps `dataValidations` off its typings; range-wide rules avoid its overlapping per-cell output. */
interface RangeValidations {
  add(range: string, validation: DataValidation): void;
}

function validationsOf(ws: ExcelJS.Worksheet): RangeValidations {
  return (ws as unknown as { dataValidations: RangeValidations }).dataValidations;
}

/** Excel list formulas are quoted, comma-separated and capped at 255 characters. */
function listFormula(list: readonly string[]): string {
  return `"${list.join(',')}"`;
}

function isoToDate(iso: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/** Width of a CJK glyph in Excel column-width units (the width of a '0'), at the sheet's font size. */
const WIDE_GLYPH = 2.1;
const LINE_POINTS = 15;
/** Excel refuses row heights above 409 points. */
const MAX_ROW_POINTS = 409;

/**
 * Row height (points) that shows wrapped text in full. Excel and LibreOffice do not grow rows
 * written by a library when the file opens, so prefilled long text would show one line only.
 */
export function wrappedRowHeight(
  cells: readonly { text: string; width: number }[],
  minLines = 1,
  fontSize = 11,
): number {
  const scale = fontSize / 11;
  let lines = minLines;
  for (const { text, width } of cells) {
    const capacity = Math.max(1, (width - 1.5) / scale);
    let cellLines = 0;
    for (const paragraph of text.split('\n')) {
      let units = 0;
      for (const ch of paragraph) units += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? WIDE_GLYPH : 1;
      cellLines += Math.max(1, Math.ceil(units / capacity));
    }
    lines = Math.max(lines, cellLines);
  }
  return Math.min(MAX_ROW_POINTS, Math.ceil(lines * LINE_POINTS * scale + 3));
}

/** Prefilled model dates are ISO strings; Excel should get real dates so they sort and format. */
function cellValue(value: ContentValue | undefined, type: ColumnType): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (type === 'date' && typeof value === 'string') return isoToDate(value) ?? value;
  return value;
}

/** core/look.ts's input rule as an exceljs data validation. */
function validationFor(rule: InputRule | null): DataValidation | null {
  if (!rule) return null;
  const prompt = rule.prompt ? { showInputMessage: true, promptTitle: rule.prompt.title, prompt: rule.prompt.message } : {};
  if (rule.list) {
    return {
      type: 'list',
      allowBlank: true,
      formulae: [listFormula(rule.list)],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: rule.error?.title ?? '',
      error: rule.error?.message ?? '',
      ...prompt,
    };
  }
  return { type: 'any' as DataValidation['type'], allowBlank: true, formulae: [], ...prompt };
}

function styleHeaderCell(cell: ExcelJS.Cell, fill: ExcelJS.Fill): void {
  cell.font = { ...FONTS.header };
  cell.fill = fill;
  cell.border = BOX;
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  cell.protection = { locked: true };
}

// GUIDE_WIDTH (core/look.ts) fits a portrait A4 page at 100%: LibreOffice measures column widths
// with a wider default font than Excel and does not shrink a too-wide page.

function addGuideSheet(wb: ExcelJS.Workbook, guide: string[][]): void {
  const ws = wb.addWorksheet(GUIDE_SHEET.name, {
    properties: { tabColor: { argb: `FF${COLOURS.guideTab.slice(1)}` } },
    pageSetup: { ...PRINT_SETUP, orientation: 'portrait', horizontalCentered: false },
  });
  const width = Math.max(1, ...guide.map((r) => r.length));
  // A single text column reads like a page; a second column (label + text) gets a narrow first column.
  const widths = width === 1 ? [GUIDE_WIDTH] : [16, ...Array.from({ length: width - 1 }, () => (GUIDE_WIDTH - 16) / (width - 1))];
  ws.columns = widths.map((w) => ({ width: w }));
  guide.forEach((line, i) => {
    const row = ws.getRow(i + 1);
    line.forEach((text, j) => {
      const cell = row.getCell(j + 1);
      cell.value = text;
      cell.alignment = { wrapText: true, vertical: 'top' };
      cell.font = { ...(j === 0 ? guideFont(i, text) : FONTS.body) };
    });
    row.height = wrappedRowHeight(line.map((text, j) => ({ text, width: widths[j] ?? 10 })));
    if (i === 0) {
      const title = row.getCell(1);
      title.font = { ...FONTS.guideTitle };
      title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      row.height = Math.max(30, wrappedRowHeight([{ text: line[0] ?? '', width: GUIDE_WIDTH }], 1, FONTS.guideTitle.size));
      if (width > 1) ws.mergeCells(1, 1, 1, width);
    }
  });
}

function addFormSheet(wb: ExcelJS.Workbook, spec: FormSheet, rows: ContentValue[][]): void {
  const ws = wb.addWorksheet(spec.name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { ...PRINT_SETUP, orientation: 'portrait' },
  });
  ws.columns = FORM_WIDTHS.map((width) => ({ width, style: { font: { ...FONTS.body } } }));
  const header = ws.getRow(1);
  spec.headers.forEach((h, j) => styleHeaderCell(header.getCell(j + 1), HEADER_FILL));
  header.getCell(1).value = spec.headers[0];
  header.getCell(2).value = spec.headers[1];
  header.height = 22;
  spec.fields.forEach((field, i) => {
    const row = ws.getRow(i + 2);
    row.height = 20;
    const given = rows.find((r) => r[0] === field.label);
    const label = row.getCell(1);
    label.value = field.label;
    label.font = { ...formLabelFont(field) };
    label.fill = FIXED_FILL;
    label.border = BOX;
    label.alignment = { vertical: 'middle' };
    label.protection = { locked: true };
    const content = row.getCell(2);
    content.value = cellValue(given?.[1], field.type);
    content.border = BOX;
    content.font = { ...FONTS.body };
    content.alignment = { vertical: 'middle', horizontal: 'left' };
    if (field.type === 'date') content.numFmt = DATE_FORMAT;
    const editable = field.editor !== 'fixed';
    content.protection = { locked: !editable };
    if (!editable) content.fill = FIXED_FILL;
    const validation = validationFor(inputRule(field, field.label));
    if (validation) validationsOf(ws).add(`B${i + 2}`, validation);
  });
  ws.pageSetup.printTitlesRow = '1:1';
}

function addTableSheet(wb: ExcelJS.Workbook, spec: TableSheet, rows: ContentValue[][]): void {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: { ...PRINT_SETUP } });
  ws.columns = spec.columns.map((col) => ({
    width: col.width,
    style: {
      font: { ...FONTS.body },
      alignment: { vertical: 'top', wrapText: col.type === 'text' },
      // Column styles reach the rows a unit adds later, so editable columns stay open below the table.
      // The assessors' columns stay locked for units: review mode in the add-in opens them.
      protection: { locked: !unitColumn(col) },
      ...(col.type === 'date' ? { numFmt: DATE_FORMAT } : {}),
    },
  }));
  const header = ws.getRow(1);
  spec.columns.forEach((col, j) => {
    const cell = header.getCell(j + 1);
    cell.value = col.header;
    styleHeaderCell(cell, col.editor === 'review' ? REVIEW_HEADER_FILL : HEADER_FILL);
  });
  header.height = wrappedRowHeight(spec.columns.map((col) => ({ text: col.header, width: col.width })), 2);

  // The content's first row is the header, already written from the layout above.
  const data = rows.slice(1);
  data.forEach((values, i) => {
    const row = ws.getRow(i + 2);
    spec.columns.forEach((col, j) => {
      const cell = row.getCell(j + 1);
      cell.value = cellValue(values[j] ?? null, col.type);
      cell.border = BOX;
      if (col.editor === 'fixed') cell.fill = FIXED_FILL;
    });
    row.height = wrappedRowHeight(
      spec.columns.flatMap((col, j) => (col.type === 'text' && typeof values[j] === 'string' ? [{ text: values[j], width: col.width }] : [])),
    );
  });

  // Ruled empty rows show where entries go, on screen and on a printed form filled by hand.
  for (let r = data.length + 2; r <= ruledRows(spec, data.length); r++) {
    const row = ws.getRow(r);
    spec.columns.forEach((_, j) => {
      row.getCell(j + 1).border = BOX;
    });
  }

  for (const range of assessorRowRanges(spec, rows)) {
    const [from, to] = range.split(':') as [string, string];
    const row = ws.getRow(Number(/\d+$/.exec(from)![0]));
    for (let c = ws.getColumn(from.replace(/\d+$/, '')).number; c <= ws.getColumn(to.replace(/\d+$/, '')).number; c++) {
      row.getCell(c).protection = { locked: true };
    }
  }

  const lastRow = inputLastRow(spec, data.length);
  spec.columns.forEach((col, j) => {
    const validation = validationFor(inputRule(col, col.header));
    if (!validation) return;
    const letter = columnLetter(j);
    validationsOf(ws).add(`${letter}2:${letter}${lastRow}`, validation);
  });
  const lastLetter = columnLetter(spec.columns.length - 1);
  ws.autoFilter = `A1:${lastLetter}1`;
  ws.pageSetup.printTitlesRow = '1:1';
}

function addMetaSheet(wb: ExcelJS.Workbook, meta: WorkbookMeta): void {
  const ws = wb.addWorksheet(META_SHEET.name, { state: 'veryHidden' });
  ws.columns = [{ width: 18 }, { width: 70 }];
  metaRows(meta).forEach(([key = '', value = ''], i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = key;
    row.getCell(2).value = value === '' ? null : value;
  });
}

/**
 * The workbook in memory, sheets in layout order, before protection. The demo fills rows in it
 * and then saves it with `saveUnitWorkbook`, so filled and blank workbooks share one layout.
 */
export function buildUnitWorkbook(content: WorkbookContent): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kaohe 考核';
  wb.created = new Date(content.meta.createdAt);
  wb.modified = wb.created;
  for (const spec of SHEETS) {
    const rows = content.sheets.find((s) => s.sheet.key === spec.key)?.rows ?? [];
    if (spec.kind === 'plain') {
      if (spec.key === 'guide') addGuideSheet(wb, content.guide);
      else addMetaSheet(wb, content.meta);
    } else if (spec.kind === 'form') addFormSheet(wb, spec, rows);
    else addTableSheet(wb, spec, rows);
  }
  return wb;
}

/**
 * Turns on sheet protection: with the plan's review password when it has one, so only the office
 * (review mode) can open the assessors' cells; otherwise none (a guard against slips).
 */
export async function protectUnitWorkbook(wb: ExcelJS.Workbook, password = ''): Promise<void> {
  for (const spec of SHEETS) {
    if (spec.kind === 'plain') continue;
    const ws = wb.getWorksheet(spec.name);
    if (ws) await ws.protect(password, PROTECTION_OPTIONS);
  }
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
}

/** Protects and writes the workbook atomically. */
export async function saveUnitWorkbook(wb: ExcelJS.Workbook, path: string, password = ''): Promise<void> {
  await protectUnitWorkbook(wb, password);
  const buffer = await wb.xlsx.writeBuffer();
  await writeFileAtomic(path, new Uint8Array(buffer as ArrayBuffer));
}

export async function writeUnitWorkbook(content: WorkbookContent, path: string, password = ''): Promise<void> {
  await saveUnitWorkbook(buildUnitWorkbook(content), path, password);
}
