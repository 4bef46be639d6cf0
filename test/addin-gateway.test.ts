import { OfficeMockObject } from 'office-addin-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGateway, chunkRows, describeExcelError, officeHost, REQUEST_BUDGET_BYTES } from '../addin/excel/gateway.ts';
import type { LayoutContent } from '../addin/ui/gateway.ts';
import { FakeExcel, REQUEST_LIMIT_BYTES } from './addin-fake.ts';
import { COMPLAINTS_SHEET, INFO_SHEET, SHEETS, TABLE_SHEETS, columnLetter } from '../core/layout.ts';

function complaintRows(n: number): (string | number)[][] {
  return Array.from({ length: n }, (_, i) => [`TS-${i + 1}`, 40600 + (i % 200), '来电', '张三', '窗口办事推诿，要求答复'.repeat(2), '李四', '', 40620, '已答复并整改', '不属实', '']);
}

async function workbookWithComplaints(n: number, fake = new FakeExcel()): Promise<FakeExcel> {
  const gateway = createGateway(fake);
  fake.addSheet(COMPLAINTS_SHEET.name);
  fake.addSheet('_meta');
  const header = COMPLAINTS_SHEET.columns.map((c) => c.header);
  const written = await gateway.writeSheet(COMPLAINTS_SHEET.name, [header, ...complaintRows(n)]);
  expect(written).toEqual({ ok: true, value: undefined });
  return fake;
}

describe('gateway reads', () => {
  it('reads every requested sheet in one sync, for 10 rows as for 5,000 rows', async () => {
    const names = SHEETS.map((s) => s.name);
    for (const n of [10, 5000]) {
      const fake = await workbookWithComplaints(n);
      const before = fake.syncCount;
      const grid = await createGateway(fake).readSheets(names);
      expect(fake.syncCount - before).toBe(1);
      expect(grid.ok).toBe(true);
      if (!grid.ok) return;
      const sheet = grid.value.sheets[COMPLAINTS_SHEET.name]!;
      expect(sheet.values).toHaveLength(n + 1);
      expect(sheet.values[n]![0]).toBe(`TS-${n}`);
      // Empty cells read as null, present sheets only (the layout's others are missing here).
      expect(sheet.values[1]![6]).toBeNull();
      expect(Object.keys(grid.value.sheets).sort()).toEqual([COMPLAINTS_SHEET.name, '_meta'].sort());
      expect(grid.value.sheets['_meta']).toEqual({ values: [], numberFormats: [] });
    }
  });

  it('on a host that refuses to chain off a missing sheet, still reads what exists (one failed try, then two syncs)', async () => {
    const fake = new FakeExcel({ nullChainingThrows: true });
    fake.addSheet('单位信息');
    await fake.userEdit('单位信息', 'A1', [['项目', '内容']]);
    const all = await createGateway(fake).readSheets(['单位信息']);
    expect(all.ok).toBe(true);
    const before = fake.syncCount;
    const grid = await createGateway(fake).readSheets(['单位信息', '_meta']);
    expect(grid).toEqual({ ok: true, value: { sheets: { 单位信息: { values: [['项目', '内容']], numberFormats: [['General', 'General']] } } } });
    expect(fake.syncCount - before).toBe(3);
  });

  it('places a used range that starts below A1 at its real rows and columns', async () => {
    const fake = new FakeExcel();
    const sheet = fake.addSheet('X');
    fake.setCell(sheet, 2, 1, '2011-3-31');
    fake.setCell(sheet, 3, 2, 40633, 'yyyy/m/d');
    fake.setCell(sheet, 3, 3, '#REF!');
    const grid = await createGateway(fake).readSheets(['X']);
    if (!grid.ok) throw new Error(grid.error);
    const x = grid.value.sheets['X']!;
    expect(x.values[2]).toEqual([null, '2011-3-31', null, null]);
    expect(x.values[3]).toEqual([null, null, 40633, { error: '#REF!' }]);
    expect(x.numberFormats?.[3]?.[2]).toBe('yyyy/m/d');
    expect(x.values[0]).toEqual([]);
  });
});

