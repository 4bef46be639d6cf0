// How a unit workbook looks and what a unit may type into, defined once. The CLI's exceljs writer
// (generator/xlsx/unit-workbook.ts) and the add-in's layout (addin/ui/layout-ops.ts, applied by the
// Excel and the WPS gateway) both draw on this, so a workbook made by either is the same cell for cell and rule for rule.
import { SCORES_SHEET, columnLetter } from './layout.ts';
import type { ColumnSpec, FormField, FormSheet, TableSheet } from './layout.ts';
import { methodLabel } from './plan-lookup.ts';

/** Colours as #RRGGBB. */
export const COLOURS = {
  header: '#DDEBF7',
  /** Headers of the assessors' columns: a unit sees at a glance that they are not its own. */
  reviewHeader: '#FCE4D6',
  /** Prefilled cells a unit must not change. */
  fixed: '#F2F2F2',
  guideTab: '#2E75B6',
} as const;

export const FONT_NAME = '宋体';

/** A cell's font: every cell of a unit workbook is in FONT_NAME; these say what is bold or larger. */
export interface FontLook {
  name: string;
  size: number;
  bold: boolean;
}

const font = (size: number, bold: boolean): FontLook => ({ name: FONT_NAME, size, bold });

export const FONTS = {
  body: font(11, false),
  header: font(11, true),
  /** 单位信息's labels of the rows a unit must fill. */
  requiredLabel: font(11, true),
  guideTitle: font(16, true),
  guideSection: font(11, true),
} as const;

/** `一、活动阶段`: section headings of the 填报说明 read better in bold. */
const GUIDE_SECTION = /^[一二三四五六七八九十]+、/;

/** The font of a 填报说明 line (0-based row): the title, a section heading or body text. */
export function guideFont(row: number, text: string): FontLook {
  if (row === 0) return FONTS.guideTitle;
  return GUIDE_SECTION.test(text) ? FONTS.guideSection : FONTS.body;
}

export function formLabelFont(field: FormField): FontLook {
  return field.required === true ? FONTS.requiredLabel : FONTS.body;
}
export const DATE_FORMAT = 'yyyy-mm-dd';

/** Thin lines round each cell of a sheet's ruled rows, in this colour. */
export const RULE_COLOUR = '#9E9E9E';

/**
 * How many rows, from the header down, are ruled: the header, the prefilled rows and, on a table,
 * blank rows showing where entries go, on screen and on a printed form filled by hand.
 */
export function ruledRows(sheet: TableSheet | FormSheet, dataRows: number): number {
  return sheet.kind === 'form' ? sheet.fields.length + 1 : 1 + dataRows + sheet.blankRows;
}

/** Column widths in characters: 单位信息's two columns and 填报说明's single text column. */
export const FORM_WIDTHS = [24, 44] as const;
export const GUIDE_WIDTH = 64;

/** Rows below the header that carry dropdowns and hints, so units can add entries. */
export const INPUT_ROWS = 500;

/** The last row (1-based) carrying a table's dropdowns and input hints. */
export function inputLastRow(sheet: TableSheet, dataRows: number): number {
  return Math.max(INPUT_ROWS, dataRows + sheet.blankRows + 1);
}

/** Sheet protection: what a unit may still do on a protected sheet (both writers). */
export const PROTECTION = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  insertRows: true,
  sort: true,
  autoFilter: true,
} as const;

/** An input rule on a cell or column: a dropdown list and/or a hint shown on selecting the cell. */
export interface InputRule {
  list?: readonly string[];
  /** Excel caps the prompt title at 32 characters and the message at 255. */
  prompt?: { title: string; message: string };
  /** Shown when a typed value is not in the list. */
  error?: { title: string; message: string };
}

export function inputRule(spec: Pick<ColumnSpec | FormField, 'list' | 'hint'>, title: string): InputRule | null {
  if (!spec.list && !spec.hint) return null;
  return {
    ...(spec.list ? { list: spec.list, error: { title: '请从下拉列表中选择', message: `「${title}」只能填写：${spec.list.join('、')}` } } : {}),
    ...(spec.hint ? { prompt: { title: title.slice(0, 32), message: spec.hint.slice(0, 255) } } : {}),
  };
}

/** Rows of 考核评分 scored by the assessors alone: a unit has nothing to type on them. */
const ASSESSOR_METHODS = new Set<string>([methodLabel('bonus'), methodLabel('deduction'), methodLabel('veto')]);

/** Whether a unit may type into a column (below the header) of a table. */
export function unitColumn(column: ColumnSpec): boolean {
  return column.editor === 'unit';
}

/**
 * Cells locked for the unit although their column is the unit's: on 考核评分, the 加分/扣分/否决
 * rows. Given as 1-based rows with the A1 range of the unit's columns on that row.
 */
export function assessorRowRanges(sheet: TableSheet, rows: readonly (readonly unknown[])[]): string[] {
  if (sheet.key !== SCORES_SHEET.key) return [];
  const method = sheet.columns.findIndex((c) => c.key === 'method');
  const unitCols = sheet.columns.map((c, i) => (unitColumn(c) ? i : -1)).filter((i) => i >= 0);
  const first = columnLetter(Math.min(...unitCols));
  const last = columnLetter(Math.max(...unitCols));
  return rows.slice(1).flatMap((row, i) => (ASSESSOR_METHODS.has(String(row[method] ?? '')) ? [`${first}${i + 2}:${last}${i + 2}`] : []));
}
