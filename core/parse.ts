// Reading a unit workbook (as a grid from either adapter) into the typed Submission.
// Sheets are found by name and columns by header text, so moved or added columns still read;
// everything that cannot be read becomes a located 错误 instead of aborting.
import {
  isEmpty,
  readDate,
  readInteger,
  readList,
  readNumber,
  readPercent,
  readText,
  readYesNo,
  toHalfWidth,
  type CellResult,
} from './cells.ts';
import {
  COMPLAINTS_SHEET,
  INFO_SHEET,
  KEY_TASKS_SHEET,
  LISTS,
  META_KEYS,
  META_SHEET,
  NOMINATIONS_SHEET,
  PROBLEMS_SHEET,
  RULES_SHEET,
  SCORES_SHEET,
  TABLE_SHEETS,
  cellAddress,
  type ColumnSpec,
  type ColumnType,
  type FieldsOf,
  type FormField,
  type RowOf,
  type SheetKey,
  type TableSheet,
} from './layout.ts';
import type { Problem, RawValue, SheetGrid, Submission, UnitInfo, WorkbookGrid, WorkbookMeta } from './types.ts';

/**
 * Where each field was found, so later checks can point at the cell the user must fix:
 * table columns as 0-based column indexes, 单位信息 fields as A1 addresses of their 内容 cell.
 */
export interface CellMap {
  columns: Partial<Record<SheetKey, Partial<Record<string, number>>>>;
  info: Partial<Record<keyof UnitInfo, string>>;
}

export interface ParseResult {
  submission: Submission | null;
  problems: Problem[];
  cells: CellMap;
}

export type CellValue = string | number | boolean | null;

/** Header text compared without spaces, line breaks, required-field stars or full-width forms. */
export function headerKey(text: string): string {
  return toHalfWidth(text).replace(/[\s*]/g, '');
}

/** A contract sheet by name, tolerating the stray spaces and full-width forms units type into tab names. */
export function findSheet(grid: WorkbookGrid, name: string): SheetGrid | undefined {
  const exact = grid.sheets[name];
  if (exact) return exact;
  const wanted = headerKey(name);
  const match = Object.keys(grid.sheets).find((n) => headerKey(n) === wanted);
  return match === undefined ? undefined : grid.sheets[match];
}

/** The raw value at (row, col); a hole or a missing row reads as null. */
function valueAt(sheet: SheetGrid, row: number, col: number): RawValue {
  return sheet.values[row]?.[col] ?? null;
}

function textAt(sheet: SheetGrid, row: number, col: number): string {
  const r = readText(valueAt(sheet, row, col));
  return r.ok ? r.value : '';
}

/** Converts one cell by its declared type. */
export function readByType(
  type: ColumnType,
  value: RawValue,
  numFmt: string | undefined,
  date1904: boolean,
  list?: readonly string[],
): CellResult<CellValue> {
  switch (type) {
    case 'text':
      return readText(value, numFmt, date1904);
    case 'date':
      return readDate(value, numFmt, date1904);
    case 'number':
      return readNumber(value, numFmt, date1904);
    case 'integer':
      return readInteger(value, numFmt, date1904);
    case 'percent':
      return readPercent(value, numFmt, date1904);
    case 'list':
      return readList(value, list ?? []);
    case 'yesno':
      return readYesNo(value);
  }
}

class Reader {
  readonly problems: Problem[] = [];
  constructor(
    readonly date1904: boolean,
    readonly file: string | undefined,
  ) {}

  error(code: string, message: string, sheet: string, cell?: string): void {
    this.problems.push({
      severity: '错误',
      code,
      message,
      ...(this.file ? { file: this.file } : {}),
      sheet,
      ...(cell ? { cell } : {}),
    });
  }

  /** The cell's value by type; on failure a located problem is recorded and the value is blank. */
  read(
    sheet: SheetGrid,
    sheetName: string,
    row: number,
    col: number,
    label: string,
    type: ColumnType,
    list?: readonly string[],
  ): CellValue {
    const numFmt = sheet.numberFormats?.[row]?.[col] ?? undefined;
    const r = readByType(type, valueAt(sheet, row, col), numFmt, this.date1904, list);
    if (r.ok) return r.value;
    this.error(r.code, `${label}：${r.message}`, sheetName, cellAddress(row, col));
    return type === 'text' ? '' : null;
  }
}