/** Words a Chinese clerk sees on the screen anyway: the product and its keys. */
function withoutProductWords(text: string): string {
  return text.replace(/Excel|Enter|Esc/g, '');
}

describe('gateway writes', () => {
  it('splits a write above the request budget into several requests, each under 5 MB', async () => {
    const fake = new FakeExcel();
    fake.addSheet('大表');
    const row = ['很长的文字'.repeat(200)]; // 1,000 CJK characters ≈ 3 KB in UTF-8
    const rows = Array.from({ length: 3000 }, () => row); // ≈ 9 MB in all
    const before = fake.syncCount;
    const result = await createGateway(fake).writeSheet('大表', rows);
    expect(result.ok).toBe(true);
    const requests = fake.requestBytes.slice(before);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...requests)).toBeLessThan(REQUEST_LIMIT_BYTES);
    expect(fake.cell('大表', 'A3000')).toBe(row[0]);
  });

  it('the fake rejects one request above 5 MB, as Excel on the web does', async () => {
    const fake = new FakeExcel();
    fake.addSheet('大表');
    const big = [['字'.repeat(2_000_000)]];
    await expect(
      fake.run({ delayForCellEdit: true }, async (context) => {
        context.workbook.worksheets.getItem('大表').getRange('A1').values = big;
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: 'RequestPayloadSizeLimitExceeded' });
  });

  it('chunks rows by their UTF-8 size', () => {
    const rows = [['一二三'], ['四五六'], ['七八九']];
    // Each row is ["一二三"] = 13 bytes + 1.
    expect(chunkRows(rows, 28).map((c) => c.length)).toEqual([2, 1]);
    expect(chunkRows(rows, REQUEST_BUDGET_BYTES)).toHaveLength(1);
  });

  it('a write into a protected sheet gives the Chinese message, not a crash', async () => {
    const fake = new FakeExcel();
    fake.addSheet('单位信息').protected = true;
    const result = await createGateway(fake).writeSheet('单位信息', [['x']], 'B2');
    expect(result).toEqual({ ok: false, error: expect.stringContaining('工作表已保护，请先撤销保护'), host: true });
    expect(fake.cell('单位信息', 'B2')).toBeNull();
  });

  it('in cell-edit mode on an old host the batch fails with the Chinese message', async () => {
    const fake = new FakeExcel({ apiMinor: 7, delayForCellEdit: false });
    fake.cellEditMode = true;
    const result = await createGateway(fake).readSheets(['Sheet1']);
    expect(result).toEqual({ ok: false, error: '请先完成单元格编辑（按 Enter 或 Esc）后再试。', host: true });
  });

  it('in cell-edit mode on a newer host the batch waits until the edit ends', async () => {
    const fake = new FakeExcel({ delayForCellEdit: true });
    fake.cellEditMode = true;
    const pending = createGateway(fake).readSheets(['Sheet1']);
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    fake.endCellEdit();
    expect((await pending).ok).toBe(true);
  });

  it('its own writes raise no changed event on ExcelApi 1.8, while a user edit does', async () => {
    const fake = new FakeExcel({ apiMinor: 8 });
    fake.addSheet('单位信息');
    const gateway = createGateway(fake);
    const seen: string[] = [];
    expect((await gateway.onChanged(['单位信息'], (c) => seen.push(c.address))).ok).toBe(true);
    await gateway.writeSheet('单位信息', [['张三']], 'B4');
    expect(seen).toEqual([]);
    expect(fake.enableEvents).toBe(true);
    await fake.userEdit('单位信息', 'B5', [['李四']]);
    expect(seen).toEqual(['B5']);
  });

  describe('on ExcelApi 1.7, where events cannot be switched off', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('ignores the echo of its own write, then hears the user again', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2011-03-01T09:00:00Z'));
      const fake = new FakeExcel({ apiMinor: 7 });
      fake.addSheet('单位信息');
      const gateway = createGateway(fake);
      const seen: string[] = [];
      await gateway.onChanged(['单位信息'], (c) => seen.push(c.address));
      await gateway.writeSheet('单位信息', [['张三']], 'B4');
      await fake.userEdit('单位信息', 'B4', [['张三']]); // still inside the quiet window
      expect(seen).toEqual([]);
      vi.setSystemTime(new Date('2011-03-01T09:00:02Z'));
      await fake.userEdit('单位信息', 'B5', [['李四']]);
      expect(seen).toEqual(['B5']);
    });
  });

  describe('requirement sets as office.js enforces them', () => {
    it('the fake refuses the 1.9 workbook-wide change event on a 1.7 host, synchronously, with ApiNotFound', async () => {
      const fake = new FakeExcel({ apiMinor: 7 });
      await expect(fake.run({ delayForCellEdit: false }, async (context) => context.workbook.worksheets.onChanged)).rejects.toMatchObject({
        code: 'ApiNotFound',
        message: expect.stringContaining('ExcelApi 1.9'),
      });
      // Worksheet.onChanged is ExcelApi 1.7, password protection 1.7, data validation 1.8, enableEvents 1.8.
      await expect(fake.run({ delayForCellEdit: false }, async (c) => c.workbook.worksheets.getItem('Sheet1').onChanged)).resolves.toBeDefined();
      await expect(fake.run({ delayForCellEdit: false }, async (c) => c.workbook.worksheets.getItem('Sheet1').getRange('A1').dataValidation)).rejects.toMatchObject({ code: 'ApiNotFound' });
      await expect(fake.run({ delayForCellEdit: false }, async (c) => { c.runtime.enableEvents = false; })).rejects.toMatchObject({ code: 'ApiNotFound' });
      const old = new FakeExcel({ apiMinor: 6 });
      await expect(old.run({ delayForCellEdit: false }, async (c) => c.workbook.worksheets.getItem('Sheet1').protection.unprotect('x'))).rejects.toMatchObject({ code: 'ApiNotFound' });
      await expect(old.run({ delayForCellEdit: false }, async (c) => c.workbook.worksheets.getItem('Sheet1').freezePanes)).rejects.toMatchObject({ code: 'ApiNotFound' });
    });

    it('the fake reads nothing but isNullObject before load and sync', async () => {
      const fake = new FakeExcel();
      await fake.run({ delayForCellEdit: false }, async (context) => {
        const sheet = context.workbook.worksheets.getItem('Sheet1');
        expect(() => sheet.name).toThrow(/not available/);
        sheet.load('visibility');
        await context.sync();
        expect(sheet.visibility).toBe('Visible');
        expect(() => sheet.name).toThrow(/not available/);
        const used = sheet.getUsedRangeOrNullObject();
        expect(() => used.values).toThrow(/not available/);
      });
    });

    it('on ExcelApi 1.7 hears a typed cell through per-sheet events, including sheets laid out later', async () => {
      const fake = new FakeExcel({ apiMinor: 7 });
      fake.addSheet('单位信息');
      const gateway = createGateway(fake);
      const seen: string[] = [];
      expect(await gateway.onChanged(['单位信息', '效能投诉'], (c) => seen.push(c.address))).toEqual({ ok: true, value: undefined });
      expect(fake.listeners).toHaveLength(0);
      await fake.userEdit('单位信息', 'B7', [['2011-13-45']]);
      expect(seen).toEqual(['B7']);
      fake.addSheet('效能投诉');
      await fake.userEdit('效能投诉', 'B2', [['x']]);
      expect(seen).toEqual(['B7']); // not yet watched: made behind the pane's back
    });

    it('on ExcelApi 1.9 subscribes once, workbook-wide', async () => {
      const fake = new FakeExcel({ apiMinor: 9 });
      const gateway = createGateway(fake);
      const seen: string[] = [];
      expect((await gateway.onChanged(['单位信息'], (c) => seen.push(c.address))).ok).toBe(true);
      expect(fake.listeners).toHaveLength(1);
      fake.addSheet('单位信息');
      await fake.userEdit('单位信息', 'B3', [['张三']]);
      expect(seen).toEqual(['B3']);
    });
  });

  it('an unrelated InvalidOperation is not mistaken for cell-edit mode', () => {
    expect(describeExcelError({ code: 'InvalidOperation', message: 'A workbook must contain at least one visible worksheet.' })).toBe(
      'Excel 未能完成这项操作，请点击“重试”。如果一再出现，请保存并关闭工作簿，重新打开后再试。',
    );
  });

  it('no English from Office.js reaches the filler, whatever the code', () => {
    const codes = ['AccessDenied', 'ApiNotFound', 'GeneralException', 'InvalidArgument', 'ItemNotFound', 'RequestAborted', 'Unknown', ''];
    for (const code of codes) {
      const text = describeExcelError({ code, message: 'The operation failed because of Something.' });
      expect(withoutProductWords(text), code).not.toMatch(/[A-Za-z]{3,}/);
    }
    expect(withoutProductWords(describeExcelError(new TypeError("Cannot read properties of undefined (reading 'x')")))).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('selects a cell on its sheet', async () => {
    const fake = new FakeExcel();
    fake.addSheet('效能投诉');
    expect((await createGateway(fake).selectCell('效能投诉', 'C7')).ok).toBe(true);
    expect(fake.selection).toEqual({ sheet: '效能投诉', address: 'C7' });
    expect(fake.activeSheet).toBe('效能投诉');
  });
});

