// Writes the assessors' score sheet (考核组评分表) with exceljs. Columns, editors, lists and rows
// come from core/scoresheet.ts; this module only decides how the sheet looks and what is locked:
// only the assessors' cells on indicator rows are open, everything else is locked.
import ExcelJS from 'exceljs';
import type { DataValidation } from 'exceljs';
import { LISTS, columnLetter } from '../../core/layout.ts';
import {
  SCORESHEET_META_SHEET,
  SCORESHEET_PROTECTION,
  SCORESHEET_SHEET,
  scoreSheetMetaRows,
  type ScoreSheetContent,
  type ScoreSheetRow,
} from '../../core/scoresheet.ts';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { PRINT_SETUP, wrappedRowHeight } from './unit-workbook.ts';

const FONT_NAME = '宋体';
const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const HEADER_FILL = solid('FFDDEBF7');
const REVIEW_HEADER_FILL = solid('FFFCE4D6');
const FIXED_FILL = solid('FFF2F2F2');
const TOTAL_FILL = solid('FFFFF2CC');
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF9E9E9E' } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
/** A unit's block ends with a heavier rule, so blocks read apart on screen and on paper. */
const BLOCK_END: Partial<ExcelJS.Borders> = { ...BOX, bottom: { style: 'medium', color: { argb: 'FF595959' } } };
const SCORE_FORMAT = '0.0';

const PROTECTION: Partial<ExcelJS.WorksheetProtection> = SCORESHEET_PROTECTION;

/** exceljs keeps `dataValidations` off its typings. */
function addValidation(ws: ExcelJS.Worksheet, range: string, v: DataValidation): void {
  (ws as unknown as { dataValidations: { add(range: string, v: DataValidation): void } }).dataValidations.add(range, v);
}

const columns = SCORESHEET_SHEET.columns;
const columnIndex = (key: string): number => columns.findIndex((c) => c.key === key);

function styleHeader(ws: ExcelJS.Worksheet): void {
  const header = ws.getRow(1);
  columns.forEach((c, j) => {
    const cell = header.getCell(j + 1);
    cell.value = c.header;
    cell.font = { name: FONT_NAME, bold: true, size: 11 };
    cell.fill = c.editor === 'review' ? REVIEW_HEADER_FILL : HEADER_FILL;
    cell.border = BOX;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  header.height = wrappedRowHeight(columns.map((c) => ({ text: c.header, width: c.width })), 2);
}

/** The assessor's prompt and, on 否决 rows, the 是/否 dropdown for one review cell. */
function reviewValidation(row: ScoreSheetRow): DataValidation {
  const max = row.values.maxPoints;
  if (row.method === 'veto') {
    return {
      type: 'list',
      allowBlank: true,
      formulae: [`"${LISTS.yesNo.join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: '请从下拉列表中选择',
      error: '一票否决只能填写“是”或“否”',
      showInputMessage: true,
      promptTitle: '一票否决',
      prompt: '选“是”的单位等次为不合格，不得参加评先',
    };
  }
  const what = row.method === 'deduction' ? `核定扣分，0 到 ${String(max)} 分；空白按自动计算的扣分计` : `0 到 ${String(max)} 分；空白按${row.method === 'auto' ? '自动得分' : row.method === 'bonus' ? '不加分' : '自评分'}计`;
  return { type: 'any' as DataValidation['type'], allowBlank: true, formulae: [], showInputMessage: true, promptTitle: '考核组评分', prompt: what };
}

function writeRow(ws: ExcelJS.Worksheet, r: number, row: ScoreSheetRow, lastOfBlock: boolean): void {
  const xrow = ws.getRow(r);
  const total = row.kind === 'total';
  columns.forEach((c, j) => {
    const cell = xrow.getCell(j + 1);
    const v = row.values[c.key];
    cell.value = typeof v === 'string' && v === '' ? null : (v ?? null);
    cell.border = lastOfBlock ? BLOCK_END : BOX;
    const open = c.editor === 'review' && !total;
    cell.protection = { locked: !open };
    if (total) {
      cell.fill = TOTAL_FILL;
      cell.font = { name: FONT_NAME, bold: true };
    } else if (!open) cell.fill = FIXED_FILL;
    if (typeof v === 'number' && c.type === 'number') cell.numFmt = SCORE_FORMAT;
  });
  xrow.height = wrappedRowHeight(
    columns.flatMap((c) => {
      const v = row.values[c.key];
      return c.type === 'text' && typeof v === 'string' ? [{ text: v, width: c.width }] : [];
    }),
  );
  if (!total) addValidation(ws, `${columnLetter(columnIndex('review'))}${r}`, reviewValidation(row));
}

function addMeta(wb: ExcelJS.Workbook, content: ScoreSheetContent): void {
  const ws = wb.addWorksheet(SCORESHEET_META_SHEET, { state: 'veryHidden' });
  ws.columns = [{ width: 16 }, { width: 70 }];
  scoreSheetMetaRows(content.meta).forEach(([key, value], i) => {
    ws.getRow(i + 1).getCell(1).value = key ?? '';
    ws.getRow(i + 1).getCell(2).value = value || null;
  });
}

export function buildScoreSheetWorkbook(content: ScoreSheetContent): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kaohe 考核';
  wb.created = new Date(content.meta.createdAt);
  wb.modified = wb.created;
  const ws = wb.addWorksheet(SCORESHEET_SHEET.name, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
    // Narrower side margins than a unit workbook: the sheet has more columns to fit on one page's width.
    pageSetup: { ...PRINT_SETUP, margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });
  ws.columns = columns.map((c) => ({
    width: c.width,
    style: { font: { name: FONT_NAME }, alignment: { vertical: 'top', wrapText: c.type === 'text' }, protection: { locked: true } },
  }));
  styleHeader(ws);
  content.rows.forEach((row, i) => {
    writeRow(ws, i + 2, row, row.kind === 'total');
    // Each unit starts a new printed page, so a unit's pages can go to the assessor scoring it.
    if (row.kind === 'total' && i < content.rows.length - 1) ws.getRow(i + 2).addPageBreak();
  });
  ws.autoFilter = `A1:${columnLetter(columns.length - 1)}1`;
  ws.pageSetup.printTitlesRow = '1:1';
  addMeta(wb, content);
  return wb;
}

/** Protects and writes the score sheet atomically. */
export async function saveScoreSheet(wb: ExcelJS.Workbook, file: string): Promise<void> {
  const ws = wb.getWorksheet(SCORESHEET_SHEET.name);
  if (ws) await ws.protect('', PROTECTION);
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  const buffer = await wb.xlsx.writeBuffer();
  await writeFileAtomic(file, new Uint8Array(buffer as ArrayBuffer));
}
