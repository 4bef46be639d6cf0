// Where a workbook problem is, in the words of the person who filled the workbook: file names
// without folders, 表“效能投诉”第4行“受理日期” instead of H4, dates in Chinese.
import path from 'node:path';
import { chineseDate } from '../../core/calendar.ts';
import { SHEETS, columnLetter } from '../../core/layout.ts';

const A1 = /^([A-Z]+)(\d+)$/;

/** 表“sheet”第n行“column” (or the form field's label on 单位信息); the sheet alone when the cell is unknown. */
export function placeOf(sheet: string | undefined, cell: string | undefined): string {
  if (!sheet) return '—';
  const spec = SHEETS.find((s) => s.name === sheet);
  const at = cell ? A1.exec(cell) : null;
  if (!at) return `表“${sheet}”`;
  const row = Number(at[2]);
  if (spec?.kind === 'table') {
    const column = spec.columns.find((_, i) => columnLetter(i) === at[1]);
    return column ? `表“${sheet}”第${row}行“${column.header}”` : `表“${sheet}”第${row}行`;
  }
  if (spec?.kind === 'form') {
    const field = spec.fields[row - 2];
    return field ? `表“${sheet}”中的“${field.label}”` : `表“${sheet}”第${row}行`;
  }
  return `表“${sheet}”第${row}行`;
}

/** The file's own name: a folder on the office's machine means nothing on paper. */
export const fileNameOf = (file: string): string => path.basename(file.replace(/\\/g, '/'));

/** ISO dates inside a message, and any folder path, as a reader of the document would write them. */
export function peopleText(message: string): string {
  return message
    .replace(/\d{4}-\d{2}-\d{2}/g, (iso) => chineseDate(iso))
    .replace(/(?:[A-Za-z]:)?[\\/][^\s，。；、）]*[\\/]([^\\/\s，。；、）]+)/g, '$1');
}
