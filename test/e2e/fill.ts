// What a diligent unit types into its workbook, for either stand-in (Excel's or WPS's): every
// required field as typed text, through the stand-in's own "user edit" so change events fire.
// Bundled into the browser with the stand-ins.

import { INFO_SHEET, KEY_TASKS_SHEET, RULES_SHEET, SCORES_SHEET, THREE_RULES, columnLetter } from '../../core/layout.ts';

/** What both stand-ins offer a test acting as the user. */
export interface TypedWorkbook {
  userEdit(sheet: string, address: string, values: (string | number | boolean | null)[][]): unknown;
  cell(sheet: string, a1: string): unknown;
  /** A sheet's cells keyed `row,column` (0-based), as both stand-ins hold them. */
  sheet(name: string): { cells: ReadonlyMap<string, { value: unknown }> } | undefined;
}

function rowsOf(book: TypedWorkbook, sheet: string): number {
  let max = 0;
  for (const [k, cell] of book.sheet(sheet)?.cells ?? []) if (cell.value !== '') max = Math.max(max, Number(k.split(',')[0]));
  return max + 1;
}

const letter = (columns: readonly { key: string }[], key: string): string => columnLetter(columns.findIndex((c) => c.key === key));

export async function fillUnitWorkbook(book: TypedWorkbook): Promise<void> {
  const info: Record<string, string | number> = {
    head: '王局长',
    filler: '李明',
    phone: '0931-8888888',
    planHandedIn: '2011-2-25',
    standardHandedIn: '2011/2/26',
    mobilisationMeeting: '2011年2月15日',
    studySessions: 6,
    participants: 32,
    reports: 0,
  };
  for (const [i, field] of INFO_SHEET.fields.entries()) {
    const value = info[field.key];
    if (value !== undefined) await book.userEdit(INFO_SHEET.name, `B${i + 2}`, [[value]]);
  }
  const col = (key: string): string => letter(KEY_TASKS_SHEET.columns, key);
  for (let r = 2; r <= rowsOf(book, KEY_TASKS_SHEET.name); r++) {
    await book.userEdit(KEY_TASKS_SHEET.name, `${col('actual')}${r}`, [['2011-3-20']]);
    await book.userEdit(KEY_TASKS_SHEET.name, `${col('progress')}${r}`, [[100]]);
    await book.userEdit(KEY_TASKS_SHEET.name, `${col('status')}${r}`, [['已按计划完成，材料已报送']]);
  }
  const s = (key: string): string => letter(SCORES_SHEET.columns, key);
  for (let r = 2; r <= rowsOf(book, SCORES_SHEET.name); r++) {
    const method = book.cell(SCORES_SHEET.name, `${s('method')}${r}`);
    const max = book.cell(SCORES_SHEET.name, `${s('maxPoints')}${r}`);
    if (method === '自评' && typeof max === 'number') {
      await book.userEdit(SCORES_SHEET.name, `${s('self')}${r}`, [[max - 1, '对照标准逐项落实']]);
    }
  }
  const rules = THREE_RULES.map((name, i) => [String(i + 1), `${name}实施办法`, name, '完善', '2011-4-1', `广电办〔2011〕${i + 3}号`]);
  await book.userEdit(RULES_SHEET.name, `A2:${columnLetter(RULES_SHEET.columns.length - 1)}4`, rules);
}
