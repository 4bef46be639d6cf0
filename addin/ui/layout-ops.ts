// The look of a laid-out sheet as a list of plain operations, derived from core/look.ts the way
// generator/xlsx/unit-workbook.ts draws it for the CLI. Each host's gateway applies the list in
// order with its own API, so Excel and WPS lay out the same workbook from one definition.

import type { SheetSpec } from '../../core/layout.ts';
import { columnLetter } from '../../core/layout.ts';
import {
  COLOURS,
  FONTS,
  FORM_WIDTHS,
  GUIDE_WIDTH,
  PROTECTION,
  assessorRowRanges,
  formLabelFont,
  guideFont,
  inputLastRow,
  inputRule,
  ruledRows,
  unitColumn,
} from '../../core/look.ts';
import type { FontLook, InputRule } from '../../core/look.ts';
import { rangeAddress } from './gateway.ts';
import type { CellInput, SheetProtection } from './gateway.ts';

/** Ranges are A1 addresses (`A:A` is a whole column); later operations win over earlier ones. */
export type LayoutOp =
  | { op: 'font'; range: string; font: FontLook }
  | { op: 'fill'; range: string; colour: string }
  /** Thin lines in core/look.ts's RULE_COLOUR round every cell of the range. */
  | { op: 'rule'; range: string }
  | { op: 'width'; range: string; chars: number }
  | { op: 'wrap'; range: string }
  /** Centred both ways. */
  | { op: 'centre'; range: string }
  /** core/look.ts's DATE_FORMAT on every cell of the range. */
  | { op: 'dateFormat'; range: string }
  | { op: 'locked'; range: string; locked: boolean }
  /** Dropdown list, prompt and error alert: only where the host can add them. */
  | { op: 'input'; range: string; rule: InputRule }
  | { op: 'freezeRows'; rows: number }
  | { op: 'protect'; protection: SheetProtection };

/** The last row a unit may reach, in both hosts (the .xlsx limit). */
export const LAST_ROW = 1_048_576;

function header(fills: readonly string[]): LayoutOp[] {
  const range = rangeAddress(0, 0, 1, fills.length);
  return [
    ...fills.map((colour, i): LayoutOp => ({ op: 'fill', range: rangeAddress(0, i, 1, 1), colour })),
    { op: 'font', range, font: FONTS.header },
    { op: 'wrap', range },
    { op: 'centre', range },
    { op: 'freezeRows', rows: 1 },
  ];
}

function input(range: string, rule: InputRule | null, dropdowns: boolean): LayoutOp[] {
  return dropdowns && rule ? [{ op: 'input', range, rule }] : [];
}

/** The look of one sheet of the layout, from the rows written into it (header first). */
export function sheetLayout(spec: SheetSpec, rows: CellInput[][], dropdowns: boolean): LayoutOp[] {
  if (spec.kind === 'plain') {
    return [
      { op: 'width', range: 'A:A', chars: GUIDE_WIDTH },
      { op: 'wrap', range: 'A:A' },
      ...rows.map((row, i): LayoutOp => ({ op: 'font', range: `A${i + 1}`, font: guideFont(i, String(row[0] ?? '')) })),
    ];
  }
  if (spec.kind === 'form') {
    return [
      { op: 'font', range: 'A:B', font: FONTS.body },
      { op: 'rule', range: rangeAddress(0, 0, ruledRows(spec, spec.fields.length), spec.headers.length) },
      ...header(spec.headers.map(() => COLOURS.header)),
      ...FORM_WIDTHS.map((chars, i): LayoutOp => ({ op: 'width', range: `${columnLetter(i)}:${columnLetter(i)}`, chars })),
      { op: 'fill', range: `A2:A${spec.fields.length + 1}`, colour: COLOURS.fixed },
      ...spec.fields.flatMap((field, i): LayoutOp[] => {
        const cell = `B${i + 2}`;
        return [
          ...(formLabelFont(field) !== FONTS.body ? [{ op: 'font', range: `A${i + 2}`, font: formLabelFont(field) } as const] : []),
          ...(field.type === 'date' ? [{ op: 'dateFormat', range: cell } as const] : []),
          field.editor === 'fixed' ? { op: 'fill', range: cell, colour: COLOURS.fixed } : { op: 'locked', range: cell, locked: false },
          ...input(cell, inputRule(field, field.label), dropdowns),
        ];
      }),
      { op: 'protect', protection: PROTECTION },
    ];
  }
  const lastRow = inputLastRow(spec, rows.length - 1);
  return [
    { op: 'font', range: `A:${columnLetter(spec.columns.length - 1)}`, font: FONTS.body },
    { op: 'rule', range: rangeAddress(0, 0, ruledRows(spec, rows.length - 1), spec.columns.length) },
    ...header(spec.columns.map((c) => (c.editor === 'review' ? COLOURS.reviewHeader : COLOURS.header))),
    ...spec.columns.flatMap((column, i): LayoutOp[] => {
      const letter = columnLetter(i);
      const inputRows = `${letter}2:${letter}${lastRow}`;
      return [
        { op: 'width', range: `${letter}:${letter}`, chars: column.width },
        ...(column.type === 'date' ? [{ op: 'dateFormat', range: inputRows } as const] : []),
        // One rule per column range: per-cell rules bloat the file and the request.
        ...input(inputRows, inputRule(column, column.header), dropdowns),
        ...(column.editor === 'fixed' && rows.length > 1 ? [{ op: 'fill', range: `${letter}2:${letter}${rows.length}`, colour: COLOURS.fixed } as const] : []),
        // The unit's columns are open down the sheet, so rows a unit adds later are open too; the
        // assessors' stay locked (the default) until review mode unprotects the sheet.
        ...(unitColumn(column) ? [{ op: 'locked', range: `${letter}2:${letter}${LAST_ROW}`, locked: false } as const] : []),
      ];
    }),
    ...assessorRowRanges(spec, rows).map((range): LayoutOp => ({ op: 'locked', range, locked: true })),
    { op: 'protect', protection: PROTECTION },
  ];
}
