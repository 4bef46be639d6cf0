// An in-memory WPS 表格 (ET) that behaves like the object model where the WPS gateway depends on
// it, typed against Kingsoft's declarations (node_modules/et-jsapi-declare/lib.et.d.ts, cited by
// line) through the gateway's narrowed interfaces: every call is synchronous and 1-based.
// No Node APIs: the e2e run bundles this file for the browser as `window.Application`.
//
// What it follows:
// - Range.Value2 (lib.et.d.ts:1706): a scalar for one cell, a 2D array (rows of columns) for more;
//   empty cells are null; dates are the serial numbers the cells hold.
// - Range.NumberFormat (lib.et.d.ts:1568): one string when every cell shares it, else null (VBA's
//   Null for a mixed range).
// - Worksheet.UsedRange (lib.et.d.ts:4718): from the first to the last non-empty cell, so it starts
//   where the data does, not at A1; an empty sheet's is A1.
// - Worksheet.Protect / Unprotect (lib.et.d.ts:4762, :4590): a protected sheet refuses writes to
//   locked cells (Range.Locked, lib.et.d.ts:1550, true by default) by throwing; Unprotect with a
//   wrong password throws; Unprotect('') opens a sheet without a password.
// - Sheets.Item (lib.et.d.ts:7693) by 1-based index or name, throwing for a missing one;
//   Sheets.Add(Before, After) (lib.et.d.ts:7680) names the new sheet SheetN.
// - Worksheet.Visible (lib.et.d.ts:4592): XlSheetVisibility, 2 = very hidden (lib.et.d.ts:17451).
// - ApiEvent.AddApiEventListener('SheetChange' | 'SheetActivate') (addon.et.d.ts:10, :11).
// Assumed where no public source says (each a switch, so tests cover both ways):
// - SheetChange fires for a script's own writes too, synchronously, as VBA's Worksheet_Change does,
//   unless Application.EnableEvents (lib.et.d.ts:1119) is false; `ignoresEnableEvents` plays a
//   WPS whose JS events ignore it.
// - `bigIntIntegers` hands whole numbers over as BigInt, as some WPS builds' JS bridge does.
// - Deleting a sheet with DisplayAlerts on (lib.et.d.ts:879) would ask the user: refused here.

import type { EtApiEvent, EtApplication, EtRange, EtSheets, EtWorksheet } from '../addin/wps/gateway.ts';
import { formatAddress, parseAddress } from './addin-fake.ts';
import type { WorkbookSnapshot } from './addin-fake.ts';

export class FakeEtError extends Error {
  override name = 'EtError';
}

interface Cell {
  value: string | number | boolean;
  format: string;
}

interface Bounds {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface WpsFakeOptions {
  ignoresEnableEvents?: boolean;
  bigIntIntegers?: boolean;
}

const key = (r: number, c: number): string => `${r},${c}`;
const inside = (b: Bounds, r: number, c: number): boolean => r >= b.row && r < b.row + b.rows && c >= b.col && c < b.col + b.cols;

export interface FakeSheetState {
  name: string;
  cells: Map<string, Cell>;
  visible: number;
  protected: boolean;
  password: string;
  /** Protect's arguments after the password, in order. */
  protectOptions: unknown[];
  /** Range.Locked assignments in order; the last covering a cell wins, default locked. */
  locks: { bounds: Bounds; locked: boolean }[];
  validations: { bounds: Bounds; type: number; formula1?: string; inCellDropdown?: boolean; inputTitle?: string; inputMessage?: string; errorMessage?: string }[];
  /** Interior.Color and Font assignments in order; the last covering a cell wins (alignment, wrap and borders are not kept). */
  styles: { bounds: Bounds; fill?: number; name?: string; size?: number; bold?: boolean }[];
  frozenRows: number;
  columnWidths: Map<number, number>;
}

type ChangeListener = (sheet: EtWorksheet, target: EtRange) => void;
type ActivateListener = (sheet: EtWorksheet) => void;

export class FakeEt implements EtApplication {
  EnableEvents = true;
  DisplayAlerts = true;
  readonly sheets: FakeSheetState[] = [];
  selection: { sheet: string; address: string } | null = null;
  activeSheet: string | null = null;
  /** Every SheetChange raised, as sheet!address, whoever made the change. */
  readonly raised: string[] = [];
  private readonly changeListeners: ChangeListener[] = [];
  private readonly activateListeners: ActivateListener[] = [];
  private readonly window = { SplitRow: 0, SplitColumn: 0, FreezePanes: false };
  readonly ApiEvent: EtApiEvent;
  readonly ActiveWorkbook: { readonly Worksheets: EtSheets };

