// The fast reader must hand the core exactly what the exceljs reference reader hands it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readDate } from '../core/cells.ts';
import type { RawValue, WorkbookGrid } from '../core/types.ts';
import { readXlsxGrid, tryReadXlsx } from '../generator/xlsx/fast-read.ts';
import { gridFromWorkbook } from '../generator/xlsx/grid.ts';
import { zipSync } from 'fflate';
import { unitWorkbookContent } from '../core/blank.ts';
import { contentHash } from '../core/hash.ts';
import { parseWorkbook } from '../core/parse.ts';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { fillUnitWorkbook } from '../generator/xlsx/workbook-fill.ts';
import { buildUnitWorkbook } from '../generator/xlsx/unit-workbook.ts';
import { handXlsx, handXlsxParts, lieAboutSize } from './corpus/xlsx-parts.ts';

const TMP = path.resolve('test/tmp/fast-read');
mkdirSync(TMP, { recursive: true });

async function exceljsGrid(bytes: Uint8Array): Promise<WorkbookGrid> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return gridFromWorkbook(wb);
}

/** Trailing empty cells and rows carry no data; both readers may stop at different widths. */
/** The fast reader stores cells sparsely (a hole is an empty cell); exceljs pads with null. */
function dense(values: readonly (readonly RawValue[] | undefined)[]): RawValue[][] {
  return Array.from(values, (row: readonly RawValue[] | undefined) => Array.from(row ?? [], (v: RawValue | undefined) => v ?? null));
}

function comparable(grid: WorkbookGrid): Record<string, RawValue[][]> {
  const out: Record<string, RawValue[][]> = {};
  for (const [name, sheet] of Object.entries(grid.sheets)) {
    const rows = dense(sheet.values).map((cells) => {
      while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
      return cells;
    });
    while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
    out[name] = rows;
  }
  return out;
}

/** Number formats of the cells that hold a value (formats on empty cells change nothing). */
function valueFormats(grid: WorkbookGrid): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, sheet] of Object.entries(grid.sheets)) {
    out[name] = [];
    sheet.values.forEach((row, r) =>
      row.forEach((v, c) => {
        const f = sheet.numberFormats?.[r]?.[c];
        if (v !== null && f && f !== 'General') out[name]!.push(`${r},${c}:${f}`);
      }),
    );
  }
  return out;
}

async function expectSameAsExceljs(bytes: Uint8Array): Promise<WorkbookGrid> {
  const reference = await exceljsGrid(bytes);
  const fast = readXlsxGrid(bytes);
  expect(comparable(fast)).toEqual(comparable(reference));
  expect(valueFormats(fast)).toEqual(valueFormats(reference));
  expect(fast.date1904 === true).toBe(reference.date1904 === true);
  return fast;
}

const LONG = '长'.repeat(40_000);
const NON_BMP = '𠀀𪚥𝄞😀 单位';

/** Every kind of value a filled workbook can hold, as exceljs writes it. */
async function messyWorkbook(date1904: boolean): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.properties.date1904 = date1904;
  const ws = wb.addWorksheet('效能投诉');
  ws.addRow(['受理编号', '受理日期', '金额', '说明']);
  ws.addRow(['TS-001', new Date(Date.UTC(2011, 2, 31)), 85, '正常文本']);
  ws.addRow(['TS-002', '2011.3.31', '８５分', { richText: [{ text: '富', font: { bold: true } }, { text: '文本' }] }]);
  ws.addRow(['TS-003', 40633, true, { text: '链接文字', hyperlink: 'http://example.com' }]);
  ws.addRow(['TS-004', { formula: 'B2+1', result: new Date(Date.UTC(2011, 3, 1)) }, { formula: '1/0', result: { error: '#DIV/0!' } }, { formula: 'A2&"x"', result: 'TS-001x' }]);
  ws.addRow(['TS-005', { error: '#REF!' }, { formula: 'C2*2', result: 170 }, "=cmd|' /C calc'!A0"]);
  ws.addRow(['TS-006', null, 0.5, '<w:t>x</w:t> {{unit.name}} & "quoted"']);
  ws.addRow(['TS-007', '2011年3月31日', -1.25e-7, NON_BMP]);
  ws.addRow(['TS-008', null, null, LONG]);
  ws.addRow(['TS-009', ' 前后空格 ', '', 'line1\nline2\r\nline3\ttab']);
  ws.getCell('B2').numFmt = 'yyyy-mm-dd';
  ws.getCell('B4').numFmt = 'yyyy"年"m"月"d"日"';
  ws.getCell('C7').numFmt = '0.0%';
  ws.getCell('C4').numFmt = '0.00';
  ws.getCell('E12').value = 'far away';
  ws.getRow(15).getCell(2).numFmt = 'yyyy-mm-dd';
  const merged = wb.addWorksheet('问题清单');
  merged.addRow(['序号', '问题描述']);
  merged.getCell('A2').value = '合并的值';
  merged.mergeCells('A2:B3');
  merged.getCell('A4').value = 4;
  const meta = wb.addWorksheet('_meta', { state: 'veryHidden' });
  meta.addRow(['templateVersion', '1']);
  meta.addRow(['createdAt', '2011-01-20T08:00:00.000Z']);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

