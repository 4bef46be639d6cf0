// The only module that touches WPS 表格 (ET). The same Gateway as addin/excel/gateway.ts, over
// WPS's synchronous, 1-based, VBA-like object model. Types come from Kingsoft's declarations
// (node_modules/et-jsapi-declare/lib.et.d.ts, namespace Et; line numbers cited below), narrowed to
// what the gateway uses so the stand-in (test/wps-fake.ts) implements exactly this.
//
// What the declarations leave open, and how it is normalised here:
// - Value2 (lib.et.d.ts:1706, typed string | any[]) is a scalar for one cell and a 2D array for
//   more; numbers may arrive as BigInt; empties as null, undefined or ''. Dates are serials.
// - NumberFormat (lib.et.d.ts:1568) of a range whose cells differ is not one string (VBA gives
//   Null): read per column, per cell only where a column's cells differ.
// - UsedRange (lib.et.d.ts:4718) may start below or right of A1: padded back to A1 as core/ counts.
// - Whether SheetChange fires for the add-in's own writes: events are switched off while writing
//   (Application.EnableEvents, lib.et.d.ts:1119) and any echo of a range just written is dropped.
// - Application.Enum may be absent: numeric constants only, named after the declarations' enums.

import type { SheetGrid } from '../../core/types.ts';
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
  rangeAddress,
  rectangular,
  toRawValue,
} from '../ui/gateway.ts';
import type { Capabilities, CellInput, Gateway, Outcome, SheetChange, SheetProtection } from '../ui/gateway.ts';
import { sheetLayout } from '../ui/layout-ops.ts';
import type { LayoutOp } from '../ui/layout-ops.ts';

// ---------- The subset of the ET object model the gateway uses ----------

export interface EtRange
  extends Pick<Et.Range, 'Row' | 'Column' | 'Value2' | 'NumberFormat' | 'Locked' | 'ColumnWidth' | 'WrapText' | 'HorizontalAlignment' | 'VerticalAlignment' | 'Address' | 'Select' | 'Clear'> {
  readonly Rows: { readonly Count: number };
  readonly Columns: { readonly Count: number };
  readonly Font: Pick<Et.Font, 'Name' | 'Size' | 'Bold'>;
  readonly Interior: Pick<Et.Interior, 'Color'>;
  readonly Borders: { Item(index: Et.XlBordersIndex): Pick<Et.Border, 'LineStyle' | 'Weight' | 'Color'> };
  readonly Validation: Pick<
    Et.Validation,
    'Add' | 'Delete' | 'InCellDropdown' | 'ShowInput' | 'InputTitle' | 'InputMessage' | 'ShowError' | 'ErrorTitle' | 'ErrorMessage'
  >;
}

export interface EtWorksheet extends Pick<Et.Worksheet, 'Name' | 'Visible' | 'Activate' | 'Delete' | 'Protect' | 'Unprotect' | 'ProtectContents'> {
  Range(address: string): EtRange;
  readonly UsedRange: EtRange;
  readonly Cells: EtRange;
}

/** Sheets (lib.et.d.ts:7673): Item by 1-based index or name, Add(Before, After). */
export interface EtSheets {
  readonly Count: number;
  Item(index: number | string): EtWorksheet;
  Add(before?: EtWorksheet, after?: EtWorksheet): EtWorksheet;
}

/** WPS.EtApiEvent (addon.et.d.ts:10, :11): the two events the pane listens to. */
export interface EtApiEvent {
  AddApiEventListener(name: 'SheetChange', callback: (sheet: EtWorksheet, target: EtRange) => void): void;
  AddApiEventListener(name: 'SheetActivate', callback: (sheet: EtWorksheet) => void): void;
}

export interface EtApplication extends Pick<Et.Application, 'EnableEvents' | 'DisplayAlerts'> {
  readonly ActiveWorkbook: { readonly Worksheets: EtSheets } | null;
  readonly ActiveWindow: Pick<Et.Window, 'SplitRow' | 'SplitColumn' | 'FreezePanes'>;
  readonly ApiEvent: EtApiEvent;
}