function layoutContent(): LayoutContent {
  return {
    guide: [['填报说明'], ['第一阶段：学习动员']],
    sheets: SHEETS.filter((s) => s.kind !== 'plain' || s.key === 'guide').map((sheet) => ({
      sheet,
      rows:
        sheet.kind === 'table'
          ? [sheet.columns.map((c) => c.header)]
          : sheet.kind === 'form'
            ? [[...sheet.headers], ...sheet.fields.map((f) => [f.label, f.key === 'unitName' ? '办公室' : null])]
            : [],
    })),
    meta: { sheetName: '_meta', rows: [['templateVersion', '1'], ['unitId', 'office'], ['submittedAt', null]] },
  };
}

describe('gateway lays out a new workbook', () => {
  it('writes every sheet of the layout, hides _meta, freezes headers and adds dropdowns on ExcelApi 1.8', async () => {
    const fake = new FakeExcel({ apiMinor: 8 });
    const result = await createGateway(fake).createWorkbookLayout(layoutContent());
    expect(result.ok).toBe(true);
    expect(fake.sheets.map((s) => s.name)).toEqual(SHEETS.map((s) => s.name));
    expect(fake.sheet('_meta')?.visibility).toBe('VeryHidden');
    expect(fake.cell('_meta', 'B1')).toBe('1');
    expect(fake.sheet('_meta')?.cells.get('0,1')?.numberFormat).toBe('@');
    for (const table of TABLE_SHEETS) {
      expect(fake.cell(table.name, 'A1')).toBe(table.columns[0]!.header);
      expect(fake.sheet(table.name)?.frozenRows).toBe(1);
    }
    expect(fake.cell(INFO_SHEET.name, 'B2')).toBe('办公室');
    const channel = COMPLAINTS_SHEET.columns.findIndex((c) => c.key === 'channel');
    expect(fake.sheet(COMPLAINTS_SHEET.name)?.validations.get(`C2:C500`)).toMatchObject({
      rule: { list: { inCellDropDown: true, source: COMPLAINTS_SHEET.columns[channel]!.list!.join(',') } },
      errorAlert: { showAlert: true, style: 'Stop', title: '请从下拉列表中选择' },
    });
    expect(fake.sheet(INFO_SHEET.name)?.validations.get('B3')).toBeDefined();
    // Protected like the CLI's workbooks: fixed cells locked and grey, the unit's columns open.
    expect(fake.sheets.filter((s) => s.protected).map((s) => s.name)).toEqual([INFO_SHEET.name, ...TABLE_SHEETS.map((t) => t.name)]);
    expect(fake.sheet(INFO_SHEET.name)?.formats.get('B4')).toEqual({ 'protection.locked': false });
    expect(fake.sheet(INFO_SHEET.name)?.formats.get('B2')).toEqual({ 'fill.color': '#F2F2F2' });
    const matter = columnLetter(COMPLAINTS_SHEET.columns.findIndex((c) => c.key === 'matter'));
    expect(fake.sheet(COMPLAINTS_SHEET.name)?.formats.get(`${matter}2:${matter}1048576`)).toEqual({ 'protection.locked': false });
    expect(fake.sheet(COMPLAINTS_SHEET.name)?.protectionOptions?.allowInsertRows).toBe(true);
    expect(fake.activeSheet).toBe('填报说明');
  });

  it('removes an empty default sheet but never one that holds data', async () => {
    const fake = new FakeExcel();
    fake.addSheet('草稿');
    await fake.userEdit('草稿', 'C3', [['别删我']]);
    expect((await createGateway(fake).createWorkbookLayout(layoutContent())).ok).toBe(true);
    expect(fake.sheet('Sheet1')).toBeUndefined();
    expect(fake.cell('草稿', 'C3')).toBe('别删我');
  });

  it('refuses to lay out over a sheet that already has one of the layout names', async () => {
    const fake = new FakeExcel();
    fake.addSheet('问题清单');
    await fake.userEdit('问题清单', 'A1', [['自己的表']]);
    const result = await createGateway(fake).createWorkbookLayout(layoutContent());
    expect(result).toEqual({ ok: false, error: expect.stringContaining('已有名为“问题清单”的工作表') });
    expect(fake.sheets.map((s) => s.name)).toEqual(['Sheet1', '问题清单']);
    expect(fake.cell('问题清单', 'A1')).toBe('自己的表');
  });

  it('on ExcelApi 1.7 lays out the workbook without dropdowns and says so, and watches the new sheets', async () => {
    const fake = new FakeExcel({ apiMinor: 7 });
    const gateway = createGateway(fake);
    const seen: string[] = [];
    await gateway.onChanged([COMPLAINTS_SHEET.name], (c) => seen.push(c.address));
    const result = await gateway.createWorkbookLayout(layoutContent());
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5000); // past the quiet window after its own writes
    await fake.userEdit(COMPLAINTS_SHEET.name, 'B2', [['2011-13-45']]);
    vi.useRealTimers();
    expect(seen).toEqual(['B2']);
    expect(result).toEqual({ ok: true, value: { sheetsWritten: expect.any(Array), dropdowns: false } });
    expect(fake.sheets.every((s) => s.validations.size === 0)).toBe(true);
    expect(fake.sheets.map((s) => s.name)).toEqual(SHEETS.map((s) => s.name));
  });
});

describe('office host', () => {
  it('asks Office.js for requirement sets', () => {
    const office = new OfficeMockObject({
      context: { requirements: { isSetSupported: (set: string, version: string) => set === 'ExcelApi' && version === '1.7' } },
    }) as unknown as typeof Office;
    const host = officeHost(office, new FakeExcel() as unknown as typeof Excel);
    expect(host.isSetSupported('ExcelApi', '1.7')).toBe(true);
    expect(createGateway(host).capabilities).toEqual({ dataValidation: false, eventsControl: false });
  });
});
