// Generates the bad-input corpus (SPEC §7) into a folder and runs each case through the same
// path as `kaohe check`: ingestFile, then the core's check. Nothing here is committed as binary;
// every file is made from code on each run.
//   npx tsx test/corpus/make.ts [DIR]        write the corpus (default test/tmp/corpus)
//   npx tsx test/corpus/make.ts --report     write it and print each case's message as a table
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { columnLetter, COMPLAINTS_SHEET, META_KEYS, META_SHEET, NOMINATIONS_SHEET, PROBLEMS_SHEET, KEY_TASKS_SHEET } from '../../core/layout.ts';
import { capProblems, checkWorkbook } from '../../core/check.ts';
import type { Plan, Problem } from '../../core/types.ts';
import { writeDemoWorkbooks } from '../../generator/commands/demo-data.ts';
import { unitWorkbookFileName } from '../../generator/files/paths.ts';
import { ingestFile } from '../../generator/batch/ingest.ts';
import type { IngestOptions } from '../../generator/batch/ingest.ts';
import { loadPlanFile } from '../../generator/files/plan-file.ts';
import { appendRows, handXlsxParts, lieAboutSize, patchSheetXml, renameZipEntry, withZipComment } from './xlsx-parts.ts';

export interface CorpusCase {
  /** Short Chinese description for the report table. */
  title: string;
  /** Path of the generated file (may not exist: the vanished case deletes it). */
  file: string;
  /** The problem code the case must produce, or `valid` when it must read with no 错误. */
  expect: string;
  /** The problem must point at a sheet (and a cell, when `cell` is true). */
  located?: 'sheet' | 'cell';
  ingest?: IngestOptions;
  /** An odd-but-valid file must give the same Submission as the workbook it was made from. */
  sameAs?: string;
}

export interface CaseOutcome {
  problems: Problem[];
}

/** A small cap for the bomb case, so the test needs only a 50 MB run of zeros. */
export const LOW_INFLATE_CAP = 10 * 1024 * 1024;

const u8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * A minimal OLE compound file: header, one FAT sector, one directory sector holding the root
 * entry and the given stream names. Enough for magic-byte and directory-name classification.
 */
export function oleContainer(streams: readonly string[]): Uint8Array {
  const sector = 512;
  const out = new Uint8Array(sector * 3);
  const view = new DataView(out.buffer);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  view.setUint16(24, 0x3e, true);
  view.setUint16(26, 3, true);
  view.setUint16(28, 0xfffe, true);
  view.setUint16(30, 9, true);
  view.setUint16(32, 6, true);
  view.setUint32(44, 1, true);
  view.setUint32(48, 1, true);
  view.setUint32(56, 4096, true);
  view.setUint32(60, 0xfffffffe, true);
  view.setUint32(68, 0xfffffffe, true);
  view.setUint32(76, 0, true);
  for (let i = 1; i < 109; i++) view.setUint32(76 + i * 4, 0xffffffff, true);
  // FAT (sector 0): itself is FAT, sector 1 (directory) ends its chain.
  const fat = sector;
  view.setUint32(fat, 0xfffffffd, true);
  view.setUint32(fat + 4, 0xfffffffe, true);
  for (let i = 2; i < 128; i++) view.setUint32(fat + i * 4, 0xffffffff, true);
  const names = ['Root Entry', ...streams];
  names.forEach((name, i) => {
    const at = sector * 2 + i * 128;
    const utf16 = Buffer.from(`${name}\0`, 'utf16le');
    out.set(utf16, at);
    view.setUint16(at + 64, utf16.length, true);
    out[at + 66] = i === 0 ? 5 : 2;
  });
  return out;
}

