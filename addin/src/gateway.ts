// The only module that touches Excel. Everything else sees plain grids and Chinese
// error messages, so the controller and the UI can be tested without a spreadsheet.

import type { RawValue, SheetGrid, WorkbookGrid } from '../../core/types.ts';
import type { SheetSpec } from '../../core/layout.ts';
import { columnLetter } from '../../core/layout.ts';
import {
  COLOURS,
  DATE_FORMAT,
  FONTS,
  FORM_WIDTHS,
  GUIDE_WIDTH,
  formLabelFont,
  guideFont,
  PROTECTION,
  RULE_COLOUR,
  assessorRowRanges,
  inputLastRow,
  inputRule,
  ruledRows,
  unitColumn,
} from '../../core/look.ts';
import type { FontLook, InputRule } from '../../core/look.ts';

// ---------- The subset of the Excel JavaScript API the gateway uses ----------
// Declared narrowly so the in-memory fake (test/addin-fake.ts) can implement exactly this.

export interface XlRange {
  readonly isNullObject: boolean;
  readonly rowIndex: number;
  readonly columnIndex: number;
  values: unknown[][];
  numberFormat: unknown[][];
  load(properties: string | string[]): XlRange;
  select(): void;
  clear(): void;
  readonly format: {
    readonly font: { bold: boolean; color: string; name: string; size: number };
    readonly fill: { color: string };
    readonly borders: { getItem(index: string): { style: string; weight: string; color: string } };
    columnWidth: number;
    wrapText: boolean;
    verticalAlignment: string;
    horizontalAlignment: string;
    readonly protection: { locked: boolean };
  };
  readonly dataValidation: { rule: unknown; prompt: unknown; errorAlert: unknown; clear(): void };
}

/** An Office.js event source: handlers added inside Excel.run stay registered after it. */
export interface XlEvent<E> {
  add(handler: (event: E) => Promise<void>): unknown;
}

export interface XlWorksheet {
  readonly isNullObject: boolean;
  readonly id: string;
  readonly name: string;
  visibility: string;
  getRange(address?: string): XlRange;
  getUsedRangeOrNullObject(valuesOnly?: boolean): XlRange;
  activate(): void;
  delete(): void;
  load(properties: string | string[]): XlWorksheet;
  readonly freezePanes: { freezeRows(count: number): void };
  readonly protection: { protect(options?: ProtectionOptions, password?: string): void; unprotect(password?: string): void };
  /** ExcelApi 1.7: the per-sheet change event, the only one Office 2019 has. */
  readonly onChanged: XlEvent<XlChangeEvent>;
}

export interface ProtectionOptions {
  allowFormatColumns?: boolean;
  allowFormatRows?: boolean;
  allowInsertRows?: boolean;
  allowSort?: boolean;
  allowAutoFilter?: boolean;
}

export interface XlChangeEvent {
  worksheetId: string;
  address: string;
}

export interface XlWorksheetCollection {
  readonly items: XlWorksheet[];
  getItem(name: string): XlWorksheet;
  getItemOrNullObject(name: string): XlWorksheet;
  add(name: string): XlWorksheet;
  load(properties: string | string[]): XlWorksheetCollection;
  /** ExcelApi 1.9: office.js throws ApiNotFound on touching it below that. */
  readonly onChanged: XlEvent<XlChangeEvent>;
  /** ExcelApi 1.7. */
  readonly onActivated: XlEvent<{ worksheetId: string }>;
}

export interface XlContext {
  readonly workbook: { readonly worksheets: XlWorksheetCollection };
  readonly runtime: { enableEvents: boolean };
  sync(): Promise<void>;
}

export interface XlHost {
  run<T>(options: { delayForCellEdit: boolean }, batch: (context: XlContext) => Promise<T>): Promise<T>;
  isSetSupported(set: string, version: string): boolean;
}

/** The real host: Office.js in Excel. The single cast lives here. */
export function officeHost(office: typeof Office = Office, excel: typeof Excel = Excel): XlHost {
  return {
    run: (options, batch) => excel.run(options, (context) => batch(context as unknown as XlContext)),
    isSetSupported: (set, version) => office.context.requirements.isSetSupported(set, version),
  };
}

// ---------- Gateway ----------

