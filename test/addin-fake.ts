// An in-memory Excel that behaves like Office.js where the gateway depends on it:
// properties are readable only after load + sync, writes apply at sync in order,
// every sync is counted, a request above 5 MB fails like Excel on the web, protected
// sheets refuse writes, and cell-edit mode rejects a batch unless it asks to wait.
// No Node APIs: the e2e test bundles this file for the browser as the Office.js stand-in.
//
// Requirement sets: every API the fake offers is tagged with the set that introduced it, as
// `[Api set: ExcelApi 1.x]` in node_modules/@types/office-js/index.d.ts, and refuses a host
// below it the way office.js does (excel-win32-16.01.debug.js, `_throwIfApiNotSupported(...)`
// on the property or method itself, synchronously, code ApiNotFound) — so WorksheetCollection
// .onChanged (1.9) throws on a 1.7 host while Worksheet.onChanged (1.7) works.

import { columnLetter } from '../core/layout.ts';
import type {
  ProtectionOptions,
  XlChangeEvent,
  XlContext,
  XlHost,
  XlRange,
  XlWorksheet,
  XlWorksheetCollection,
} from '../addin/excel/gateway.ts';

export const REQUEST_LIMIT_BYTES = 5 * 1024 * 1024;

export class FakeExcelError extends Error {
  override name = 'RichApi.Error';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Cell {
  value: string | number | boolean;
  numberFormat: string;
  formula?: string;
}

export interface SheetState {
  id: string;
  name: string;
  cells: Map<string, Cell>;
  protected: boolean;
  visibility: string;
  frozenRows: number;
  columnWidths: Map<number, number>;
  /** Every formatted or validated address with what was set, for assertions. */
  formats: Map<string, Record<string, unknown>>;
  validations: Map<string, unknown>;
  protectionOptions?: ProtectionOptions;
  /** Set by protect(options, password); unprotect must then give it. */
  protectionPassword?: string;
  /** format.protection.locked assignments in order; the last one covering a cell wins, default locked. */
  lockRanges: { bounds: Bounds; locked: boolean }[];
  listeners: Listener[];
}

/** A workbook file as plain data: what Excel would show on opening it (values, formats, protection, open cells). */
export interface WorkbookSnapshot {
  sheets: {
    name: string;
    visibility: string;
    protected: boolean;
    /** [row, column, value, number format], 0-based. */
    cells: [number, number, string | number | boolean, string][];
    /** Cells whose protection is unlocked, 0-based. */
    unlocked: [number, number][];
  }[];
}

export interface FakeOptions {
  /** Highest ExcelApi minor version the host supports: 7 is Office 2019 LTSC. */
  apiMinor?: number;
  /** Whether Excel.run honours `delayForCellEdit` (newer hosts). */
  delayForCellEdit?: boolean;
  /** A stricter host: a call chained off a missing sheet's null object fails the batch with ItemNotFound. */
  nullChainingThrows?: boolean;
}

interface Bounds {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

const key = (r: number, c: number): string => `${r},${c}`;
const utf8 = new TextEncoder();

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

const MAX_ROWS = 1_048_576;
const MAX_COLS = 16_384;

/** Parses `A1`, `A1:C3`, `A:A` or `B:D` into 0-based bounds. */
export function parseAddress(address: string): Bounds {
  const bare = address.includes('!') ? address.slice(address.indexOf('!') + 1) : address;
  const [a, b = a] = bare.toUpperCase().split(':') as [string, string?];
  const part = (p: string): { row: number | null; col: number } => {
    const m = /^([A-Z]+)(\d*)$/.exec(p);
    if (!m) throw new FakeExcelError('InvalidArgument', `bad address ${address}`);
    return { col: colIndex(m[1]!), row: m[2] ? Number(m[2]) - 1 : null };
  };
  const p = part(a);
  const q = part(b!);
  const row = p.row ?? 0;
  const endRow = q.row ?? MAX_ROWS - 1;
  return { row, col: p.col, rows: endRow - row + 1, cols: q.col - p.col + 1 };
}

export function formatAddress(b: Bounds): string {
  const start = `${columnLetter(b.col)}${b.row + 1}`;
  if (b.rows === 1 && b.cols === 1) return start;
  return `${start}:${columnLetter(b.col + b.cols - 1)}${b.row + b.rows}`;
}

type Listener = (event: XlChangeEvent & { type: string; changeType: string; source: string }) => Promise<void>;

/** The workbook state plus the host: what a test sets up and inspects. */
export class FakeExcel implements XlHost {
  readonly sheets: SheetState[] = [];
  syncCount = 0;
  runCount = 0;
  /** Bytes of every request that reached sync, in order. */
  readonly requestBytes: number[] = [];
  selection: { sheet: string; address: string } | null = null;
  activeSheet: string | null = null;
  cellEditMode = false;
  enableEvents = true;
  readonly listeners: Listener[] = [];
  readonly activationListeners: ((event: { worksheetId: string }) => Promise<void>)[] = [];
  /** Fails the batch that holds the n-th `worksheets.add` from now (1-based): an interrupted layout. */
  failOnAdd: number | null = null;
  private nextId = 1;
  private cellEditWaiters: (() => void)[] = [];