async function saveWorkbook(wb: ExcelJS.Workbook, file: string): Promise<void> {
  writeFileSync(file, new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
}

async function loadWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** Row (1-based) and column (1-based) of a header in row 1. */
function headerColumn(ws: ExcelJS.Worksheet, header: string): number {
  let found = 0;
  ws.getRow(1).eachCell((cell, col) => {
    if (String(cell.value).trim() === header) found = col;
  });
  if (!found) throw new Error(`no header ${header} in ${ws.name}`);
  return found;
}

const headerOf = (sheet: { columns: readonly { key: string; header: string }[] }, key: string): string =>
  sheet.columns.find((c) => c.key === key)!.header;

/** Writes a copy of `base` changed by `edit` (a unit's workbook as it comes back, altered). */
async function variant(base: string, file: string, edit: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = await loadWorkbook(base);
  edit(wb);
  await saveWorkbook(wb, file);
  return file;
}

/** Appends one complaint row with the given values by header key, below the last used row. */
function addComplaint(wb: ExcelJS.Workbook, values: Record<string, ExcelJS.CellValue>): number {
  const ws = wb.getWorksheet(COMPLAINTS_SHEET.name)!;
  let last = 1;
  ws.eachRow((row, n) => {
    if (n > 1 && (row.values as unknown[]).some((v) => v !== null && v !== undefined && v !== '')) last = n;
  });
  const row = ws.getRow(last + 1);
  for (const [key, value] of Object.entries(values)) row.getCell(headerColumn(ws, headerOf(COMPLAINTS_SHEET, key))).value = value;
  return last + 1;
}

const COMPLAINT = { id: 'TS-99', received: new Date(Date.UTC(2011, 4, 9)), channel: '来电', handler: '周九', matter: '窗口办事慢' };

export async function makeCorpus(dir: string, plan: Plan, planHash: string): Promise<CorpusCase[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const demoDir = path.join(dir, '_demo');
  const { files: demo } = await writeDemoWorkbooks(plan, planHash, demoDir);
  const base = demo[0]!;
  const second = demo[1]!;
  const at = (name: string): string => path.join(dir, name);
  const cases: CorpusCase[] = [];
  const add = (c: CorpusCase): void => void cases.push(c);

  writeFileSync(at('不是压缩包.xlsx'), u8('这是一份改了扩展名的文本文件\n'));
  add({ title: '不是 zip（改了扩展名的文本）', file: at('不是压缩包.xlsx'), expect: 'file-not-xlsx' });
  writeFileSync(at('空文件.xlsx'), new Uint8Array(0));
  add({ title: '空文件', file: at('空文件.xlsx'), expect: 'file-empty' });
  const good = readFileSync(base);
  writeFileSync(at('下载中断.xlsx'), good.subarray(0, Math.floor(good.length * 0.6)));
  add({ title: '截断的 zip（下载中断）', file: at('下载中断.xlsx'), expect: 'file-truncated' });
  writeFileSync(at('加密.xlsx'), oleContainer(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']));
  add({ title: '设置了打开密码的工作簿', file: at('加密.xlsx'), expect: 'file-encrypted' });
  writeFileSync(at('旧版.xls'), oleContainer(['Workbook', '\u0005SummaryInformation']));
  add({ title: '旧版 Excel 97-2003 .xls', file: at('旧版.xls'), expect: 'file-legacy-xls' });
  writeFileSync(at('WPS表格.et'), oleContainer(['WorkBook', 'ETExtData']));
  add({ title: 'WPS 表格 .et', file: at('WPS表格.et'), expect: 'file-wps-et' });
  writeFileSync(at('文档.xlsx'), zipSync({ 'word/document.xml': u8('<w:document/>'), '[Content_Types].xml': u8('<Types/>') }));
  add({ title: 'zip 但不是工作簿（Word 文档改名）', file: at('文档.xlsx'), expect: 'file-not-xlsx' });

  const unrelated = new ExcelJS.Workbook();
  unrelated.addWorksheet('Sheet1').addRow(['姓名', '工资']);
  unrelated.addWorksheet('汇总').addRow(['合计', 12345]);
  await saveWorkbook(unrelated, at('工资表.xlsx'));
  add({ title: '无关的工作簿', file: at('工资表.xlsx'), expect: 'not-kaohe-workbook' });

  const bombParts = handXlsxParts({ sheets: [{ name: COMPLAINTS_SHEET.name, rows: '' }] });
  const bomb = zipSync({ ...bombParts, 'xl/worksheets/sheet1.xml': [new Uint8Array(50 * 1024 * 1024), { level: 9 }] });
  writeFileSync(at('压缩炸弹.xlsx'), bomb);
  add({ title: `压缩炸弹（约 ${Math.round(bomb.length / 1024)} KB 解压为 50 MB，上限设为 10 MB）`, file: at('压缩炸弹.xlsx'), expect: 'file-bomb', ingest: { maxInflatedBytes: LOW_INFLATE_CAP } });
  writeFileSync(at('压缩炸弹-虚报大小.xlsx'), lieAboutSize(bomb, 'xl/worksheets/sheet1.xml', 4096));
  add({ title: '压缩炸弹，目录虚报解压大小（默认上限）', file: at('压缩炸弹-虚报大小.xlsx'), expect: 'file-bomb' });

  addHostileCells(good, at, add);
  addOddValues(good, base, at, add);

  add({
    title: '模板版本不符（_meta 版本 99）',
    file: await variant(base, at('模板版本99.xlsx'), (wb) => {
      wb.getWorksheet(META_SHEET.name)!.getRow(META_KEYS.indexOf('templateVersion') + 1).getCell(2).value = '99';
    }),
    expect: 'meta.version',
    located: 'sheet',
  });
  add({
    title: '缺少工作表（删除了“效能投诉”）',
    file: await variant(base, at('缺少工作表.xlsx'), (wb) => wb.removeWorksheet(wb.getWorksheet(COMPLAINTS_SHEET.name)!.id)),
    expect: 'sheet.missing',
    located: 'sheet',
  });
  add({
    title: '表头被改名（受理日期 → 受理时间）',
    file: await variant(base, at('表头改名.xlsx'), (wb) => {
      const ws = wb.getWorksheet(COMPLAINTS_SHEET.name)!;
      ws.getRow(1).getCell(headerColumn(ws, headerOf(COMPLAINTS_SHEET, 'received'))).value = '受理时间';
    }),
    expect: 'header.missing',
    located: 'sheet',
  });
  add({
    title: '无法识别的日期（“明年春天”）',
    file: await variant(base, at('日期无法识别.xlsx'), (wb) => void addComplaint(wb, { ...COMPLAINT, received: '明年春天' })),
    expect: 'date.invalid',
    located: 'cell',
  });
  add({
    title: '公式缓存值为 #REF!（完成进度）',
    file: await variant(base, at('公式错误值.xlsx'), (wb) => {
      const ws = wb.getWorksheet(KEY_TASKS_SHEET.name)!;
      ws.getRow(2).getCell(headerColumn(ws, headerOf(KEY_TASKS_SHEET, 'progress'))).value = { formula: '#REF!*100', result: { error: '#REF!' } };
    }),
    expect: 'cell.error',
    located: 'cell',
  });
  add({
    title: '数据区有合并单元格（问题清单两行合并）',
    file: await variant(base, at('合并单元格.xlsx'), (wb) => {
      const ws = wb.getWorksheet(PROBLEMS_SHEET.name)!;
      const col = headerColumn(ws, headerOf(PROBLEMS_SHEET, 'description'));
      ws.getRow(2).getCell(col).value = '合并单元格里的问题描述';
      ws.mergeCells(2, col, 3, col);
    }),
    expect: 'required.missing',
    located: 'cell',
  });
  add({
    title: '超过 32,767 个字符的单元格',
    file: await variant(base, at('超长文本.xlsx'), (wb) => {
      const ws = wb.getWorksheet(NOMINATIONS_SHEET.name)!;
      ws.getRow(2).getCell(headerColumn(ws, headerOf(NOMINATIONS_SHEET, 'deeds'))).value = '事迹'.repeat(20_000);
    }),
    expect: 'text.tooLong',
    located: 'cell',
  });
  add({
    title: '控制字符、公式样文本、{{…}} 与 <w:t> 标记、非 BMP 字符',
    file: await variant(base, at('特殊文本.xlsx'), (wb) =>
      void addComplaint(wb, { ...COMPLAINT, matter: "=cmd|' /C calc'!A0", complainant: '王\u0007五\u0001', result: '{{#each units}}<w:t>注入</w:t>{{/each}}', measures: '𠀀𪚥😀 已处理' }),
    ),
    expect: 'valid',
  });
  writeFileSync(at('同一单位-第二份.xlsx'), good);
  add({ title: '同一单位两份工作簿（与 _demo 中一份相同）', file: at('同一单位-第二份.xlsx'), expect: 'valid', sameAs: base });

  const unsafe = unitWorkbookFileName(0, 1, 'CON:<办公室>/"规划"|科?*. ');
  writeFileSync(at(unsafe), readFileSync(second));
  add({ title: `单位名不是安全文件名（写为 ${unsafe}）`, file: at(unsafe), expect: 'valid', sameAs: second });

  add({
    title: '列被移动（“投诉渠道”挪到最后一列）',
    file: await variant(base, at('列顺序调整.xlsx'), (wb) => {
      const ws = wb.getWorksheet(COMPLAINTS_SHEET.name)!;
      const from = headerColumn(ws, headerOf(COMPLAINTS_SHEET, 'channel'));
      const to = COMPLAINTS_SHEET.columns.length + 2;
      ws.eachRow({ includeEmpty: true }, (row) => {
        row.getCell(to).value = row.getCell(from).value;
        row.getCell(from).value = null;
      });
      ws.getRow(1).getCell(from).value = '备用列';
    }),
    expect: 'valid',
    sameAs: base,
  });
  add({
    title: '工作表名多了空格（“ 效能投诉 ”）',
    file: await variant(base, at('工作表名带空格.xlsx'), (wb) => {
      wb.getWorksheet(COMPLAINTS_SHEET.name)!.name = ` ${COMPLAINTS_SHEET.name} `;
    }),
    expect: 'valid',
    sameAs: base,
  });
  add({
    title: '1904 日期系统（Mac Excel）',
    file: await variant(base, at('1904日期.xlsx'), (wb) => {
      wb.properties.date1904 = true;
    }),
    expect: 'valid',
    sameAs: base,
  });
  const loDir = path.join(dir, '_lo');
  try {
    execFileSync('soffice', ['--headless', '--convert-to', 'xlsx', '--outdir', loDir, second], { stdio: 'ignore', timeout: 120_000 });
    const saved = at('LibreOffice另存.xlsx');
    writeFileSync(saved, readFileSync(path.join(loDir, path.basename(second))));
    add({ title: 'LibreOffice 另存的工作簿', file: saved, expect: 'valid', sameAs: second });
  } catch {
    // Without LibreOffice the case is left out rather than faked.
  }
  rmSync(loDir, { recursive: true, force: true });

  addFileSystemOddities(dir, base, add);

  writeFileSync(at('读取前被删除.xlsx'), good);
  add({ title: '收集后、读取前被删除', file: at('读取前被删除.xlsx'), expect: 'file-missing' });
  return cases;
}

/** A unit's real workbook with one crafted cell, tag or part: each must cost only its own file. */
function addHostileCells(good: Uint8Array, at: (name: string) => string, add: (c: CorpusCase) => void): void {
  const sheet = PROBLEMS_SHEET.name;
  const write = (name: string, bytes: Uint8Array): string => {
    writeFileSync(at(name), bytes);
    return at(name);
  };
  const cell = (ref: string): string => `<c r="${ref}" t="inlineStr"><is><t>越界</t></is></c>`;
  add({
    title: '问题清单中一个单元格在 XFD1048576（合法的最后一格，不得按稠密表格分配内存）',
    file: write('最后一格.xlsx', appendRows(good, sheet, `<row r="1048576">${cell('XFD1048576')}</row>`)),
    expect: 'valid',
  });
  for (const [name, title, rows] of [
    ['行号十亿.xlsx', '单元格地址 A1000000000', `<row r="1000000000">${cell('A1000000000')}</row>`],
    ['行号科学计数.xlsx', '行号写成 r="1e9"', `<row r="1e9"><c t="inlineStr"><is><t>越界</t></is></c></row>`],
    ['列号七个字母.xlsx', '列号 ZZZZZZZ', `<row r="900">${cell('ZZZZZZZ900')}</row>`],
  ] as const) {
    add({ title: `超出 Excel 表格范围：${title}`, file: write(name, appendRows(good, sheet, rows)), expect: 'file-refused', located: 'sheet' });
  }
  const manyCells = Array.from({ length: 2100 }, (_, r) => `<row r="${r + 100}">${Array.from({ length: 100 }, (_, c) => `<c r="${columnLetter(c)}${r + 100}"><v>1</v></c>`).join('')}</row>`).join('');
  add({ title: '一张表超过 20 万个单元格', file: write('单元格过多.xlsx', appendRows(good, sheet, manyCells)), expect: 'file-refused', located: 'cell' });
  const attributes = Array.from({ length: 100_000 }, (_, i) => ` a${i}="1"`).join('');
  add({
    title: '一个标记上 10 万个属性（扫描须为线性时间）',
    file: write('属性过多.xlsx', appendRows(good, sheet, `<row r="500"${attributes}></row>`)),
    expect: 'file-refused',
  });
  add({
    title: '60 万个 DOCTYPE 声明（扫描须为线性时间）',
    file: write('DOCTYPE过多.xlsx', patchSheetXml(good, sheet, (xml) => xml.replace('<worksheet', `${'<!DOCTYPE x>'.repeat(600_000)}<worksheet`))),
    expect: 'file-corrupt',
  });
  add({
    title: '根元素之后的 DOCTYPE',
    file: write('DOCTYPE在根内.xlsx', patchSheetXml(good, sheet, (xml) => xml.replace('<sheetData>', '<!DOCTYPE x><sheetData>'))),
    expect: 'file-corrupt',
  });
  add({
    title: '单个部件解压后超过 32 MB（压缩后很小）',
    file: write('部件过大.xlsx', patchSheetXml(good, sheet, (xml) => xml.replace('</sheetData>', `${' '.repeat(33 * 1024 * 1024)}</sheetData>`))),
    expect: 'file-refused',
  });
  const badRows = Array.from({ length: 3000 }, (_, i) => `<row r="${i + 200}"><c r="A${i + 200}"><v>${i}</v></c><c r="G${i + 200}" t="inlineStr"><is><t>明年春天</t></is></c></row>`).join('');
  add({ title: '3,000 行填错的问题清单（问题只列前 100 条并计数其余）', file: write('问题极多.xlsx', appendRows(good, sheet, badRows)), expect: 'required.missing' });
}

/**
 * In `_links/`: a workbook reached through a symlink (read like the file), a link to nothing and a
 * link back to its own folder (both reported when the folder is walked), and a FIFO named like a
 * workbook, which must be refused without being opened (opening it would wait forever).
 */
function addFileSystemOddities(dir: string, base: string, add: (c: CorpusCase) => void): void {
  const links = path.join(dir, '_links');
  mkdirSync(links, { recursive: true });
  symlinkSync(base, path.join(links, '链接到工作簿.xlsx'));
  add({ title: '文件夹中指向工作簿的符号链接', file: path.join(links, '链接到工作簿.xlsx'), expect: 'valid', sameAs: base });
  symlinkSync(path.join(links, '早已删除.xlsx'), path.join(links, '断开的链接.xlsx'));
  symlinkSync('.', path.join(links, '循环链接'));
  try {
    execFileSync('mkfifo', [path.join(links, '命名管道.xlsx')]);
    add({ title: '名为 .xlsx 的命名管道（FIFO）', file: path.join(links, '命名管道.xlsx'), expect: 'file-not-regular' });
  } catch {
    // Without mkfifo (Windows) the case is left out rather than faked.
  }
}

/** Replaces one cell (`<c r="G2" …>…</c>` or `<c r="G2" …/>`) of a sheet with crafted XML. */
function setCell(xlsx: Uint8Array, sheet: string, ref: string, cell: (style: string) => string, styleFrom = ref): Uint8Array {
  return patchSheetXml(xlsx, sheet, (xml) => {
    const style = new RegExp(`<c r="${styleFrom}"[^>]*? s="(\\d+)"`).exec(xml)?.[1] ?? '0';
    const pattern = new RegExp(`<c r="${ref}"(?: [^>]*)?(?:/>|>.*?</c>)`);
    if (!pattern.test(xml)) throw new Error(`no cell ${ref} in ${sheet}`);
    return xml.replace(pattern, cell(style));
  });
}

/** Values a careless writer or an attacker puts in cells, and packages odd at the zip level. */
function addOddValues(good: Uint8Array, base: string, at: (name: string) => string, add: (c: CorpusCase) => void): void {
  const write = (name: string, bytes: Uint8Array): string => {
    writeFileSync(at(name), bytes);
    return at(name);
  };
  const scores = '考核评分';
  add({
    title: '自评分单元格为 t="d" 且内容不是日期',
    file: write('自评分t=d.xlsx', setCell(good, scores, 'G2', () => '<c r="G2" t="d"><v>垃圾</v></c>')),
    expect: 'number.invalid',
    located: 'cell',
  });
  add({
    title: '自评分写成 0x1F（不得读成 0）',
    file: write('自评分0x1F.xlsx', setCell(good, scores, 'G2', () => '<c r="G2"><v>0x1F</v></c>')),
    expect: 'number.invalid',
    located: 'cell',
  });
  const tasks = KEY_TASKS_SHEET.name;
  add({
    title: '完成进度是日期格式的 1e10',
    file: write('完成进度1e10.xlsx', setCell(good, tasks, 'H2', (s) => `<c r="H2" s="${s}"><v>1e10</v></c>`, 'F2')),
    expect: 'number.invalid',
    located: 'cell',
  });
  for (const [name, serial] of [['日期序号3e6.xlsx', '3e6'], ['日期序号负数.xlsx', '-9.9e7']] as const) {
    add({
      title: `实际完成日期为日期序号 ${serial}（不是 5 万多年后的日期）`,
      file: write(name, setCell(good, tasks, 'G2', (s) => `<c r="G2" s="${s}"><v>${serial}</v></c>`, 'F2')),
      expect: 'date.invalid',
      located: 'cell',
    });
  }
  const parts = unzipSync(good);
  const strings = parts['xl/sharedStrings.xml']!;
  const at2 = strings.indexOf(0x3c, 200);
  parts['xl/sharedStrings.xml'] = new Uint8Array([...strings.subarray(0, at2), 0xc3, 0x28, ...strings.subarray(at2)]);
  add({ title: '共享字符串中有无效的 UTF-8 字节', file: write('无效UTF8.xlsx', zipSync(parts)), expect: 'file-corrupt' });
  add({ title: 'zip 注释中含有 PK\\5\\6', file: write('注释含目录尾标记.xlsx', withZipComment(good, 'PK\u0005\u0006 这是注释，不是目录尾')), expect: 'valid', sameAs: base });
  add({ title: '两个同名的 zip 条目', file: write('重名条目.xlsx', renameZipEntry(good, 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet1.xml')), expect: 'file-refused' });
}

/** What `kaohe check` would say about one file: the ingest problem, or the core's problems. */
export async function runCase(c: CorpusCase, plan: Plan, planHash: string): Promise<CaseOutcome> {
  const read = await ingestFile(c.file, c.ingest);
  if (!read.ok) return { problems: [read.problem] };
  return { problems: capProblems(checkWorkbook(read.grid, plan, { file: c.file, planHash }).problems) };
}

/** The outcome's code for comparison with `expect`: the first 错误's, or `valid`. */
export function outcomeCode(outcome: CaseOutcome): string {
  return outcome.problems.find((p) => p.severity === '错误')?.code ?? 'valid';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const report = args.includes('--report');
  const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'test/tmp/corpus');
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('默认方案无法读取');
  const cases = await makeCorpus(dir, loaded.plan, loaded.hash);
  rmSync(cases.find((c) => c.expect === 'file-missing')!.file);
  if (!report) {
    console.log(`已生成 ${cases.length} 个样例：${dir}`);
    return;
  }
  console.log('| 样例 | 文件 | 结果 | 工作表!单元格 | 提示 |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const c of cases) {
    const outcome = await runCase(c, loaded.plan, loaded.hash);
    const problem = outcome.problems.find((p) => p.severity === '错误') ?? outcome.problems[0];
    const where = problem?.sheet ? `${problem.sheet}${problem.cell ? `!${problem.cell}` : ''}` : '';
    const text = (problem?.message ?? '读取正常，无错误').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    console.log(`| ${c.title.replace(/\|/g, '\\|')} | ${path.basename(c.file).replace(/\|/g, '\\|')} | ${outcomeCode(outcome)} | ${where} | ${text} |`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && existsSync(process.argv[1])) {
  await main();
}
