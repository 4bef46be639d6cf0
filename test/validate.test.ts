import { describe, expect, it } from 'vitest';
import { checkWorkbook, summarise } from '../core/check.ts';
import { contentHash } from '../core/hash.ts';
import type { Problem, WorkbookGrid } from '../core/types.ts';
import { addRow, blankGrid, defaultPlan, filledOfficeGrid, planUnit, setCell } from './helpers/unit-grid.ts';

const FILE = '办公室.xlsx';

function check(grid: WorkbookGrid, planHash?: string): Problem[] {
  const { plan } = defaultPlan();
  return checkWorkbook(grid, plan, { file: FILE, ...(planHash ? { planHash } : {}) }).problems;
}

const brief = (ps: Problem[]) => ps.map((p) => [p.severity, p.code, p.sheet, p.cell]);

function rowOf(grid: WorkbookGrid, sheet: string, col: number, value: string): number {
  return grid.sheets[sheet]!.values.findIndex((r) => r[col] === value) + 1;
}

function addComplaint(grid: WorkbookGrid, extra: Record<string, string | Date | null>): number {
  return addRow(grid, '效能投诉', {
    受理编号: 'TS-2011-009',
    受理日期: '2011-09-28',
    投诉渠道: '来访',
    投诉事项: '办理证照拖延',
    承办责任人: '陈涛',
    办理结果: '已办结',
    核查结论: '不属实',
    ...extra,
  });
}

describe('checkWorkbook on a correctly filled workbook', () => {
  it('finds nothing and identifies the unit', () => {
    const { grid, plan, hash } = filledOfficeGrid();
    const r = checkWorkbook(grid, plan, { file: FILE, planHash: hash });
    expect(r.problems).toEqual([]);
    expect(r.unit?.id).toBe('office');
    expect(summarise(r.problems)).toEqual({ 错误: 0, 提醒: 0 });
  });

  it('gives every problem the file name', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '单位信息', 'B4', null);
    const ps = check(grid);
    expect(ps.length).toBeGreaterThan(0);
    expect(ps.every((p) => p.file === FILE)).toBe(true);
  });
});

describe('required fields', () => {
  it('points at the empty required cell of 单位信息', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '单位信息', 'B4', '  ');
    expect(check(grid)).toEqual([
      {
        severity: '错误',
        code: 'required.missing',
        message: '请填写“主要负责人”',
        file: FILE,
        sheet: '单位信息',
        cell: 'B4',
      },
    ]);
  });

  it('points at the empty required cell of a table row, in the moved column', () => {
    const { grid } = filledOfficeGrid();
    const sheet = grid.sheets['先进推荐']!;
    for (const row of sheet.values) row.splice(0, 0, null); // a blank column inserted before A
    sheet.numberFormats?.forEach((row) => row.splice(0, 0, null));
    setCell(grid, '先进推荐', 'E2', ''); // 主要事迹, now in E
    expect(brief(check(grid))).toEqual([['错误', 'required.missing', '先进推荐', 'E2']]);
  });

  it('reports an unreadable cell once, not again as missing', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '单位信息', 'B7', '二月底');
    expect(brief(check(grid))).toEqual([['错误', 'date.invalid', '单位信息', 'B7']]);
  });
});

describe('scores', () => {
  it('flags a self score above the indicator maximum at its cell', () => {
    const { grid } = filledOfficeGrid();
    const r = rowOf(grid, '考核评分', 0, '1.1'); // 分值 8
    setCell(grid, '考核评分', `G${r}`, 9);
    const ps = check(grid);
    expect(brief(ps)).toEqual([['错误', 'score.overMax', '考核评分', `G${r}`]]);
    expect(ps[0]?.message).toBe(`第${r}行自评分 9 超过该项分值 8`);
  });

  it('flags negative review scores and a changed 评分方式', () => {
    const { grid } = filledOfficeGrid();
    const r = rowOf(grid, '考核评分', 0, '5.1');
    setCell(grid, '考核评分', `I${r}`, -1);
    setCell(grid, '考核评分', `F${r}`, '自动');
    expect(brief(check(grid))).toEqual([
      ['错误', 'score.method', '考核评分', `F${r}`],
      ['错误', 'score.negative', '考核评分', `I${r}`],
    ]);
  });

  it('reminds about a missing self score and errs on a deleted indicator row', () => {
    const { grid } = filledOfficeGrid();
    const r = rowOf(grid, '考核评分', 0, '6.1');
    setCell(grid, '考核评分', `G${r}`, null);
    const gone = rowOf(grid, '考核评分', 0, '7.2');
    grid.sheets['考核评分']!.values.splice(gone - 1, 1);
    grid.sheets['考核评分']!.numberFormats?.splice(gone - 1, 1);
    expect(brief(check(grid))).toEqual([
      ['错误', 'score.missing', '考核评分', 'A1'],
      ['提醒', 'score.selfMissing', '考核评分', `G${r}`],
    ]);
  });
});

