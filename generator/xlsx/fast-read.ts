// A value-only xlsx reader: it inflates only the parts the core needs (workbook, rels, shared
// strings, styles and the requested sheets) and never more than a byte budget, so a zip bomb is
// refused from its directory or, if the directory lies, after at most one input chunk.
// It yields the same WorkbookGrid as the exceljs reader (test/helpers/xlsx-read.ts): same strings,
// numbers (dates as their serials), booleans, `{error}` values, formula results and number formats.

import type { WorkbookGrid } from '../../core/types.ts';
import { DEFAULT_MAX_INFLATED_BYTES, XlsxReadError } from './fast-read-failure.ts';
import type { XlsxFailure } from './fast-read-failure.ts';
import { readCellFormats, readSharedStrings, readWorkbookPart } from './fast-read-parts.ts';
import { readSheet } from './fast-read-sheet.ts';
import type { SheetContext } from './fast-read-sheet.ts';
import { Inflater, zipDirectory } from './fast-read-zip.ts';

export { DEFAULT_MAX_INFLATED_BYTES, XlsxReadError } from './fast-read-failure.ts';
export type { XlsxFailure } from './fast-read-failure.ts';

export interface FastReadOptions {
  /** Sheet names to read, or a test on the name; absent means every sheet. */
  sheets?: readonly string[] | ((name: string) => boolean);
  /** Upper bound on the bytes inflated from the zip, summed over the parts read. */
  maxInflatedBytes?: number;
}

export interface XlsxRead {
  ok: true;
  grid: WorkbookGrid;
  /** Every sheet in workbook order, read or not. */
  sheetNames: string[];
  inflatedBytes: number;
}

/** Reads an xlsx into a WorkbookGrid; throws XlsxReadError for files it cannot read. */
export function readXlsxGrid(bytes: Uint8Array, opts: FastReadOptions = {}): WorkbookGrid {
  const read = tryReadXlsx(bytes, opts);
  if (!read.ok) throw new XlsxReadError(read.failure);
  return read.grid;
}

/** Reads an xlsx into a WorkbookGrid; never throws. */
export function tryReadXlsx(bytes: Uint8Array, opts: FastReadOptions = {}): XlsxRead | { ok: false; failure: XlsxFailure } {
  try {
    return readXlsx(bytes, opts);
  } catch (e) {
    if (e instanceof XlsxReadError) return { ok: false, failure: e.failure };
    return { ok: false, failure: { kind: 'corrupt', detail: e instanceof Error ? e.message : String(e) } };
  }
}

function readXlsx(bytes: Uint8Array, opts: FastReadOptions): XlsxRead {
  const budget = opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const inflater = new Inflater(bytes, zipDirectory(bytes), budget);
  const workbook = readWorkbookPart(inflater);
  const { sheets } = opts;
  const include = sheets === undefined ? () => true : typeof sheets === 'function' ? sheets : (name: string) => sheets.includes(name);
  const wanted = workbook.sheets.filter((s) => s.part !== undefined && include(s.name));
  const parts = [workbook.sharedStrings, workbook.styles, ...wanted.map((s) => s.part)].filter(
    (p): p is string => p !== undefined,
  );
  inflater.checkDeclared(parts);
  const ctx: SheetContext = {
    strings: readSharedStrings(inflater, workbook.sharedStrings),
    formats: readCellFormats(inflater, workbook.styles),
    date1904: workbook.date1904,
    cellsInWorkbook: 0,
  };
  const grid: WorkbookGrid = { sheets: {} };
  if (workbook.date1904) grid.date1904 = true;
  for (const sheet of wanted) {
    const xml = inflater.text(sheet.part as string);
    if (xml !== null) grid.sheets[sheet.name] = readSheet(xml, sheet.part as string, sheet.name, ctx);
  }
  return { ok: true, grid, sheetNames: workbook.sheets.map((s) => s.name), inflatedBytes: inflater.inflated };
}