/** The real host: WPS's global Application. The single cast lives here. */
export function wpsApplication(global: unknown = globalThis): EtApplication | null {
  const app = (global as { Application?: { ApiEvent?: unknown } | null }).Application;
  // Read, not `in`: the host's objects are bridged and need not list their members.
  return app && app.ApiEvent !== undefined ? (app as unknown as EtApplication) : null;
}

// ---------- Constants of the declarations' enums (Application.Enum may be missing) ----------

/** XlSheetVisibility.xlSheetVeryHidden (lib.et.d.ts:17451). */
const VERY_HIDDEN = 2;
/** XlDVType.xlValidateInputOnly / xlValidateList (lib.et.d.ts:17170, :17173). */
const VALIDATE_INPUT_ONLY = 0;
const VALIDATE_LIST = 3;
/** XlDVAlertStyle.xlValidAlertStop and XlFormatConditionOperator.xlBetween: 1 both. */
const ALERT_STOP = 1;
const BETWEEN = 1;
/** Constants.xlCenter (lib.et.d.ts:16264). */
const CENTRE = -4108;
/** XlLineStyle.xlContinuous (lib.et.d.ts:16509), XlBorderWeight.xlThin. */
const CONTINUOUS = 1;
const THIN = 2;
/** XlBordersIndex (lib.et.d.ts:17547): edges, then inside lines. */
const BORDERS: Et.XlBordersIndex[] = [8, 9, 7, 10, 11, 12];

/** How long an echo of the add-in's own write may still arrive (events may be queued). */
const OWN_WRITE_QUIET_MS = 800;

const GENERAL_WPS_ERROR = 'WPS 表格未能完成这项操作，请点击“重试”。如果一再出现，请保存并关闭工作簿，重新打开后再试。';
const NO_WORKBOOK = '请先在 WPS 表格中打开或新建一个工作簿，再点击“重试”。';

/** A failure of WPS whose meaning is known: its message is for the filler, and 重试 may help. */
class HostFailure extends Error {}

/** #RRGGBB → the BGR number Interior.Color and Border.Color take (VBA's RGB()). */
export function bgr(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
}

/** Value2 as rows: a single cell's scalar becomes [[v]]. */
export function valueRows(value: unknown): unknown[][] {
  if (!Array.isArray(value)) return [[value]];
  return value.map((row: unknown) => (Array.isArray(row) ? row : [row]));
}

function sheetNames(sheets: EtSheets): string[] {
  return Array.from({ length: sheets.Count }, (_, i) => sheets.Item(i + 1).Name);
}

/** Per-cell number formats of a used range: one read per column, per cell only where they differ. */
function numberFormats(sheet: EtWorksheet, used: EtRange, rows: number, cols: number): (string | null)[][] {
  const grid: (string | null)[][] = Array.from({ length: rows }, () => Array<string | null>(cols).fill(null));
  for (let c = 0; c < cols; c++) {
    const column = sheet.Range(rangeAddress(used.Row - 1, used.Column - 1 + c, rows, 1));
    const whole: unknown = column.NumberFormat;
    for (let r = 0; r < rows; r++) {
      const format: unknown = typeof whole === 'string' ? whole : sheet.Range(rangeAddress(used.Row - 1 + r, used.Column - 1 + c, 1, 1)).NumberFormat;
      grid[r]![c] = typeof format === 'string' ? format : null;
    }
  }
  return grid;
}

function readSheet(sheet: EtWorksheet): SheetGrid {
  const used = sheet.UsedRange;
  const values = valueRows(used.Value2);
  if (values.length === 1 && values[0]!.length === 1 && toRawValue(values[0]![0]) === null) return { values: [], numberFormats: [] };
  const cols = Math.max(...values.map((r) => r.length));
  return {
    values: fromA1(values.map((r) => r.map(toRawValue)), used.Row - 1, used.Column - 1, null),
    numberFormats: fromA1(numberFormats(sheet, used, values.length, cols), used.Row - 1, used.Column - 1, null),
  };
}

