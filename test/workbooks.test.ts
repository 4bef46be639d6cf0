// The generated unit workbook, read back from disk with exceljs: structure, dropdowns, locking.
import ExcelJS from 'exceljs';
import type { DataValidation } from 'exceljs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitWorkbookContent } from '../core/blank.ts';
import { INFO_SHEET, KEY_TASKS_SHEET, SHEETS, TABLE_SHEETS, columnLetter } from '../core/layout.ts';
import { tasksOfUnit, unitById } from '../core/plan.ts';
import type { Plan } from '../core/types.ts';
import { safeFileName, unitWorkbookFileName } from '../generator/files/paths.ts';
import { writeFileAtomic } from '../generator/files/atomic-write.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { INPUT_ROWS, wrappedRowHeight, writeUnitWorkbook } from '../generator/xlsx/unit-workbook.ts';
import { readWorkbookFile } from './helpers/xlsx-read.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-workbooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let plan: Plan;
let planHash: string;
let wb: ExcelJS.Workbook;
const file = path.join(dir, '项目办.xlsx');

function protection(ws: ExcelJS.Worksheet): Record<string, unknown> | undefined {
  return (ws as unknown as { sheetProtection?: Record<string, unknown> }).sheetProtection;
}

function validations(ws: ExcelJS.Worksheet): Record<string, DataValidation | undefined> {
  return (ws as unknown as { dataValidations: { model: Record<string, DataValidation | undefined> } }).dataValidations.model;
}

beforeAll(async () => {
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  plan = loaded.plan;
  planHash = loaded.hash;
  const unit = unitById(plan, 'project-office');
  if (!unit) throw new Error('plan has no project-office');
  await writeUnitWorkbook(unitWorkbookContent(plan, unit, '2011-01-20T08:00:00.000Z', planHash), file);
  wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
});