  constructor(readonly options: FakeOptions = {}) {
    this.addSheet('Sheet1');
  }

  get apiMinor(): number {
    return this.options.apiMinor ?? 8;
  }

  /** office.js's check, thrown where the API is touched (property getter or method call). */
  requireApi(api: string, minor: number): void {
    if (this.apiMinor < minor) {
      throw new FakeExcelError(
        'ApiNotFound',
        `The method or property ${api} is part of the ExcelApi 1.${minor} requirement set, which is not available in your version of Excel.`,
      );
    }
  }

  isSetSupported(set: string, version: string): boolean {
    if (set !== 'ExcelApi') return false;
    const [major, minor = '0'] = version.split('.');
    return Number(major) < 1 || (Number(major) === 1 && Number(minor) <= this.apiMinor);
  }

  async run<T>(options: { delayForCellEdit: boolean }, batch: (context: XlContext) => Promise<T>): Promise<T> {
    this.runCount++;
    if (this.cellEditMode) {
      if (!(options.delayForCellEdit && this.options.delayForCellEdit)) {
        throw new FakeExcelError('InvalidOperationInCellEditMode', 'The request cannot be processed while Excel is in cell edit mode.');
      }
      await new Promise<void>((resolve) => this.cellEditWaiters.push(resolve));
    }
    return batch(new FakeContext(this));
  }

  // ----- test controls -----

  addSheet(name: string): SheetState {
    const sheet: SheetState = {
      id: `{sheet-${this.nextId++}}`,
      name,
      cells: new Map(),
      protected: false,
      visibility: 'Visible',
      frozenRows: 0,
      columnWidths: new Map(),
      formats: new Map(),
      validations: new Map(),
      lockRanges: [],
      listeners: [],
    };
    this.sheets.push(sheet);
    return sheet;
  }

  /** Opens a workbook read from a file (test/helpers/xlsx-snapshot.ts): its sheets replace the fake's. */
  loadSnapshot(snapshot: WorkbookSnapshot): void {
    this.sheets.splice(0);
    for (const s of snapshot.sheets) {
      const sheet = this.addSheet(s.name);
      sheet.visibility = s.visibility;
      sheet.protected = s.protected;
      for (const [r, c, value, numberFormat] of s.cells) this.setCell(sheet, r, c, value, numberFormat);
      for (const [r, c] of s.unlocked) sheet.lockRanges.push({ bounds: { row: r, col: c, rows: 1, cols: 1 }, locked: false });
    }
  }

  sheet(name: string): SheetState | undefined {
    return this.sheets.find((s) => s.name === name);
  }

