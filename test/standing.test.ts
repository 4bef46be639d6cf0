// SPEC §9 on real workbooks: each unit's workbook is written by the same code as `kaohe workbooks`,
// filled as a unit types it, read back by `kaohe report`/`check`, and the outputs opened again.
import ExcelJS from 'exceljs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateYear } from '../core/aggregate.ts';
import type { CheckedWorkbook } from '../core/aggregate.ts';
import { parsePlan } from '../core/plan.ts';
import type { YearResults } from '../core/results.ts';
import type { Plan, Submission, Unit, UnitKind } from '../core/types.ts';
import { checkPaths } from '../generator/commands/check.ts';
import { runReport } from '../generator/commands/report.ts';
import { GOOD_RULES, complaint, person, submissionOf } from './fixtures/year.ts';
import type { UnitData } from './fixtures/year.ts';
import { writeYear } from './fixtures/workbooks.ts';
import { sink } from './helpers/sink.ts';
import { docxText, sheetRows } from './helpers/read-back.ts';

const DEFAULT_PLAN_TEXT = await fs.readFile(new URL('../templates/plan.yaml', import.meta.url), 'utf8');

function defaultPlan(): Plan {
  const parsed = parsePlan(DEFAULT_PLAN_TEXT);
  if (!parsed.ok) throw new Error('default plan does not parse');
  return parsed.plan;
}

// ---------- the scenario year ----------

const UNITS: [string, string, UnitKind][] = [
  ['d-bing', '丙科', 'department'],
  ['d-jia', '甲科', 'department'],
  ['d-yi', '乙科', 'department'],
  ['d-ding', '丁科', 'department'],
  ['d-wu', '戊科', 'department'],
  ['s-805', '805台', 'subordinate'],
  ['c-donghu', '东湖区局', 'county'],
  ['c-xishan', '西山区局', 'county'],
  ['c-qingshan', '青山县局', 'county'],
  ['c-shiqiao', '石桥县局', 'county'],
];

/** The default plan's indicators and rules with these ten units and no key tasks (重点任务 is then self-scored). */
function scenarioPlan(over: Partial<Plan> = {}): Plan {
  const plan = defaultPlan();
  // The assessors' cells count only when review mode sealed them with the office's password (core/review.ts).
  return { ...plan, keyTasks: [], units: UNITS.map(([id, name, kind]) => ({ id, name, kind })), review: { password: '考核组' }, ...over };
}

/** Every self-scored row reviewed at full points except 重点任务 (3.1), which sets the total: 32 auto + 38 + 3.1. */
const REVIEW = { '1.1': 8, '1.2': 7, '2.2': 4, '5.1': 5, '5.2': 5, '6.1': 5, '7.2': 4 };

function data(taskScore: number, extra: Partial<UnitData> = {}): UnitData {
  return {
    planHandedIn: '2011-02-25',
    tasks: {},
    review: { ...REVIEW, '3.1': taskScore },
    complaints: [],
    problems: ['已整改'],
    rules: GOOD_RULES,
    nominations: [],
    submittedAt: '2011-12-10T02:00:00.000Z',
    ...extra,
  };
}

const onTime = (id: string) => complaint({ id, received: '2011-05-03', replied: '2011-05-10' });

