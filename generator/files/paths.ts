// Which files a command reads and what the files it writes are called: gathering workbooks from
// the command line's files and folders, and names that are valid on every system.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface CollectedPaths {
  files: string[];
  /** Files in the folders that are not spreadsheets at all (attachments, scans…): left alone, counted. */
  skipped: number;
  /**
   * Paths that could not be taken, with the reason: given on the command line but absent
   * (`path-missing`), or a link inside a folder that leads nowhere or round in a loop (`file-link`).
   */
  missing: { path: string; message: string; code?: string }[];
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

interface Walk {
  files: string[];
  missing: CollectedPaths['missing'];
  skipped: number;
  /** Real paths of the folders being walked, so a link back up the tree is a loop, not a hang. */
  open: Set<string>;
}

const linkProblem = (full: string, what: string): CollectedPaths['missing'][number] => ({
  path: full,
  code: 'file-link',
  message: `「${path.basename(full)}」（${full}）是一个快捷方式（符号链接），${what}，已跳过`,
});

/**
 * Links are followed like the files and folders they point to (a clerk may collect workbooks by
 * linking them), a link that leads nowhere or back into a folder being walked is reported. FIFOs,
 * devices and sockets are never opened: a spreadsheet-named one is handed on for ingest to refuse
 * by its type; any other counts as skipped.
 */
async function walk(dir: string, state: Walk): Promise<void> {
  const real = await fs.realpath(dir);
  if (state.open.has(real)) {
    state.missing.push(linkProblem(dir, '指向它所在的上级文件夹，形成循环'));
    return;
  }
  state.open.add(real);
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN'));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let kind: { isDirectory(): boolean; isFile(): boolean } = entry;
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(full).catch((e: NodeJS.ErrnoException) => e);
      if (target instanceof Error) {
        const what = target.code === 'ELOOP' ? '链接之间形成循环' : '指向的文件或文件夹已不存在';
        if (target.code === 'ELOOP' || isWorkbookName(entry.name) || target.code === 'ENOENT') state.missing.push(linkProblem(full, what));
        continue;
      }
      kind = target;
    }
    if (kind.isDirectory()) await walk(full, state);
    else if (isWorkbookName(entry.name)) state.files.push(full);
    else state.skipped += 1;
  }
  state.open.delete(real);
}

/**
 * Files given directly are taken as they are (so a stray .xls gets a clear message later);
 * folders are searched recursively for spreadsheets. Each file appears once.
 */
export async function collectWorkbookPaths(inputs: readonly string[]): Promise<CollectedPaths> {
  const state: Walk = { files: [], missing: [], skipped: 0, open: new Set() };
  for (const input of inputs) {
    try {
      const stat = await fs.stat(input);
      if (stat.isDirectory()) await walk(input, state);
      else state.files.push(input);
    } catch {
      state.missing.push({ path: input, message: `找不到文件或文件夹：${input}` });
    }
  }
  const seen = new Set<string>();
  const unique = state.files.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { files: unique, skipped: state.skipped, missing: state.missing };
}

const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
/**
 * Linux and macOS limit a name to 255 bytes of UTF-8 (a CJK character is 3), Windows to 255 UTF-16
 * units; 150 bytes leaves room for the `01-` number, `.xlsx` and the temporary name's 18 bytes.
 */
const MAX_NAME_BYTES = 150;
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

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
  if (utf8Bytes(s) > MAX_NAME_BYTES) {
    let cut = '';
    for (const ch of s) {
      if (utf8Bytes(cut + ch) > MAX_NAME_BYTES) break;
      cut += ch;
    }
    s = cut.replace(/[. ]+$/, '');
  }
  return s;
}

/** `01-办公室.xlsx`: numbered in plan order so the folder lists units as the plan does. */
export function unitWorkbookFileName(index: number, total: number, unitName: string): string {
  const width = Math.max(2, String(total).length);
  return `${String(index + 1).padStart(width, '0')}-${safeFileName(unitName)}.xlsx`;
}
