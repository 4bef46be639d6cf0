// 考核结果汇总.xlsx: the office's tables, with the same numbers as the documents.
// Every cell holds a literal value: exceljs writes no cached formula results, and text that
// looks like a formula (`=cmd|…`) must stay text, so nothing here is ever a formula object.
import ExcelJS from 'exceljs';
import { UNIT_KIND_LABEL } from '../../core/types.ts';
import type { YearResults } from '../../core/results.ts';

type CellValue = string | number | null;

interface Column {
  header: string;
  width: number;
  /** Excel number format, e.g. one decimal for scores. */
  numFmt?: string;
}

/** Two decimals, as every output prints a score (SPEC §9). */
const SCORE_FORMAT = '0.00';

const MAX_CELL_TEXT = 32_767;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF9BB3D1' } };

/** Text as Excel can store it: no XML-invalid control characters, within Excel's cell limit. */
export function cellText(text: string): string {
  const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean.length > MAX_CELL_TEXT ? clean.slice(0, MAX_CELL_TEXT - 1) + '…' : clean;
}

function addTable(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: CellValue[][]): void {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    // A4 landscape, all columns on one page width, the header repeated on every printed page.
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true },
  });
  ws.pageSetup.printTitlesRow = '1:1';
  ws.columns = columns.map((c) => ({ width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const header = ws.getRow(1);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true, name: '宋体', size: 11 };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
  });
  header.height = 22;
  rows.forEach((values, r) => {
    const row = ws.getRow(r + 2);
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      // A string is always stored as a shared string, never parsed: formula-like text stays text.
      cell.value = typeof v === 'string' ? cellText(v) : v;
      cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
      // No wrapping: exceljs cannot size rows to wrapped text, so wrapped cells would overlap.
      cell.alignment = { vertical: 'middle' };
      const numFmt = columns[i]?.numFmt;
      if (numFmt && typeof v === 'number') cell.numFmt = numFmt;
    });
  });
  if (rows.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

const yesNo = (b: boolean): string => (b ? '是' : '否');

function resultsSheet(wb: ExcelJS.Workbook, results: YearResults): void {
  const columns: Column[] = [
    { header: '名次', width: 10 },
    { header: '单位名称', width: 18 },
    { header: '单位类别', width: 11 },
    ...results.categories.map((c) => ({ header: c, width: Math.max(9, c.length * 2 + 3), numFmt: SCORE_FORMAT })),
    { header: '加分', width: 7, numFmt: SCORE_FORMAT },
    { header: '扣分', width: 7, numFmt: SCORE_FORMAT },
    { header: '总分', width: 8, numFmt: SCORE_FORMAT },
    { header: '等次', width: 8 },
    { header: '一票否决', width: 9 },
    { header: '是否表彰', width: 9 },
    { header: '考核组核对', width: 40 },
  ];
  // 未经考核组核对: assessor cells found but not counted (core/assessment.ts); blank when all is reviewed.
  const unverified = new Set(results.unverified.map((u) => u.unitId));
  const reviewNote = (u: YearResults['units'][number]): string | null =>
    unverified.has(u.unitId) ? (u.flags.find((f) => f.startsWith('未经考核组核对')) ?? '未经考核组核对') : null;
  // Ranked units in rank order, then vetoed units (名次 —): results.units is already in that order.
  const rows: CellValue[][] = results.units.map((u) => [
    u.rankText,
    u.unitName,
    UNIT_KIND_LABEL[u.kind],
    ...results.categories.map((c) => u.byCategory[c] ?? 0),
    u.bonus,
    u.deduction,
    u.total,
    u.grade,
    yesNo(u.vetoed),
    yesNo(u.commended !== null),
    reviewNote(u),
  ]);
  // Units without a workbook stay visible so the office sees the whole plan in one table.
  for (const m of results.missingUnits) {
    rows.push(['—', m.name, UNIT_KIND_LABEL[m.kind], ...results.categories.map(() => null), null, null, null, '未报送', null, '否', null]);
  }
  addTable(wb, '考核结果', columns, rows);
}

/** The rules behind the table, printed under it: tie-breaks, every quota, every decision. */
function notesOf(results: YearResults): string[] {
  const tieBreak = results.tieBreak.length > 0 ? `，再依次比较${results.tieBreak.join('、')}得分` : '';
  return [
    `说明：名次按总分排列${tieBreak}；仍相同的为并列，同名次单位按方案中的顺序列出。一票否决和未报送的单位不排名次（—），列在最后。分数均保留两位小数，总分为各项得分之和。`,
    ...results.quotas.map((q) => q.text),
    ...results.decisions.map((d) => d.text),
  ];
}

/** 说明: how ranks, grades and commendations were decided, on a sheet of its own so every other sheet stays a plain table. */
function notesSheet(wb: ExcelJS.Workbook, results: YearResults): void {
  addTable(wb, '说明', [{ header: '说明', width: 120 }], notesOf(results).map((n) => [n]));
}

function complaintsSheet(wb: ExcelJS.Workbook, results: YearResults): void {
  const columns: Column[] = [
    { header: '单位名称', width: 18 },
    { header: '受理数', width: 8 },
    { header: '已回复', width: 8 },
    { header: '已办结', width: 8 },
    { header: '按时办结', width: 9 },
    { header: '查实', width: 7 },
  ];
  const row = (name: string, c: YearResults['complaints']['totals']): CellValue[] => [
    name,
    c.received,
    c.replied,
    c.concluded,
    c.onTime,
    c.verified,
  ];
  const rows = results.complaints.byUnit.map((u) => row(u.unitName, u));
  rows.push(row('合计', results.complaints.totals));
  addTable(wb, '投诉统计', columns, rows);
}

function commendationsSheet(wb: ExcelJS.Workbook, results: YearResults): void {
  const columns: Column[] = [
    { header: '表彰类别', width: 10 },
    { header: '名称', width: 18 },
    { header: '所在单位', width: 18 },
    { header: '总分', width: 8, numFmt: SCORE_FORMAT },
    { header: '名次', width: 10 },
  ];
  const { units, departments, persons } = results.commendations;
  const rows = [...units, ...departments, ...persons].map((c): CellValue[] => [c.category, c.name, c.unitName, c.total, c.rankText]);
  addTable(wb, '表彰名单', columns, rows);
}

/** 表彰资格: every unit of the commendation groups and every nominee not commended, with the reason. */
function eligibilitySheet(wb: ExcelJS.Workbook, results: YearResults): void {
  const columns: Column[] = [
    { header: '表彰类别', width: 10 },
    { header: '名称', width: 18 },
    { header: '所在单位', width: 18 },
    { header: '未予表彰的原因', width: 70 },
  ];
  const rows = results.eligibility.map((e): CellValue[] => [e.category, e.name, e.unitName, e.reason]);
  addTable(wb, '表彰资格', columns, rows);
}

function dataProblemsSheet(wb: ExcelJS.Workbook, results: YearResults): void {
  const columns: Column[] = [
    { header: '文件', width: 44 },
    { header: '工作表', width: 10 },
    { header: '单元格', width: 8 },
    { header: '问题', width: 90 },
    { header: '级别', width: 7 },
  ];
  const rows = results.dataProblems.map((p): CellValue[] => [p.file, p.sheet ?? '', p.cell ?? '', p.message, p.severity]);
  addTable(wb, '数据问题', columns, rows);
}

export function buildSummaryWorkbook(results: YearResults): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = results.activity.office || 'kaohe';
  wb.created = new Date(results.generatedAt);
  resultsSheet(wb, results);
  complaintsSheet(wb, results);
  commendationsSheet(wb, results);
  eligibilitySheet(wb, results);
  notesSheet(wb, results);
  dataProblemsSheet(wb, results);
  return wb;
}

export async function summaryWorkbookBuffer(results: YearResults): Promise<Buffer> {
  const data = await buildSummaryWorkbook(results).xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}