const SCENARIO: Record<string, UnitData> = {
  // Three departments equal on total and both tie-break categories: 并列 across the one 优秀 place.
  'd-bing': data(22),
  'd-jia': data(22, { nominations: [person('张三', '甲科')] }),
  // 李四 twice: the second row is a duplicate nomination.
  'd-yi': data(22, { nominations: [person('李四', '乙科'), person('李四', '乙科')] }),
  // The 89.917 case: 效能投诉 11/12 × 15 = 13.75, 问题整改 2.5/3 × 5 = 4.1667, the rest whole:
  // 6 + 13.75 + 6 + 4.1667 + 60 = 89.9167 → 89.92, 良好 (rounded to 0.1 per item it printed 90.0, 优秀).
  'd-ding': data(22, {
    complaints: [onTime('TS-1'), onTime('TS-2'), onTime('TS-3'), complaint({ id: 'TS-4', received: '2011-05-03', dueBy: '2011-05-10', replied: '2011-05-20' })],
    problems: ['已整改', '已整改', '整改中'],
  }),
  // Replied on time but still 核查中: answered, not concluded, so not 按时办结: 1/3 × 15 = 5.
  'd-wu': data(22, {
    complaints: [complaint({ id: 'TS-9', received: '2011-05-03', replied: '2011-05-06', result: '已电话回复投诉人，正在核查', verification: '核查中' })],
    nominations: [person('赵六', '戊科')],
  }),
  // Nominates itself as 先进单位 without 所在单位及职务, as the sheet invites.
  's-805': data(25, { nominations: [{ category: '先进单位', nominee: '805台', unitAndPost: '', deeds: '安全播出零事故', practice: '' }] }),
  'c-donghu': data(24.08),
  'c-xishan': data(24.12),
  // The top scorer, vetoed: no rank, listed after the ranked units; its nominee is left out.
  'c-qingshan': data(29, { veto: true, nominations: [person('王五', '青山县局')] }),
  'c-shiqiao': data(21),
};

function scenarioSubs(plan: Plan): Map<string, Submission> {
  return new Map(plan.units.map((u: Unit) => [u.id, submissionOf(plan, u, SCENARIO[u.id]!)]));
}

let dir: string;
let results: YearResults;
let outDir: string;
let checked: CheckedWorkbook[];
const plan = scenarioPlan();

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-standing-'));
  const files = await writeYear(dir, plan, scenarioSubs(plan));
  outDir = path.join(dir, 'out');
  const outcome = await runReport([path.join(dir, 'workbooks')], {
    out: outDir,
    generatedAt: '2012-01-05T08:00:00.000Z',
    stdout: sink(),
    stderr: sink(),
  });
  expect(outcome.exitCode).toBe(0);
  results = outcome.results!;
  const read = await checkPaths(files.workbooks, plan, '');
  checked = read.map((f) => ({ file: f.file, submission: f.submission, unit: plan.units.find((u) => u.id === f.unitId) ?? null, problems: f.problems }));
}, 120_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const unit = (r: YearResults, name: string) => r.units.find((u) => u.unitName === name)!;

describe('precision (SPEC §9)', () => {
  it('rounds each indicator once to 0.01 and grades the exact total: 89.917 → 89.92 → 良好', () => {
    const ding = unit(results, '丁科');
    expect(ding.byCategory['效能投诉']).toBe(13.75);
    expect(ding.byCategory['问题整改']).toBe(4.17);
    expect(ding.total).toBe(89.92);
    expect(ding.grade).toBe('良好');
    expect(ding.commended).toBeNull();
  });

  it('ranks 94.12 above 94.08 (they are not equal)', () => {
    expect(unit(results, '西山区局')).toMatchObject({ total: 94.12, rankText: '2', tied: false });
    expect(unit(results, '东湖区局')).toMatchObject({ total: 94.08, rankText: '3', tied: false });
  });

  it('prints two decimals in 考核结果汇总.xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(outDir, '考核结果汇总.xlsx'));
    const ws = wb.getWorksheet('考核结果')!;
    const header = sheetRows(ws)[0]!;
    const totalCol = header.indexOf('总分') + 1;
    let found = false;
    ws.eachRow((row) => {
      if (row.getCell(2).value !== '丁科') return;
      found = true;
      expect(row.getCell(totalCol).value).toBe(89.92);
      expect(row.getCell(totalCol).numFmt).toBe('0.00');
    });
    expect(found).toBe(true);
  });
});