  constructor(readonly options: WpsFakeOptions = {}) {
    this.addSheet('Sheet1');
    this.activeSheet = 'Sheet1';
    const listen = (name: 'SheetChange' | 'SheetActivate', callback: ChangeListener | ActivateListener): void => {
      if (name === 'SheetChange') this.changeListeners.push(callback as ChangeListener);
      else this.activateListeners.push(callback as ActivateListener);
    };
    this.ApiEvent = { AddApiEventListener: listen } as EtApiEvent;
    this.ActiveWorkbook = { Worksheets: new FakeSheets(this) };
  }

  /** The window of the active sheet: freezing applies to it (Window.FreezePanes, lib.et.d.ts:7531). */
  get ActiveWindow(): { SplitRow: number; SplitColumn: number; FreezePanes: boolean } {
    const win = this.window;
    const freeze = (on: boolean): void => {
      win.FreezePanes = on;
      const sheet = this.sheet(this.activeSheet ?? '');
      if (sheet) sheet.frozenRows = on ? win.SplitRow : 0;
    };
    return {
      get SplitRow() { return win.SplitRow; },
      set SplitRow(n: number) { win.SplitRow = n; },
      get SplitColumn() { return win.SplitColumn; },
      set SplitColumn(n: number) { win.SplitColumn = n; },
      get FreezePanes() { return win.FreezePanes; },
      set FreezePanes(on: boolean) { freeze(on); },
    };
  }

  // ----- test controls -----

  addSheet(name: string, at = this.sheets.length): FakeSheetState {
    const sheet: FakeSheetState = {
      name,
      cells: new Map(),
      visible: -1,
      protected: false,
      password: '',
      protectOptions: [],
      locks: [],
      validations: [],
      styles: [],
      frozenRows: 0,
      columnWidths: new Map(),
    };
    this.sheets.splice(at, 0, sheet);
    return sheet;
  }

  sheet(name: string): FakeSheetState | undefined {
    return this.sheets.find((s) => s.name === name);
  }

  /** Opens a workbook read from a file (test/helpers/xlsx-snapshot.ts), as the Excel fake does. */
  loadSnapshot(snapshot: WorkbookSnapshot): void {
    this.sheets.splice(0);
    for (const s of snapshot.sheets) {
      const sheet = this.addSheet(s.name);
      sheet.visible = s.visibility === 'VeryHidden' ? 2 : s.visibility === 'Hidden' ? 0 : -1;
      sheet.protected = s.protected;
      for (const [r, c, value, format] of s.cells) this.setCell(sheet, r, c, value, format);
      for (const [r, c] of s.unlocked) sheet.locks.push({ bounds: { row: r, col: c, rows: 1, cols: 1 }, locked: false });
    }
    this.activeSheet = this.sheets.find((s) => s.visible === -1)?.name ?? null;
  }

  /** A user typing or pasting in WPS: refused on locked cells of a protected sheet, then SheetChange. */
  userEdit(sheetName: string, address: string, values: (string | number | boolean | null)[][]): void {
    const sheet = this.sheet(sheetName);
    if (!sheet) throw new Error(`no sheet ${sheetName}`);
    const at = parseAddress(address);
    const b = { row: at.row, col: at.col, rows: values.length, cols: Math.max(1, ...values.map((r) => r.length)) };
    this.refuseLocked(sheet, b);
    values.forEach((row, r) => row.forEach((v, c) => this.setCell(sheet, b.row + r, b.col + c, v)));
    this.raiseChange(sheet, b);
  }

  /** The user switching sheets. */
  userActivate(name: string): void {
    this.activate(this.sheet(name)!);
  }

  cell(sheetName: string, a1: string): string | number | boolean | null {
    const b = parseAddress(a1);
    return this.sheet(sheetName)?.cells.get(key(b.row, b.col))?.value ?? null;
  }

  /** A cell's fill as #RRGGBB (Interior.Color is BGR), or undefined when none was set. */
  fillAt(sheet: FakeSheetState, r: number, c: number): string | undefined {
    const bgr = sheet.styles.filter((s) => s.fill !== undefined && inside(s.bounds, r, c)).pop()?.fill;
    if (bgr === undefined) return undefined;
    const rgb = ((bgr & 0xff) << 16) | (bgr & 0xff00) | ((bgr >> 16) & 0xff);
    return `#${rgb.toString(16).toUpperCase().padStart(6, '0')}`;
  }