describe('fast reader agrees with the exceljs reader', () => {
  it('on a workbook holding every kind of value', async () => {
    const grid = await expectSameAsExceljs(await messyWorkbook(false));
    const rows = grid.sheets['效能投诉']!.values;
    expect(rows[1]![1]).toBe(40633);
    expect(rows[4]![1]).toBe(40634);
    expect(rows[2]![3]).toBe('富文本');
    expect(rows[3]![3]).toBe('链接文字');
    expect(rows[5]![1]).toEqual({ error: '#REF!' });
    expect(rows[5]![3]).toBe("=cmd|' /C calc'!A0");
    expect(rows[7]![3]).toBe(NON_BMP);
    expect((rows[8]![3] as string).length).toBe(40_000);
    expect(grid.sheets['问题清单']!.values[2]?.[0] ?? null).toBeNull();
  });

  it('on a 1904-date workbook, dates landing on the same day', async () => {
    const grid = await expectSameAsExceljs(await messyWorkbook(true));
    expect(grid.date1904).toBe(true);
    expect(grid.sheets['效能投诉']!.values[1]![1]).toBe(40633 - 1462);
    expect(readDate(grid.sheets['效能投诉']!.values[1]![1]!, null, true)).toEqual({ ok: true, value: '2011-03-31' });
  });

  it('on a copy saved by LibreOffice', async () => {
    const source = path.join(TMP, 'messy.xlsx');
    writeFileSync(source, await messyWorkbook(false));
    const outDir = path.join(TMP, 'lo');
    execFileSync('soffice', ['--headless', '--convert-to', 'xlsx', '--outdir', outDir, source], { stdio: 'ignore', timeout: 120_000 });
    const saved = readFileSync(path.join(outDir, 'messy.xlsx'));
    const grid = await expectSameAsExceljs(saved);
    expect(grid.sheets['效能投诉']!.values[2]![3]).toBe('富文本');
  }, 180_000);

  it('on hand-written XML: inline strings, phonetic runs, _x000D_ escapes, shared formulas', async () => {
    const bytes = handXlsx({
      sharedStrings:
        '<si><t>普通</t></si>' +
        '<si><r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve">文本 </t></r><rPh sb="0" eb="1"><t>フ</t></rPh></si>' +
        '<si><t>第一行_x000D_\n第二行</t></si>' +
        '<si><t>literal _x005F_x000D_ kept</t></si>',
      numFmts: '<numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/>',
      cellXfs: [0, 14, 176, 10],
      sheets: [
        {
          name: '重点任务',
          rows:
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>' +
            '<row r="2"><c r="A2" t="inlineStr"><is><t>行内</t></is></c><c r="B2" t="inlineStr"><is><r><t>行</t></r><r><t>内富</t></r></is></c><c r="C2" s="1"><v>40633</v></c><c r="D2" s="2"><v>40634.5</v></c></row>' +
            '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#N/A</v></c><c r="C3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="D3" s="3"><f>1/4</f><v>0.25</v></c></row>' +
            '<row r="5"><c r="B5" t="b"><f>TRUE()</f><v>1</v></c><c r="C5" t="e"><f>#REF!+1</f><v>#REF!</v></c><c r="D5"><f t="shared" ref="D5:D6" si="0">A5+1</f><v>1</v></c></row>' +
            '<row r="6"><c r="D6"><f t="shared" si="0"/><v>2</v></c><c r="E6"><v></v></c><c r="F6" s="1"/></row>',
        },
      ],
    });
    const grid = await expectSameAsExceljs(bytes);
    const rows = grid.sheets['重点任务']!.values;
    expect(rows[0]!.slice(0, 4)).toEqual(['普通', '富文本 ', '第一行\r\n第二行', 'literal _x000D_ kept']);
    expect(rows[1]!.slice(0, 2)).toEqual(['行内', '行内富']);
    expect(rows[2]!.slice(0, 4)).toEqual([true, { error: '#N/A' }, 'ab', 0.25]);
    expect(rows[4]!.slice(1, 4)).toEqual([true, { error: '#REF!' }, 1]);
  });

  // The one place the readers differ on purpose: exceljs knows no format for the zh-CN built-in
  // ids (27–36, 50–58), so a date styled 31 (yyyy"年"m"月"d"日") comes back without its format.
  it('knows zh-CN built-in date formats, where exceljs has none; the core reads both alike', async () => {
    const bytes = handXlsx({ cellXfs: [0, 31], sheets: [{ name: 'S', rows: '<row r="1"><c r="A1" s="1"><v>40633</v></c></row>' }] });
    const fast = readXlsxGrid(bytes).sheets.S!;
    const reference = (await exceljsGrid(bytes)).sheets.S!;
    expect(fast.values[0]![0]).toBe(40633);
    expect(reference.values[0]![0]).toBe(40633);
    expect(fast.numberFormats?.[0]?.[0]).toBe('yyyy"年"m"月"d"日"');
    expect(reference.numberFormats?.[0]?.[0]).toBeNull();
    expect(readDate(fast.values[0]![0]!, fast.numberFormats?.[0]?.[0])).toEqual(readDate(reference.values[0]![0]!, reference.numberFormats?.[0]?.[0]));
  });

  // exceljs cannot open these two (it needs `r` on every cell and the default namespace), so
  // here the fast reader is held to hand-computed values instead.
  it('places cells without an r attribute after their left neighbour', () => {
    const bytes = handXlsx({
      sheets: [{ name: 'S', rows: '<row><c t="inlineStr"><is><t>甲</t></is></c><c><v>2</v></c></row><row><c r="C2"><v>3</v></c><c><v>4</v></c></row>' }],
    });
    expect(dense(readXlsxGrid(bytes).sheets.S!.values)).toEqual([
      ['甲', 2],
      [null, null, 3, 4],
    ]);
  });

  // exceljs reads t="d" text with parseFloat ("2011-03-31" → 2011), so here too the values are hand-computed.
  it('reads t="d" ISO dates as the serial Excel makes of them, and anything else there as text', () => {
    const rows =
      '<row r="1"><c r="A1" t="d"><v>2011-03-31</v></c><c r="B1" t="d"><v>2011-03-31T12:00:00Z</v></c><c r="C1" t="d"><v>2011-03-31T12:00</v></c>' +
      '<c r="D1" t="d"><v>2011-03-31T20:00:00+08:00</v></c><c r="E1" t="d"><v>垃圾</v></c><c r="F1" t="d"><v>2011-02-30</v></c></row>';
    expect(dense(readXlsxGrid(handXlsx({ sheets: [{ name: 'S', rows }] })).sheets.S!.values)).toEqual([[40633, 40633.5, 40633.5, 40633.5, '垃圾', '2011-02-30']]);
    const in1904 = readXlsxGrid(handXlsx({ date1904: true, sheets: [{ name: 'S', rows }] }));
    expect(in1904.sheets.S!.values[0]![0]).toBe(40633 - 1462);
  });

  it('reuses a styles, workbook or rels part read before only for the same bytes: reads alternating workbooks as each read alone', () => {
    const rows = '<row r="1"><c r="A1" s="1"><v>40633</v></c><c r="B1" s="2"><v>0.5</v></c></row>';
    const a = handXlsx({ cellXfs: [0, 31, 10], sheets: [{ name: 'S', rows }] });
    const b = handXlsx({ cellXfs: [0, 10, 31], date1904: true, sheets: [{ name: 'T', rows }, { name: 'S', rows }] });
    const alone = (bytes: Uint8Array) => JSON.stringify(readXlsxGrid(bytes));
    const [ga, gb] = [alone(a), alone(b)];
    expect(ga).not.toBe(gb);
    for (const [bytes, expected] of [[a, ga], [b, gb], [b, gb], [a, ga], [b, gb]] as const) expect(alone(bytes)).toBe(expected);
    expect(readXlsxGrid(a).sheets.S!.numberFormats?.[0]).toEqual(['yyyy"年"m"月"d"日"', '0.00%']);
    // The same workbook with its workbook part damaged, read right after the sound one: refused, not taken from the last read.
    const at = Buffer.from(a).indexOf('xl/workbook.xml') + 'xl/workbook.xml'.length;
    const damaged = a.slice();
    damaged.fill(0xff, at, at + 40);
    const read = tryReadXlsx(damaged);
    expect(read.ok ? 'ok' : read.failure.kind).toBe('corrupt');
  });

  it('reads a main-namespace prefix (x:c) as written by some generators', () => {
    const parts = handXlsxParts({ sheets: [{ name: 'S', rows: '' }], sharedStrings: '<si><t>值</t></si>' });
    parts['xl/worksheets/sheet1.xml'] = new TextEncoder().encode(
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="B1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>',
    );
    expect(dense(readXlsxGrid(zipSync(parts)).sheets.S!.values)).toEqual([[null, '值']]);
  });
});