  /**
   * A user typing or pasting: writes values and raises the changed event (without details, like a
   * paste). On a protected sheet Excel refuses a locked cell, and so does this.
   */
  async userEdit(sheetName: string, address: string, values: (string | number | boolean | null)[][]): Promise<void> {
    const sheet = this.sheet(sheetName);
    if (!sheet) throw new Error(`no sheet ${sheetName}`);
    const b = parseAddress(address);
    this.refuseLocked(sheet, { row: b.row, col: b.col, rows: values.length, cols: Math.max(1, ...values.map((r) => r.length)) });
    values.forEach((row, r) => row.forEach((v, c) => this.setCell(sheet, b.row + r, b.col + c, v)));
    await this.raise(sheet, address);
  }

  cell(sheetName: string, a1: string): string | number | boolean | null {
    const sheet = this.sheet(sheetName);
    const b = parseAddress(a1);
    return sheet?.cells.get(key(b.row, b.col))?.value ?? null;
  }

  endCellEdit(): void {
    this.cellEditMode = false;
    for (const resolve of this.cellEditWaiters.splice(0)) resolve();
  }

  /** Whether a cell is locked: the last format.protection.locked covering it, else Excel's default (locked). */
  isLocked(sheet: SheetState, r: number, c: number): boolean {
    for (let i = sheet.lockRanges.length - 1; i >= 0; i--) {
      const { bounds: b, locked } = sheet.lockRanges[i]!;
      if (r >= b.row && r < b.row + b.rows && c >= b.col && c < b.col + b.cols) return locked;
    }
    return true;
  }

  refuseLocked(sheet: SheetState, b: Bounds): void {
    if (!sheet.protected) return;
    for (let r = b.row; r < b.row + b.rows; r++) {
      for (let c = b.col; c < b.col + b.cols; c++) {
        if (this.isLocked(sheet, r, c)) {
          throw new FakeExcelError('AccessDenied', 'The cell or chart you are trying to change is on a protected sheet.');
        }
      }
    }
  }

  async activateSheet(sheet: SheetState): Promise<void> {
    this.activeSheet = sheet.name;
    for (const listener of this.activationListeners) await listener({ worksheetId: sheet.id });
  }

  // ----- internals used by the proxies -----

  setCell(sheet: SheetState, r: number, c: number, value: unknown, numberFormat?: string): void {
    const k = key(r, c);
    const old = sheet.cells.get(k);
    if ((value === '' || value === null || value === undefined) && numberFormat === undefined) {
      if (old && old.numberFormat === 'General') sheet.cells.delete(k);
      else if (old) sheet.cells.set(k, { ...old, value: '' });
      return;
    }
    const fmt = numberFormat ?? old?.numberFormat ?? 'General';
    const v = value === undefined || value === null ? (old?.value ?? '') : (value as string | number | boolean);
    sheet.cells.set(k, { value: v, numberFormat: fmt });
  }

  usedBounds(sheet: SheetState, valuesOnly: boolean): Bounds | null {
    let minR = Infinity;
    let minC = Infinity;
    let maxR = -1;
    let maxC = -1;
    for (const [k, cell] of sheet.cells) {
      if (valuesOnly && cell.value === '') continue;
      const [r, c] = k.split(',').map(Number) as [number, number];
      minR = Math.min(minR, r);
      minC = Math.min(minC, c);
      maxR = Math.max(maxR, r);
      maxC = Math.max(maxC, c);
    }
    if (maxR < 0) return null;
    return { row: minR, col: minC, rows: maxR - minR + 1, cols: maxC - minC + 1 };
  }

  async raise(sheet: SheetState, address: string): Promise<void> {
    if (!this.enableEvents) return;
    for (const listener of [...this.listeners, ...sheet.listeners]) {
      await listener({ type: 'WorksheetChanged', worksheetId: sheet.id, address, changeType: 'RangeEdited', source: 'Local' });
    }
  }

