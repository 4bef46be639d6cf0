// Takes one submitted file from disk to a WorkbookGrid, or to one Problem that names the file and
// says what to do. Cheap checks first (stat, size, magic bytes) so a folder of wrong files is fast
// and nothing large is read or inflated before it has to be.
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SHEETS } from '../../core/layout.ts';
import { headerKey } from '../../core/parse.ts';
import { SCORESHEET_SHEET } from '../../core/scoresheet.ts';
import type { Problem, WorkbookGrid } from '../../core/types.ts';
import { DEFAULT_MAX_INFLATED_BYTES, tryReadXlsx } from '../xlsx/fast-read.ts';
import type { XlsxFailure } from '../xlsx/fast-read.ts';

/** A filled unit workbook is well under 5 MB; anything this large is not one. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export interface IngestOptions {
  maxFileBytes?: number;
  maxInflatedBytes?: number;
}

type Refused = { ok: false; problem: Problem };

export type Ingested = { ok: true; grid: WorkbookGrid; bytes: number } | Refused;

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

/**
 * The sheets the core reads (the instructions sheet holds no data), matched as the core finds
 * them: by name without spaces or full-width forms, so a sheet renamed `效能投诉 ` still reads.
 */
const DATA_SHEET_KEYS = new Set([
  ...SHEETS.filter((s) => s.key !== 'guide').map((s) => headerKey(s.name)),
  // The assessors' score sheet is read by the same reader (kaohe check, report --scores).
  headerKey(SCORESHEET_SHEET.name),
]);
const isDataSheet = (name: string): boolean => DATA_SHEET_KEYS.has(headerKey(name));

const RESEND = '请让填报单位在 Excel 中打开、确认内容后另存为 .xlsx 重新报送';

function refuse(file: string, code: string, what: string, todo: string, where: { sheet?: string; cell?: string } = {}): Refused {
  const place = where.sheet ? `工作表“${where.sheet}”${where.cell ? `的 ${where.cell} 处` : ''}` : '';
  const message = `文件「${path.basename(file)}」（${file}）${place}${what}。${todo}。`;
  const located = { ...(where.sheet ? { sheet: where.sheet } : {}), ...(where.sheet && where.cell ? { cell: where.cell } : {}) };
  return { ok: false, problem: { severity: '错误', code, message, file, ...located } };
}

/** Reads and classifies one file; never throws. */
export async function ingestFile(file: string, opts: IngestOptions = {}): Promise<Ingested> {
  try {
    return ingest(file, opts);
  } catch (e) {
    // Only reachable through a fault in this code; the user still gets a located message.
    return refuse(file, 'file-unreadable', `读取时出现意外错误（${e instanceof Error ? e.message : String(e)}）`, RESEND);
  }
}

function ingest(file: string, opts: IngestOptions): Ingested {
  const opened = readWhole(file, opts.maxFileBytes ?? MAX_FILE_BYTES);
  if (!opened.ok) return opened;
  const { bytes } = opened;
  const size = bytes.length;
  if (OLE_MAGIC.every((b, i) => bytes[i] === b)) return oleProblem(file, bytes);
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    return refuse(file, 'file-not-xlsx', '不是 Excel 工作簿（xlsx），可能是改了扩展名的其他文件', '请报送由 kaohe 生成并填写的 .xlsx 文件');
  }
  const read = tryReadXlsx(bytes, { sheets: isDataSheet, maxInflatedBytes: opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES });
  if (!read.ok) return zipProblem(file, read.failure, opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES);
  if (!read.sheetNames.some(isDataSheet)) {
    return refuse(
      file,
      'not-kaohe-workbook',
      `不是考核填报表（其中的工作表为：${read.sheetNames.slice(0, 5).join('、') || '无'}${read.sheetNames.length > 5 ? ' 等' : ''}）`,
      '请使用 kaohe workbooks 生成的本单位工作簿填报后报送',
    );
  }
  return { ok: true, grid: read.grid, bytes: size };
}

/**
 * One open file for stat and read, so the size checked is the size read; synchronous because
 * files are read one after another and the sync calls cost less CPU than the promise API.
 */