/** `excel`: the failure came from Excel (worth a 重试), not from a check of the workbook. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string; excel?: true };

export type CellInput = string | number | boolean | null;

export interface SheetChange {
  sheetId: string;
  address: string;
}

export interface LayoutContent {
  guide: string[][];
  /** Each sheet's rows from row 1: the header row, then the prefilled rows. */
  sheets: { sheet: SheetSpec; rows: CellInput[][] }[];
  meta: { sheetName: string; rows: CellInput[][] };
}

export interface LayoutReport {
  sheetsWritten: string[];
  /** False when the host lacks ExcelApi 1.8: the workbook has no dropdowns, the add-in's check still guards. */
  dropdowns: boolean;
}

export interface Capabilities {
  dataValidation: boolean;
  eventsControl: boolean;
}

export interface Gateway {
  readonly capabilities: Capabilities;
  readSheets(names: readonly string[]): Promise<Outcome<WorkbookGrid>>;
  writeSheet(name: string, rows: CellInput[][], startCell?: string, options?: { asText?: boolean }): Promise<Outcome<void>>;
  selectCell(sheet: string, a1: string): Promise<Outcome<void>>;
  activateSheet(name: string): Promise<Outcome<void>>;
  createWorkbookLayout(content: LayoutContent): Promise<Outcome<LayoutReport>>;
  /**
   * Calls the handler on every edit of the given sheets: per sheet on ExcelApi 1.7, one
   * workbook-wide subscription where 1.9 is supported. Sheets made later by
   * createWorkbookLayout are watched too.
   */
  onChanged(sheets: readonly string[], handler: (change: SheetChange) => void): Promise<Outcome<void>>;
  /** Calls the handler with the sheet's name whenever the user switches sheets (ExcelApi 1.7). */
  onActivated(handler: (sheet: string) => void): Promise<Outcome<void>>;
  /**
   * Opens a protected sheet with the password. Excel itself checks it: a wrong one is refused and
   * the sheet stays protected. `checked` is false when the sheet had no password to check against.
   */
  unlockSheet(name: string, password: string): Promise<Outcome<{ checked: boolean }>>;
  /** Protects a sheet again (as the layout does) with the password. */
  lockSheet(name: string, password: string): Promise<Outcome<void>>;
  /**
   * Writes locked cells of a sheet protected without a password (a score sheet's 合计 rows): opens
   * it, writes, protects it again with `protection`, in one request.
   */
  writeLocked(name: string, writes: readonly { startCell: string; rows: CellInput[][] }[], protection: SheetProtection): Promise<Outcome<void>>;
}

/** What a protected sheet allows, as core/look.ts and core/scoresheet.ts define it. */
export interface SheetProtection {
  formatColumns: boolean;
  formatRows: boolean;
  insertRows: boolean;
  sort: boolean;
  autoFilter: boolean;
}

/** A protection of core/ in Office.js's terms (WorksheetProtectionOptions, ExcelApi 1.2). */
function protectionOptions(p: SheetProtection): ProtectionOptions {
  return {
    allowFormatColumns: p.formatColumns,
    allowFormatRows: p.formatRows,
    allowInsertRows: p.insertRows,
    allowSort: p.sort,
    allowAutoFilter: p.autoFilter,
  };
}

/** Excel on the web rejects a request above 5 MB; stay well below it, envelope included. */
export const REQUEST_BUDGET_BYTES = 4 * 1024 * 1024;

/** On ExcelApi 1.7 events cannot be switched off, so our own writes' echoes are ignored this long. */
const OWN_WRITE_QUIET_MS = 800;

const EXCEL_ERRORS = new Set([
  '#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA',
  '#SPILL!', '#CALC!', '#BUSY!', '#FIELD!', '#CONNECT!', '#BLOCKED!', '#UNKNOWN!',
]);

/** Points per character of the layout's column widths (Excel's default font). */
const POINTS_PER_CHAR = 6;
const LAST_EXCEL_ROW = 1_048_576;
/** core/look.ts's protection of a unit workbook's sheets. */
const PROTECTION_OPTIONS: ProtectionOptions = protectionOptions(PROTECTION);