/**
 * The reader already converted each cell by its column type; this only narrows the value to the
 * model's field type, so every sheet's record is derived from the layout instead of listed again.
 */
function typedValue(field: { type: ColumnType; list?: readonly string[] }, v: CellValue): unknown {
  switch (field.type) {
    case 'text':
      return typeof v === 'string' ? v : v === null ? '' : String(v);
    case 'date':
      return typeof v === 'string' ? v : null;
    case 'list':
      return field.list !== undefined && field.list.includes(v as string) ? v : null;
    default:
      // Numbers, and 是/否 read as booleans in the 否决 row's score columns.
      return typeof v === 'string' ? null : v;
  }
}

/** The one place a record is built from a layout's fields; its type is derived from the same fields. */
function typedFields<Fields extends readonly FormField[] | readonly ColumnSpec[]>(fields: Fields, get: (key: string) => CellValue): FieldsOf<Fields> {
  return Object.fromEntries(fields.map((f) => [f.key, typedValue(f, get(f.key))])) as FieldsOf<Fields>;
}

// ---------- table sheets ----------

/** A unit may insert a title row; the header row is the one among the first rows matching most headers. */
const HEADER_SEARCH_ROWS = 5;

interface WantedHeaders {
  /** Header key → column key. */
  keys: Map<string, string>;
  /** Every code unit of the header keys. */
  chars: Set<number>;
}

const headersOf = new WeakMap<TableSheet, WantedHeaders>();

/** Each column's header key → column key, worked out once per sheet spec rather than per workbook. */
function wantedHeaders(spec: TableSheet): WantedHeaders {
  let wanted = headersOf.get(spec);
  if (!wanted) {
    const keys = new Map(spec.columns.map((c) => [headerKey(c.header), c.key]));
    const chars = new Set([...keys.keys()].flatMap((k) => Array.from({ length: k.length }, (_, i) => k.charCodeAt(i))));
    wanted = { keys, chars };
    headersOf.set(spec, wanted);
  }
  return wanted;
}

/** What headerKey(readText(v)) drops from a cell's text: spaces, stars and the control characters readText cleans out. */
const DROPPED_FROM_KEY = /[\s*\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\uFEFF]/;

/**
 * Whether a cell holding the text `s` could read as a header whose key is made of `chars` only:
 * every code unit its key would keep (full-width forms folded) must be one of them. A data cell
 * mostly fails at its first character, so its text is never cleaned, folded and stripped.
 */
export function couldBeHeader(s: string, chars: ReadonlySet<number>): boolean {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const c = u >= 0xff01 && u <= 0xff5e ? u - 0xfee0 : u;
    if (!chars.has(c) && !DROPPED_FROM_KEY.test(String.fromCharCode(c))) return false;
  }
  return true;
}

function locateHeaders(
  sheet: SheetGrid,
  spec: TableSheet,
): { headerRow: number; columns: Map<string, number> } {
  let best = { headerRow: 0, columns: new Map<string, number>() };
  const { keys, chars } = wantedHeaders(spec);
  for (let r = 0; r < Math.min(HEADER_SEARCH_ROWS, sheet.values.length); r += 1) {
    const columns = new Map<string, number>();
    const row = sheet.values[r] ?? [];
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      // An empty cell's key '' is no header's.
      if (v === undefined || v === null || (typeof v === 'string' && !couldBeHeader(v, chars))) continue;
      const key = keys.get(headerKey(textAt(sheet, r, c)));
      if (key !== undefined && !columns.has(key)) columns.set(key, c);
    }
    if (columns.size > best.columns.size) best = { headerRow: r, columns };
  }
  return best;
}

/** 序号 is often numbered in advance down a blank table; such rows are still blank. */
const IGNORED_FOR_BLANK = new Set(['seq']);

/** `typeOf` lets a row decide a column's type from its other cells (否决 rows of 考核评分). */
type TypeOf = (column: ColumnSpec, raw: (key: string) => RawValue) => ColumnType;