  /** A cell's font as [name, size, bold]; what was never set is undefined, 11 points, not bold. */
  fontAt(sheet: FakeSheetState, r: number, c: number): [string | undefined, number, boolean] {
    const covering = sheet.styles.filter((s) => inside(s.bounds, r, c));
    const last = <K extends 'name' | 'size' | 'bold'>(key: K): FakeSheetState['styles'][number][K] => covering.filter((s) => s[key] !== undefined).pop()?.[key];
    return [last('name'), last('size') ?? 11, last('bold') ?? false];
  }

  isLocked(sheet: FakeSheetState, r: number, c: number): boolean {
    for (let i = sheet.locks.length - 1; i >= 0; i--) if (inside(sheet.locks[i]!.bounds, r, c)) return sheet.locks[i]!.locked;
    return true;
  }

  // ----- internals used by the proxies -----

  refuseLocked(sheet: FakeSheetState, b: Bounds): void {
    if (!sheet.protected) return;
    for (let r = b.row; r < b.row + b.rows; r++) {
      for (let c = b.col; c < b.col + b.cols; c++) {
        if (this.isLocked(sheet, r, c)) throw new FakeEtError('您试图更改的单元格或图表受保护，因而是只读的。');
      }
    }
  }

  setCell(sheet: FakeSheetState, r: number, c: number, value: unknown, format?: string): void {
    const k = key(r, c);
    const old = sheet.cells.get(k);
    const fmt = format ?? old?.format ?? 'General';
    if (value === '' || value === null || value === undefined) {
      if (fmt === 'General') sheet.cells.delete(k);
      else sheet.cells.set(k, { value: '', format: fmt });
      return;
    }
    const v = typeof value === 'bigint' ? Number(value) : (value as string | number | boolean);
    sheet.cells.set(k, { value: v, format: fmt });
  }

  usedBounds(sheet: FakeSheetState): Bounds | null {
    let [minR, minC, maxR, maxC] = [Infinity, Infinity, -1, -1];
    for (const [k, cell] of sheet.cells) {
      if (cell.value === '') continue;
      const [r, c] = k.split(',').map(Number) as [number, number];
      [minR, minC, maxR, maxC] = [Math.min(minR, r), Math.min(minC, c), Math.max(maxR, r), Math.max(maxC, c)];
    }
    return maxR < 0 ? null : { row: minR, col: minC, rows: maxR - minR + 1, cols: maxC - minC + 1 };
  }

  /** SheetChange for an edit, the user's or a script's alike (see the assumptions above). */
  raiseChange(sheet: FakeSheetState, b: Bounds): void {
    if (!this.EnableEvents && !this.options.ignoresEnableEvents) return;
    this.raised.push(`${sheet.name}!${formatAddress(b)}`);
    const ws = new FakeWorksheet(this, sheet);
    const target = new FakeRange(this, sheet, b);
    for (const listener of [...this.changeListeners]) listener(ws, target);
  }

  activate(sheet: FakeSheetState): void {
    if (sheet.visible !== -1) throw new FakeEtError('不能激活隐藏的工作表。');
    if (this.activeSheet === sheet.name) return;
    this.activeSheet = sheet.name;
    for (const listener of [...this.activateListeners]) listener(new FakeWorksheet(this, sheet));
  }
}

class FakeSheets implements EtSheets {
  constructor(private readonly et: FakeEt) {}

  get Count(): number {
    return this.et.sheets.length;
  }

  Item(index: number | string): EtWorksheet {
    const sheet = typeof index === 'number' ? this.et.sheets[index - 1] : this.et.sheet(index);
    if (!sheet) throw new FakeEtError(`下标越界：${index}`);
    return new FakeWorksheet(this.et, sheet);
  }

  Add(before?: EtWorksheet, after?: EtWorksheet): EtWorksheet {
    const anchor = before ?? after;
    const at = anchor ? this.et.sheets.findIndex((s) => s.name === anchor.Name) + (after ? 1 : 0) : 0;
    let n = this.et.sheets.length + 1;
    while (this.et.sheet(`Sheet${n}`)) n++;
    const sheet = this.et.addSheet(`Sheet${n}`, at);
    // A new sheet becomes the active one.
    this.et.activeSheet = sheet.name;
    return new FakeWorksheet(this.et, sheet);
  }
}

class FakeWorksheet implements EtWorksheet {
  constructor(
    private readonly et: FakeEt,
    readonly state: FakeSheetState,
  ) {}

  get Name(): string {
    return this.state.name;
  }