/** UTF-8 length without TextEncoder (absent in Internet Explorer 11). */
export function estimateBytes(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Splits rows into runs whose payload stays under the budget; a run holds at least one row. */
export function chunkRows<T>(rows: T[][], budget: number = REQUEST_BUDGET_BYTES, perRowFactor = 1): T[][][] {
  const chunks: T[][][] = [];
  let current: T[][] = [];
  let size = 0;
  for (const row of rows) {
    const rowBytes = (estimateBytes(row) + 1) * perRowFactor;
    if (current.length > 0 && size + rowBytes > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += rowBytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The gateway declining on purpose; its message is already for the filler. */
class GatewayRefusal extends Error {}

/**
 * What each Excel.ErrorCodes value (node_modules/@types/office-js/index.d.ts) means for a filler,
 * in Chinese: Office.js's own message is English and never shown. Codes not listed get the general
 * sentence; every one of them comes with a 重试 button in the pane.
 */
const EXCEL_ERROR_TEXT: Record<string, string> = {
  AccessDenied: '工作表已保护，请先撤销保护（审阅 → 撤销工作表保护）后再试。',
  InvalidOperationInCellEditMode: '请先完成单元格编辑（按 Enter 或 Esc）后再试。',
  RequestPayloadSizeLimitExceeded: '一次写入的数据超过 Excel 的大小限制，请减少数据后再试。',
  ResponsePayloadSizeLimitExceeded: '工作表中的数据太多，Excel 一次读不完，请删去多余的空行后再试。',
  ItemNotFound: '找不到所需的工作表，请确认这是考核填报表且未删除或改名工作表。',
  ItemAlreadyExists: '工作簿中已有同名的工作表，请新建一个空白工作簿再试。',
  ApiNotFound: '当前 Excel 版本不支持这项操作，请升级到 Excel 2019 或更新版本，或使用 Excel 网页版。',
  NotImplemented: '当前 Excel 版本不支持这项操作，请升级到 Excel 2019 或更新版本，或使用 Excel 网页版。',
  UnsupportedOperation: '当前 Excel 版本不支持这项操作，请升级到 Excel 2019 或更新版本，或使用 Excel 网页版。',
  Conflict: '工作簿正被其他人或其他操作修改，请稍候再试。',
  InsertDeleteConflict: '工作簿正被其他人或其他操作修改，请稍候再试。',
  RequestAborted: 'Excel 中断了这次操作，请稍候再试。',
  ActivityLimitReached: 'Excel 暂时忙不过来，请稍候再试。',
  Timeout: 'Excel 响应超时，请稍候再试。',
  InactiveWorkbook: '请先切换到这个工作簿的窗口，再试一次。',
  UnsupportedSheet: '当前选中的不是普通工作表，请选中一个工作表后再试。',
  InvalidSelection: '请先选中工作表中的单元格，再试一次。',
  FilteredRangeConflict: '工作表处于筛选状态，请先清除筛选（数据 → 清除）后再试。',
  MergedRangeConflict: '工作表中有合并的单元格挡住了写入，请取消合并后再试。',
  RangeExceedsLimit: '一次处理的单元格太多，请删去多余的空行后再试。',
  OperationCellsExceedLimit: '一次处理的单元格太多，请删去多余的空行后再试。',
};

const GENERAL_EXCEL_ERROR = 'Excel 未能完成这项操作，请点击“重试”。如果一再出现，请保存并关闭工作簿，重新打开后再试。';

/** Turns what Excel threw into a sentence a filler can act on. */
export function describeExcelError(error: unknown): string {
  if (error instanceof GatewayRefusal) return error.message;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return EXCEL_ERROR_TEXT[code] ?? GENERAL_EXCEL_ERROR;
}

function toRawValue(value: unknown): RawValue {
  if (value === '' || value === null || value === undefined) return null;
  if (typeof value === 'string' && EXCEL_ERRORS.has(value)) return { error: value };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

function parseCell(a1: string): { row: number; col: number } {
  const match = /^([A-Z]+)(\d+)$/.exec(a1.toUpperCase());
  if (!match) throw new Error(`bad cell address ${a1}`);
  let col = 0;
  for (const ch of match[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(match[2]) - 1, col: col - 1 };
}

function rangeAddress(row: number, col: number, rows: number, cols: number): string {
  return `${columnLetter(col)}${row + 1}:${columnLetter(col + cols - 1)}${row + rows}`;
}

/** Pads ragged rows to one width; null becomes '' so a write clears rather than skips. */
function rectangular(rows: CellInput[][]): (string | number | boolean)[][] {
  const width = Math.max(1, ...rows.map((r) => r.length));
  return rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
}

export function createGateway(host: XlHost): Gateway {
  const capabilities: Capabilities = {
    dataValidation: host.isSetSupported('ExcelApi', '1.8'),
    eventsControl: host.isSetSupported('ExcelApi', '1.8'),
  };
  const workbookWideEvents = host.isSetSupported('ExcelApi', '1.9');
  let quietUntil = 0;
  /** The pane's change handler and the sheets it watches; per-sheet subscriptions made so far. */
  let watcher: { sheets: readonly string[]; handler: (change: SheetChange) => void } | null = null;
  const watched = new Set<string>();

  function changed(event: XlChangeEvent): Promise<void> {
    if (!(Date.now() < quietUntil && !capabilities.eventsControl)) watcher?.handler({ sheetId: event.worksheetId, address: event.address });
    return Promise.resolve();
  }

  /** On 1.7 hosts: subscribes each watched sheet present and not yet subscribed (sheets are listed, then subscribed). */
  async function watchSheets(context: XlContext): Promise<void> {
    if (!watcher || workbookWideEvents) return;
    const worksheets = context.workbook.worksheets;
    worksheets.load('items/name');
    await context.sync();
    const present = new Set(worksheets.items.map((s) => s.name));
    const fresh = watcher.sheets.filter((name) => present.has(name) && !watched.has(name));
    for (const name of fresh) worksheets.getItem(name).onChanged.add(changed);
    await context.sync();
    for (const name of fresh) watched.add(name);
  }

  async function attempt<T>(batch: (context: XlContext) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; cause: unknown }> {
    try {
      return { ok: true, value: await host.run({ delayForCellEdit: true }, batch) };
    } catch (cause) {
      return { ok: false, cause };
    }
  }

  async function run<T>(batch: (context: XlContext) => Promise<T>): Promise<Outcome<T>> {
    const result = await attempt(batch);
    if (result.ok) return result;
    // A refusal is the gateway's own judgement: repeating it would change nothing.
    return result.cause instanceof GatewayRefusal ? { ok: false, error: result.cause.message } : { ok: false, error: describeExcelError(result.cause), excel: true };
  }

  /** Our own writes must not re-trigger validation: switch events off where the host allows it. */
  async function writing<T>(context: XlContext, body: () => Promise<T>): Promise<T> {
    if (capabilities.eventsControl) context.runtime.enableEvents = false;
    // Echoes may arrive while the write is still in flight, not only after it.
    quietUntil = Number.POSITIVE_INFINITY;
    try {
      return await body();
    } finally {
      if (capabilities.eventsControl) {
        context.runtime.enableEvents = true;
        await context.sync();
      }
      quietUntil = Date.now() + OWN_WRITE_QUIET_MS;
    }
  }

  /** Queues a rectangular write split into requests under the size budget; syncs every full chunk. */
  async function queueRows(
    context: XlContext,
    sheet: XlWorksheet,
    rows: CellInput[][],
    start: { row: number; col: number },
    asText: boolean,
  ): Promise<void> {
    const grid = rectangular(rows);
    const chunks = chunkRows(grid, REQUEST_BUDGET_BYTES, asText ? 2 : 1);
    let row = start.row;
    for (const [i, chunk] of chunks.entries()) {
      const range = sheet.getRange(rangeAddress(row, start.col, chunk.length, chunk[0]!.length));
      if (asText) range.numberFormat = chunk.map((r) => r.map(() => '@'));
      range.values = chunk;
      row += chunk.length;
      if (i < chunks.length - 1) await context.sync();
    }
  }

  return {
    capabilities,

    readSheets: async (names) => {
      const once = await attempt((context) => readBatch(context, names));
      if (once.ok) return once;
      if (!isMissingItem(once.cause)) return { ok: false, error: describeExcelError(once.cause), excel: true };
      // A host that will not chain off a missing sheet: learn which sheets exist, then read those.
      return run(async (context) => {
        const worksheets = context.workbook.worksheets;
        worksheets.load('items/name');
        await context.sync();
        const present = new Set(worksheets.items.map((s) => s.name));
        return readBatch(context, names.filter((n) => present.has(n)));
      });
    },

    writeSheet: (name, rows, startCell = 'A1', options = {}) =>
      run(async (context) => {
        const sheet = context.workbook.worksheets.getItem(name);
        await writing(context, async () => {
          await queueRows(context, sheet, rows, parseCell(startCell), options.asText ?? false);
          if (!capabilities.eventsControl) await context.sync();
        });
      }),

    selectCell: (sheetName, a1) =>
      run(async (context) => {
        const sheet = context.workbook.worksheets.getItem(sheetName);
        sheet.activate();
        sheet.getRange(a1).select();
        await context.sync();
      }),

    onActivated: (handler) =>
      run(async (context) => {
        context.workbook.worksheets.onActivated.add(async (event) => {
          // getItem takes a sheet's id as well as its name.
          const named = await attempt(async (c) => {
            const sheet = c.workbook.worksheets.getItem(event.worksheetId);
            sheet.load('name');
            await c.sync();
            return sheet.name;
          });
          if (named.ok) handler(named.value);
        });
        await context.sync();
      }),

    unlockSheet: async (name, password) => {
      // First without a password: it works only on a sheet that has none, and then there is
      // nothing to check the typed one against.
      const open = await attempt(async (context) => {
        context.workbook.worksheets.getItem(name).protection.unprotect();
        await context.sync();
      });
      if (open.ok) return { ok: true, value: { checked: false } };
      const unlocked = await attempt(async (context) => {
        context.workbook.worksheets.getItem(name).protection.unprotect(password);
        await context.sync();
      });
      if (unlocked.ok) return { ok: true, value: { checked: true } };
      const code = typeof unlocked.cause === 'object' && unlocked.cause !== null && 'code' in unlocked.cause ? unlocked.cause.code : '';
      // Excel answers a wrong password with InvalidArgument (WorksheetProtection.pauseProtection's documented error).
      if (code === 'InvalidArgument' || code === 'AccessDenied') return { ok: false, error: '审核密码不正确，请向领导小组办公室确认后重新输入。' };
      return { ok: false, error: describeExcelError(unlocked.cause), excel: true };
    },

    lockSheet: (name, password) =>
      run(async (context) => {
        context.workbook.worksheets.getItem(name).protection.protect(PROTECTION_OPTIONS, password);
        await context.sync();
      }),

    writeLocked: (name, writes, protection) =>
      run(async (context) => {
        const sheet = context.workbook.worksheets.getItem(name);
        await writing(context, async () => {
          sheet.protection.unprotect();
          for (const w of writes) await queueRows(context, sheet, w.rows, parseCell(w.startCell), false);
          sheet.protection.protect(protectionOptions(protection));
          await context.sync();
        });
      }),

    activateSheet: (name) =>
      run(async (context) => {
        context.workbook.worksheets.getItem(name).activate();
        await context.sync();
      }),

    createWorkbookLayout: (content) =>
      run(async (context) => {
        const worksheets = context.workbook.worksheets;
        worksheets.load('items/name');
        await context.sync();
        const bodies = new Map<string, CellInput[][]>([
          ...content.sheets.map(({ sheet, rows }): [string, CellInput[][]] => [sheet.name, sheet.kind === 'plain' && sheet.key === 'guide' ? content.guide : rows]),
          [content.meta.sheetName, content.meta.rows],
        ]);
        // Resumable: a sheet with one of the layout's names is taken over only when it holds nothing
        // but what this layout writes there, i.e. an earlier attempt left it; anything else is the user's.
        const existing = worksheets.items
          .filter((s) => bodies.has(s.name))
          .map((s) => ({ name: s.name, used: s.getUsedRangeOrNullObject(true).load(['values', 'rowIndex', 'columnIndex']) }));
        // Only an empty default sheet ("Sheet1") goes; a sheet with anything in it is the user's.
        const others = worksheets.items
          .filter((s) => !bodies.has(s.name))
          .map((o) => ({ name: o.name, used: o.getUsedRangeOrNullObject().load('rowIndex') }));
        await context.sync();
        const foreign = existing.find((e) => !e.used.isNullObject && !holdsOnly(e.used, bodies.get(e.name)!));
        if (foreign) {
          throw new GatewayRefusal(
            `工作簿中已有名为“${foreign.name}”的工作表，且其中有其他内容。为免覆盖，请新建一个空白工作簿再创建填报表（如果是上次未完成的填报表，请选择与上次相同的单位）。`,
          );
        }
        const resumed = new Set(existing.map((e) => e.name));
        const strangers = others.filter((o) => o.used.isNullObject).map((o) => o.name);
        /** A sheet of this layout: the one an interrupted attempt left, cleared, or a new one. */
        const fresh = (name: string): XlWorksheet => {
          if (!resumed.has(name)) return worksheets.add(name);
          const sheet = worksheets.getItem(name);
          sheet.protection.unprotect();
          sheet.getRange().clear();
          if (capabilities.dataValidation) sheet.getRange().dataValidation.clear();
          return sheet;
        };
        const sheetsWritten: string[] = [];
        await writing(context, async () => {
          for (const { sheet: spec } of content.sheets) {
            const sheet = fresh(spec.name);
            const body = bodies.get(spec.name)!;
            await queueRows(context, sheet, body, { row: 0, col: 0 }, false);
            formatSheet(sheet, spec, body, capabilities.dataValidation);
            sheetsWritten.push(spec.name);
            // One sheet per request keeps every request far below the size limit.
            await context.sync();
          }
          // `_meta` last: its presence is what marks a finished layout.
          const meta = fresh(content.meta.sheetName);
          await queueRows(context, meta, content.meta.rows, { row: 0, col: 0 }, true);
          meta.visibility = 'VeryHidden';
          sheetsWritten.push(content.meta.sheetName);
          for (const name of strangers) worksheets.getItem(name).delete();
          const first = content.sheets[0];
          if (first) worksheets.getItem(first.sheet.name).activate();
          if (!capabilities.eventsControl) await context.sync();
        });
        await watchSheets(context);
        return { sheetsWritten, dropdowns: capabilities.dataValidation };
      }),

    onChanged: (sheets, handler) =>
      run(async (context) => {
        watcher = { sheets, handler };
        if (!workbookWideEvents) return watchSheets(context);
        context.workbook.worksheets.onChanged.add(changed);
        await context.sync();
      }),
  };
}

/** Whether every non-blank cell of a used range equals what the layout writes at that place. */
function holdsOnly(used: XlRange, body: CellInput[][]): boolean {
  const blank = (v: unknown): boolean => v === '' || v === null || v === undefined;
  return used.values.every((row, r) =>
    row.every((value, c) => {
      if (blank(value)) return true;
      const expected = body[used.rowIndex + r]?.[used.columnIndex + c];
      return !blank(expected) && String(expected) === String(value);
    }),
  );
}

function isMissingItem(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ItemNotFound';
}

/** Queues every sheet's used range (values and number formats), then one sync for all of them. */
async function readBatch(context: XlContext, names: readonly string[]): Promise<WorkbookGrid> {
  const ranges = names.map((name) => {
    const sheet = context.workbook.worksheets.getItemOrNullObject(name);
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load(['values', 'numberFormat', 'rowIndex', 'columnIndex']);
    return { name, sheet, used };
  });
  await context.sync();
  const sheets: Record<string, SheetGrid> = {};
  for (const { name, sheet, used } of ranges) {
    if (sheet.isNullObject) continue;
    if (used.isNullObject) {
      sheets[name] = { values: [], numberFormats: [] };
      continue;
    }
    // The used range may start below or right of A1; the core counts from A1.
    const pad = <T>(row: T[], fill: T): T[] => [...Array<T>(used.columnIndex).fill(fill), ...row];
    const lead = Array.from({ length: used.rowIndex }, () => [] as never[]);
    sheets[name] = {
      values: [...lead, ...used.values.map((r) => pad(r.map(toRawValue), null))],
      numberFormats: [...lead, ...used.numberFormat.map((r) => pad(r.map((f) => (typeof f === 'string' ? f : null)), null))],
    };
  }
  return { sheets };
}

/** core/look.ts's input rule as Office.js data validation (ExcelApi 1.8): list, prompt, error alert. */
function applyInputRule(range: XlRange, rule: InputRule | null): void {
  if (!rule) return;
  const validation = range.dataValidation;
  if (rule.list) validation.rule = { list: { inCellDropDown: true, source: rule.list.join(',') } };
  if (rule.prompt) validation.prompt = { showPrompt: true, title: rule.prompt.title, message: rule.prompt.message };
  if (rule.error) validation.errorAlert = { showAlert: true, style: 'Stop', title: rule.error.title, message: rule.error.message };
}

/** RangeFormat.font's name, size and bold are [Api set: ExcelApi 1.1]. */
function applyFont(range: XlRange, font: FontLook): void {
  range.format.font.name = font.name;
  range.format.font.size = font.size;
  range.format.font.bold = font.bold;
}

/** Thin lines round every cell of a range (RangeBorderCollection.getItem: [Api set: ExcelApi 1.1]). */
function rule(range: XlRange): void {
  for (const index of ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight', 'InsideVertical', 'InsideHorizontal']) {
    const border = range.format.borders.getItem(index);
    border.style = 'Continuous';
    border.weight = 'Thin';
    border.color = RULE_COLOUR;
  }
}

function formatHeader(sheet: XlWorksheet, fills: readonly string[]): void {
  fills.forEach((fill, i) => {
    const cell = sheet.getRange(rangeAddress(0, i, 1, 1));
    cell.format.fill.color = fill;
  });
  const header = sheet.getRange(rangeAddress(0, 0, 1, fills.length));
  applyFont(header, FONTS.header);
  header.format.wrapText = true;
  header.format.verticalAlignment = 'Center';
  header.format.horizontalAlignment = 'Center';
  sheet.freezePanes.freezeRows(1);
}

/** The look of core/look.ts, as generator/xlsx/unit-workbook.ts gives it to the CLI's workbooks. */
function formatSheet(sheet: XlWorksheet, spec: SheetSpec, rows: CellInput[][], dropdowns: boolean): void {
  if (spec.kind === 'plain') {
    const column = sheet.getRange('A:A');
    column.format.columnWidth = GUIDE_WIDTH * POINTS_PER_CHAR;
    column.format.wrapText = true;
    rows.forEach((row, i) => applyFont(sheet.getRange(`A${i + 1}`), guideFont(i, String(row[0] ?? ''))));
    return;
  }
  if (spec.kind === 'form') {
    applyFont(sheet.getRange('A:B'), FONTS.body);
    rule(sheet.getRange(rangeAddress(0, 0, ruledRows(spec, spec.fields.length), spec.headers.length)));
    formatHeader(sheet, spec.headers.map(() => COLOURS.header));
    FORM_WIDTHS.forEach((width, i) => {
      sheet.getRange(`${columnLetter(i)}:${columnLetter(i)}`).format.columnWidth = width * POINTS_PER_CHAR;
    });
    sheet.getRange(`A2:A${spec.fields.length + 1}`).format.fill.color = COLOURS.fixed;
    spec.fields.forEach((field, i) => {
      if (formLabelFont(field) !== FONTS.body) applyFont(sheet.getRange(`A${i + 2}`), formLabelFont(field));
      const cell = sheet.getRange(`B${i + 2}`);
      if (field.type === 'date') cell.numberFormat = [[DATE_FORMAT]];
      if (field.editor === 'fixed') cell.format.fill.color = COLOURS.fixed;
      else cell.format.protection.locked = false;
      if (dropdowns) applyInputRule(cell, inputRule(field, field.label));
    });
    sheet.protection.protect(PROTECTION_OPTIONS);
    return;
  }
  applyFont(sheet.getRange(`A:${columnLetter(spec.columns.length - 1)}`), FONTS.body);
  rule(sheet.getRange(rangeAddress(0, 0, ruledRows(spec, rows.length - 1), spec.columns.length)));
  formatHeader(sheet, spec.columns.map((c) => (c.editor === 'review' ? COLOURS.reviewHeader : COLOURS.header)));
  const lastRow = inputLastRow(spec, rows.length - 1);
  spec.columns.forEach((column, i) => {
    const letter = columnLetter(i);
    sheet.getRange(`${letter}:${letter}`).format.columnWidth = column.width * POINTS_PER_CHAR;
    if (column.type === 'date') {
      sheet.getRange(`${letter}2:${letter}${lastRow}`).numberFormat = Array.from({ length: lastRow - 1 }, () => [DATE_FORMAT]);
    }
    // One rule per column range: per-cell rules bloat the file and the request.
    if (dropdowns) applyInputRule(sheet.getRange(`${letter}2:${letter}${lastRow}`), inputRule(column, column.header));
    if (column.editor === 'fixed' && rows.length > 1) sheet.getRange(`${letter}2:${letter}${rows.length}`).format.fill.color = COLOURS.fixed;
    // The unit's columns are open down the sheet, so rows a unit adds later are open too; the
    // assessors' stay locked (Excel's default) until review mode unprotects the sheet.
    if (unitColumn(column)) sheet.getRange(`${letter}2:${letter}${LAST_EXCEL_ROW}`).format.protection.locked = false;
  });
  for (const range of assessorRowRanges(spec, rows)) sheet.getRange(range).format.protection.locked = true;
  sheet.protection.protect(PROTECTION_OPTIONS);
}
