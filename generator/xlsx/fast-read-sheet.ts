// Cell decoding: one sheet's XML to the core's sparse grid, values as the file holds them (dates
// as serials beside their number formats, which core/cells.ts reads).

import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, parseCellAddress, parseRowNumber } from '../../core/address.ts';
import { serialFromTime } from '../../core/cells.ts';
import { cellAddress } from '../../core/layout.ts';
import type { RawValue, SheetGrid } from '../../core/types.ts';
import { LIMITS, fail } from './fast-read-failure.ts';
import { StringCollector } from './fast-read-parts.ts';
import { parseXml } from './fast-read-xml.ts';

export interface SheetContext {
  strings: string[];
  formats: readonly (string | undefined)[];
  date1904: boolean;
  /** Cells stored so far in the sheets already read. */
  cellsInWorkbook: number;
}

/** A numeric `<v>` as XML Schema writes a double; `parseFloat` would read `0x1F` as 0 and `12abc` as 12. */
const XML_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** An ISO 8601 date or date-time as `t="d"` cells hold it (ECMA-376 Part 1 §18.17.4.1). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * A value the file spells wrongly is handed on as its text, so the core says, at the cell, that it
 * cannot read it, instead of a number or a date being made up.
 */
function numberOrText(text: string): number | string {
  return XML_NUMBER.test(text) ? Number(text) : text;
}

/**
 * A `t="d"` date becomes the serial Excel makes of it on opening; a time without a zone is taken
 * as written. Date.parse rolls 2011-02-30 over to March, so the day is checked against its month.
 */
function serialOrText(text: string, date1904: boolean): number | string {
  if (!ISO_DATE_TIME.test(text)) return text;
  const [y, m, d] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10)].map(Number) as [number, number, number];
  if (new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) return text;
  const t = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : /Z|[+-]\d{2}:\d{2}$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(t) ? text : serialFromTime(t, date1904);
}

function sheetLimit(sheet: string, cell: string, detail: string, what: string): never {
  fail('refused', detail, { what, sheet, cell });
}

/**
 * One sheet as a sparse store: rows and cells exist only where the file has them (no padding),
 * so memory follows the cells, not the furthest address; readers treat a hole as an empty cell.
 */
export function readSheet(xml: string, part: string, sheetName: string, ctx: SheetContext): SheetGrid {
  const values: RawValue[][] = [];
  const numberFormats: (string | null)[][] = [];
  let cells = 0;
  let row = -1;
  let col = -1;
  let type = 'n';
  let style = 0;
  let hasFormula = false;
  let inValue = false;
  let inInline = false;
  let valueText = '';
  let sawValue = false;
  const inline = new StringCollector();

  const cellValue = (): RawValue => {
    if (inInline || type === 'inlineStr') return sawValue ? valueText : inline.take();
    if (!sawValue) return null;
    switch (type) {
      case 's':
        return hasFormula ? numberOrText(valueText) : (ctx.strings[parseInt(valueText, 10)] ?? null);
      case 'str':
        return valueText;
      case 'b':
        return parseInt(valueText, 10) !== 0;
      case 'e':
        return { error: valueText };
      case 'd':
        return serialOrText(valueText.trim(), ctx.date1904);
      default:
        return numberOrText(valueText);
    }
  };

  parseXml(xml, part, {
    open(name, a) {
      switch (name) {
        case 'row': {
          const ref = a.get('r');
          const r = ref === undefined ? row + 1 : parseRowNumber(ref);
          if (r === null || r >= EXCEL_MAX_ROWS) {
            sheetLimit(sheetName, cellAddress(Math.min(row + 1, EXCEL_MAX_ROWS - 1), 0), `row r="${ref}"`, `行号“${(ref ?? '').slice(0, 20)}”不是 1 到 1,048,576 之间的整数（Excel 的最大行数）`);
          }
          row = r;
          col = -1;
          return;
        }
        case 'c': {
          const ref = a.get('r');
          if (ref !== undefined) {
            const at = parseCellAddress(ref);
            if (!at) {
              sheetLimit(sheetName, cellAddress(Math.max(row, 0), Math.max(col + 1, 0)), `cell r="${ref}"`, `单元格地址“${ref.slice(0, 20)}”不在 Excel 的表格范围内（最大为 XFD1048576）`);
            }
            row = at.row;
            col = at.col;
          } else if (++col >= EXCEL_MAX_COLUMNS || row < 0) {
            sheetLimit(sheetName, cellAddress(Math.max(row, 0), EXCEL_MAX_COLUMNS - 1), 'cell past XFD', '一行的单元格超出了 Excel 的最后一列 XFD');
          }
          type = a.get('t') ?? 'n';
          const s = a.get('s');
          style = s === undefined ? 0 : Number(s);
          hasFormula = false;
          sawValue = false;
          valueText = '';
          inInline = false;
          return;
        }
        case 'f':
          hasFormula = true;
          return;
        case 'v':
          inValue = true;
          return;
        case 'is':
          inInline = true;
          return;
        default:
          if (inInline) inline.open(name);
      }
    },
    close(name) {
      switch (name) {
        case 'v':
          inValue = false;
          return;
        case 'is':
          inInline = false;
          valueText = inline.take();
          sawValue = true;
          return;
        case 'c': {
          const value = cellValue();
          const format = ctx.formats[style];
          if (value === null && format === undefined) return;
          if (++cells > LIMITS.cellsPerSheet || ++ctx.cellsInWorkbook > LIMITS.cellsPerWorkbook) {
            const perSheet = cells > LIMITS.cellsPerSheet;
            sheetLimit(
              sheetName,
              cellAddress(row, col),
              'too many cells',
              perSheet
                ? `工作表的单元格超过 ${LIMITS.cellsPerSheet.toLocaleString('en-US')} 个，远多于填报工作簿应有的数量（可能整列填充到了表格底部）`
                : `整个工作簿的单元格超过 ${LIMITS.cellsPerWorkbook.toLocaleString('en-US')} 个，远多于填报工作簿应有的数量`,
            );
          }
          (values[row] ??= [])[col] = value;
          (numberFormats[row] ??= [])[col] = format ?? null;
          return;
        }
        default:
          if (inInline) inline.close(name);
      }
    },
    text(t) {
      if (inValue) {
        valueText += t;
        sawValue = true;
      } else if (inInline) inline.text(t);
    },
  });
  return { values, numberFormats };
}