  waitForCellEdit(): Promise<void> {
    return new Promise<void>((resolve) => this.cellEditWaiters.push(resolve));
  }
}

type Op = () => void;

class FakeContext implements XlContext {
  readonly workbook: { readonly worksheets: XlWorksheetCollection };
  private ops: Op[] = [];
  private loads: Op[] = [];
  private pendingBytes = 0;
  private readonly events: { sheet: SheetState; address: string }[] = [];
  readonly runtime: { enableEvents: boolean };

  constructor(readonly excel: FakeExcel) {
    this.workbook = { worksheets: new FakeWorksheetCollection(this) };
    // Setting runtime.enableEvents is ExcelApi 1.8; on older hosts the property does not exist.
    const runtime = {} as { enableEvents: boolean };
    Object.defineProperty(runtime, 'enableEvents', {
      get: () => excel.enableEvents,
      set: (value: boolean) => {
        excel.requireApi('Runtime.enableEvents', 8); // [Api set: ExcelApi 1.8]
        this.queue(() => {
          excel.enableEvents = value;
        });
      },
    });
    this.runtime = runtime;
  }

  queue(op: Op, payload?: unknown): void {
    this.ops.push(op);
    this.pendingBytes += 64 + (payload === undefined ? 0 : utf8.encode(JSON.stringify(payload)).length);
  }

  onLoad(op: Op): void {
    this.loads.push(op);
  }

  changed(sheet: SheetState, address: string): void {
    if (this.excel.enableEvents) this.events.push({ sheet, address });
  }

  async sync(): Promise<void> {
    this.excel.syncCount++;
    const ops = this.ops.splice(0);
    const loads = this.loads.splice(0);
    const bytes = this.pendingBytes;
    this.pendingBytes = 0;
    this.excel.requestBytes.push(bytes);
    if (bytes > REQUEST_LIMIT_BYTES) {
      throw new FakeExcelError('RequestPayloadSizeLimitExceeded', 'The request payload size has exceeded the limit.');
    }
    for (const op of ops) op();
    for (const load of loads) load();
    for (const { sheet, address } of this.events.splice(0)) await this.excel.raise(sheet, address);
  }
}

class FakeWorksheetCollection implements XlWorksheetCollection {
  private loadedItems: FakeWorksheet[] | null = null;

  constructor(private readonly context: FakeContext) {}

  get items(): XlWorksheet[] {
    if (!this.loadedItems) throw new FakeExcelError('PropertyNotLoaded', 'items not loaded');
    return this.loadedItems;
  }

  get onChanged(): { add(handler: Listener): unknown } {
    this.context.excel.requireApi('WorksheetCollection.onChanged', 9); // [Api set: ExcelApi 1.9]
    const context = this.context;
    return {
      add(handler: Listener): unknown {
        context.queue(() => context.excel.listeners.push(handler));
        return {};
      },
    };
  }

  get onActivated(): { add(handler: (event: { worksheetId: string }) => Promise<void>): unknown } {
    this.context.excel.requireApi('WorksheetCollection.onActivated', 7); // [Api set: ExcelApi 1.7]
    const context = this.context;
    return {
      add(handler: (event: { worksheetId: string }) => Promise<void>): unknown {
        context.queue(() => context.excel.activationListeners.push(handler));
        return {};
      },
    };
  }

  getItem(name: string): XlWorksheet {
    return new FakeWorksheet(this.context, () => {
      // Office.js's getItem(key) takes a name or an id.
      const s = this.context.excel.sheet(name) ?? this.context.excel.sheets.find((x) => x.id === name);
      if (!s) throw new FakeExcelError('ItemNotFound', `The requested resource doesn't exist: ${name}`);
      return s;
    }, false);
  }