/** A protection of core/ as Worksheet.Protect's positional arguments (lib.et.d.ts:4762). */
function protect(sheet: EtWorksheet, p: SheetProtection, password?: string): void {
  // Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly, AllowFormattingCells,
  // AllowFormattingColumns, AllowFormattingRows, AllowInsertingColumns, AllowInsertingRows,
  // AllowInsertingHyperlinks, AllowDeletingColumns, AllowDeletingRows, AllowSorting, AllowFiltering.
  sheet.Protect(password ?? '', true, true, true, false, false, p.formatColumns, p.formatRows, false, p.insertRows, false, false, false, p.sort, p.autoFilter);
}

function applyFont(range: EtRange, font: FontLook): void {
  range.Font.Name = font.name;
  range.Font.Size = font.size;
  range.Font.Bold = font.bold;
}

function applyInputRule(range: EtRange, rule: InputRule): void {
  const validation = range.Validation;
  validation.Delete();
  if (rule.list) validation.Add(VALIDATE_LIST, ALERT_STOP, BETWEEN, rule.list.join(','));
  else validation.Add(VALIDATE_INPUT_ONLY, ALERT_STOP, BETWEEN);
  if (rule.list) validation.InCellDropdown = true;
  if (rule.prompt) {
    validation.ShowInput = true;
    validation.InputTitle = rule.prompt.title;
    validation.InputMessage = rule.prompt.message;
  }
  if (rule.error) {
    validation.ShowError = true;
    validation.ErrorTitle = rule.error.title;
    validation.ErrorMessage = rule.error.message;
  }
}

/** One operation of the shared layout (addin/ui/layout-ops.ts) in ET's terms. */
function applyOp(app: EtApplication, sheet: EtWorksheet, op: LayoutOp): void {
  switch (op.op) {
    case 'font':
      return applyFont(sheet.Range(op.range), op.font);
    case 'fill':
      sheet.Range(op.range).Interior.Color = bgr(op.colour);
      return;
    case 'rule': {
      const range = sheet.Range(op.range);
      for (const index of BORDERS) {
        const border = range.Borders.Item(index);
        border.LineStyle = CONTINUOUS;
        border.Weight = THIN;
        border.Color = bgr(RULE_COLOUR);
      }
      return;
    }
    case 'width':
      // ColumnWidth counts characters, as core/look.ts does.
      sheet.Range(op.range).ColumnWidth = op.chars;
      return;
    case 'wrap':
      sheet.Range(op.range).WrapText = true;
      return;
    case 'centre': {
      const range = sheet.Range(op.range);
      range.HorizontalAlignment = CENTRE;
      range.VerticalAlignment = CENTRE;
      return;
    }
    case 'dateFormat':
      sheet.Range(op.range).NumberFormat = DATE_FORMAT;
      return;
    case 'locked':
      sheet.Range(op.range).Locked = op.locked;
      return;
    case 'input':
      return applyInputRule(sheet.Range(op.range), op.rule);
    case 'freezeRows': {
      // Freezing applies to the active window's sheet.
      sheet.Activate();
      const window = app.ActiveWindow;
      window.FreezePanes = false;
      window.SplitColumn = 0;
      window.SplitRow = op.rows;
      window.FreezePanes = true;
      return;
    }
    case 'protect':
      return protect(sheet, op.protection);
  }
}

