import { describe, expect, it } from 'vitest';
import { aggregateYear } from '../core/aggregate.ts';
import type { CheckedWorkbook } from '../core/aggregate.ts';
import type { Plan } from '../core/types.ts';
import { EXPECTED, UNIT, earlierDonghu, fixturePlan, fixtureSubmissions } from './fixtures/year.ts';

function checkedYear(plan: Plan, extra: CheckedWorkbook[] = []): CheckedWorkbook[] {
  const subs = fixtureSubmissions(plan);
  const list: CheckedWorkbook[] = plan.units
    .filter((u) => subs.has(u.id))
    .map((u) => ({ file: `${u.name}.xlsx`, submission: subs.get(u.id)!, unit: u, problems: [] }));
  return [...list, ...extra];
}

const GENERATED_AT = '2012-01-05T08:00:00.000Z';

describe('aggregateYear on the fixture year', () => {
  const plan = fixturePlan();
  const results = aggregateYear(plan, checkedYear(plan), { generatedAt: GENERATED_AT });

  it('ranks units by total and grades them with the 优秀 quota per kind', () => {
    expect(
      results.units.map((u) => ({ name: u.unitName, total: u.total, grade: u.grade, bonus: u.bonus, deduction: u.deduction, vetoed: u.vetoed })),
    ).toEqual(EXPECTED.ranking);
    expect(results.units.map((u) => u.rankText)).toEqual(['1', '2', '3', '4', '—']);
    expect(results.gradeCounts).toEqual(EXPECTED.gradeCounts);
  });

  it('sums each category as hand-computed for 监察室', () => {
    const supervision = results.units.find((u) => u.unitName === UNIT.supervision)!;
    for (const [category, points] of Object.entries(EXPECTED.supervisionByCategory)) {
      expect(supervision.byCategory[category], category).toBeCloseTo(points, 5);
    }
  });

  it('lists result columns in plan order without 加分, 扣分 and 一票否决', () => {
    expect(results.categories).toEqual(['组织领导', '学习动员', '重点任务', '效能投诉', '作风建设', '政务公开', '制度建设', '问题整改']);
  });

  it('commends by grade, quota and cleanliness, persons in the nominating unit rank order', () => {
    const all = [...results.commendations.units, ...results.commendations.departments, ...results.commendations.persons];
    expect(all.map(({ category, name, unitName, total }) => ({ category, name, unitName, total }))).toEqual(EXPECTED.commendations);
    expect(results.units.find((u) => u.unitName === UNIT.donghu)!.commended).toBe('先进单位');
    expect(results.units.find((u) => u.unitName === UNIT.station)!.commended).toBeNull();
  });

  it('reports the unit without a workbook as 未报送', () => {
    expect(results.missingUnits.map((u) => u.name)).toEqual([UNIT.xishan]);
    expect(results.counts).toMatchObject({ planned: 6, reported: 5, files: 5, unusable: 0, errors: 0 });
  });

  it('counts complaints in working days across National Day', () => {
    const rows = results.complaints.byUnit.map((c) => [c.unitName, c.received, c.replied, c.concluded, c.onTime, c.verified]);
    expect([...rows, ['合计', ...Object.values(results.complaints.totals).slice(0, 5)]]).toEqual(EXPECTED.complaints);
    expect(results.complaints.measures).toEqual([`${UNIT.supervision}：对当事人诫勉谈话并通报批评`]);
    expect(results.complaints.byChannel.来电).toBe(3);
  });

  it('tells on-time, late and unfinished key tasks apart', () => {
    const [t1, t3] = results.keyTasks;
    expect(t1!.lead).toMatchObject({ unitName: UNIT.station, status: '逾期完成', onTime: false, actual: '2011-04-15' });
    expect(t1!.cooperating.map((p) => p.status)).toEqual(['按期完成']);
    expect(t1).toMatchObject({ done: true, late: true });
    expect(t3!.lead).toMatchObject({ unitName: UNIT.office, status: '按期完成', onTime: true });
    expect(t3!.cooperating[0]).toMatchObject({ unitName: UNIT.supervision, status: '未完成', progress: 80 });
    expect(t3).toMatchObject({ done: true, late: false });
  });

  it('tells a task row left out from a workbook not handed in', () => {
    const subs = fixtureSubmissions(plan);
    const office = subs.get('office')!;
    const checked = checkedYear(plan).map((w) =>
      w.unit?.id === 'office' ? { ...w, submission: { ...office, keyTasks: [] } } : w,
    );
    const withoutSupervision = checked.filter((w) => w.unit?.id !== 'supervision');
    const t3 = aggregateYear(plan, withoutSupervision, { generatedAt: GENERATED_AT }).keyTasks[1]!;
    expect(t3.lead).toMatchObject({ unitName: UNIT.office, status: '未填报', reported: false });
    expect(t3.cooperating[0]).toMatchObject({ unitName: UNIT.supervision, status: '未报送' });
    expect(t3).toMatchObject({ done: false, late: true });
  });

  it('counts problems by source and rules by action', () => {
    // 11 problems; sources cycle 领导点, 自身找, 群众提 within each unit.
    expect(results.problems.total).toBe(11);
    expect(results.problems.fixed).toBe(9);
    expect(results.problems.fixing).toBe(1);
    expect(results.problems.bySource).toEqual({
      领导点: { found: 6, fixed: 5, fixing: 0 },
      自身找: { found: 3, fixed: 3, fixing: 0 },
      群众提: { found: 2, fixed: 1, fixing: 1 },
    });
    expect(results.rules.byAction).toEqual({ 新建: 5, 完善: 5, 撤销: 0, 保留: 4 });
    expect(results.rules.threeRulesInForce).toBe(4);
    expect(results.rules.unitsWithoutThreeRules).toEqual([UNIT.supervision]);
  });

  it('issues on the last day of the assessment phase unless told otherwise', () => {
    expect(results.issueDate).toBe('2011-12-31');
    expect(aggregateYear(plan, checkedYear(plan), { generatedAt: GENERATED_AT, issueDate: '2012-01-10' }).issueDate).toBe('2012-01-10');
  });

  it('survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });
});

describe('aggregateYear with awkward inputs', () => {
  const plan = fixturePlan();
  const donghu = plan.units.find((u) => u.id === 'county-donghu')!;

  it('counts the later submitted of two workbooks for one unit and reports the other', () => {
    const earlier: CheckedWorkbook = { file: '东湖-旧.xlsx', submission: earlierDonghu(plan), unit: donghu, problems: [] };
    // Given after the later one, and with a newer mtime: submittedAt still decides.
    const results = aggregateYear(plan, checkedYear(plan, [{ ...earlier, mtimeMs: Date.parse('2012-01-01') }]), { generatedAt: GENERATED_AT });
    expect(results.units.find((u) => u.unitName === UNIT.donghu)!.total).toBe(98);
    expect(results.duplicates).toEqual([{ unitId: 'county-donghu', unitName: UNIT.donghu, used: `${UNIT.donghu}.xlsx`, ignored: ['东湖-旧.xlsx'] }]);
    expect(results.dataProblems).toContainEqual(expect.objectContaining({ file: '东湖-旧.xlsx', code: 'duplicate-unit', severity: '提醒' }));
    expect(results.units).toHaveLength(5);
  });

  it('never lets an unsubmitted copy replace a submitted one, however new its file, and tells both files why', () => {
    const subs = fixtureSubmissions(plan);
    const submitted = subs.get('county-donghu')!;
    const blank = { ...earlierDonghu(plan), meta: { ...submitted.meta!, submittedAt: undefined, contentHash: undefined } };
    const checked: CheckedWorkbook[] = [
      { file: 'in/东湖.xlsx', submission: submitted, unit: donghu, problems: [], mtimeMs: 1000 },
      { file: 'in/东湖-空白.xlsx', submission: blank, unit: donghu, problems: [], mtimeMs: Date.parse('2012-06-01') },
    ];
    const results = aggregateYear(plan, checked, { generatedAt: GENERATED_AT });
    expect(results.units[0]!.total).toBe(98);
    expect(results.duplicates).toEqual([{ unitId: 'county-donghu', unitName: donghu.name, used: 'in/东湖.xlsx', ignored: ['in/东湖-空白.xlsx'] }]);
    const said = (file: string) => results.dataProblems.find((p) => p.file === file && p.code === 'duplicate-unit')!.message;
    expect(said('in/东湖.xlsx')).toMatch(/本文件计入汇总，「东湖-空白.xlsx」未计入：「东湖.xlsx」已在加载项中提交/);
    expect(said('in/东湖-空白.xlsx')).toMatch(/以「东湖.xlsx」为准，本文件未计入：.*「东湖-空白.xlsx」未经提交/);
  });

  it('falls back to file mtime when neither workbook is stamped as submitted', () => {
    const subs = fixtureSubmissions(plan);
    const newer = subs.get('county-donghu')!;
    const unstamp = (s: typeof newer) => ({ ...s, meta: { ...s.meta!, submittedAt: undefined } });
    const checked: CheckedWorkbook[] = [
      { file: 'a.xlsx', submission: unstamp(newer), unit: donghu, problems: [], mtimeMs: 2000 },
      { file: 'b.xlsx', submission: unstamp(earlierDonghu(plan)), unit: donghu, problems: [], mtimeMs: 1000 },
    ];
    const results = aggregateYear(plan, checked, { generatedAt: GENERATED_AT });
    expect(results.duplicates[0]!.used).toBe('a.xlsx');
    expect(results.units[0]!.total).toBe(98);
  });

  it('keeps unreadable files as data problems without counting them', () => {
    const bad: CheckedWorkbook = {
      file: 'bad.xlsx',
      submission: null,
      unit: null,
      problems: [{ severity: '错误', code: 'file-not-xlsx', message: '不是 Excel 工作簿', file: 'bad.xlsx' }],
    };
    const results = aggregateYear(plan, checkedYear(plan, [bad]), { generatedAt: GENERATED_AT });
    expect(results.counts).toMatchObject({ files: 6, reported: 5, unusable: 1, errors: 1 });
    expect(results.dataProblems).toEqual([{ file: 'bad.xlsx', severity: '错误', code: 'file-not-xlsx', message: '不是 Excel 工作簿' }]);
  });

  it('does not count a workbook of another activity', () => {
    const subs = fixtureSubmissions(plan);
    const foreign: CheckedWorkbook = {
      file: '去年.xlsx',
      submission: subs.get('county-donghu')!,
      unit: donghu,
      problems: [{ severity: '错误', code: 'meta.plan', message: '该工作簿属于活动“xiaoneng-2010”，不是本次活动', file: '去年.xlsx' }],
    };
    const results = aggregateYear(plan, [foreign], { generatedAt: GENERATED_AT });
    expect(results.units).toEqual([]);
    expect(results.missingUnits).toHaveLength(6);
    expect(results.counts).toMatchObject({ unusable: 1, reported: 0 });
    expect(results.dataProblems.map((p) => p.code)).toEqual(['meta.plan']);
  });
});