describe('unit workbook structure', () => {
  it('has the sheets of the layout in layout order', () => {
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(SHEETS.map((s) => s.name));
  });

  it('hides _meta as veryHidden and stamps the unit and plan hash', () => {
    const meta = wb.getWorksheet('_meta')!;
    expect(meta.state).toBe('veryHidden');
    const pairs = Object.fromEntries(
      meta.getSheetValues().slice(1).map((r) => [(r as ExcelJS.CellValue[])[1], (r as ExcelJS.CellValue[])[2]]),
    );
    expect(pairs.unitId).toBe('project-office');
    expect(pairs.planHash).toBe(planHash);
    expect(pairs.templateVersion).toBe('1');
  });

  it('freezes, styles and protects every table sheet', () => {
    for (const spec of TABLE_SHEETS) {
      const ws = wb.getWorksheet(spec.name)!;
      expect(ws.views[0], spec.name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(protection(ws), spec.name).toMatchObject({ sheet: true, insertRows: true, autoFilter: true });
      spec.columns.forEach((col, j) => {
        const header = ws.getRow(1).getCell(j + 1);
        expect(header.value).toBe(col.header);
        expect(header.font?.bold).toBe(true);
        expect(header.alignment?.wrapText).toBe(true);
        expect(ws.getColumn(j + 1).width).toBe(col.width);
      });
    }
  });

  it('puts a dropdown on every list column, range-wide down to the last input row', () => {
    let lists = 0;
    for (const spec of TABLE_SHEETS) {
      const model = validations(wb.getWorksheet(spec.name)!);
      spec.columns.forEach((col, j) => {
        if (!col.list) return;
        lists += 1;
        for (const row of [2, 37, INPUT_ROWS]) {
          const v = model[`${columnLetter(j)}${row}`];
          expect(v?.type, `${spec.name}!${columnLetter(j)}${row}`).toBe('list');
          expect(v?.formulae).toEqual([`"${col.list.join(',')}"`]);
          expect(v?.showErrorMessage).toBe(true);
        }
        expect(model[`${columnLetter(j)}1`]).toBeUndefined();
      });
    }
    // 重点任务 1, 考核评分 1, 效能投诉 2, 问题清单 2, 制度建设 2, 先进推荐 1
    expect(lists).toBe(9);
    const infoKind = validations(wb.getWorksheet(INFO_SHEET.name)!).B3;
    expect(infoKind?.formulae).toEqual(['"机关科室,局属单位,县区局"']);
  });

  it('shows a column hint as the input message of its cells', () => {
    const model = validations(wb.getWorksheet(KEY_TASKS_SHEET.name)!);
    const progress = KEY_TASKS_SHEET.columns.findIndex((c) => c.key === 'progress');
    expect(model[`${columnLetter(progress)}2`]).toMatchObject({ showInputMessage: true, prompt: '0 到 100 的数字' });
  });

  it('prefills the unit’s key tasks locked and shaded, with real dates, and leaves its own columns open', () => {
    const ws = wb.getWorksheet(KEY_TASKS_SHEET.name)!;
    const tasks = tasksOfUnit(plan, 'project-office');
    expect(tasks.length).toBeGreaterThan(0);
    const first = tasks[0]!;
    expect(ws.getCell('A2').value).toBe(first.task.id);
    expect(ws.getCell('C2').value).toBe(first.role);
    const planned = ws.getCell('F2');
    expect(planned.value).toEqual(new Date(`${first.task.deadline}T00:00:00Z`));
    expect(planned.numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('B2').protection?.locked).not.toBe(false);
    expect((ws.getCell('B2').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFF2F2F2');
    expect(ws.getCell('H2').protection?.locked).toBe(false);
    expect(ws.getCell('H1').protection?.locked).not.toBe(false);
    // Rows the unit adds later inherit the column style.
    expect(ws.getColumn(8).style.protection?.locked).toBe(false);
    expect(ws.getColumn(2).style.protection?.locked).not.toBe(false);
  });

  it('locks the assessors’ cells of 考核评分 for the unit: 考核组评分, 考核组意见, and the 加分/扣分/否决 rows', () => {
    const ws = wb.getWorksheet('考核评分')!;
    const open = (a1: string): boolean => ws.getCell(a1).protection?.locked === false;
    expect(open('G2')).toBe(true); // 自评分 of an ordinary indicator
    expect(open('I2')).toBe(false); // 考核组评分
    expect(open('J2')).toBe(false); // 考核组意见
    expect(open('I600')).toBe(false); // below the table too (column style)
    expect(open('E2')).toBe(false); // 分值
    const assessorRows: number[] = [];
    ws.eachRow((row, r) => {
      if (['加分', '扣分', '否决'].includes(String(row.getCell(6).value))) assessorRows.push(r);
    });
    expect(assessorRows.length).toBeGreaterThanOrEqual(3);
    for (const r of assessorRows) expect([open(`G${r}`), open(`H${r}`)], `row ${r}`).toEqual([false, false]);
    expect(protection(ws)?.sheet).toBe(true);
    expect(protection(ws)?.hashValue).toBeUndefined(); // this plan sets no review password
  });

  it('with the plan’s review password, protects every sheet with it (Excel refuses unprotect without it)', async () => {
    const unit = unitById(plan, 'project-office')!;
    const locked = path.join(dir, '带密码.xlsx');
    await writeUnitWorkbook(unitWorkbookContent(plan, unit, '2011-01-20T08:00:00.000Z', planHash), locked, '考核办2011');
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(locked);
    for (const name of ['单位信息', '考核评分', '效能投诉']) {
      const p = protection(back.getWorksheet(name)!);
      expect(p?.sheet, name).toBe(true);
      expect(p?.algorithmName, name).toBe('SHA-512');
      expect(String(p?.hashValue ?? ''), name).not.toContain('考核办2011');
    }
  });

  it('lays out 单位信息 as 项目/内容 with only the unit’s own fields open', () => {
    const ws = wb.getWorksheet(INFO_SHEET.name)!;
    expect([ws.getCell('A1').value, ws.getCell('B1').value]).toEqual(['项目', '内容']);
    INFO_SHEET.fields.forEach((field, i) => {
      const row = i + 2;
      expect(ws.getCell(`A${row}`).value).toBe(field.label);
      expect(ws.getCell(`B${row}`).protection?.locked !== false, field.label).toBe(field.editor === 'fixed');
    });
    expect(ws.getCell('B2').value).toBe('项目办');
    expect(ws.getCell('B3').value).toBe('机关科室');
    expect(protection(ws)?.sheet).toBe(true);
  });

  it('prints landscape A4, fit to width, repeating the header row', () => {
    const ws = wb.getWorksheet('效能投诉')!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.pageSetup.printTitlesRow).toBe('1:1');
  });

  it('reads back as a Kaohe grid with the guide first', async () => {
    const read = await readWorkbookFile(file);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.grid.sheets['填报说明']?.values[0]?.[0]).toContain('填报说明');
    expect(read.grid.sheets['重点任务']?.values[0]).toEqual(KEY_TASKS_SHEET.columns.map((c) => c.header));
  });
});

describe('non-BMP text through the writer', () => {
  it('keeps a unit name with 𠮷 and a 40,000-character guide unchanged', async () => {
    const unit = { id: 'jiye', name: '𠮷野𩸽科', kind: 'department' as const };
    const content = unitWorkbookContent(plan, unit, '2011-01-20T08:00:00.000Z', planHash);
    const long = '机关效能𠮷𩸽建设，'.repeat(4_500);
    expect(long.length).toBeGreaterThan(40_000);
    content.guide.push([long]);
    const target = path.join(dir, unitWorkbookFileName(0, 1, unit.name));
    expect(path.basename(target)).toBe('01-𠮷野𩸽科.xlsx');
    await writeUnitWorkbook(content, target);
    const read = await readWorkbookFile(target);
    if (!read.ok) throw new Error(read.problem.message);
    expect(read.grid.sheets['单位信息']?.values[1]).toEqual(['单位名称', '𠮷野𩸽科']);
    expect(read.grid.sheets['填报说明']?.values.at(-1)).toEqual([long]);
  });
});

describe('row heights for wrapped text', () => {
  it('gives a line per filled width and stays within Excel’s 409-point limit', () => {
    // 10 CJK characters at 2.1 units each fit a 23-unit column (21.5 usable): one line; 11 do not.
    expect(wrappedRowHeight([{ text: '一二三四五六七八九十', width: 23 }])).toBe(18);
    expect(wrappedRowHeight([{ text: '一二三四五六七八九十一', width: 23 }])).toBe(33);
    expect(wrappedRowHeight([{ text: 'a\nb\nc', width: 50 }])).toBe(48);
    expect(wrappedRowHeight([{ text: '长'.repeat(10_000), width: 30 }])).toBe(409);
  });
});

describe('unit workbook file names', () => {
  it('numbers units in plan order and keeps Chinese names', () => {
    expect(unitWorkbookFileName(0, 17, '办公室')).toBe('01-办公室.xlsx');
    expect(unitWorkbookFileName(99, 120, '805台')).toBe('100-805台.xlsx');
  });

  it('replaces characters no file system accepts and reserved device names', () => {
    expect(safeFileName('市广电/网络:公司*?')).toBe('市广电_网络_公司__');
    expect(safeFileName('  科室. ')).toBe('科室');
    expect(safeFileName('CON')).toBe('CON_');
    expect(safeFileName('a\u0000b\tc')).toBe('a_b_c');
    expect(safeFileName('..')).toBe('未命名');
  });

  it('cuts long names without splitting a surrogate pair', () => {
    const cut = safeFileName('𠮷'.repeat(100));
    expect(cut.length).toBeLessThanOrEqual(80);
    expect(Array.from(cut).every((ch) => ch === '𠮷')).toBe(true);
  });

  it('writes atomically, leaving no temporary file behind', async () => {
    const target = path.join(dir, 'sub', 'a.txt');
    await writeFileAtomic(target, '一');
    await writeFileAtomic(target, '二');
    expect(readdirSync(path.dirname(target))).toEqual(['a.txt']);
  });
});
