// 考核结果汇总.xlsx is written directly (generator/xlsx/summary.ts), a speed shortcut past exceljs:
// every part must be the text exceljs writes for the same tables, on the fixture year and on
// tables full of what breaks writers (markup, control characters, spaces at the ends, long text,
// empty tables, a narrow score column, names that are object keys).
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { aggregateYear } from '../core/aggregate.ts';
import type { YearResults } from '../core/results.ts';
import { cellText, summaryTables, summaryWorkbookBuffer, type SummaryTable } from '../generator/xlsx/summary.ts';
import { fixturePlan, fixtureSubmissions } from './fixtures/year.ts';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF9BB3D1' } };

/** The summary as exceljs made it before the shortcut: the reference the direct writer must equal. */
async function viaExcelJS(results: YearResults): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = results.activity.office || 'kaohe';
  wb.created = new Date(results.generatedAt);
  for (const table of summaryTables(results)) addTable(wb, table);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

function addTable(wb: ExcelJS.Workbook, { name, columns, rows }: SummaryTable): void {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
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
      cell.value = typeof v === 'string' ? cellText(v) : v;
      cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
      cell.alignment = { vertical: 'middle' };
      const numFmt = columns[i]?.numFmt;
      if (numFmt && typeof v === 'number') cell.numFmt = numFmt;
    });
  });
  if (rows.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

/** Every entry of the zip, folders too; core.xml without the time of writing. */
async function parts(bytes: Uint8Array): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(zip.files)) {
    const text = entry.dir ? '' : await entry.async('string');
    out[name] = name === 'docProps/core.xml' ? text.replace(/<dcterms:modified[^>]*>[^<]*<\/dcterms:modified>/, '') : text;
  }
  return out;
}

function fixtureResults(): YearResults {
  const plan = fixturePlan();
  const subs = fixtureSubmissions(plan);
  const checked = plan.units.filter((u) => subs.has(u.id)).map((u) => ({ file: `${u.name}.xlsx`, submission: subs.get(u.id)!, unit: u, problems: [] }));
  return aggregateYear(plan, checked, { generatedAt: '2012-01-05T08:00:00.000Z' });
}

async function expectSameParts(results: YearResults): Promise<void> {
  const direct = await parts(summaryWorkbookBuffer(results));
  const reference = await parts(await viaExcelJS(results));
  expect(Object.keys(direct).sort()).toEqual(Object.keys(reference).sort());
  for (const name of Object.keys(reference)) expect(direct[name], name).toBe(reference[name]);
}

describe('考核结果汇总.xlsx written directly', () => {
  it('is part for part what exceljs writes for the fixture year', async () => {
    await expectSameParts(fixtureResults());
  });

  it('is part for part what exceljs writes for text that breaks writers, and for empty tables', async () => {
    const base = fixtureResults();
    const awkward = ['<b>&"\'</b>', ' 前后有空格 ', '换行\n之后', '\t制表', "=cmd|' /C calc'!A0", '控制\u0001\u0007\u007F字符', '𠀀𝄞😀', '', '__proto__', 'constructor', '长'.repeat(40_000)];
    const units = base.units.map((u, i) => ({ ...u, unitName: awkward[i % awkward.length]!, rankText: i === 0 ? '' : u.rankText }));
    const results: YearResults = {
      ...base,
      activity: { ...base.activity, office: '办公室 & <领导小组>' },
      // A two-character category keeps exceljs's default width of 9, but its score format still writes the column.
      categories: ['其他', ...base.categories],
      units: units.map((u) => ({ ...u, byCategory: { ...u.byCategory, 其他: -0.5 } })),
      commendations: { units: [], departments: [], persons: [] },
      eligibility: [],
      dataProblems: awkward.map((message, i) => ({ file: `f${i}.xlsx`, severity: i % 2 ? '提醒' : '错误', code: 'x', message, ...(i % 3 ? { sheet: message.slice(0, 5) } : {}) })),
    };
    await expectSameParts(results);
  });
});
