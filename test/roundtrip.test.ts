// Written with exceljs, read back through test/helpers/xlsx-read.ts: every cell shape people produce,
// long non-BMP text, and every kind of unusable file.
import ExcelJS from 'exceljs';
import { zipSync, strToU8 } from 'fflate';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWorkbookFile } from './helpers/xlsx-read.ts';
import type { ReadResult } from './helpers/xlsx-read.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function save(wb: ExcelJS.Workbook, name: string): Promise<string> {
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

function grid(result: ReadResult) {
  if (!result.ok) throw new Error(result.problem.message);
  return result.grid;
}

describe('reading cell values', () => {
  it('flattens rich text, formulas, hyperlinks, merges and dates to plain values', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('重点任务');
    ws.getCell('A1').value = { richText: [{ text: '完成', font: { bold: true } }, { text: '进度' }] };
    ws.getCell('B1').value = { formula: '40+45', result: 85 };
    ws.getCell('C1').value = { formula: 'Sheet9!A1', result: { error: '#REF!' } };
    ws.getCell('D1').value = { text: '佐证材料', hyperlink: 'https://example.org/a' };
    ws.getCell('E1').value = new Date(Date.UTC(2011, 2, 31));
    ws.getCell('E1').numFmt = 'yyyy-mm-dd';
    ws.getCell('A2').value = { formula: 'B1*2', result: 170, shareType: 'shared', ref: 'A2:A3' } as ExcelJS.CellValue;
    ws.getCell('A3').value = { sharedFormula: 'A2', result: 171 } as ExcelJS.CellValue;
    ws.getCell('B4').value = '合并的内容';
    ws.mergeCells('B4:D5');
    ws.getCell('F1').value = true;
    // Trailing rows that were formatted but never filled.
    for (let r = 6; r <= 40; r++) ws.getCell(`A${r}`).border = { top: { style: 'thin' } };
    const g = grid(await readWorkbookFile(await save(wb, 'cells.xlsx')));
    const values = g.sheets['重点任务']!.values;
    expect(values[0]).toEqual(['完成进度', 85, { error: '#REF!' }, '佐证材料', 40633, true]);
    expect(values[1]![0]).toBe(170);
    expect(values[2]![0]).toBe(171);
    expect(values[3]!.slice(1, 4)).toEqual(['合并的内容', null, null]);
    expect(values[4]!.slice(1, 4)).toEqual([null, null, null]);
    expect(g.sheets['重点任务']!.numberFormats![0]![4]).toBe('yyyy-mm-dd');
    // Every row has the same width, so consumers can index without holes.
    expect(new Set(values.map((r) => r.length))).toEqual(new Set([6]));
    expect(values.slice(5).flat().every((v) => v === null)).toBe(true);
    expect(g.date1904).toBe(false);
  });

  it('reports the 1904 date system', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    wb.addWorksheet('单位信息').getCell('A1').value = '项目';
    expect(grid(await readWorkbookFile(await save(wb, '1904.xlsx'))).date1904).toBe(true);
  });

  it('keeps 40,000+ characters of CJK and non-BMP text unchanged across many cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问题清单');
    const texts: string[] = [];
    for (let i = 0; i < 50; i++) {
      // 𠮷 is outside the BMP (a surrogate pair); mixed with common CJK and ASCII.
      const t = `第${i}条𠮷野家问题描述，含“引号”与<尖括号>&${'机关效能建设𠮷𩸽'.repeat(100)}`;
      texts.push(t);
      ws.getCell(`C${i + 2}`).value = t;
    }
    ws.getCell('B2').value = '𠮷田𠮷';
    const total = texts.reduce((n, t) => n + t.length, 0);
    expect(total).toBeGreaterThan(40_000);
    const values = grid(await readWorkbookFile(await save(wb, 'long.xlsx'))).sheets['问题清单']!.values;
    expect(values.slice(1).map((r) => r[2])).toEqual(texts);
    expect(values[1]![1]).toBe('𠮷田𠮷');
  });
});

describe('unusable files', () => {
  async function problemOf(name: string, bytes: Uint8Array | string): Promise<{ code: string; message: string }> {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    const result = await readWorkbookFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error('unreachable');
    expect(result.problem.file).toBe(file);
    expect(result.problem.severity).toBe('错误');
    expect(result.problem.message).toContain(name);
    return result.problem;
  }

  const ole = (extra: Uint8Array): Uint8Array => {
    const bytes = new Uint8Array(4096);
    bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    bytes.set(extra, 1024);
    return bytes;
  };

  it('an empty file', async () => {
    expect((await problemOf('空.xlsx', '')).code).toBe('file-empty');
  });

  it('a text file renamed to .xlsx', async () => {
    expect((await problemOf('改名.xlsx', '单位,得分\n办公室,90\n')).code).toBe('file-not-xlsx');
  });

  it('a legacy .xls (OLE container)', async () => {
    const p = await problemOf('旧版.xlsx', ole(new TextEncoder().encode('Workbook')));
    expect(p.code).toBe('file-legacy-xls');
    expect(p.message).toContain('另存为');
  });

  it('a password-protected workbook (OLE container with EncryptionInfo)', async () => {
    const p = await problemOf('加密.xlsx', ole(new Uint8Array(Buffer.from('EncryptionInfo', 'utf16le'))));
    expect(p.code).toBe('file-encrypted');
    expect(p.message).toContain('密码');
  });

  it('a truncated workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('单位信息').getCell('A1').value = '项目';
    const whole = readFileSync(await save(wb, 'whole.xlsx'));
    expect((await problemOf('截断.xlsx', whole.subarray(0, Math.floor(whole.length / 2)))).code).toBe('file-corrupt');
  });

  it('a zip that is not a workbook', async () => {
    const zip = zipSync({ 'word/document.xml': strToU8('<w:document/>') });
    expect((await problemOf('文档.xlsx', zip)).code).toBe('file-not-xlsx');
  });

  it('a workbook declaring a huge uncompressed size (zip bomb)', async () => {
    const zip = zipSync({ 'xl/workbook.xml': new Uint8Array(1024) });
    // Patch the central directory's uncompressed size of the one entry to 3 GB.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const cd = zip.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50);
    view.setUint32(cd + 24, 3_000_000_000, true);
    expect((await problemOf('炸弹.xlsx', zip)).code).toBe('file-too-large');
  });

  it('an unrelated workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').getCell('A1').value = '工资表';
    const file = await save(wb, '工资表.xlsx');
    const result = await readWorkbookFile(file);
    expect(result.ok ? '' : result.problem.code).toBe('not-kaohe-workbook');
  });

  it('a path that does not exist', async () => {
    const result = await readWorkbookFile(path.join(dir, '不存在.xlsx'));
    expect(result.ok ? '' : result.problem.code).toBe('file-unreadable');
  });
});
