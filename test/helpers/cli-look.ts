// How the CLI's workbook (exceljs, read back) looks, for the layout parity tests of both hosts:
// fills, fonts and input rules as plain values a stand-in's records compare with.
import type ExcelJS from 'exceljs';
import type { DataValidation } from 'exceljs';
import { parseAddress } from '../addin-fake.ts';

export function cliValidation(ws: ExcelJS.Worksheet, a1: string): DataValidation | undefined {
  const model = (ws as unknown as { dataValidations: { model: Record<string, DataValidation> } }).dataValidations.model;
  if (model[a1]) return model[a1];
  const at = parseAddress(a1);
  const key = Object.keys(model).find((k) => {
    const b = parseAddress(k);
    return at.row >= b.row && at.row < b.row + b.rows && at.col >= b.col && at.col < b.col + b.cols;
  });
  return key ? model[key] : undefined;
}

export function cliFill(cell: ExcelJS.Cell): string | undefined {
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  const argb = fill?.type === 'pattern' ? fill.fgColor?.argb : undefined;
  return argb ? `#${argb.slice(2)}` : undefined;
}

/** A font as [name, size, bold]; what is not set is Excel's default (11 points, not bold). */
export type Font = [string | undefined, number, boolean];

export function cliFont(cell: ExcelJS.Cell): Font {
  const f = cell.font as Partial<ExcelJS.Font> | undefined;
  return [f?.name, f?.size ?? 11, f?.bold ?? false];
}