describe('lists', () => {
  it('rejects a value outside the dropdown, naming the allowed values', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '效能投诉', 'C2', '电话');
    const ps = check(grid);
    expect(brief(ps)).toEqual([['错误', 'list.invalid', '效能投诉', 'C2']]);
    expect(ps[0]?.message).toBe(
      '投诉渠道：“电话”不是可选值，请从下拉列表中选择：来信、来电、来访、网络、其他',
    );
  });
});

describe('complaints', () => {
  it('counts the blank time limit in working days across National Day: 2011-10-24 is on time', () => {
    const { grid } = filledOfficeGrid();
    addComplaint(grid, { 回复日期: '2011-10-24' });
    expect(check(grid)).toEqual([]);
  });

  it('reminds when the reply comes after the 15th working day (2011-10-25)', () => {
    const { grid } = filledOfficeGrid();
    const row = addComplaint(grid, { 回复日期: '2011-10-25' });
    const ps = check(grid);
    expect(brief(ps)).toEqual([['提醒', 'complaint.late', '效能投诉', `H${row}`]]);
    expect(ps[0]?.message).toBe(`第${row}行回复日期 2011-10-25 超过办结时限 2011-10-24（受理后15个工作日）`);
  });

  it('uses the typed 办结时限 when there is one', () => {
    const { grid } = filledOfficeGrid();
    const row = addComplaint(grid, { 办结时限: '2011-10-10', 回复日期: '2011-10-11' });
    expect(brief(check(grid))).toEqual([['提醒', 'complaint.late', '效能投诉', `H${row}`]]);
  });

  it('errs when the reply predates receipt and when a verified complaint has no measures', () => {
    const { grid } = filledOfficeGrid();
    const row = addComplaint(grid, { 回复日期: '2011-09-20', 核查结论: '查实' });
    expect(brief(check(grid))).toEqual([
      ['错误', 'complaint.replyBeforeReceived', '效能投诉', `H${row}`],
      ['错误', 'complaint.noMeasures', '效能投诉', `K${row}`],
    ]);
  });

  it('reminds about unanswered and unconcluded complaints, and duplicate numbers', () => {
    const { grid } = filledOfficeGrid();
    const row = addComplaint(grid, { 受理编号: 'TS-2011-001', 办理结果: null, 核查结论: '核查中' });
    expect(brief(check(grid))).toEqual([
      ['提醒', 'complaint.duplicate', '效能投诉', `A${row}`],
      ['提醒', 'complaint.unanswered', '效能投诉', `H${row}`],
      ['提醒', 'complaint.unconcluded', '效能投诉', `J${row}`],
    ]);
  });
});

describe('key tasks and dates', () => {
  it('errs on a finished task without its date and reminds when late', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '重点任务', 'G2', null);
    setCell(grid, '重点任务', 'G3', '2011-11-15');
    const ps = check(grid);
    expect(brief(ps)).toEqual([
      ['错误', 'task.doneWithoutDate', '重点任务', 'G2'],
      ['提醒', 'task.late', '重点任务', 'G3'],
    ]);
    expect(ps[1]?.message).toBe('第3行逾期完成：计划 2011-10-31 完成，实际 2011-11-15 完成');
  });

  it('errs on a deleted prefilled task row', () => {
    const { grid } = filledOfficeGrid();
    grid.sheets['重点任务']!.values.splice(2, 1); // task 3
    grid.sheets['重点任务']!.numberFormats?.splice(2, 1);
    const ps = check(grid);
    expect(brief(ps)).toEqual([['错误', 'task.missing', '重点任务', 'A1']]);
    expect(ps[0]?.message).toContain('完善全系统改进机关作风实施方案');
  });

  it('reminds about dates outside the activity and a late hand-in', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '单位信息', 'B7', '2011-3-5');
    setCell(grid, '制度建设', 'E2', '2010-12-1');
    const ps = check(grid);
    expect(brief(ps)).toEqual([
      ['提醒', 'handin.late', '单位信息', 'B7'],
      ['提醒', 'date.outside', '制度建设', 'E2'],
    ]);
    expect(ps[0]?.message).toBe('“实施方案上报日期”2011-03-05 晚于规定的上交期限 2011-02-28');
  });
});

describe('rules and nominations', () => {
  it('reminds about each of the three rules missing or revoked', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '制度建设', 'D3', '撤销'); // 限时办结制
    const ps = check(grid);
    expect(brief(ps)).toEqual([['提醒', 'rules.threeMissing', '制度建设', 'C1']]);
    expect(ps[0]?.message).toContain('限时办结制');
  });

  it('reminds when a department nominates itself as 先进单位 or too many persons', () => {
    const { grid } = filledOfficeGrid();
    const a = addRow(grid, '先进推荐', {
      推荐类别: '先进单位',
      推荐对象: '办公室',
      所在单位及职务: '局机关',
      主要事迹: '全年无投诉',
    });
    const b = addRow(grid, '先进推荐', {
      推荐类别: '先进个人',
      推荐对象: '王建国',
      所在单位及职务: '办公室主任',
      主要事迹: '带头落实三项制度',
    });
    expect(brief(check(grid))).toEqual([
      ['提醒', 'nomination.kind', '先进推荐', `A${a}`],
      ['提醒', 'nomination.tooMany', '先进推荐', `B${b}`],
    ]);
  });

  it('accepts a subordinate unit nominating itself as 先进单位', () => {
    const { plan, hash } = defaultPlan();
    const grid = blankGrid(plan, planUnit(plan, 'station-805'), hash);
    addRow(grid, '先进推荐', {
      推荐类别: '先进单位',
      推荐对象: '805台',
      所在单位及职务: '局属单位',
      主要事迹: '安全播出零事故',
    });
    const ps = checkWorkbook(grid, plan, { planHash: hash }).problems;
    expect(ps.filter((p) => p.sheet === '先进推荐')).toEqual([]);
  });
});