describe('ranks (SPEC §9)', () => {
  it('gives equal units one rank (并列第4), skips the next places, and never orders by name', () => {
    expect(results.units.map((u) => [u.unitName, u.rankText])).toEqual([
      ['805台', '1'],
      ['西山区局', '2'],
      ['东湖区局', '3'],
      // Equal on total, 重点任务 and 效能投诉: plan order, same rank.
      ['丙科', '并列第4'],
      ['甲科', '并列第4'],
      ['乙科', '并列第4'],
      ['石桥县局', '7'],
      ['丁科', '8'],
      ['戊科', '9'],
      // The vetoed top scorer (99.00): no rank, listed last.
      ['青山县局', '—'],
    ]);
    expect(unit(results, '青山县局')).toMatchObject({ total: 99, rank: null, grade: '不合格', vetoed: true });
  });
});

describe('quotas (SPEC §9)', () => {
  it('takes a three-way tie across the 优秀 edge whole (ties: include) and says so', () => {
    expect(['丙科', '甲科', '乙科'].map((n) => unit(results, n).grade)).toEqual(['优秀', '优秀', '优秀']);
    const note = results.quotas.find((q) => q.subject === '优秀' && q.group === '机关科室')!;
    expect(note).toMatchObject({ base: 5, quota: 1, granted: 3, over: ['丙科', '甲科', '乙科'] });
    expect(note.text).toContain('超出名额2个');
    expect(results.commendations.departments.map((c) => c.name)).toEqual(['丙科', '甲科', '乙科']);
  });

  it('gives 4 county bureaus all ≥ 90 no 优秀: floor(4 × 20%) = 0 without a minimum, explained', () => {
    for (const name of ['西山区局', '东湖区局', '石桥县局']) {
      expect(unit(results, name).grade).toBe('良好');
      expect(unit(results, name).flags.join()).toContain('优秀名额（0个）所限');
    }
    const note = results.quotas.find((q) => q.subject === '优秀' && q.group === '县区局')!;
    expect(note).toMatchObject({ base: 4, quota: 0, granted: 0, cut: ['西山区局', '东湖区局', '石桥县局'] });
    expect(note.text).toBe('县区局优秀名额：4个单位×20%，向下取整为0个，名额0个；西山区局、东湖区局、石桥县局达到优秀分数线，因名额已满未评为优秀。');
  });

  it('gives the tie to none of them with ties: exclude, and the minimum lifts a zero quota', () => {
    const exclude = scenarioPlan({ grading: { ...plan.grading, ties: 'exclude', minimum: 1 }, commendation: { ...plan.commendation, ties: 'exclude' } });
    const r = aggregateYear(exclude, checked, { generatedAt: '2012-01-05T08:00:00.000Z' });
    expect(['丙科', '甲科', '乙科'].map((n) => unit(r, n).grade)).toEqual(['良好', '良好', '良好']);
    expect(r.quotas.find((q) => q.group === '机关科室')!.text).toContain('按方案规定并列的均不评为优秀');
    // minimum: 1 gives the county bureaus one place: 西山区局 (94.12), not 东湖区局 (94.08).
    expect(unit(r, '西山区局').grade).toBe('优秀');
    expect(unit(r, '东湖区局').grade).toBe('良好');
  });
});

describe('complaints (SPEC §9)', () => {
  it('does not count a replied but 核查中 complaint as 办结 or 按时办结', () => {
    const wu = results.complaints.byUnit.find((c) => c.unitName === '戊科')!;
    expect(wu).toMatchObject({ received: 1, replied: 1, concluded: 0, onTime: 0 });
    expect(unit(results, '戊科').byCategory['效能投诉']).toBe(5);
    for (const c of results.complaints.byUnit) expect(c.onTime).toBeLessThanOrEqual(c.concluded);
  });
});

