import { describe, expect, it } from 'vitest';
import {
  isDateFormat,
  readDate,
  readInteger,
  readList,
  readNumber,
  readPercent,
  readText,
  readYesNo,
  serialFromTime,
} from '../core/cells.ts';
import { LISTS } from '../core/layout.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => {
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('readDate', () => {
  it.each([
    ['2011-3-31'],
    ['2011.3.31'],
    ['2011/03/31'],
    ['2011年3月31日'],
    ['2011年3月31号'],
    ['20110331'],
    ['２０１１－３－３１'],
    ['２０１１年３月３１日'],
    ['2011．03．31'],
    [' 2011-03-31 '],
    ['2011-03-31 00:00:00'],
  ])('reads the typed date %s', (typed) => {
    expect(value(readDate(typed))).toBe('2011-03-31');
  });

  it('reads the serial exceljs writes for a UTC-midnight Date as that day', () => {
    expect(value(readDate(serialFromTime(Date.UTC(2011, 2, 31), false), 'yyyy-mm-dd'))).toBe('2011-03-31');
    expect(value(readDate(serialFromTime(Date.UTC(2011, 2, 31), true), 'yyyy-mm-dd', true))).toBe('2011-03-31');
  });

  it('says a date-formatted serial outside 1900–9999 is out of range, and quotes an unformatted one', () => {
    expect(readDate(3e6, 'yyyy-mm-dd')).toMatchObject({ ok: false, code: 'date.invalid', message: expect.stringContaining('日期超出 1900 年至 9999 年的范围') });
    expect(readDate(-9.9e7, 'yyyy-mm-dd')).toMatchObject({ ok: false, message: expect.stringContaining('日期超出') });
    expect(readDate(3e6)).toMatchObject({ ok: false, message: expect.stringContaining('无法识别的日期“3000000”') });
  });

  it('reads 1900-system serials (40633 is 2011-03-31)', () => {
    expect(value(readDate(40633, 'yyyy-mm-dd'))).toBe('2011-03-31');
    expect(value(readDate(40633.75, 'yyyy"年"m"月"d"日"'))).toBe('2011-03-31');
  });

  it('honours the 1900 leap-year bug around serial 60', () => {
    expect(value(readDate(59))).toBe('1900-02-28');
    expect(readDate(60).ok).toBe(false);
    expect(value(readDate(61))).toBe('1900-03-01');
    expect(value(readDate(1))).toBe('1900-01-01');
  });

  it('reads 1904-system serials', () => {
    expect(value(readDate(39171, 'yyyy-mm-dd', true))).toBe('2011-03-31');
    expect(value(readDate(0, 'yyyy-mm-dd', true))).toBe('1904-01-01');
  });

  it('reads a General number typed as 20110331', () => {
    expect(value(readDate(20110331, 'General'))).toBe('2011-03-31');
  });

  it('rejects impossible dates with a message showing the expected form', () => {
    const r = readDate('2011-13-45');
    expect(r).toEqual({
      ok: false,
      code: 'date.invalid',
      message: '无法识别的日期“2011-13-45”，请按“年-月-日”的格式填写，年份写四位数字',
    });
    expect(readDate('2011-2-29').ok).toBe(false);
    expect(value(readDate('2012-2-29'))).toBe('2012-02-29');
    expect(readDate('下月底').ok).toBe(false);
    expect(readDate(true).ok).toBe(false);
  });

  it('reads blank cells as null', () => {
    expect(value(readDate(null))).toBeNull();
    expect(value(readDate('  '))).toBeNull();
  });

  it('turns #REF! into a message about the formula', () => {
    const r = readDate({ error: '#REF!' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('单元格为错误值 #REF!，请修正公式或改为直接填写数值');
  });
});

describe('isDateFormat', () => {
  it('tells date formats from number formats', () => {
    expect(isDateFormat('yyyy-mm-dd')).toBe(true);
    expect(isDateFormat('[$-804]yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormat('m/d/yy')).toBe(true);
    expect(isDateFormat('General')).toBe(false);
    expect(isDateFormat('0.00%')).toBe(false);
    expect(isDateFormat('0"分"')).toBe(false);
    expect(isDateFormat(undefined)).toBe(false);
    expect(isDateFormat('G/通用格式')).toBe(false);
    expect(isDateFormat('0.00E+00')).toBe(false);
    expect(isDateFormat('_(* #,##0_);_(* \\(#,##0\\);_(* "-"??_);_(@_)')).toBe(false);
    expect(isDateFormat('0\\h')).toBe(false);
  });

  it('counts time and upper-case codes as dates, as Excel shows them (exceljs also counts h, s and b)', () => {
    expect(isDateFormat('h:mm')).toBe(true);
    expect(isDateFormat('[h]:mm:ss')).toBe(true);
    expect(isDateFormat('YYYY/MM/DD')).toBe(true);
    expect(isDateFormat('上午/下午h"时"mm"分"')).toBe(true);
  });
});

describe('readNumber', () => {
  it.each([
    [85, 85],
    ['85', 85],
    ['８５', 85],
    ['85分', 85],
    ['85 分', 85],
    ['85.5', 85.5],
    ['85%', 85],
    ['８５％', 85],
    ['1,234', 1234],
    ['1,234.5', 1234.5],
    ['-2', -2],
    ['12次', 12],
  ])('reads %s as %s', (typed, expected) => {
    expect(value(readNumber(typed))).toBe(expected);
  });

  it('reads a percent-formatted 0.85 as 85, without float noise', () => {
    expect(value(readNumber(0.85, '0%'))).toBe(85);
    expect(value(readNumber(0.29, '0.00%'))).toBe(29);
  });

  it('rejects text that is not a number', () => {
    const r = readNumber('八十五');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('无法识别的数字“八十五”，请填写数字，如 85');
    expect(readNumber('1,23').ok).toBe(false);
  });

  it('refuses a number Excel shows as a date, naming the date it shows', () => {
    expect(readNumber(40544, 'yyyy-mm-dd')).toMatchObject({ ok: false, code: 'number.invalid', message: expect.stringContaining('不是日期（2011-01-01）') });
    expect(readNumber(39082, 'yyyy-mm-dd', true)).toMatchObject({ ok: false, message: expect.stringContaining('（2011-01-01）') });
    expect(readNumber(1e10, 'yyyy-mm-dd')).toMatchObject({ ok: false, message: expect.stringMatching(/^此处应填写数字，不是日期；/) });
    expect(readPercent(85, 'h:mm')).toMatchObject({ ok: false, code: 'number.invalid' });
  });

  it('turns an error value into a located message', () => {
    expect(readNumber({ error: '#DIV/0!' })).toMatchObject({ ok: false, code: 'cell.error' });
  });
});

describe('readInteger and readPercent', () => {
  it('accepts whole counts and rejects fractions and negatives', () => {
    expect(value(readInteger('12次'))).toBe(12);
    expect(readInteger(2.5).ok).toBe(false);
    expect(readInteger(-1).ok).toBe(false);
  });

  it('keeps percentages within 0..100', () => {
    expect(value(readPercent('100%'))).toBe(100);
    expect(value(readPercent(0.7, '0%'))).toBe(70);
    expect(readPercent(120)).toMatchObject({ ok: false, code: 'percent.range' });
    expect(readPercent(-5).ok).toBe(false);
  });
});

describe('readText', () => {
  it('trims, drops control characters but keeps line breaks and tabs', () => {
    expect(value(readText('  第一行\r\n第二行\t末尾\u0007\u0000 '))).toBe('第一行\n第二行\t末尾');
  });

  it('writes numbers without a trailing .0 and dates as ISO', () => {
    expect(value(readText(13812345678))).toBe('13812345678');
    expect(value(readText(3))).toBe('3');
    expect(value(readText(0.1 + 0.2))).toBe('0.3');
    expect(value(readText(40633, 'yyyy/m/d'))).toBe('2011-03-31');
    expect(value(readText(40633))).toBe('40633');
    expect(readText(3e6, 'yyyy-mm-dd')).toMatchObject({ ok: false, code: 'date.invalid' });
  });

  it('passes 32,767 characters and non-BMP characters through unchanged', () => {
    const long = '效'.repeat(32_766) + '𠮷';
    expect(value(readText(long))).toBe(long);
    expect(value(readText('𠮷野家'))).toBe('𠮷野家');
  });

  it('rejects text over the Excel cell limit of 32,767 characters', () => {
    const r = readText('效'.repeat(32_768));
    expect(r).toEqual({
      ok: false,
      code: 'text.tooLong',
      message: '内容有 32768 个字符，超过 Excel 单元格上限 32767 个字符，请精简或改为附件',
    });
  });

  it('reads a flattened rich-text string like any other', () => {
    expect(value(readText('完成' + '可行性方案'))).toBe('完成可行性方案');
  });

  it('reads empty cells as the empty string', () => {
    expect(value(readText(null))).toBe('');
    expect(value(readText(' \n '))).toBe('');
  });
});

describe('readList and readYesNo', () => {
  it('matches exactly, or after trimming and full-width normalisation', () => {
    expect(value(readList('牵头', LISTS.role))).toBe('牵头');
    expect(value(readList(' 配 合 ', LISTS.role))).toBe('配合');
    expect(value(readList(null, LISTS.role))).toBeNull();
  });

  it('lists the allowed values when the value is not one of them', () => {
    const r = readList('主办', LISTS.role);
    expect(r).toEqual({
      ok: false,
      code: 'list.invalid',
      message: '“主办”不是可选值，请从下拉列表中选择：牵头、配合',
    });
  });

  it.each([
    ['是', true],
    ['否', false],
    ['Y', true],
    ['n', false],
    ['√', true],
    ['×', false],
    ['TRUE', true],
    [false, false],
  ])('reads %s as %s', (typed, expected) => {
    expect(value(readYesNo(typed))).toBe(expected);
  });

  it('rejects anything else', () => {
    expect(readYesNo('也许')).toMatchObject({ ok: false, code: 'yesno.invalid' });
    expect(readYesNo(5).ok).toBe(false);
  });
});
