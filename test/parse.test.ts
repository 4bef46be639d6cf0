import { describe, expect, it } from 'vitest';
import { COMPLAINTS_SHEET, TABLE_SHEETS } from '../core/layout.ts';
import { readText } from '../core/cells.ts';
import { couldBeHeader, headerKey, parseWorkbook } from '../core/parse.ts';
import type { SheetGrid, WorkbookGrid } from '../core/types.ts';
import { addRow, filledOfficeGrid, setCell } from './helpers/unit-grid.ts';

function parsed(grid: WorkbookGrid) {
  const r = parseWorkbook(grid, '办公室.xlsx');
  if (!r.submission) throw new Error('no submission');
  return { ...r, submission: r.submission };
}

/** Moves column `from` of a sheet to the end (values and formats), as a unit dragging a column would. */
function moveColumnToEnd(sheet: SheetGrid, from: number): void {
  const width = Math.max(...sheet.values.map((r) => r.length));
  const move = <T>(row: (T | null)[]): void => {
    while (row.length < width) row.push(null);
    row.push(row.splice(from, 1)[0] ?? null);
  };
  sheet.values.forEach(move);
  sheet.numberFormats?.forEach(move);
}

describe('parseWorkbook', () => {
  it('reads a correctly filled workbook without problems', () => {
    const { submission, problems } = parsed(filledOfficeGrid().grid);
    expect(problems).toEqual([]);
    expect(submission.file).toBe('办公室.xlsx');
    expect(submission.meta?.unitId).toBe('office');
    expect(submission.info).toMatchObject({
      unitName: '办公室',
      unitKind: '机关科室',
      planHandedIn: '2011-02-21',
      standardHandedIn: '2011-02-25',
      mobilisationMeeting: '2011-02-15',
      studySessions: 6,
      participants: 32,
      reports: 0,
    });
    expect(submission.keyTasks.map((t) => [t.taskId, t.role, t.planned, t.actual, t.progress])).toEqual([
      ['2', '配合', '2011-10-31', '2011-09-30', 100],
      ['3', '牵头', '2011-10-31', '2011-09-30', 100],
      ['5', '牵头', '2011-10-31', '2011-09-30', 100],
    ]);
    expect(submission.complaints).toHaveLength(1);
    expect(submission.complaints[0]).toMatchObject({
      row: 2,
      received: '2011-04-06',
      channel: '来电',
      dueBy: null,
    });
    expect(submission.rules.map((r) => r.category)).toEqual(['首问负责制', '限时办结制', '责任追究制']);
    expect(submission.rules[0]?.seq).toBe('1');
    expect(submission.nominations[0]?.category).toBe('先进个人');
  });

  it('finds moved columns and ignores an extra column, locating errors in the actual column', () => {
    const { grid } = filledOfficeGrid();
    const sheet = grid.sheets['效能投诉']!;
    moveColumnToEnd(sheet, 1); // 受理日期 from B to the end (K)
    sheet.values.forEach((row, r) => row.splice(0, 0, r === 0 ? '备注（本单位自用）' : '内部备注'));
    sheet.numberFormats?.forEach((row) => row.splice(0, 0, null));
    // Now: A 备注, B 受理编号, …, L 受理日期.
    expect(sheet.values[0]![11]).toBe('受理日期');
    setCell(grid, '效能投诉', 'L2', '2011-4-31');
    const { submission, problems } = parsed(grid);
    expect(submission.complaints[0]?.id).toBe('TS-2011-001');
    expect(submission.complaints[0]?.channel).toBe('来电');
    expect(problems).toEqual([
      {
        severity: '错误',
        code: 'date.invalid',
        message: '受理日期：无法识别的日期“2011-4-31”，请按“年-月-日”的格式填写，年份写四位数字',
        file: '办公室.xlsx',
        sheet: '效能投诉',
        cell: 'L2',
      },
    ]);
  });

  it('tolerates header whitespace, line breaks and full-width parentheses', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '重点任务', 'H1', '完成进度\n（％）');
    setCell(grid, '重点任务', 'A1', ' 任务 编号 ');
    const { submission, problems } = parsed(grid);
    expect(problems).toEqual([]);
    expect(submission.keyTasks[0]?.progress).toBe(100);
  });

  it('reports a renamed header at the header row, naming sheet and expected header', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '重点任务', 'H1', '进度');
    const { submission, problems } = parsed(grid);
    expect(problems).toEqual([
      {
        severity: '错误',
        code: 'header.missing',
        message: '工作表“重点任务”缺少表头“完成进度(%)”，请恢复该列的表头文字（不要改名或删除）',
        file: '办公室.xlsx',
        sheet: '重点任务',
        cell: 'H1',
      },
    ]);
    expect(submission.keyTasks[0]?.progress).toBeNull();
  });

  it('reports a sheet without any header once', () => {
    const { grid } = filledOfficeGrid();
    grid.sheets['问题清单'] = { values: [] };
    const { submission, problems } = parsed(grid);
    expect(problems).toEqual([
      {
        severity: '错误',
        code: 'header.missing',
        message:
          '工作表“问题清单”找不到表头，第1行应为：序号、问题来源、问题描述、原因剖析、整改措施、责任人、整改时限、整改状态；请恢复表头',
        file: '办公室.xlsx',
        sheet: '问题清单',
        cell: 'A1',
      },
    ]);
    expect(submission.problems).toEqual([]);
  });

  it('reports a missing sheet and still reads the rest', () => {
    const { grid } = filledOfficeGrid();
    delete grid.sheets['效能投诉'];
    const { submission, problems } = parsed(grid);
    expect(problems).toEqual([
      {
        severity: '错误',
        code: 'sheet.missing',
        message: '缺少工作表“效能投诉”',
        file: '办公室.xlsx',
        sheet: '效能投诉',
      },
    ]);
    expect(submission.complaints).toEqual([]);
    expect(submission.keyTasks).toHaveLength(3);
  });

  it('returns no submission for an unrelated workbook', () => {
    const r = parseWorkbook({ sheets: { Sheet1: { values: [['姓名', '年龄']] } } }, 'x.xlsx');
    expect(r.submission).toBeNull();
    expect(r.problems.map((p) => p.code)).toEqual(['workbook.unrecognised']);
  });

  it('skips blank rows in the middle and trailing blank rows, and rows with only a pre-numbered 序号', () => {
    const { grid } = filledOfficeGrid();
    const complaints = grid.sheets['效能投诉']!;
    complaints.values.push([null, '  ', null], []);
    addRow(grid, '效能投诉', {
      受理编号: 'TS-2011-002',
      受理日期: '2011.5.9',
      投诉渠道: '网络',
      投诉事项: '办事指南未公开',
      承办责任人: '陈涛',
    });
    for (let i = 0; i < 30; i += 1) complaints.values.push([null, null, null, null]);
    for (let i = 4; i <= 30; i += 1) addRow(grid, '制度建设', { 序号: i });
    const { submission, problems } = parsed(grid);
    expect(problems).toEqual([]);
    expect(submission.complaints.map((c) => [c.row, c.id, c.received])).toEqual([
      [2, 'TS-2011-001', '2011-04-06'],
      [5, 'TS-2011-002', '2011-05-09'],
    ]);
    expect(submission.rules).toHaveLength(3);
  });

  it('reads #REF! and unreadable numbers as located errors', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '重点任务', 'H3', { error: '#REF!' });
    setCell(grid, '单位信息', 'B10', '六次');
    const { problems } = parsed(grid);
    expect(problems.map((p) => [p.code, p.sheet, p.cell, p.message])).toEqual([
      ['number.invalid', '单位信息', 'B10', '集中学习次数：无法识别的数字“六次”，请填写数字，如 85'],
      ['cell.error', '重点任务', 'H3', '完成进度(%)：单元格为错误值 #REF!，请修正公式或改为直接填写数值'],
    ]);
  });

  it('reads Office.js serials with number formats, and percent-formatted progress', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '重点任务', 'G2', 40816, 'yyyy-mm-dd'); // 2011-09-30
    setCell(grid, '重点任务', 'H2', 0.85, '0%');
    const { submission, problems } = parsed(grid);
    expect(problems).toEqual([]);
    expect(submission.keyTasks[0]).toMatchObject({ actual: '2011-09-30', progress: 85 });
  });

  it('reads 1904-system serials when the workbook uses them', () => {
    const { grid } = filledOfficeGrid();
    grid.date1904 = true;
    setCell(grid, '重点任务', 'G2', 39354, 'yyyy-mm-dd');
    expect(parsed(grid).submission.keyTasks[0]?.actual).toBe('2011-09-30');
  });

  it('reads 是/否 in the score columns of the 否决 row and numbers elsewhere', () => {
    const { grid } = filledOfficeGrid();
    const scores = grid.sheets['考核评分']!;
    const vetoRow = scores.values.findIndex((r) => r[5] === '否决') + 1;
    setCell(grid, '考核评分', `I${vetoRow}`, '否');
    setCell(grid, '考核评分', 'I2', '7.5分');
    const { submission, problems } = parsed(grid);
    expect(problems).toEqual([]);
    const veto = submission.scores.find((s) => s.method === '否决');
    expect(veto?.review).toBe(false);
    expect(submission.scores[0]?.review).toBe(7.5);
  });

  it('locates a wrong 是/否 in the 否决 row', () => {
    const { grid } = filledOfficeGrid();
    const vetoRow = grid.sheets['考核评分']!.values.findIndex((r) => r[5] === '否决') + 1;
    setCell(grid, '考核评分', `I${vetoRow}`, 0);
    const { problems } = parsed(grid);
    expect(problems).toMatchObject([{ code: 'yesno.invalid', sheet: '考核评分', cell: `I${vetoRow}` }]);
  });

  it('finds 单位信息 rows by label even when rows are reordered', () => {
    const { grid } = filledOfficeGrid();
    const info = grid.sheets['单位信息']!;
    info.values.splice(1, 0, info.values.splice(9, 1)[0]!); // 集中学习次数 moved up to row 2
    info.numberFormats?.splice(1, 0, info.numberFormats.splice(9, 1)[0]!);
    info.values.push(['备注', '无']);
    const { submission, problems, cells } = parsed(grid);
    expect(problems).toEqual([]);
    expect(submission.info.studySessions).toBe(6);
    expect(cells.info.studySessions).toBe('B2');
    expect(cells.info.unitName).toBe('B3');
  });

  it('reports a missing 单位信息 row', () => {
    const { grid } = filledOfficeGrid();
    grid.sheets['单位信息']!.values.splice(7, 1);
    grid.sheets['单位信息']!.numberFormats?.splice(7, 1);
    const { problems } = parsed(grid);
    expect(problems).toMatchObject([{ code: 'field.missing', sheet: '单位信息', cell: 'A1' }]);
    expect(problems[0]?.message).toContain('量化考核标准上报日期');
  });

  it('reads _meta as key/value rows and gives null meta when the sheet is missing', () => {
    const { grid, hash } = filledOfficeGrid();
    expect(parsed(grid).submission.meta).toEqual({
      templateVersion: '1',
      planId: 'xiaoneng-2011',
      planHash: hash,
      unitId: 'office',
      createdAt: '2011-01-20T08:00:00Z',
    });
    delete grid.sheets['_meta'];
    const r = parsed(grid);
    expect(r.submission.meta).toBeNull();
    expect(r.problems).toEqual([]);
  });

  it('passes 32,767-character and non-BMP text through unchanged', () => {
    const { grid } = filledOfficeGrid();
    const long = '进'.repeat(32_765) + '𠮷';
    setCell(grid, '重点任务', 'I2', long);
    setCell(grid, '先进推荐', 'B2', '吉𠮷');
    const { submission } = parsed(grid);
    expect(submission.keyTasks[0]?.status).toBe(long);
    expect(submission.nominations[0]?.nominee).toBe('吉𠮷');
  });

  it('reads a sparse grid (holes for empty rows and cells, as the fast reader stores it) as the dense grid Office.js gives', () => {
    const { grid } = filledOfficeGrid();
    // Blank rows between filled ones, and blank cells inside filled rows.
    for (const spec of TABLE_SHEETS) {
      const values = grid.sheets[spec.name]!.values;
      values.splice(2, 0, values[0]!.map(() => null), []);
    }
    const sparse: WorkbookGrid = { sheets: {} };
    for (const [name, sheet] of Object.entries(grid.sheets)) {
      const values: SheetGrid['values'] = [];
      sheet.values.forEach((row, r) => {
        if (row.every((v) => v === null)) return;
        values[r] = [];
        row.forEach((v, c) => {
          if (v !== null) values[r]![c] = v;
        });
      });
      sparse.sheets[name] = { values, ...(sheet.numberFormats ? { numberFormats: sheet.numberFormats } : {}) };
    }
    expect([1 in sparse.sheets['效能投诉']!.values, 2 in sparse.sheets['效能投诉']!.values]).toEqual([true, false]);
    expect(parseWorkbook(sparse, '办公室.xlsx')).toEqual(parseWorkbook(grid, '办公室.xlsx'));
  });

  it('gives each record its row, then every field in layout order; a column the sheet lacks reads as blank', () => {
    const { grid } = filledOfficeGrid();
    const sheet = grid.sheets['效能投诉']!;
    const received = sheet.values[0]!.indexOf('受理日期');
    const measures = sheet.values[0]!.indexOf('处理措施');
    for (const row of sheet.values) {
      row.splice(Math.max(received, measures), 1);
      row.splice(Math.min(received, measures), 1);
    }
    const { submission, problems } = parsed(grid);
    expect(Object.keys(submission.complaints[0]!)).toEqual(['row', ...COMPLAINTS_SHEET.columns.map((c) => c.key)]);
    expect(submission.complaints[0]).toMatchObject({ row: 2, received: null, measures: '', channel: '来电' });
    expect(problems.map((p) => p.code)).toEqual(['header.missing', 'header.missing']);
  });

  it('skips a cell as a header candidate only when its header key has a character no header key has', () => {
    const codeUnits = (t: string): number[] => Array.from({ length: t.length }, (_, i) => t.charCodeAt(i));
    const chars = new Set(codeUnits(headerKey('受理编号（A）')));
    const wrong: number[] = [];
    for (let u = 0; u <= 0xffff; u++) {
      const ch = String.fromCharCode(u);
      const text = `${ch}受${ch}理${ch}`;
      const read = readText(text);
      const possible = codeUnits(headerKey(read.ok ? read.value : '')).every((c) => chars.has(c));
      if (couldBeHeader(text, chars) !== possible) wrong.push(u);
    }
    expect(wrong).toEqual([]);
    expect(couldBeHeader(' 受理＊\u3000\u0001', chars)).toBe(true);
    expect(couldBeHeader('受理日期', chars)).toBe(false);
  });
});