describe('nominations and the eligibility audit (SPEC §9)', () => {
  it('lets a unit nominate itself without 所在单位及职务', () => {
    const station = checked.find((w) => w.unit?.id === 's-805')!;
    expect(station.problems.filter((p) => p.sheet === '先进推荐')).toEqual([]);
  });

  it('still asks 所在单位及职务 of a 先进个人', async () => {
    const bad = scenarioSubs(plan);
    const jia = bad.get('d-jia')!;
    bad.set('d-jia', { ...jia, nominations: jia.nominations.map((n) => ({ ...n, unitAndPost: '' })) });
    const files = await writeYear(path.join(dir, 'no-post'), plan, new Map([['d-jia', bad.get('d-jia')!]]));
    const [file] = await checkPaths(files.workbooks, plan, '');
    expect(file!.problems.filter((p) => p.sheet === '先进推荐').map((p) => p.message)).toEqual(['第2行推荐先进个人，请填写“所在单位及职务”']);
  });

  it('lists every unit and nominee not commended with the reason, in the xlsx and the report', async () => {
    const reasons = Object.fromEntries(results.eligibility.map((e) => [`${e.category}:${e.name}`, e.code]));
    expect(reasons).toMatchObject({
      '先进科室:丁科': 'grade',
      '先进科室:戊科': 'grade',
      '先进单位:805台': 'grade',
      '先进单位:西山区局': 'grade',
      '先进单位:青山县局': 'veto',
      '先进个人:李四': 'duplicate',
      '先进个人:王五': 'veto',
    });
    expect(results.commendations.persons.map((p) => p.name)).toEqual(['张三', '李四', '赵六']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(outDir, '考核结果汇总.xlsx'));
    const rows = sheetRows(wb.getWorksheet('表彰资格')!);
    expect(rows[0]).toEqual(['表彰类别', '名称', '所在单位', '未予表彰的原因']);
    expect(rows).toContainEqual(['先进个人', '王五', '青山县局', '推荐单位一票否决']);
    expect(rows).toContainEqual(['先进单位', '西山区局', '西山区局', '等次为良好（达到优秀分数线，因优秀名额所限），须为优秀']);
    const report = await docxText(path.join(outDir, '年度考核总结报告.docx'));
    expect(report).toContain('并列第4');
    expect(report).toContain('89.92');
    expect(report).toContain('同一单位重复推荐');
    expect(report).toContain('县区局优秀名额：4个单位×20%');
  });
});

describe('leading-group decisions (SPEC §9)', () => {
  it('applies them last and prints them as notes', async () => {
    const decided = scenarioPlan({
      decisions: [
        { unit: 'c-xishan', grade: '优秀', commendation: '先进单位', reason: '防汛保播表现突出', date: '2012-01-06' },
        { unit: 'd-jia', person: '张三', commendation: '不予表彰', reason: '本人申请', date: '2012-01-06' },
      ],
    });
    const r = aggregateYear(decided, checked, { generatedAt: '2012-01-05T08:00:00.000Z' });
    expect(unit(r, '西山区局')).toMatchObject({ grade: '优秀', commended: '先进单位' });
    expect(r.commendations.persons.map((p) => p.name)).toEqual(['李四', '赵六']);
    expect(r.eligibility).toContainEqual({ category: '先进个人', name: '张三', unitName: '甲科', code: 'decision', reason: '领导小组决定不予表彰：本人申请' });
    expect(r.eligibility.some((e) => e.name === '西山区局')).toBe(false);
    expect(r.decisions.map((d) => d.text)).toEqual([
      '领导小组2012年1月6日决定：等次由良好改为优秀，西山区局列为先进单位。理由：防汛保播表现突出',
      '领导小组2012年1月6日决定：张三（甲科）不予表彰。理由：本人申请',
    ]);
    const { summaryWorkbookBuffer } = await import('../generator/xlsx/summary.ts');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(summaryWorkbookBuffer(r) as unknown as ArrayBuffer);
    const texts = sheetRows(wb.getWorksheet('说明')!).flat();
    expect(texts).toContain(r.decisions[0]!.text);
  });
});