  set Name(name: string) {
    if (this.et.sheets.some((s) => s !== this.state && s.name === name)) throw new FakeEtError(`工作表名称“${name}”已被占用。`);
    if (this.et.activeSheet === this.state.name) this.et.activeSheet = name;
    this.state.name = name;
  }

  get Visible(): Et.XlSheetVisibility {
    return this.state.visible;
  }

  set Visible(value: Et.XlSheetVisibility) {
    if (value !== -1 && this.et.sheets.filter((s) => s.visible === -1 && s !== this.state).length === 0) {
      throw new FakeEtError('工作簿中至少要有一张可见的工作表。');
    }
    this.state.visible = value;
    if (value !== -1 && this.et.activeSheet === this.state.name) this.et.activeSheet = this.et.sheets.find((s) => s.visible === -1)?.name ?? null;
  }

  get ProtectContents(): boolean {
    return this.state.protected;
  }

  Activate(): void {
    this.et.activate(this.state);
  }

  Delete(): void {
    if (this.et.DisplayAlerts) throw new FakeEtError('删除工作表需要用户确认（DisplayAlerts 打开时会弹出对话框）。');
    if (this.et.sheets.filter((s) => s.visible === -1 && s !== this.state).length === 0) throw new FakeEtError('工作簿中至少要有一张可见的工作表。');
    this.et.sheets.splice(this.et.sheets.indexOf(this.state), 1);
    if (this.et.activeSheet === this.state.name) this.et.activeSheet = this.et.sheets.find((s) => s.visible === -1)?.name ?? null;
  }

  Protect(password?: unknown, ...options: unknown[]): void {
    this.state.protected = true;
    this.state.password = typeof password === 'string' ? password : '';
    this.state.protectOptions = options;
  }

  Unprotect(password?: unknown): void {
    if (!this.state.protected) return;
    if (password === undefined) throw new FakeEtError('Unprotect without a password would open a password dialog.');
    if (this.state.password !== '' && password !== this.state.password) throw new FakeEtError('您输入的密码不正确。');
    this.state.protected = false;
  }

  Range(address: string): EtRange {
    return new FakeRange(this.et, this.state, parseAddress(address));
  }

  get Cells(): EtRange {
    return new FakeRange(this.et, this.state, parseAddress('A:XFD'));
  }

  get UsedRange(): EtRange {
    return new FakeRange(this.et, this.state, this.et.usedBounds(this.state) ?? { row: 0, col: 0, rows: 1, cols: 1 });
  }
}

class FakeRange implements EtRange {
  constructor(
    private readonly et: FakeEt,
    private readonly sheet: FakeSheetState,
    private readonly b: Bounds,
  ) {}

  get Row(): number {
    return this.b.row + 1;
  }

  get Column(): number {
    return this.b.col + 1;
  }

  get Rows(): { Count: number } {
    return { Count: this.b.rows };
  }

  get Columns(): { Count: number } {
    return { Count: this.b.cols };
  }

  Address(): string {
    return formatAddress(this.b);
  }

  private read(r: number, c: number): string | number | boolean | bigint | null {
    const value = this.sheet.cells.get(key(this.b.row + r, this.b.col + c))?.value;
    if (value === undefined || value === '') return null;
    return this.et.options.bigIntIntegers && typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
  }

  get Value2(): string | unknown[] {
    if (this.b.rows === 1 && this.b.cols === 1) return this.read(0, 0) as string;
    return Array.from({ length: this.b.rows }, (_, r) => Array.from({ length: this.b.cols }, (_, c) => this.read(r, c)));
  }

  set Value2(value: string | unknown[]) {
    const rows = Array.isArray(value) ? value.map((row: unknown) => (Array.isArray(row) ? row : [row])) : [[value]];
    if (rows.length !== this.b.rows || rows.some((r) => r.length !== this.b.cols)) {
      throw new FakeEtError(`写入的数组大小与区域 ${this.Address()} 不符。`);
    }
    this.et.refuseLocked(this.sheet, this.b);
    rows.forEach((row, r) => row.forEach((v, c) => this.et.setCell(this.sheet, this.b.row + r, this.b.col + c, v)));
    this.et.raiseChange(this.sheet, this.b);
  }

  get NumberFormat(): string {
    let shared: string | null | undefined;
    for (let r = 0; r < this.b.rows; r++) {
      for (let c = 0; c < this.b.cols; c++) {
        const format = this.sheet.cells.get(key(this.b.row + r, this.b.col + c))?.format ?? 'General';
        if (shared === undefined) shared = format;
        else if (shared !== format) return null as unknown as string;
      }
    }
    return shared ?? 'General';
  }

