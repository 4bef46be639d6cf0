// File-system helpers shared by the CLI commands: gathering workbooks, atomic writes, safe names.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface CollectedPaths {
  files: string[];
  /** Files in the folders that are not spreadsheets at all (attachments, scans…): left alone, counted. */
  skipped: number;
  /** Paths given on the command line that do not exist or cannot be read, with the reason. */
  missing: { path: string; message: string }[];
}

/**
 * Spreadsheets in a folder are all read, not only .xlsx: a unit that sends an .xls, a WPS .et or
 * a macro .xlsm must hear why it was not counted instead of being dropped in silence.
 */
const SPREADSHEET = /\.(xlsx|xlsm|xltx|xls|et|ett|ods|xlsb)$/i;

/** Office writes `~$name.xlsx` lock files next to open workbooks; they are not workbooks. */
function isWorkbookName(name: string): boolean {
  return SPREADSHEET.test(name) && !name.startsWith('~$');
}

async function walk(dir: string, out: string[]): Promise<number> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN'));
  let skipped = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) skipped += await walk(full, out);
    else if (entry.isFile() && isWorkbookName(entry.name)) out.push(full);
    else skipped += 1;
  }
  return skipped;
}

/**
 * Files given directly are taken as they are (so a stray .xls gets a clear message later);
 * folders are searched recursively for spreadsheets. Each file appears once.
 */
export async function collectWorkbookPaths(inputs: readonly string[]): Promise<CollectedPaths> {
  const files: string[] = [];
  const missing: CollectedPaths['missing'] = [];
  let skipped = 0;
  for (const input of inputs) {
    try {
      const stat = await fs.stat(input);
      if (stat.isDirectory()) skipped += await walk(input, files);
      else files.push(input);
    } catch {
      missing.push({ path: input, message: `找不到文件或文件夹：${input}` });
    }
  }
  const seen = new Set<string>();
  const unique = files.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { files: unique, skipped, missing };
}

/** Writes through a temporary file in the same folder and renames it, so a crash never leaves half a file. */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
/** Windows limits a path component to 255 UTF-16 units; stay well below to leave room for the folder. */
const MAX_NAME_UNITS = 80;

/**
 * A file-name part that is valid on Windows, macOS and Linux: path separators, reserved
 * characters and control characters become `_`, trailing dots and spaces go, reserved device
 * names get a suffix, and long names are cut without splitting a surrogate pair.
 */
export function safeFileName(name: string): string {
  let s = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '');
  if (s === '' || /^_+$/.test(s)) s = '未命名';
  if (RESERVED_WINDOWS.test(s)) s = `${s}_`;
  if (s.length > MAX_NAME_UNITS) {
    const chars = Array.from(s);
    let cut = '';
    for (const ch of chars) {
      if (cut.length + ch.length > MAX_NAME_UNITS) break;
      cut += ch;
    }
    s = cut;
  }
  return s;
}

/** `01-办公室.xlsx`: numbered in plan order so the folder lists units as the plan does. */
export function unitWorkbookFileName(index: number, total: number, unitName: string): string {
  const width = Math.max(2, String(total).length);
  return `${String(index + 1).padStart(width, '0')}-${safeFileName(unitName)}.xlsx`;
}
