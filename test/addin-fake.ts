// An in-memory Excel that behaves like Office.js where the gateway depends on it:
// properties are readable only after load + sync, writes apply at sync in order,
// every sync is counted, a request above 5 MB fails like Excel on the web, protected
// sheets refuse writes, and cell-edit mode rejects a batch unless it asks to wait.
// No Node APIs: the e2e test bundles this file for the browser as the Office.js stand-in.

import { columnLetter } from '../core/layout.ts';
import type {
  ProtectionOptions,
  XlChangeEvent,
  XlContext,
  XlHost,
  XlRange,
  XlWorksheet,
  XlWorksheetCollection,
} from '../addin/src/gateway.ts';

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
  private nextId = 1;
  private cellEditWaiters: (() => void)[] = [];

  constructor(readonly options: FakeOptions = {}) {
    this.addSheet('Sheet1');
  }

  get apiMinor(): number {
    return this.options.apiMinor ?? 8;
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
    };
    this.sheets.push(sheet);
    return sheet;
  }

  sheet(name: string): SheetState | undefined {
    return this.sheets.find((s) => s.name === name);
  }

  /** A user typing or pasting: writes values and raises the changed event (without details, like a paste). */
  async userEdit(sheetName: string, address: string, values: (string | number | boolean | null)[][]): Promise<void> {
    const sheet = this.sheet(sheetName);
    if (!sheet) throw new Error(`no sheet ${sheetName}`);
    const b = parseAddress(address);
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
    for (const listener of this.listeners) {
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
      set: (value: boolean) =>
        this.queue(() => {
          if (excel.apiMinor < 8) throw new FakeExcelError('ApiNotFound', 'runtime.enableEvents needs ExcelApi 1.8');
          excel.enableEvents = value;
        }),
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
    const context = this.context;
    return {
      add(handler: Listener): unknown {
        context.queue(() => {
          if (context.excel.apiMinor < 7) throw new FakeExcelError('ApiNotFound', 'worksheets.onChanged needs ExcelApi 1.7');
          context.excel.listeners.push(handler);
        });
        return {};
      },
    };
  }

  getItem(name: string): XlWorksheet {
    return new FakeWorksheet(this.context, () => {
      const s = this.context.excel.sheet(name);
      if (!s) throw new FakeExcelError('ItemNotFound', `The requested resource doesn't exist: ${name}`);
      return s;
    }, false);
  }

  getItemOrNullObject(name: string): XlWorksheet {
    return new FakeWorksheet(this.context, () => this.context.excel.sheet(name) ?? null, true);
  }

  add(name: string): XlWorksheet {
    let created: SheetState | null = null;
    this.context.queue(() => {
      if (this.context.excel.sheet(name)) throw new FakeExcelError('ItemAlreadyExists', `sheet ${name} exists`);
      created = this.context.excel.addSheet(name);
    });
    return new FakeWorksheet(this.context, () => created, false);
  }

  load(properties: string | string[]): XlWorksheetCollection {
    const wanted = Array.isArray(properties) ? properties : [properties];
    if (!wanted.some((p) => p.startsWith('items'))) return this;
    this.context.onLoad(() => {
      this.loadedItems = this.context.excel.sheets.map((s) => {
        const ws = new FakeWorksheet(this.context, () => s, false);
        ws.resolve();
        return ws;
      });
    });
    return this;
  }
}

class FakeWorksheet implements XlWorksheet {
  private resolved: SheetState | null | undefined;

  constructor(
    private readonly context: FakeContext,
    private readonly find: () => SheetState | null,
    private readonly nullable: boolean,
  ) {
    // Real proxies learn isNullObject at the next sync whatever was loaded.
    if (nullable) context.onLoad(() => this.resolve());
  }

  resolve(): SheetState | null {
    this.resolved = this.find();
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
    if (!this.resolved) throw new FakeExcelError('PropertyNotLoaded', 'name not loaded');
    return this.resolved.name;
  }

  get visibility(): string {
    if (!this.resolved) throw new FakeExcelError('PropertyNotLoaded', 'visibility not loaded');
    return this.resolved.visibility;
  }

  set visibility(value: string) {
    this.context.queue(() => {
      const s = this.state();
      if (s) s.visibility = value;
    });
  }

  get protection(): { protect(options?: ProtectionOptions): void } {
    return {
      protect: (options?: ProtectionOptions) =>
        this.context.queue(() => {
          const s = this.state();
          if (!s) return;
          if (s.protected) throw new FakeExcelError('InvalidOperation', 'The worksheet is already protected.');
          s.protected = true;
          s.protectionOptions = options ?? {};
        }),
    };
  }

  get freezePanes(): { freezeRows(count: number): void } {
    return {
      freezeRows: (count: number) =>
        this.context.queue(() => {
          if (this.context.excel.apiMinor < 7) throw new FakeExcelError('ApiNotFound', 'freezePanes needs ExcelApi 1.7');
          const s = this.state();
          if (s) s.frozenRows = count;
        }),
    };
  }

  getRange(address: string): XlRange {
    const bounds = parseAddress(address);
    return new FakeRange(this.context, this, () => bounds);
  }

  getUsedRangeOrNullObject(valuesOnly = false): XlRange {
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
      if (s) this.context.excel.activeSheet = s.name;
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

  load(_properties: string | string[]): XlWorksheet {
    this.context.onLoad(() => this.resolve());
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
      if (s.protected) throw new FakeExcelError('AccessDenied', 'The cell or chart you are trying to change is on a protected sheet.');
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
        if (prop === 'columnWidth') for (let c = b.col; c < b.col + b.cols; c++) s.columnWidths.set(c, value as number);
      });
    const setter = <K extends string>(prefix: string, props: K[]): Record<K, unknown> => {
      const target = {} as Record<K, unknown>;
      for (const p of props) Object.defineProperty(target, p, { set: (v: unknown) => set(`${prefix}${p}`, v), enumerable: true });
      return target;
    };
    return Object.assign(setter('', ['columnWidth', 'wrapText', 'verticalAlignment']), {
      font: setter('font.', ['bold', 'color']),
      fill: setter('fill.', ['color']),
      protection: setter('protection.', ['locked']),
    }) as unknown as XlRange['format'];
  }

  get dataValidation(): XlRange['dataValidation'] {
    const validation = {} as XlRange['dataValidation'];
    Object.defineProperty(validation, 'rule', {
      get: () => {
        throw new FakeExcelError('PropertyNotLoaded', 'rule not loaded');
      },
      set: (rule: unknown) =>
        this.context.queue(() => {
          if (this.context.excel.apiMinor < 8) throw new FakeExcelError('ApiNotFound', 'dataValidation needs ExcelApi 1.8');
          const s = this.sheet.state();
          const b = this.bounds();
          if (s && b) s.validations.set(formatAddress(b), rule);
        }, rule),
    });
    return validation;
  }
}