  getItemOrNullObject(name: string): XlWorksheet {
    this.context.excel.requireApi('WorksheetCollection.getItemOrNullObject', 4); // [Api set: ExcelApi 1.4]
    return new FakeWorksheet(this.context, () => this.context.excel.sheet(name) ?? null, true);
  }

  add(name: string): XlWorksheet {
    let created: SheetState | null = null;
    const excel = this.context.excel;
    let failHere = false;
    if (excel.failOnAdd !== null) {
      excel.failOnAdd--;
      failHere = excel.failOnAdd === 0;
      if (failHere) excel.failOnAdd = null;
    }
    this.context.queue(() => {
      if (failHere) throw new FakeExcelError('GeneralException', 'An internal error has occurred.');
      if (excel.sheet(name)) throw new FakeExcelError('ItemAlreadyExists', `sheet ${name} exists`);
      created = excel.addSheet(name);
    });
    return new FakeWorksheet(this.context, () => created, false);
  }

  load(properties: string | string[]): XlWorksheetCollection {
    const wanted = Array.isArray(properties) ? properties : [properties];
    const itemProps = wanted.flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p.startsWith('items/')).map((p) => p.slice(6));
    if (itemProps.length === 0) return this;
    this.context.onLoad(() => {
      this.loadedItems = this.context.excel.sheets.map((s) => {
        const ws = new FakeWorksheet(this.context, () => s, false);
        ws.resolve(itemProps);
        return ws;
      });
    });
    return this;
  }
}

class FakeWorksheet implements XlWorksheet {
  private resolved: SheetState | null | undefined;
  /** Scalar properties asked for with load(); readable only once a sync has resolved them. */
  private readonly loaded = new Set<string>();

  constructor(
    private readonly context: FakeContext,
    private readonly find: () => SheetState | null,
    private readonly nullable: boolean,
  ) {
    // Real proxies learn isNullObject at the next sync whatever was loaded.
    if (nullable) context.onLoad(() => this.resolve());
  }

  resolve(properties: readonly string[] = []): SheetState | null {
    this.resolved = this.find();
    for (const p of properties) this.loaded.add(p);
    return this.resolved;
  }