  set NumberFormat(format: string) {
    this.et.refuseLocked(this.sheet, this.b);
    // A whole column's format is kept for its first rows only: the layout formats 500-row ranges.
    const rows = Math.min(this.b.rows, 5000);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < this.b.cols; c++) {
        const k = key(this.b.row + r, this.b.col + c);
        const cell = this.sheet.cells.get(k);
        this.sheet.cells.set(k, { value: cell?.value ?? '', format });
      }
    }
  }

  get Locked(): boolean {
    return this.et.isLocked(this.sheet, this.b.row, this.b.col);
  }

  set Locked(locked: boolean) {
    if (this.sheet.protected) throw new FakeEtError('不能更改受保护工作表上单元格的锁定属性。');
    this.sheet.locks.push({ bounds: this.b, locked });
  }

  get ColumnWidth(): number {
    return this.sheet.columnWidths.get(this.b.col) ?? 8.38;
  }

  set ColumnWidth(chars: number) {
    for (let c = this.b.col; c < this.b.col + this.b.cols; c++) this.sheet.columnWidths.set(c, chars);
  }

  WrapText = false;
  HorizontalAlignment: number | boolean = 1;
  VerticalAlignment: number | boolean = 1;
  get Font(): EtRange['Font'] {
    const style = (set: Omit<FakeSheetState['styles'][number], 'bounds'>): void => {
      this.sheet.styles.push({ bounds: this.b, ...set });
    };
    const at = this.et.fontAt(this.sheet, this.b.row, this.b.col);
    return {
      get Name() { return at[0]; },
      set Name(name: string | undefined) { style({ name }); },
      get Size() { return at[1]; },
      set Size(size: number) { style({ size }); },
      get Bold() { return at[2]; },
      set Bold(bold: boolean) { style({ bold }); },
    };
  }

  get Interior(): EtRange['Interior'] {
    const sheet = this.sheet;
    const b = this.b;
    return {
      get Color(): unknown { return undefined; },
      set Color(fill: unknown) { sheet.styles.push({ bounds: b, fill: Number(fill) }); },
    };
  }

  get Borders(): EtRange['Borders'] {
    return { Item: () => ({ LineStyle: 1, Weight: 2, Color: 0 }) };
  }

  get Validation(): EtRange['Validation'] {
    const sheet = this.sheet;
    const b = this.b;
    let rule: FakeSheetState['validations'][number] | undefined;
    const current = (): FakeSheetState['validations'][number] => {
      if (!rule) throw new FakeEtError('区域没有数据有效性。');
      return rule;
    };
    return {
      Add(type: number, _alert?: number, _operator?: number, formula1?: string): void {
        if (sheet.protected) throw new FakeEtError('受保护的工作表不能设置数据有效性。');
        rule = { bounds: b, type, ...(formula1 === undefined ? {} : { formula1 }) };
        sheet.validations.push(rule);
      },
      Delete(): void {
        sheet.validations = sheet.validations.filter((v) => !(v.bounds.row >= b.row && v.bounds.col >= b.col && v.bounds.row < b.row + b.rows && v.bounds.col < b.col + b.cols));
      },
      set InCellDropdown(on: boolean) {
        current().inCellDropdown = on;
      },
      get InCellDropdown(): boolean {
        return current().inCellDropdown ?? false;
      },
      set InputTitle(text: string) {
        current().inputTitle = text;
      },
      get InputTitle(): string {
        return current().inputTitle ?? '';
      },
      set InputMessage(text: string) {
        current().inputMessage = text;
      },
      get InputMessage(): string {
        return current().inputMessage ?? '';
      },
      set ErrorMessage(text: string) {
        current().errorMessage = text;
      },
      get ErrorMessage(): string {
        return current().errorMessage ?? '';
      },
      ShowInput: false,
      ShowError: false,
      ErrorTitle: '',
    };
  }

  Select(): boolean {
    if (this.et.activeSheet !== this.sheet.name) throw new FakeEtError('只能选择活动工作表上的区域。');
    this.et.selection = { sheet: this.sheet.name, address: this.Address() };
    return true;
  }

  Clear(): boolean {
    this.et.refuseLocked(this.sheet, this.b);
    for (const k of [...this.sheet.cells.keys()]) {
      const [r, c] = k.split(',').map(Number) as [number, number];
      if (inside(this.b, r, c)) this.sheet.cells.delete(k);
    }
    return true;
  }
}