/** What the core makes of a grid: the Submission and the located problems. */
function parsed(grid: WorkbookGrid): unknown {
  const { submission, problems } = parseWorkbook(grid, 'x.xlsx');
  return { submission, problems };
}

describe('fast reader gives the core the same Submission as the exceljs reader', () => {
  it('on every workbook of the demo year', async () => {
    const loaded = await loadPlanFile();
    if (!loaded.ok) throw new Error('default plan does not load');
    const dir = path.join(TMP, 'demo');
    const { files } = await writeDemoWorkbooks(loaded.plan, loaded.hash, dir);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = readFileSync(file);
      const fast = readXlsxGrid(bytes);
      expect(parsed(fast), path.basename(file)).toEqual(parsed(await exceljsGrid(bytes)));
      expect(comparable(fast)).toEqual(comparable(await exceljsGrid(bytes)));
      expect(contentHash(fast)).toBe(contentHash(await exceljsGrid(bytes)));
    }
  }, 120_000);

  it('on a unit workbook filled with input as people type it', async () => {
    const loaded = await loadPlanFile();
    if (!loaded.ok) throw new Error('default plan does not load');
    const unit = loaded.plan.units[0]!;
    const wb = buildUnitWorkbook(unitWorkbookContent(loaded.plan, unit, '2011-01-20T01:00:00.000Z', loaded.hash));
    fillUnitWorkbook(wb, {
      info: { head: '张三', filler: '李四', phone: '０７７１－１２３４５６７', planHandedIn: '2011.2.25', standardHandedIn: '2011年2月28日', mobilisationMeeting: '2011-02-10', studySessions: '１２次', participants: '45人', reports: 3 },
      keyTasks: {},
      scores: {},
      complaints: [
        { id: 'TS-1', received: '2011-03-01', channel: '来电', matter: '办事拖拉 & <慢>', handler: '王五', dueBy: null, replied: '2011/3/5', verification: '查实', measures: '=cmd|\' /C calc\'!A0' },
        { id: 'TS-2', received: '2011-13-45', channel: '网络', matter: NON_BMP, handler: '赵六', verification: '不存在的结论' },
      ],
      problems: [{ source: '群众提', description: '窗口排队\u0007时间长', measures: '{{增设窗口}}', owner: '钱七', status: '已整改', dueBy: '40633' }],
      rules: [{ name: '首问负责制', category: '首问负责制', action: '新建', done: '2011-04-01' }],
      nominations: [{ category: '先进个人', nominee: '孙八', unitAndPost: '办公室主任', deeds: LONG }],
    });
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const fast = readXlsxGrid(bytes);
    const reference = await exceljsGrid(bytes);
    expect(parsed(fast)).toEqual(parsed(reference));
    expect(comparable(fast)).toEqual(comparable(reference));
    expect((parsed(fast) as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
  });
});

describe('fast reader reads only what it is asked for', () => {
  it('returns only the requested sheets but lists every sheet name', async () => {
    const read = tryReadXlsx(await messyWorkbook(false), { sheets: ['_meta'] });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(Object.keys(read.grid.sheets)).toEqual(['_meta']);
    expect(read.sheetNames).toEqual(['效能投诉', '问题清单', '_meta']);
  });
});

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

describe('fast reader refuses zip bombs', () => {
  const zeros = (n: number): string => `<row r="1"><c r="A1" t="inlineStr"><is><t>${' '.repeat(n)}</t></is></c></row>`;

  it('refuses from the directory when declared sizes exceed the cap, without inflating', () => {
    const bytes = handXlsx({ sheets: [{ name: 'S', rows: zeros(2_000_000) }] });
    const started = process.cpuUsage();
    const read = tryReadXlsx(bytes, { maxInflatedBytes: 1_000_000 });
    expect(read.ok ? 'ok' : read.failure.kind).toBe('bomb');
    expect(cpuMs(started)).toBeLessThan(200);
  });

  it('refuses an entry whose declared size lies, under the default cap', () => {
    const parts = handXlsxParts({ sheets: [{ name: 'S', rows: '' }] });
    // 50 MB of zeros compresses to about 50 KB; the directory claims 1 KB.
    const bomb = new Uint8Array(50 * 1024 * 1024);
    const zip = zipSync({ ...parts, 'xl/worksheets/sheet1.xml': [bomb, { level: 9 }] });
    const lying = lieAboutSize(zip, 'xl/worksheets/sheet1.xml', 1024);
    expect(lying.length).toBeLessThan(200_000);
    const started = process.cpuUsage();
    const read = tryReadXlsx(lying);
    expect(read.ok ? 'ok' : read.failure.kind).toBe('bomb');
    // CPU time: wall time on a shared machine measures the neighbours (≈0.5 s CPU here).
    expect(cpuMs(started)).toBeLessThan(1500);
  });

  it('stays within the budget summed over parts', () => {
    expect(deflateSync(new Uint8Array(10)).length).toBeGreaterThan(0);
    const bytes = handXlsx({ sheets: [{ name: 'A', rows: zeros(600_000) }, { name: 'B', rows: zeros(600_000) }] });
    const read = tryReadXlsx(bytes, { maxInflatedBytes: 1_000_000 });
    expect(read.ok ? 'ok' : read.failure.kind).toBe('bomb');
    expect(tryReadXlsx(bytes, { maxInflatedBytes: 1_000_000, sheets: ['A'] }).ok).toBe(true);
  });
});

describe('fast reader tells broken files apart', () => {
  it('not a zip, truncated zip, zip without a workbook', async () => {
    const good = await messyWorkbook(false);
    const kind = (b: Uint8Array): string => {
      const r = tryReadXlsx(b);
      return r.ok ? 'ok' : r.failure.kind;
    };
    expect(kind(new TextEncoder().encode('hello, not a workbook'))).toBe('notZip');
    expect(kind(good.subarray(0, Math.floor(good.length / 2)))).toBe('truncated');
    expect(kind(zipSync({ 'word/document.xml': new TextEncoder().encode('<w:document/>') }))).toBe('noWorkbook');
    // Overwrite the compressed bytes of the workbook part, which every read needs.
    const zip = zipSync(handXlsxParts({ sheets: [{ name: 'S', rows: '' }] }));
    const at = Buffer.from(zip).indexOf('xl/workbook.xml') + 'xl/workbook.xml'.length;
    const damaged = zip.slice();
    damaged.fill(0xff, at, at + 40);
    expect(kind(damaged)).toBe('corrupt');
  });

  it('refuses sheet XML that is not well-formed, reads references and odd spacing in well-formed XML', () => {
    const sheet = (rows: string): string => {
      const r = tryReadXlsx(handXlsx({ sharedStrings: '<si><t>值</t></si>', sheets: [{ name: 'S', rows }] }));
      return r.ok ? JSON.stringify(r.grid.sheets.S!.values) : r.failure.kind;
    };
    expect(sheet('<row r="1"><c r="A1"><v>1</v></row>')).toBe('corrupt');
    expect(sheet('<row r="1"><c r="A1"><v>1</v></c>')).toBe('corrupt');
    expect(sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>a&nbsp;b</t></is></c></row>')).toBe('corrupt');
    expect(sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>a\u0001b</t></is></c></row>')).toBe('corrupt');
    expect(sheet('<row r="1"><c r="A1"t="s"><v>0</v></c></row>')).toBe('corrupt');
    expect(sheet('<row r="1"><c r="A1" r="B1"><v>0</v></c></row>')).toBe('corrupt');
    expect(sheet('<row r="1"><c r="A<1"><v>0</v></c></row>')).toBe('corrupt');
    expect(sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')).toBe('[["值"]]');
    expect(
      sheet(
        "<row r = '1' ><c r='B1' t='inlineStr' ><is><t>&lt;&#x4E00;&#19968;&amp;\r\n<![CDATA[<x>]]></t></is></c><!-- note --><c r=\"C1\"\n s=\"0\"/></row >",
      ),
    ).toBe(JSON.stringify([[null, '<一一&\n<x>']]));
  });

  it('never throws from tryReadXlsx, even on random bytes behind a PK signature', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const bytes = new Uint8Array(2000).map((_, i) => (i * 7919 * seed + seed) % 251);
      bytes[0] = 0x50;
      bytes[1] = 0x4b;
      expect(() => tryReadXlsx(bytes)).not.toThrow();
    }
    expect(existsSync(TMP)).toBe(true);
  });
});