  private readLoaded(prop: string): SheetState {
    if (!this.resolved || !this.loaded.has(prop)) {
      throw new FakeExcelError('PropertyNotLoaded', `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
    }
    return this.resolved;
  }

  state(): SheetState | null {
    const s = this.find();
    if (!s && !this.nullable) throw new FakeExcelError('ItemNotFound', 'The requested resource does not exist.');
    return s;
  }

  get isNullObject(): boolean {
    if (this.resolved === undefined) throw new FakeExcelError('PropertyNotLoaded', 'isNullObject before sync');
    return this.resolved === null;
  }

  get name(): string {
    return this.readLoaded('name').name;
  }

  get id(): string {
    return this.readLoaded('id').id;
  }

  get visibility(): string {
    return this.readLoaded('visibility').visibility;
  }

  set visibility(value: string) {
    this.context.excel.requireApi('Worksheet.visibility (set)', 2); // [Api set: ExcelApi 1.1 for reading visibility; 1.2 for setting it.]
    this.context.queue(() => {
      const s = this.state();
      if (s) s.visibility = value;
    });
  }

  get onChanged(): { add(handler: Listener): unknown } {
    this.context.excel.requireApi('Worksheet.onChanged', 7); // [Api set: ExcelApi 1.7]
    return {
      add: (handler: Listener): unknown => {
        this.context.queue(() => this.state()?.listeners.push(handler));
        return {};
      },
    };
  }

  get protection(): XlWorksheet['protection'] {
    const excel = this.context.excel;
    excel.requireApi('Worksheet.protection', 2); // [Api set: ExcelApi 1.2]
    return {
      // [Api set: ExcelApi 1.2 for options; 1.7 for password]
      protect: (options?: ProtectionOptions, password?: string) => {
        if (password !== undefined) excel.requireApi('WorksheetProtection.protect (password)', 7);
        this.context.queue(() => {
          const s = this.state();
          if (!s) return;
          if (s.protected) throw new FakeExcelError('InvalidOperation', 'The worksheet is already protected.');
          s.protected = true;
          s.protectionOptions = options ?? {};
          s.protectionPassword = password || undefined;
        });
      },
      // [Api set: ExcelApi 1.7 for password]. A wrong password fails the batch and leaves the sheet protected.
      unprotect: (password?: string) => {
        if (password !== undefined) excel.requireApi('WorksheetProtection.unprotect (password)', 7);
        this.context.queue(() => {
          const s = this.state();
          if (!s || !s.protected) return;
          if (s.protectionPassword !== undefined && s.protectionPassword !== password) {
            throw new FakeExcelError('InvalidArgument', 'The argument is invalid or missing or has an incorrect format.');
          }
          s.protected = false;
          s.protectionPassword = undefined;
        });
      },
    };
  }

  get freezePanes(): { freezeRows(count: number): void } {
    this.context.excel.requireApi('Worksheet.freezePanes', 7); // [Api set: ExcelApi 1.7]
    return {
      freezeRows: (count: number) =>
        this.context.queue(() => {
          const s = this.state();
          if (s) s.frozenRows = count;
        }),
    };
  }

  /** Without an address: the whole sheet, as Worksheet.getRange() in Office.js. */
  getRange(address?: string): XlRange {
    const bounds = address === undefined ? { row: 0, col: 0, rows: MAX_ROWS, cols: MAX_COLS } : parseAddress(address);
    return new FakeRange(this.context, this, () => bounds);
  }

  getUsedRangeOrNullObject(valuesOnly = false): XlRange {
    this.context.excel.requireApi('Worksheet.getUsedRangeOrNullObject', 4); // [Api set: ExcelApi 1.4]
    return new FakeRange(this.context, this, () => {
      const s = this.state();
      if (!s && this.context.excel.options.nullChainingThrows) {
        throw new FakeExcelError('ItemNotFound', 'The requested resource does not exist.');
      }
      return s ? this.context.excel.usedBounds(s, valuesOnly) : null;
    });
  }

  activate(): void {
    this.context.queue(() => {
      const s = this.state();
      if (s) void this.context.excel.activateSheet(s);
    });
  }

  delete(): void {
    this.context.queue(() => {
      const s = this.state();
      if (!s) return;
      const sheets = this.context.excel.sheets;
      if (sheets.filter((x) => x.visibility === 'Visible').length <= 1 && s.visibility === 'Visible') {
        throw new FakeExcelError('InvalidOperation', 'A workbook must contain at least one visible worksheet.');
      }
      sheets.splice(sheets.indexOf(s), 1);
    });
  }

  load(properties: string | string[]): XlWorksheet {
    const wanted = (Array.isArray(properties) ? properties : properties.split(',')).map((p) => p.trim());
    this.context.onLoad(() => this.resolve(wanted));
    return this;
  }
}

class FakeRange implements XlRange {
  private loaded = new Set<string>();
  private snapshot: { bounds: Bounds | null; values: unknown[][]; numberFormat: unknown[][] } | null = null;

  constructor(
    private readonly context: FakeContext,
    private readonly sheet: FakeWorksheet,
    private readonly bounds: () => Bounds | null,
  ) {}

  private read(prop: string): NonNullable<typeof this.snapshot> {
    if (!this.snapshot || (prop !== 'isNullObject' && !this.loaded.has(prop))) {
      throw new FakeExcelError('PropertyNotLoaded', `The property '${prop}' is not available. Load it and call sync first.`);
    }
    return this.snapshot;
  }

  get isNullObject(): boolean {
    return this.read('isNullObject').bounds === null;
  }
  get rowIndex(): number {
    return this.read('rowIndex').bounds?.row ?? 0;
  }
  get columnIndex(): number {
    return this.read('columnIndex').bounds?.col ?? 0;
  }
  get values(): unknown[][] {
    return this.read('values').values;
  }
  get numberFormat(): unknown[][] {
    return this.read('numberFormat').numberFormat;
  }

  set values(values: unknown[][]) {
    this.write(values, (s, r, c, v) => this.context.excel.setCell(s, r, c, v), 'values');
  }

  set numberFormat(formats: unknown[][]) {
    this.write(formats, (s, r, c, v) => {
      const cell = s.cells.get(key(r, c));
      this.context.excel.setCell(s, r, c, cell?.value ?? '', String(v));
    }, 'numberFormat');
  }

  /** Formulas are stored as text; the fake does not calculate. */
  get formulas(): unknown[][] {
    return this.read('values').values;
  }
  set formulas(formulas: unknown[][]) {
    this.write(formulas, (s, r, c, v) => {
      this.context.excel.setCell(s, r, c, v);
      const cell = s.cells.get(key(r, c));
      if (cell && typeof v === 'string' && v.startsWith('=')) cell.formula = v;
    }, 'formulas');
  }

  private write(matrix: unknown[][], apply: (s: SheetState, r: number, c: number, v: unknown) => void, what: string): void {
    this.context.queue(() => {
      const s = this.sheet.state();
      const b = this.bounds();
      if (!s || !b) throw new FakeExcelError('InvalidOperation', 'write to a null object');
      this.context.excel.refuseLocked(s, b);
      const single = matrix.length === 1 && matrix[0]!.length === 1;
      if (!single && (matrix.length !== b.rows || matrix.some((r) => r.length !== b.cols))) {
        throw new FakeExcelError('InvalidArgument', `${what}: ${matrix.length}x${matrix[0]?.length} does not match ${formatAddress(b)}`);
      }
      for (let r = 0; r < b.rows; r++) {
        for (let c = 0; c < b.cols; c++) apply(s, b.row + r, b.col + c, single ? matrix[0]![0] : matrix[r]![c]);
      }
      this.context.changed(s, formatAddress(b));
    }, matrix);
  }

  load(properties: string | string[]): XlRange {
    for (const p of Array.isArray(properties) ? properties : properties.split(',')) this.loaded.add(p.trim());
    this.context.onLoad(() => {
      const s = this.sheet.state();
      const found = this.bounds();
      const b = s ? found : null;
      const values: unknown[][] = [];
      const numberFormat: unknown[][] = [];
      if (s && b) {
        for (let r = 0; r < b.rows; r++) {
          const vr: unknown[] = [];
          const fr: unknown[] = [];
          for (let c = 0; c < b.cols; c++) {
            const cell = s.cells.get(key(b.row + r, b.col + c));
            vr.push(cell?.value ?? '');
            fr.push(cell?.numberFormat ?? 'General');
          }
          values.push(vr);
          numberFormat.push(fr);
        }
      }
      this.snapshot = { bounds: b, values, numberFormat };
    });
    return this;
  }

  /** [Api set: ExcelApi 1.1] Values and formats (locked included) go back to Excel's defaults. */
  clear(): void {
    this.context.queue(() => {
      const s = this.sheet.state();
      const b = this.bounds();
      if (!s || !b) return;
      this.context.excel.refuseLocked(s, b);
      const inside = (x: Bounds): boolean => x.row >= b.row && x.col >= b.col && x.row + x.rows <= b.row + b.rows && x.col + x.cols <= b.col + b.cols;
      for (const k of [...s.cells.keys()]) {
        const [r, c] = k.split(',').map(Number) as [number, number];
        if (inside({ row: r, col: c, rows: 1, cols: 1 })) s.cells.delete(k);
      }
      for (const addr of [...s.formats.keys()]) if (inside(parseAddress(addr))) s.formats.delete(addr);
      s.lockRanges = s.lockRanges.filter((x) => !inside(x.bounds));
      s.lockRanges.push({ bounds: b, locked: true });
      this.context.changed(s, formatAddress(b));
    });
  }

  select(): void {
    this.context.queue(() => {
      const s = this.sheet.state();
      const b = this.bounds();
      if (s && b) this.context.excel.selection = { sheet: s.name, address: formatAddress(b) };
    });
  }

  get format(): XlRange['format'] {
    const set = (prop: string, value: unknown): void =>
      this.context.queue(() => {
        const s = this.sheet.state();
        const b = this.bounds();
        if (!s || !b) return;
        const addr = formatAddress(b);
        s.formats.set(addr, { ...s.formats.get(addr), [prop]: value });
        if (prop === 'protection.locked') s.lockRanges.push({ bounds: b, locked: value as boolean });
        if (prop === 'columnWidth') for (let c = b.col; c < b.col + b.cols; c++) s.columnWidths.set(c, value as number);
      });
    const excel = this.context.excel;
    /** Each settable format property with the set that introduced it (index.d.ts). */
    const setter = <K extends string>(prefix: string, props: Record<K, number>): Record<K, unknown> => {
      const target = {} as Record<K, unknown>;
      for (const p of Object.keys(props) as K[]) {
        Object.defineProperty(target, p, {
          set: (v: unknown) => {
            excel.requireApi(`RangeFormat.${prefix}${p}`, props[p]);
            set(`${prefix}${p}`, v);
          },
          enumerable: true,
        });
      }
      return target;
    };
    const format = Object.assign(setter('', { columnWidth: 2, wrapText: 1, verticalAlignment: 1, horizontalAlignment: 1 }), {
      font: setter('font.', { bold: 1, color: 1, name: 1, size: 1 }),
      fill: setter('fill.', { color: 1 }),
      borders: {
        // RangeBorderCollection.getItem and RangeBorder's style, weight, color: [Api set: ExcelApi 1.1].
        getItem: (index: string) => {
          excel.requireApi('RangeBorderCollection.getItem', 1);
          return setter(`borders.${index}.`, { style: 1, weight: 1, color: 1 });
        },
      },
    });
    // RangeFormat.protection is [Api set: ExcelApi 1.2]: refused where it is touched, not when format is.
    Object.defineProperty(format, 'protection', {
      get: () => {
        excel.requireApi('RangeFormat.protection', 2);
        return setter('protection.', { locked: 2 });
      },
    });
    return format as unknown as XlRange['format'];
  }

  get dataValidation(): XlRange['dataValidation'] {
    this.context.excel.requireApi('Range.dataValidation', 8); // [Api set: ExcelApi 1.8]
    const validation = {
      // [Api set: ExcelApi 1.8]
      clear: () =>
        this.context.queue(() => {
          const s = this.sheet.state();
          const b = this.bounds();
          if (!s || !b) return;
          for (const addr of [...s.validations.keys()]) {
            const x = parseAddress(addr);
            if (x.row >= b.row && x.col >= b.col && x.row + x.rows <= b.row + b.rows && x.col + x.cols <= b.col + b.cols) s.validations.delete(addr);
          }
        }),
    } as XlRange['dataValidation'];
    // rule, prompt and errorAlert are each [Api set: ExcelApi 1.8]; stored together per address.
    for (const part of ['rule', 'prompt', 'errorAlert'] as const) {
      Object.defineProperty(validation, part, {
        get: () => {
          throw new FakeExcelError('PropertyNotLoaded', `${part} not loaded`);
        },
        set: (value: unknown) =>
          this.context.queue(() => {
            const s = this.sheet.state();
            const b = this.bounds();
            if (!s || !b) return;
            const addr = formatAddress(b);
            s.validations.set(addr, { ...(s.validations.get(addr) as object | undefined), [part]: value });
          }, value),
      });
    }
    return validation;
  }
}