function readWhole(file: string, maxFileBytes: number): { ok: true; bytes: Uint8Array } | Refused {
  let fd: number | undefined;
  try {
    // A FIFO or device is refused by its type before it is opened (opening a FIFO waits for a
    // writer forever); O_NONBLOCK covers a file swapped for one in between.
    if (!statSync(file).isFile()) return refuse(file, 'file-not-regular', '不是普通文件（可能是文件夹、管道或设备），未打开读取', '请报送 .xlsx 工作簿文件');
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return refuse(file, 'file-not-regular', '不是普通文件（可能是文件夹、管道或设备），未打开读取', '请报送 .xlsx 工作簿文件');
    if (stat.size === 0) return refuse(file, 'file-empty', '是空文件（0 字节），可能保存或拷贝时中断', RESEND);
    if (stat.size > maxFileBytes) {
      return refuse(file, 'file-too-large', `有 ${megabytes(stat.size)} MB，远大于正常的填报工作簿`, '请确认报送的是本单位的考核填报工作簿');
    }
    return { ok: true, bytes: readFileSync(fd) };
  } catch (e) {
    return fsProblem(file, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const megabytes = (n: number): string => (n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0);

function fsProblem(file: string, e: unknown): Refused {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return refuse(file, 'file-missing', '不存在（可能已被移走或删除）', '请检查路径，确认文件仍在原位置后重新运行');
  if (code === 'EACCES' || code === 'EPERM') return refuse(file, 'file-locked', '没有读取权限', '请检查文件权限，或复制一份后再读取');
  if (code === 'EBUSY') return refuse(file, 'file-locked', '正被其他程序占用', '请在 Excel 中关闭该文件后重新运行');
  if (code === 'EISDIR') return refuse(file, 'file-not-regular', '是文件夹而不是文件', '请报送 .xlsx 工作簿文件');
  return refuse(file, 'file-unreadable', `无法读取（${code ?? '未知原因'}）`, '请确认文件完好后重新运行');
}

const utf16 = (s: string): Buffer => Buffer.from(s, 'utf16le');

/**
 * An OLE (compound file) container: Excel 97-2003 .xls, WPS .et, or a password-protected .xlsx,
 * which Office wraps in OLE with `EncryptionInfo` and `EncryptedPackage` streams. Stream names
 * sit in the directory as UTF-16LE; either name is enough, as neither occurs in a .xls or .et.
 */
function oleProblem(file: string, bytes: Uint8Array): Ingested {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.includes(utf16('EncryptionInfo')) || buffer.includes(utf16('EncryptedPackage'))) {
    return refuse(
      file,
      'file-encrypted',
      '已加密（设置了打开密码），无法读取',
      '请在 Excel 中打开后清除密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码并保存）再重新报送',
    );
  }
  if (path.extname(file).toLowerCase() === '.et') {
    return refuse(file, 'file-wps-et', '是 WPS 表格（.et）格式', '请在 WPS 中选择“另存为”Excel 工作簿（*.xlsx）后重新报送');
  }
  if (buffer.includes(utf16('WordDocument'))) {
    return refuse(file, 'file-not-xlsx', '是 Word 文档，不是 Excel 工作簿', '请报送本单位的考核填报工作簿（.xlsx）');
  }
  return refuse(file, 'file-legacy-xls', '是旧版 Excel 97-2003（.xls）格式', '请用 Excel 另存为 .xlsx 后重新报送');
}

function zipProblem(file: string, failure: XlsxFailure, maxInflated: number): Ingested {
  switch (failure.kind) {
    case 'notZip':
      return refuse(file, 'file-not-xlsx', '不是 Excel 工作簿（xlsx）', '请报送由 kaohe 生成并填写的 .xlsx 文件');
    case 'truncated':
      return refuse(file, 'file-truncated', '不完整（文件末尾缺失，可能下载或拷贝时中断）', RESEND);
    case 'bomb':
      return refuse(
        file,
        'file-bomb',
        `解压后过大（超过 ${megabytes(maxInflated)} MB，或实际内容超出其声明的大小），疑似压缩炸弹，已拒绝读取`,
        '请确认报送的是本单位的考核填报工作簿',
      );
    case 'noWorkbook':
      return refuse(file, 'file-not-xlsx', '是压缩包但不是 Excel 工作簿（可能是 Word 文档或其他压缩文件）', '请报送本单位的考核填报工作簿（.xlsx）');
    case 'corrupt':
      return refuse(file, 'file-corrupt', failure.what ? `已损坏：${failure.what}` : '已损坏，内容无法解析', RESEND, failure);
    case 'refused':
      return refuse(file, 'file-refused', `已拒绝读取：${failure.what ?? failure.detail}`, '请确认报送的是本单位的考核填报工作簿，在 Excel 中打开检查后另存为 .xlsx 重新报送', failure);
  }
}