/**
 * The sheet's records, each `{ row, ...fields }` in layout order. Plain loops over the found
 * columns, no per-row maps or closures: this runs on every row of every workbook checked.
 */
function readTable<S extends TableSheet>(grid: WorkbookGrid, spec: S, reader: Reader, cells: CellMap, typeOf?: TypeOf): RowOf<S>[] | null {
  const sheet = findSheet(grid, spec.name);
  if (!sheet) {
    reader.error('sheet.missing', `缺少工作表“${spec.name}”`, spec.name);
    return null;
  }
  const { headerRow, columns } = locateHeaders(sheet, spec);
  if (columns.size === 0) {
    reader.error(
      'header.missing',
      `工作表“${spec.name}”找不到表头，第1行应为：${spec.columns.map((c) => c.header).join('、')}；请恢复表头`,
      spec.name,
      'A1',
    );
    return [];
  }
  spec.columns.forEach((c, i) => {
    if (columns.has(c.key)) return;
    reader.error(
      'header.missing',
      `工作表“${spec.name}”缺少表头“${c.header}”，请恢复该列的表头文字（不要改名或删除）`,
      spec.name,
      cellAddress(headerRow, i),
    );
  });
  cells.columns[spec.key] = Object.fromEntries(columns);
  // The found columns in the order their headers were found: cells are read (and problems told) in that order.
  const byKey = new Map(spec.columns.map((c) => [c.key, c]));
  const found = [...columns].map(([key, col]) => ({ col, column: byKey.get(key)! }));
  const blankTested = found.filter((f) => !IGNORED_FOR_BLANK.has(f.column.key)).map((f) => f.col);
  // Each layout column's place among the found ones, or −1: its field reads as blank.
  const slots = spec.columns.map((c) => found.findIndex((f) => f.column.key === c.key));
  const read: CellValue[] = new Array<CellValue>(found.length);
  const rows: RowOf<S>[] = [];
  const { values } = sheet;
  // Holes (the fast reader stores no empty rows) and missing rows are blank.
  for (let r = headerRow + 1; r < values.length; r++) {
    const cellsOfRow = values[r];
    if (!cellsOfRow || blankTested.every((c) => isEmpty(cellsOfRow[c]))) continue;
    const raw = typeOf && ((key: string): RawValue => {
      const c = columns.get(key);
      return c === undefined ? null : (cellsOfRow[c] ?? null);
    });
    for (let i = 0; i < found.length; i++) {
      const { col, column } = found[i]!;
      read[i] = reader.read(sheet, spec.name, r, col, column.header, raw ? typeOf!(column, raw) : column.type, column.list);
    }
    const record: Record<string, unknown> = { row: r + 1 };
    for (let i = 0; i < spec.columns.length; i++) {
      const slot = slots[i]!;
      record[spec.columns[i]!.key] = typedValue(spec.columns[i]!, slot < 0 ? null : read[slot]!);
    }
    rows.push(record as RowOf<S>);
  }
  return rows;
}

// ---------- 单位信息 form ----------

