// Reading one cell as people really type it. Every adapter (the fast reader, exceljs in tests,
// Office.js) hands over what the file holds: dates as serial numbers plus their number formats.
// Each reader returns a value or a Chinese message saying what to fix. Empty cells read as null
// ('' for text).
import type { CellError, IsoDate, RawValue } from './types.ts';

export type CellResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const fail = <T>(code: string, message: string): CellResult<T> => ({ ok: false, code, message });

export function isCellError(v: RawValue | undefined): v is CellError {
  return typeof v === 'object' && v !== null && typeof v.error === 'string';
}

export function isEmpty(v: RawValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Full-width ASCII (Ａ-Ｚ, ０-９, ．／－ …) and the ideographic space to their ASCII forms. */
const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

export function toHalfWidth(s: string): string {
  if (!FULL_WIDTH.test(s)) return s;
  return s
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** Every number cell asks its format's codes once or twice; worked out once per distinct format. */
const codesOfFormat = new Map<string, string>();

/**
 * The first (positive) section without quoted literals, escaped characters, spacing and fill
 * codes (`_x`, `*x`) and [..] sections (colours, locales, elapsed hours), so only codes remain.
 */
function formatCodes(numFmt: string): string {
  let codes = codesOfFormat.get(numFmt);
  if (codes === undefined) {
    codes = numFmt
      .replace(/"[^"]*"/g, '')
      .replace(/[\\_*]./g, '')
      .replace(/\[[^\]]*\]/g, '')
      .split(';')[0]!;
    // A workbook uses a handful of formats; the bound only keeps a crafted one from growing the map.
    if (codesOfFormat.size >= 1_000) codesOfFormat.clear();
    codesOfFormat.set(numFmt, codes);
  }
  return codes;
}

/**
 * Whether Excel shows a number in this format as a date or time: a code for year, month, day,
 * hour, second or Buddhist year is left once the literals are gone. "General" has none.
 */
export function isDateFormat(numFmt: string | null | undefined): boolean {
  return !!numFmt && /[ymdhsb]/i.test(formatCodes(numFmt));
}

export function isPercentFormat(numFmt: string | null | undefined): boolean {
  return !!numFmt && formatCodes(numFmt).includes('%');
}

function cellErrorResult<T>(v: CellError): CellResult<T> {
  return fail('cell.error', `单元格为错误值 ${v.error}，请修正公式或改为直接填写数值`);
}

// ---------- dates ----------

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** The largest serial Excel shows as a date (9999-12-31). */
const MAX_SERIAL = 2_958_465;

/** The day of a UTC time as YYYY-MM-DD, or null outside the years 1900–9999 Excel can show (or for an invalid time). */
function isoFromUtc(t: number): IsoDate | null {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  if (!(y >= 1900 && y <= 9999)) return null;
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
}

function isoFromParts(y: number, m: number, d: number): IsoDate | null {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Excel serial to date. In the 1900 system Excel counts the non-existent 1900-02-29 as serial 60
 * (inherited from Lotus 1-2-3), so serials before it are one day off the plain epoch.
 */
function serialToIso(serial: number, date1904: boolean): IsoDate | null {
  const day = Math.floor(serial + 1e-9);
  if (date1904) return day >= 0 && day <= MAX_SERIAL - 1462 ? isoFromUtc(EPOCH_1904 + day * DAY_MS) : null;
  if (day < 1 || day > MAX_SERIAL || day === 60) return null;
  return isoFromUtc(EPOCH_1900 + (day < 60 ? day + 1 : day) * DAY_MS);
}

/**
 * The serial of a UTC time as exceljs writes a Date (utils.dateToExcel, same operations, so a
 * Date it made from a serial comes back as that serial) and as Excel counts from 1900-03-01 on.
 */
export function serialFromTime(ms: number, date1904: boolean): number {
  return 25569 + ms / DAY_MS - (date1904 ? 1462 : 0);
}

const DATE_PATTERNS: readonly RegExp[] = [
  /^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/,
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

const OUT_OF_RANGE = '日期超出 1900 年至 9999 年的范围（单元格中的数字不是有效的日期），请按“年-月-日”的格式填写，年份写四位数字';

function dateMessage(shown: string): string {
  return `无法识别的日期“${shown}”，请按“年-月-日”的格式填写，年份写四位数字`;
}

export function readDate(v: RawValue, numFmt?: string | null, date1904 = false): CellResult<IsoDate | null> {
  if (v === null || isEmpty(v)) return ok(null);
  if (isCellError(v)) return cellErrorResult(v);
  if (typeof v === 'number') {
    const shownAsDate = isDateFormat(numFmt);
    // A General cell typed as 20110331 holds that number, not a serial (serials stop at 2958465).
    if (!shownAsDate && Number.isInteger(v) && v >= 19000101 && v <= 99991231) {
      const iso = isoFromParts(Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
      if (iso) return ok(iso);
    }
    const iso = serialToIso(v, date1904);
    if (iso) return ok(iso);
    // Excel shows ##### for a date-formatted serial past 9999-12-31 or before 1900: no number to quote.
    return fail('date.invalid', shownAsDate ? OUT_OF_RANGE : dateMessage(String(v)));
  }
  if (typeof v === 'boolean') return fail('date.invalid', dateMessage(v ? 'TRUE' : 'FALSE'));
  const text = toHalfWidth(v).trim();
  for (const pattern of DATE_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const iso = isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? ok(iso) : fail('date.invalid', dateMessage(v.trim()));
  }
  return fail('date.invalid', dateMessage(v.trim()));
}

// ---------- numbers ----------

/** Units people type after a number: 85分, 12次, 45人, 3篇. */
const NUMBER_SUFFIX = /\s*(分|次|人|篇|个|件|项|条|%)$/;
const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

/** Removes binary float noise such as 0.29 * 100 = 28.999999999999996. */
function tidy(n: number): number {
  return Number(n.toPrecision(12));
}

function numberMessage(shown: string): string {
  return `无法识别的数字“${shown}”，请填写数字，如 85`;
}

/**
 * A number as the user sees it: a percent-formatted 0.85 (shown 85%) reads as 85, as does the
 * text “85%”; a date-formatted one is shown as a date, so it is refused rather than read as 40633.
 */
export function readNumber(v: RawValue, numFmt?: string | null, date1904 = false): CellResult<number | null> {
  if (v === null || isEmpty(v)) return ok(null);
  if (isCellError(v)) return cellErrorResult(v);
  if (typeof v === 'number') {
    if (isDateFormat(numFmt)) {
      const iso = serialToIso(v, date1904);
      return fail('number.invalid', `此处应填写数字，不是日期${iso ? `（${iso}）` : ''}；请把单元格格式改为“常规”后填写数字`);
    }
    if (!Number.isFinite(v)) return fail('number.invalid', numberMessage(String(v)));
    return ok(isPercentFormat(numFmt) ? tidy(v * 100) : v);
  }
  if (typeof v === 'boolean') return fail('number.invalid', numberMessage(v ? 'TRUE' : 'FALSE'));
  let text = toHalfWidth(v).trim().replace(NUMBER_SUFFIX, '').trim();
  if (GROUPED.test(text)) text = text.replace(/,/g, '');
  if (!NUMBER_TEXT.test(text)) return fail('number.invalid', numberMessage(v.trim()));
  return ok(Number(text));
}

export function readInteger(v: RawValue, numFmt?: string | null, date1904 = false): CellResult<number | null> {
  const r = readNumber(v, numFmt, date1904);
  if (!r.ok || r.value === null) return r;
  if (!Number.isInteger(r.value) || r.value < 0) {
    return fail('integer.invalid', `应填写不小于 0 的整数，填写的是“${r.value}”`);
  }
  return r;
}

export function readPercent(v: RawValue, numFmt?: string | null, date1904 = false): CellResult<number | null> {
  const r = readNumber(v, numFmt, date1904);
  if (!r.ok || r.value === null) return r;
  if (r.value < 0 || r.value > 100)
    return fail('percent.range', `应填写 0 到 100 之间的数字，填写的是“${r.value}”`);
  return r;
}

// ---------- text ----------

/** Control characters other than tab and line feed; C1 controls; zero-width marks and BOM. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\uFEFF]/g;

const NEEDS_CLEANING = /[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\uFEFF]/;

export function cleanText(s: string): string {
  if (!NEEDS_CLEANING.test(s)) return s.trim();
  return s.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
}

/** Excel refuses longer cell text; only a hand-crafted file can carry more. */
export const MAX_CELL_CHARS = 32_767;

function codePointLength(s: string): number {
  if (s.length <= MAX_CELL_CHARS) return s.length;
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

function numberText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(tidy(n));
}

export function readText(v: RawValue, numFmt?: string | null, date1904 = false): CellResult<string> {
  if (v === null || v === undefined) return ok('');
  if (isCellError(v)) return cellErrorResult(v);
  if (typeof v === 'boolean') return ok(v ? 'TRUE' : 'FALSE');
  if (typeof v === 'number') {
    if (!isDateFormat(numFmt)) return ok(numberText(v));
    const iso = serialToIso(v, date1904);
    return iso ? ok(iso) : fail('date.invalid', OUT_OF_RANGE);
  }
  const text = cleanText(v);
  const length = codePointLength(text);
  if (length > MAX_CELL_CHARS) {
    return fail(
      'text.tooLong',
      `内容有 ${length} 个字符，超过 Excel 单元格上限 ${MAX_CELL_CHARS} 个字符，请精简或改为附件`,
    );
  }
  return ok(text);
}

// ---------- choices ----------

function listKey(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, '');
}

export function readList<T extends string>(v: RawValue, list: readonly T[]): CellResult<T | null> {
  const t = readText(v);
  if (!t.ok) return t;
  if (t.value === '') return ok(null);
  const exact = list.find((item) => item === t.value);
  if (exact !== undefined) return ok(exact);
  const key = listKey(t.value);
  const loose = list.find((item) => listKey(item) === key);
  if (loose !== undefined) return ok(loose);
  return fail('list.invalid', `“${t.value}”不是可选值，请从下拉列表中选择：${list.join('、')}`);
}

const YES = new Set(['是', 'Y', 'YES', '√', '✓', '✔', 'TRUE', '对']);
const NO = new Set(['否', 'N', 'NO', '×', '✗', '✘', 'X', 'FALSE', '不是']);

export function readYesNo(v: RawValue): CellResult<boolean | null> {
  if (typeof v === 'boolean') return ok(v);
  const t = readText(v);
  if (!t.ok) return t;
  if (t.value === '') return ok(null);
  const key = listKey(t.value).toUpperCase();
  if (YES.has(key)) return ok(true);
  if (NO.has(key)) return ok(false);
  return fail('yesno.invalid', `“${t.value}”无法识别，请填写“是”或“否”`);
}