describe('unit identity and _meta', () => {
  it('errs when 单位名称 is not a plan unit and there is no _meta', () => {
    const { grid, plan } = filledOfficeGrid();
    delete grid.sheets['_meta'];
    setCell(grid, '单位信息', 'B2', '财务科');
    const r = checkWorkbook(grid, plan, { file: FILE });
    expect(r.unit).toBeNull();
    expect(brief(r.problems)).toEqual([
      ['错误', 'unit.unknown', '单位信息', 'B2'],
      ['提醒', 'meta.missing', '_meta', undefined],
    ]);
  });

  it('lists problems sheet by sheet, row by row', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '效能投诉', 'K2', null);
    setCell(grid, '效能投诉', 'J2', '查实');
    setCell(grid, '单位信息', 'B5', null);
    setCell(grid, '重点任务', 'G2', null);
    expect(brief(check(grid))).toEqual([
      ['错误', 'required.missing', '单位信息', 'B5'],
      ['错误', 'task.doneWithoutDate', '重点任务', 'G2'],
      ['错误', 'complaint.noMeasures', '效能投诉', 'K2'],
    ]);
  });

  it('errs when _meta names a unit other than 单位名称', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '_meta', 'B4', 'office-old');
    expect(brief(check(grid))).toEqual([['错误', 'unit.metaMismatch', '单位信息', 'B2']]);
  });

  it('errs when 单位名称 was changed to another unit than _meta says', () => {
    const { grid } = filledOfficeGrid();
    setCell(grid, '单位信息', 'B2', '监察室');
    expect(brief(check(grid))).toEqual([['错误', 'unit.mismatch', '单位信息', 'B2']]);
  });

  it('errs on another template version and reminds on a changed plan', () => {
    const { grid, hash } = filledOfficeGrid();
    setCell(grid, '_meta', 'B1', '0');
    setCell(grid, '_meta', 'B3', 'old-hash');
    const ps = check(grid, hash);
    expect(brief(ps)).toEqual([
      ['错误', 'meta.version', '_meta', undefined],
      ['提醒', 'meta.planChanged', '_meta', undefined],
    ]);
  });

  it('reminds when content changed after submission, not when only formats changed', () => {
    const { grid, hash } = filledOfficeGrid();
    setCell(grid, '_meta', 'B6', '2011-12-20T09:00:00Z');
    setCell(grid, '_meta', 'B7', contentHash(grid));
    expect(check(grid, hash)).toEqual([]);
    setCell(grid, '重点任务', 'H2', 100, '0"%"');
    grid.sheets['效能投诉']!.values.push([null, null], []);
    expect(check(grid, hash)).toEqual([]);
    setCell(grid, '重点任务', 'I2', '已完成');
    expect(brief(check(grid, hash))).toEqual([['提醒', 'meta.modifiedAfterSubmit', '_meta', undefined]]);
  });
});

describe('contentHash', () => {
  it('is the same whatever date format shows the same day', () => {
    const { grid } = filledOfficeGrid();
    const before = contentHash(grid);
    setCell(grid, '重点任务', 'G2', 40816, 'yyyy/m/d'); // the same 2011-09-30, shown another way
    expect(contentHash(grid)).toBe(before);
    setCell(grid, '重点任务', 'G2', 40817, 'yyyy/m/d');
    expect(contentHash(grid)).not.toBe(before);
  });

  it('finds a tab renamed with stray spaces as the parser does, so it is no edit', () => {
    const { grid } = filledOfficeGrid();
    const before = contentHash(grid);
    grid.sheets[' 效能投诉 '] = grid.sheets['效能投诉']!;
    delete grid.sheets['效能投诉'];
    expect(contentHash(grid)).toBe(before);
  });

  it('ignores _meta and 填报说明 but not a value typed anywhere in the data sheets', () => {
    const { grid } = filledOfficeGrid();
    const before = contentHash(grid);
    setCell(grid, '_meta', 'B6', '2011-12-20T09:00:00Z');
    setCell(grid, '填报说明', 'A1', '新标题');
    expect(contentHash(grid)).toBe(before);
    setCell(grid, '问题清单', 'Z40', 'x');
    expect(contentHash(grid)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(grid)).not.toBe(before);
  });
});
