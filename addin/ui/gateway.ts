// What the pane needs of a spreadsheet host, whatever the host: Excel (addin/excel/gateway.ts,
// Office.js) or WPS 表格 (addin/wps/gateway.ts, the ET object model). The controller and the UI
// talk only to this interface; each host's gateway is the only code touching its host's API.
// Also the host-neutral pieces both gateways share: plain-value normalising, addresses, and the
// resumable-layout check.

import type { RawValue, WorkbookGrid } from '../../core/types.ts';
import type { SheetSpec } from '../../core/layout.ts';
import { columnLetter } from '../../core/layout.ts';

/** `host`: the failure came from the spreadsheet program (worth a 重试), not from a check of the workbook. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string; host?: true };

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
  /** False when the host cannot add dropdowns (Excel 2019): the workbook has none, the add-in's check still guards. */
  dropdowns: boolean;
}

export interface Capabilities {
  dataValidation: boolean;
  eventsControl: boolean;
}

/** What a protected sheet allows, as core/look.ts and core/scoresheet.ts define it. */
export interface SheetProtection {
  formatColumns: boolean;
  formatRows: boolean;
  insertRows: boolean;
  sort: boolean;
  autoFilter: boolean;
}

export interface Gateway {
  readonly capabilities: Capabilities;
  readSheets(names: readonly string[]): Promise<Outcome<WorkbookGrid>>;
  writeSheet(name: string, rows: CellInput[][], startCell?: string, options?: { asText?: boolean }): Promise<Outcome<void>>;
  selectCell(sheet: string, a1: string): Promise<Outcome<void>>;
  activateSheet(name: string): Promise<Outcome<void>>;
  createWorkbookLayout(content: LayoutContent): Promise<Outcome<LayoutReport>>;
  /** Calls the handler on every edit of the given sheets, including sheets made later by createWorkbookLayout. */
  onChanged(sheets: readonly string[], handler: (change: SheetChange) => void): Promise<Outcome<void>>;
  /** Calls the handler with the sheet's name whenever the user switches sheets. */
  onActivated(handler: (sheet: string) => void): Promise<Outcome<void>>;
  /**
   * Opens a protected sheet with the password. The host itself checks it: a wrong one is refused and
   * the sheet stays protected. `checked` is false when the sheet had no password to check against.
   */
  unlockSheet(name: string, password: string): Promise<Outcome<{ checked: boolean }>>;
  /** Protects a sheet again (as the layout does) with the password. */
  lockSheet(name: string, password: string): Promise<Outcome<void>>;
  /**
   * Writes locked cells of a sheet protected without a password (a score sheet's 合计 rows): opens
   * it, writes, protects it again with `protection`.
   */
  writeLocked(name: string, writes: readonly { startCell: string; rows: CellInput[][] }[], protection: SheetProtection): Promise<Outcome<void>>;
}

/** The gateway declining on purpose; its message is already for the filler. */
export class GatewayRefusal extends Error {}

export const SHEET_PROTECTED = '工作表已保护，请先撤销保护（审阅 → 撤销工作表保护）后再试。';

export const WRONG_PASSWORD = '审核密码不正确，请向领导小组办公室确认后重新输入。';

/** A sheet of the layout's name holding something else: never overwritten. */
export function foreignSheetRefusal(name: string): GatewayRefusal {
  return new GatewayRefusal(
    `工作簿中已有名为“${name}”的工作表，且其中有其他内容。为免覆盖，请新建一个空白工作簿再创建填报表（如果是上次未完成的填报表，请选择与上次相同的单位）。`,
  );
}

/** Error values as both hosts hand them to scripts: the text Excel shows in the cell. */
const CELL_ERRORS = new Set([
  '#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA',
  '#SPILL!', '#CALC!', '#BUSY!', '#FIELD!', '#CONNECT!', '#BLOCKED!', '#UNKNOWN!',
]);

/** A cell's value as core/ reads it: empties (`''`, null, undefined) are null, error text an error. */
export function toRawValue(value: unknown): RawValue {
  if (value === '' || value === null || value === undefined) return null;
  if (typeof value === 'string' && CELL_ERRORS.has(value)) return { error: value };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  // WPS may hand whole numbers over as BigInt; core/ counts in numbers.
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}

/** `B7` → 0-based row and column. */
export function parseCell(a1: string): { row: number; col: number } {
  const match = /^([A-Z]+)(\d+)$/.exec(a1.toUpperCase());
  if (!match) throw new Error(`bad cell address ${a1}`);
  let col = 0;
  for (const ch of match[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(match[2]) - 1, col: col - 1 };
}

/** Bounds of `A1`, `A1:C3`, `A:A` or `B:D`, 0-based; whole columns run to the host's last row. */
export function parseRange(address: string, lastRow: number): { row: number; col: number; rows: number; cols: number } {
  const [a, b = a] = address.split(':') as [string, string?];
  const part = (p: string): { row: number | null; col: number } =>
    /\d$/.test(p) ? parseCell(p) : { row: null, col: parseCell(`${p}1`).col };
  const p = part(a);
  const q = part(b!);
  const row = p.row ?? 0;
  return { row, col: p.col, rows: (q.row ?? lastRow - 1) - row + 1, cols: q.col - p.col + 1 };
}

export function rangeAddress(row: number, col: number, rows: number, cols: number): string {
  return `${columnLetter(col)}${row + 1}:${columnLetter(col + cols - 1)}${row + rows}`;
}

/** Pads ragged rows to one width; null becomes '' so a write clears rather than skips. */
export function rectangular(rows: CellInput[][]): (string | number | boolean)[][] {
  const width = Math.max(1, ...rows.map((r) => r.length));
  return rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
}

/** A used range's rows as core/ counts them, from A1: the range may start below or right of it. */
export function fromA1<T>(rows: readonly (readonly T[])[], rowIndex: number, columnIndex: number, fill: T): T[][] {
  const lead = Array.from({ length: rowIndex }, () => [] as T[]);
  return [...lead, ...rows.map((r) => [...Array<T>(columnIndex).fill(fill), ...r])];
}

/**
 * Whether every non-blank cell of a used range (0-based at rowIndex, columnIndex) equals what the
 * layout writes at that place: then an earlier, interrupted attempt left it and it may be taken over.
 */
export function holdsOnly(values: readonly (readonly unknown[])[], rowIndex: number, columnIndex: number, body: CellInput[][]): boolean {
  const blank = (v: unknown): boolean => v === '' || v === null || v === undefined;
  return values.every((row, r) =>
    row.every((value, c) => {
      if (blank(value)) return true;
      const expected = body[rowIndex + r]?.[columnIndex + c];
      return !blank(expected) && String(expected) === String(value);
    }),
  );
}

/** What the layout writes into each sheet: the guide's lines for 填报说明, else the rows given. */
export function layoutBodies(content: LayoutContent): Map<string, CellInput[][]> {
  return new Map<string, CellInput[][]>([
    ...content.sheets.map(({ sheet, rows }): [string, CellInput[][]] => [sheet.name, sheet.kind === 'plain' && sheet.key === 'guide' ? content.guide : rows]),
    [content.meta.sheetName, content.meta.rows],
  ]);
}
