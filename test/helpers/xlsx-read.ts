// The reference reader: a workbook file through exceljs into the plain grid the core
// understands, used by tests and bench/ (the CLI reads with the faster generator/batch/ingest.ts).
// Never throws: every way a file can be unusable becomes one located Problem.
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { META_SHEET, SHEETS } from '../../core/layout.ts';
import type { Problem, WorkbookGrid } from '../../core/types.ts';
import { gridFromWorkbook } from '../../generator/xlsx/grid.ts';

/** Uncompressed size above which a workbook is refused (a real unit workbook is well under 5 MB). */
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** An encrypted .xlsx is an OLE container holding a stream with this name (UTF-16LE in the directory). */
const ENCRYPTION_STREAM = Buffer.from('EncryptionInfo', 'utf16le');

function startsWith(data: Uint8Array, magic: readonly number[]): boolean {
  return data.length >= magic.length && magic.every((b, i) => data[i] === b);
}

export type ReadResult = { ok: true; grid: WorkbookGrid } | { ok: false; problem: Problem };

function fileProblem(file: string, code: string, message: string): ReadResult {
  return { ok: false, problem: { severity: '错误', code, message, file } };
}

const KAOHE_SHEET_NAMES = new Set(SHEETS.filter((s) => s.kind !== 'plain').map((s) => s.name));

/** Classifies the bytes before exceljs sees them, so each kind of bad file gets its own advice. */
function classifyBytes(file: string, data: Uint8Array): ReadResult | null {
  const name = path.basename(file);
  if (data.length === 0) return fileProblem(file, 'file-empty', `文件「${name}」是空文件（0 字节），请重新保存或重新报送。`);
  if (startsWith(data, OLE_MAGIC)) {
    if (Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes(ENCRYPTION_STREAM)) {
      return fileProblem(file, 'file-encrypted', `文件「${name}」设置了打开密码，无法读取。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后重新报送。`);
    }
    return fileProblem(file, 'file-legacy-xls', `文件「${name}」是旧版 Excel 97-2003（.xls）格式。请在 Excel 中“另存为” Excel 工作簿（.xlsx）后重新报送。`);
  }
  if (!startsWith(data, ZIP_MAGIC)) {
    return fileProblem(file, 'file-not-xlsx', `文件「${name}」不是 Excel 工作簿（.xlsx），可能是改了扩展名的其他文件。请报送由 kaohe 生成并填写的 .xlsx 文件。`);
  }
  let total = 0;
  let hasWorkbookPart = false;
  try {
    // The filter sees the central directory only; returning false decompresses nothing.
    unzipSync(data, {
      filter: (entry) => {
        total += entry.originalSize;
        if (entry.name === 'xl/workbook.xml') hasWorkbookPart = true;
        return false;
      },
    });
  } catch {
    return fileProblem(file, 'file-corrupt', `文件「${name}」已损坏（压缩结构不完整），无法打开。请让填报单位重新保存并报送。`);
  }
  if (total > MAX_UNCOMPRESSED_BYTES) {
    return fileProblem(file, 'file-too-large', `文件「${name}」解压后超过 ${MAX_UNCOMPRESSED_BYTES / 1024 / 1024} MB，不像正常的填报工作簿，已拒绝读取。`);
  }
  if (!hasWorkbookPart) {
    return fileProblem(file, 'file-not-xlsx', `文件「${name}」是压缩包但不是 Excel 工作簿（可能是 Word 文档或其他压缩文件）。`);
  }
  return null;
}

/** Reads and converts one workbook file through exceljs; every failure is a Problem naming the file. */
export async function readWorkbookFile(file: string): Promise<ReadResult> {
  const name = path.basename(file);
  let data: Uint8Array;
  try {
    data = await fs.readFile(file);
  } catch {
    return fileProblem(file, 'file-unreadable', `无法读取文件「${name}」，请确认文件存在且没有被其他程序占用。`);
  }
  const bad = classifyBytes(file, data);
  if (bad) return bad;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return fileProblem(file, 'file-corrupt', `文件「${name}」已损坏，Excel 工作簿内容无法解析。请让填报单位在 Excel 中打开、另存后重新报送。`);
  }
  let grid: WorkbookGrid;
  try {
    grid = gridFromWorkbook(wb);
  } catch {
    return fileProblem(file, 'file-corrupt', `文件「${name}」的单元格内容无法解析，请在 Excel 中打开、另存后重新报送。`);
  }
  const names = Object.keys(grid.sheets);
  if (!names.includes(META_SHEET.name) && !names.some((n) => KAOHE_SHEET_NAMES.has(n))) {
    return fileProblem(file, 'not-kaohe-workbook', `文件「${name}」不是考核填报工作簿（没有「单位信息」「重点任务」等工作表）。请使用 kaohe workbooks 生成的工作簿填报。`);
  }
  return { ok: true, grid };
}
