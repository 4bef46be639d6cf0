// The only module that touches Excel. Everything else sees plain grids and Chinese
// error messages, so the controller and the UI can be tested without a spreadsheet.

import type { SheetGrid, WorkbookGrid } from '../../core/types.ts';
import { DATE_FORMAT, PROTECTION, RULE_COLOUR } from '../../core/look.ts';
import type { FontLook, InputRule } from '../../core/look.ts';
import {
  GatewayRefusal,
  SHEET_PROTECTED,
  WRONG_PASSWORD,
  foreignSheetRefusal,
  fromA1,
  holdsOnly,
  layoutBodies,
  parseCell,
  parseRange,
  rangeAddress,
  rectangular,
  toRawValue,
} from '../ui/gateway.ts';
import type { Capabilities, CellInput, Gateway, Outcome, SheetChange, SheetProtection } from '../ui/gateway.ts';
import { LAST_ROW, sheetLayout } from '../ui/layout-ops.ts';
import type { LayoutOp } from '../ui/layout-ops.ts';

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

/** Points per character of the layout's column widths (Excel's default font). */
const POINTS_PER_CHAR = 6;
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

/**
 * What each Excel.ErrorCodes value (node_modules/@types/office-js/index.d.ts) means for a filler,
 * in Chinese: Office.js's own message is English and never shown. Codes not listed get the general
 * sentence; every one of them comes with a 重试 button in the pane.
 */
const EXCEL_ERROR_TEXT: Record<string, string> = {
  AccessDenied: SHEET_PROTECTED,
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
    return result.cause instanceof GatewayRefusal ? { ok: false, error: result.cause.message } : { ok: false, error: describeExcelError(result.cause), host: true };
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
      if (!isMissingItem(once.cause)) return { ok: false, error: describeExcelError(once.cause), host: true };
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
      if (code === 'InvalidArgument' || code === 'AccessDenied') return { ok: false, error: WRONG_PASSWORD };
      return { ok: false, error: describeExcelError(unlocked.cause), host: true };
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
        const bodies = layoutBodies(content);
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
        const foreign = existing.find((e) => !e.used.isNullObject && !holdsOnly(e.used.values, e.used.rowIndex, e.used.columnIndex, bodies.get(e.name)!));
        if (foreign) throw foreignSheetRefusal(foreign.name);
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
            for (const op of sheetLayout(spec, body, capabilities.dataValidation)) applyOp(sheet, op);
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
    sheets[name] = {
      values: fromA1(used.values.map((r) => r.map(toRawValue)), used.rowIndex, used.columnIndex, null),
      numberFormats: fromA1(used.numberFormat.map((r) => r.map((f) => (typeof f === 'string' ? f : null))), used.rowIndex, used.columnIndex, null),
    };
  }
  return { sheets };
}

/** core/look.ts's input rule as Office.js data validation (ExcelApi 1.8): list, prompt, error alert. */
function applyInputRule(range: XlRange, rule: InputRule): void {
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

/** One operation of the shared layout (addin/ui/layout-ops.ts) in Office.js's terms. */
function applyOp(sheet: XlWorksheet, op: LayoutOp): void {
  switch (op.op) {
    case 'font':
      return applyFont(sheet.getRange(op.range), op.font);
    case 'fill':
      sheet.getRange(op.range).format.fill.color = op.colour;
      return;
    case 'rule':
      return rule(sheet.getRange(op.range));
    case 'width':
      sheet.getRange(op.range).format.columnWidth = op.chars * POINTS_PER_CHAR;
      return;
    case 'wrap':
      sheet.getRange(op.range).format.wrapText = true;
      return;
    case 'centre': {
      const format = sheet.getRange(op.range).format;
      format.verticalAlignment = 'Center';
      format.horizontalAlignment = 'Center';
      return;
    }
    case 'dateFormat': {
      // Range.numberFormat takes one format per cell, in the range's shape.
      const { rows, cols } = parseRange(op.range, LAST_ROW);
      sheet.getRange(op.range).numberFormat = Array.from({ length: rows }, () => Array<string>(cols).fill(DATE_FORMAT));
      return;
    }
    case 'locked':
      sheet.getRange(op.range).format.protection.locked = op.locked;
      return;
    case 'input':
      return applyInputRule(sheet.getRange(op.range), op.rule);
    case 'freezeRows':
      return sheet.freezePanes.freezeRows(op.rows);
    case 'protect':
      return sheet.protection.protect(protectionOptions(op.protection));
  }
}