export function createWpsGateway(app: EtApplication): Gateway {
  const capabilities: Capabilities = { dataValidation: true, eventsControl: true };
  /** Ranges the add-in wrote, whose change events (if WPS sends them at all) are its own echo. */
  let ownWrites: { sheet: string; row: number; col: number; rows: number; cols: number; until: number }[] = [];
  let watcher: { sheets: ReadonlySet<string>; handler: (change: SheetChange) => void } | null = null;
  let listening = false;

  function workbook(): { readonly Worksheets: EtSheets } {
    const book = app.ActiveWorkbook;
    if (!book) throw new GatewayRefusal(NO_WORKBOOK);
    return book;
  }

  function run<T>(body: () => T): Promise<Outcome<T>> {
    try {
      return Promise.resolve({ ok: true, value: body() });
    } catch (cause) {
      if (cause instanceof GatewayRefusal) return Promise.resolve({ ok: false, error: cause.message });
      return Promise.resolve({ ok: false, error: cause instanceof HostFailure ? cause.message : GENERAL_WPS_ERROR, host: true });
    }
  }

  /** Our own writes must not re-trigger validation: events off, and echoes of the written ranges dropped. */
  function writing<T>(body: () => T): T {
    const before = app.EnableEvents;
    app.EnableEvents = false;
    try {
      return body();
    } finally {
      app.EnableEvents = before;
      const until = Date.now() + OWN_WRITE_QUIET_MS;
      ownWrites = ownWrites.map((w) => ({ ...w, until }));
    }
  }

  function writeRows(sheet: EtWorksheet, rows: CellInput[][], start: { row: number; col: number }, asText: boolean): void {
    const grid = rectangular(rows);
    const address = rangeAddress(start.row, start.col, grid.length, grid[0]!.length);
    ownWrites.push({ sheet: sheet.Name, ...start, rows: grid.length, cols: grid[0]!.length, until: Number.POSITIVE_INFINITY });
    const range = sheet.Range(address);
    try {
      if (asText) range.NumberFormat = '@';
      range.Value2 = grid;
    } catch (cause) {
      // WPS refuses locked cells of a protected sheet; say so, anything else stays general.
      if (sheet.ProtectContents) throw new HostFailure(SHEET_PROTECTED);
      throw cause;
    }
  }

  function isEcho(sheet: string, target: EtRange): boolean {
    const now = Date.now();
    ownWrites = ownWrites.filter((w) => w.until > now);
    const row = target.Row - 1;
    const col = target.Column - 1;
    return ownWrites.some((w) => w.sheet === sheet && row >= w.row && col >= w.col && row < w.row + w.rows && col < w.col + w.cols);
  }

  function listen(): void {
    if (listening) return;
    listening = true;
    app.ApiEvent.AddApiEventListener('SheetChange', (sheet, target) => {
      if (!watcher || !watcher.sheets.has(sheet.Name) || isEcho(sheet.Name, target)) return;
      watcher.handler({ sheetId: sheet.Name, address: target.Address(false, false) });
    });
  }

  function sheetNamed(name: string): EtWorksheet {
    const sheets = workbook().Worksheets;
    if (!sheetNames(sheets).includes(name)) throw new GatewayRefusal('找不到所需的工作表，请确认这是考核填报表且未删除或改名工作表。');
    return sheets.Item(name);
  }

  return {
    capabilities,

    readSheets: (names) =>
      run(() => {
        const sheets = workbook().Worksheets;
        const present = new Set(sheetNames(sheets));
        const grid: Record<string, SheetGrid> = {};
        for (const name of names) if (present.has(name)) grid[name] = readSheet(sheets.Item(name));
        return { sheets: grid };
      }),

    writeSheet: (name, rows, startCell = 'A1', options = {}) =>
      run(() => writing(() => writeRows(sheetNamed(name), rows, parseCell(startCell), options.asText ?? false))),

    selectCell: (name, a1) =>
      run(() => {
        const sheet = sheetNamed(name);
        sheet.Activate();
        sheet.Range(a1).Select();
      }),

    activateSheet: (name) => run(() => sheetNamed(name).Activate()),

    onChanged: (sheets, handler) =>
      run(() => {
        watcher = { sheets: new Set(sheets), handler };
        listen();
      }),

    onActivated: (handler) =>
      run(() => {
        app.ApiEvent.AddApiEventListener('SheetActivate', (sheet) => handler(sheet.Name));
      }),

    unlockSheet: async (name, password) => {
      const found = await run(() => sheetNamed(name));
      if (!found.ok) return found;
      const sheet = found.value;
      // An empty password opens only a sheet that has none: then there is nothing to check against.
      // (Unprotect with no argument at all would make WPS ask the user in a dialog of its own.)
      try {
        sheet.Unprotect('');
        return { ok: true, value: { checked: false } };
      } catch {
        // The sheet has a password.
      }
      try {
        sheet.Unprotect(password);
        return { ok: true, value: { checked: true } };
      } catch {
        return sheet.ProtectContents ? { ok: false, error: WRONG_PASSWORD } : { ok: false, error: GENERAL_WPS_ERROR, host: true };
      }
    },

    lockSheet: (name, password) => run(() => protect(sheetNamed(name), PROTECTION, password)),

    writeLocked: (name, writes, protection) =>
      run(() => {
        const sheet = sheetNamed(name);
        writing(() => {
          try {
            sheet.Unprotect('');
          } catch {
            // The office protected the score sheet with a password of its own.
            throw new GatewayRefusal(SHEET_PROTECTED);
          }
          try {
            for (const w of writes) writeRows(sheet, w.rows, parseCell(w.startCell), false);
          } finally {
            protect(sheet, protection);
          }
        });
      }),

    createWorkbookLayout: (content) =>
      run(() => {
        const sheets = workbook().Worksheets;
        const bodies = layoutBodies(content);
        const names = sheetNames(sheets);
        // Resumable: a sheet of the layout's name is taken over only when it holds nothing but what
        // this layout writes there, i.e. an earlier attempt left it; anything else is the user's.
        const existing = names.filter((n) => bodies.has(n));
        for (const name of existing) {
          const read = readSheet(sheets.Item(name));
          if (!holdsOnly(read.values, 0, 0, bodies.get(name)!)) throw foreignSheetRefusal(name);
        }
        // Only an empty default sheet goes; a sheet with anything in it is the user's.
        const strangers = names.filter((n) => !bodies.has(n) && readSheet(sheets.Item(n)).values.length === 0);
        const fresh = (name: string): EtWorksheet => {
          if (existing.includes(name)) {
            const sheet = sheets.Item(name);
            sheet.Unprotect('');
            sheet.Cells.Validation.Delete();
            sheet.Cells.Clear();
            return sheet;
          }
          const sheet = sheets.Add(undefined, sheets.Item(sheets.Count));
          sheet.Name = name;
          return sheet;
        };
        const sheetsWritten: string[] = [];
        writing(() => {
          for (const { sheet: spec } of content.sheets) {
            const sheet = fresh(spec.name);
            const body = bodies.get(spec.name)!;
            writeRows(sheet, body, { row: 0, col: 0 }, false);
            for (const op of sheetLayout(spec, body, capabilities.dataValidation)) applyOp(app, sheet, op);
            sheetsWritten.push(spec.name);
          }
          // `_meta` last: its presence is what marks a finished layout.
          const meta = fresh(content.meta.sheetName);
          writeRows(meta, content.meta.rows, { row: 0, col: 0 }, true);
          meta.Visible = VERY_HIDDEN;
          sheetsWritten.push(content.meta.sheetName);
          // Deleting a sheet asks the user first unless alerts are off.
          const alerts = app.DisplayAlerts;
          app.DisplayAlerts = false;
          try {
            for (const name of strangers) sheets.Item(name).Delete();
          } finally {
            app.DisplayAlerts = alerts;
          }
          const first = content.sheets[0];
          if (first) sheets.Item(first.sheet.name).Activate();
        });
        return { sheetsWritten, dropdowns: capabilities.dataValidation };
      }),
  };
}