function readInfo(grid: WorkbookGrid, reader: Reader, cells: CellMap): UnitInfo {
  const values = new Map<string, CellValue>();
  const sheet = findSheet(grid, INFO_SHEET.name);
  if (!sheet) {
    reader.error('sheet.missing', `缺少工作表“${INFO_SHEET.name}”`, INFO_SHEET.name);
  } else {
    // The label column is the one headed 项目 (A unless the unit moved it); contents sit next to it.
    let labelCol = 0;
    let valueCol = 1;
    const labelHeader = headerKey(INFO_SHEET.headers[0]);
    const valueHeader = headerKey(INFO_SHEET.headers[1]);
    for (let r = 0; r < Math.min(HEADER_SEARCH_ROWS, sheet.values.length); r += 1) {
      const row = sheet.values[r] ?? [];
      const l = row.findIndex((_, c) => headerKey(textAt(sheet, r, c)) === labelHeader);
      const v = row.findIndex((_, c) => headerKey(textAt(sheet, r, c)) === valueHeader);
      if (l >= 0) {
        labelCol = l;
        valueCol = v >= 0 ? v : l + 1;
        break;
      }
    }
    const rowOfLabel = new Map<string, number>();
    sheet.values.forEach((_, r) => {
      const key = headerKey(textAt(sheet, r, labelCol));
      if (key && !rowOfLabel.has(key)) rowOfLabel.set(key, r);
    });
    for (const field of INFO_SHEET.fields) {
      const r = rowOfLabel.get(headerKey(field.label));
      if (r === undefined) {
        reader.error(
          'field.missing',
          `工作表“${INFO_SHEET.name}”缺少“${field.label}”一行，请恢复该行（不要改名或删除）`,
          INFO_SHEET.name,
          cellAddress(0, labelCol),
        );
        continue;
      }
      cells.info[field.key as keyof UnitInfo] = cellAddress(r, valueCol);
      values.set(
        field.key,
        reader.read(sheet, INFO_SHEET.name, r, valueCol, field.label, field.type, field.list),
      );
    }
  }
  return typedFields(INFO_SHEET.fields, (key) => values.get(key) ?? null);
}

// ---------- _meta ----------

function readMeta(grid: WorkbookGrid): WorkbookMeta | null {
  const sheet = findSheet(grid, META_SHEET.name);
  if (!sheet) return null;
  const found = new Map<string, string>();
  sheet.values.forEach((_, r) => {
    const key = textAt(sheet, r, 0);
    if ((META_KEYS as readonly string[]).includes(key) && !found.has(key))
      found.set(key, textAt(sheet, r, 1));
  });
  const get = (k: (typeof META_KEYS)[number]): string => found.get(k) ?? '';
  const submittedAt = get('submittedAt');
  const contentHash = get('contentHash');
  const review = { reviewedBy: get('reviewedBy'), reviewedAt: get('reviewedAt'), reviewSeal: get('reviewSeal') };
  return {
    templateVersion: get('templateVersion'),
    planId: get('planId'),
    planHash: get('planHash'),
    unitId: get('unitId'),
    createdAt: get('createdAt'),
    ...(submittedAt ? { submittedAt } : {}),
    ...(contentHash ? { contentHash } : {}),
    ...(review.reviewSeal ? review : {}),
  };
}

// ---------- 考核评分: 否决 rows hold 是/否 in the score columns ----------

function scoreColumnType(column: ColumnSpec, raw: (key: string) => RawValue): ColumnType {
  if (!column.yesNoOnVeto) return column.type;
  const method = readList(raw('method'), LISTS.method);
  return method.ok && method.value === '否决' ? 'yesno' : column.type;
}

// ---------- the workbook ----------

export function parseWorkbook(grid: WorkbookGrid, file?: string): ParseResult {
  const reader = new Reader(grid.date1904 === true, file);
  const cells: CellMap = { columns: {}, info: {} };
  const contractNames = [INFO_SHEET.name, ...TABLE_SHEETS.map((s) => s.name)];
  if (!contractNames.some((name) => findSheet(grid, name))) {
    reader.error(
      'workbook.unrecognised',
      `这不是考核填报工作簿：找不到“${contractNames.join('”“')}”等工作表。请使用领导小组办公室下发的工作簿填报`,
      '',
    );
    return { submission: null, problems: reader.problems, cells };
  }

  const info = readInfo(grid, reader, cells);
  const rows = <S extends TableSheet>(spec: S): RowOf<S>[] => readTable(grid, spec, reader, cells) ?? [];
  const keyTasks = rows(KEY_TASKS_SHEET);
  const scores = readTable(grid, SCORES_SHEET, reader, cells, scoreColumnType) ?? [];
  const complaints = rows(COMPLAINTS_SHEET);
  const problems = rows(PROBLEMS_SHEET);
  const rules = rows(RULES_SHEET);
  const nominations = rows(NOMINATIONS_SHEET);

  const submission: Submission = {
    ...(file ? { file } : {}),
    meta: readMeta(grid),
    info,
    keyTasks,
    scores,
    complaints,
    problems,
    rules,
    nominations,
  };
  return { submission, problems: reader.problems, cells };
}
