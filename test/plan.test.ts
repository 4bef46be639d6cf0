import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  indicatorsFor,
  methodFromLabel,
  methodLabel,
  parsePlan,
  tasksOfUnit,
  unitById,
  unitByName,
} from '../core/plan.ts';
import type { IndicatorMethod, Plan } from '../core/types.ts';

const PLAN_TEXT = readFileSync(new URL('../templates/plan.yaml', import.meta.url), 'utf8');

function defaultPlan(): Plan {
  const parsed = parsePlan(PLAN_TEXT);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.plan;
}

/** 1-based line of the first line containing `needle`, so expectations follow the file. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`not in file: ${needle}`);
  return i + 1;
}

function errorsOf(text: string) {
  const parsed = parsePlan(text, 'my-plan.yaml');
  if (parsed.ok) throw new Error('expected the plan to be rejected');
  return parsed.errors;
}

const names = (plan: Plan, ids: string[]): string[] => ids.map((id) => unitById(plan, id)?.name ?? `?${id}`);

describe('the default plan', () => {
  it('parses with a 16-hex-digit hash', () => {
    const parsed = parsePlan(PLAN_TEXT);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('carries the seed activity, phases and hand-in deadline', () => {
    const plan = defaultPlan();
    expect(plan.activity).toMatchObject({
      name: '机关效能、项目建设年活动',
      year: 2011,
      organ: '市广播电影电视局',
      handInDeadline: '2011-02-28',
    });
    expect(plan.activity.office).toContain('设局机关党委');
    expect(plan.activity.contact).toContain('占位');
    expect(plan.phases.map((p) => [p.name, p.start, p.end])).toEqual([
      ['学习动员', '2011-02-01', '2011-02-28'],
      ['组织实施', '2011-03-01', '2011-10-31'],
      ['考核总结', '2011-11-01', '2011-12-31'],
    ]);
    for (const p of plan.phases) expect(p.guidance.length).toBeGreaterThan(30);
  });

  it('names every unit of the seed, marking group names as examples', () => {
    const plan = defaultPlan();
    const ofKind = (kind: string) => plan.units.filter((u) => u.kind === kind);
    expect(ofKind('department').map((u) => u.name)).toEqual(['办公室', '监察室', '社管科', '总编室', '项目办']);
    expect(ofKind('department').every((u) => !u.example)).toBe(true);
    const subordinate = ofKind('subordinate');
    expect(subordinate[0]).toEqual({ id: 'station-805', name: '805台', kind: 'subordinate' });
    // 805台 + 三大公司 (3) + 频率/频道 (4), the last seven are examples.
    expect(subordinate).toHaveLength(8);
    expect(subordinate.slice(1).every((u) => u.example === true)).toBe(true);
    expect(subordinate.filter((u) => u.name.endsWith('公司'))).toHaveLength(3);
    expect(ofKind('county')).toHaveLength(4);
    expect(ofKind('county').every((u) => u.example === true)).toBe(true);
    for (const u of plan.units) expect(u.id).toMatch(/^[a-z0-9-]+$/);
  });

  it('assigns the six key tasks exactly as the seed does', () => {
    const plan = defaultPlan();
    const tasks = plan.keyTasks.map((t) => ({
      id: t.id,
      lead: unitById(plan, t.lead)?.name,
      cooperating: names(plan, t.cooperating),
      deadline: t.deadline,
    }));
    expect(tasks).toEqual([
      {
        id: '1',
        lead: '项目办',
        cooperating: ['市广电网络有限公司', '市广电传媒有限公司', '市广电实业发展有限公司', '805台'],
        deadline: '2011-03-31',
      },
      { id: '2', lead: '社管科', cooperating: ['办公室', '监察室'], deadline: '2011-10-31' },
      { id: '3', lead: '办公室', cooperating: ['监察室'], deadline: '2011-10-31' },
      { id: '4', lead: '监察室', cooperating: [], deadline: '2011-10-31' },
      // 各科室: every department except the lead.
      { id: '5', lead: '办公室', cooperating: ['监察室', '社管科', '总编室', '项目办'], deadline: '2011-10-31' },
      // 各频率、频道.
      { id: '6', lead: '总编室', cooperating: ['新闻综合频率', '交通音乐频率', '新闻综合频道', '公共频道'], deadline: '2011-10-31' },
    ]);
  });

  it('has indicators worth exactly 100 points plus a capped bonus', () => {
    const plan = defaultPlan();
    const summed = plan.indicators.filter((x) => x.method === 'auto' || x.method === 'self');
    // 15 + 10 + 30 + 15 + 10 + 5 + 10 + 5
    expect(summed.reduce((s, x) => s + x.maxPoints, 0)).toBe(100);
    const byCategory = new Map<string, number>();
    for (const x of summed) byCategory.set(x.category, (byCategory.get(x.category) ?? 0) + x.maxPoints);
    expect(Object.fromEntries(byCategory)).toEqual({
      组织领导: 15,
      学习动员: 10,
      重点任务: 30,
      效能投诉: 15,
      作风建设: 10,
      政务公开: 5,
      制度建设: 10,
      问题整改: 5,
    });
    const auto = Object.fromEntries(plan.indicators.filter((x) => x.auto).map((x) => [x.auto, x.maxPoints]));
    expect(auto).toEqual({ handIn: 6, keyTasks: 30, complaints: 15, rules: 6, problems: 5, verifiedComplaints: 10 });
    expect(plan.indicators.filter((x) => x.method === 'veto')).toHaveLength(1);
    expect(plan.scoring).toMatchObject({
      bonusCap: 5,
      deductionPerVerifiedComplaint: 2,
      deductionCap: 10,
      complaintDefaultWorkingDays: 15,
      selfOverFinalFlag: 10,
      keyTask: { mostlyDoneProgress: 70, mostlyDoneShare: 0.7, partialFactor: 0.3, latePenalty: 0.1 },
      finalScore: 'review-else-self',
    });
    expect(plan.grading.bands.map((b) => [b.grade, b.min])).toEqual([
      ['优秀', 90],
      ['良好', 80],
      ['合格', 60],
      ['不合格', 0],
    ]);
    expect(plan.grading.excellentQuota).toBe(0.2);
    expect(plan.commendation).toEqual({ unitQuota: 0.2, departmentQuota: 0.2, personPerUnit: 1, personTotal: 10, minimum: 0, ties: 'include' });
  });
});

describe('plan errors', () => {
  it('names a bad unit kind with its YAML path and line', () => {
    const text = PLAN_TEXT.replace('{ id: company-media, name: 市广电传媒有限公司, kind: subordinate', '{ id: company-media, name: 市广电传媒有限公司, kind: subordnate');
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      file: 'my-plan.yaml',
      path: 'units[7].kind',
      line: lineOf(text, 'kind: subordnate'),
      message: 'units[7].kind：应为 department、subordinate 或 county 之一',
    });
  });

  it('reports a missing field at its parent mapping', () => {
    const text = PLAN_TEXT.replace(/^ {2}organ: .*\n/m, '');
    const [error] = errorsOf(text);
    expect(error).toMatchObject({ path: 'activity.organ', message: 'activity.organ：缺少必填项' });
    expect(error?.line).toBe(lineOf(text, 'id: xiaoneng-2011'));
  });

  it('reports a misspelt field name', () => {
    const text = PLAN_TEXT.replace('  bonusCap: 5', '  bonusCapp: 5');
    const messages = errorsOf(text).map((e) => e.message);
    expect(messages).toContain('scoring：未知字段 bonusCapp（请检查拼写）');
    expect(messages).toContain('scoring.bonusCap：缺少必填项');
  });

  it('asks for quotes around an id that reads as a number', () => {
    const text = PLAN_TEXT.replace("  - id: '2.2'", '  - id: 2.2');
    expect(errorsOf(text)).toEqual([
      {
        file: 'my-plan.yaml',
        line: lineOf(text, '- id: 2.2'),
        column: 9,
        path: 'indicators[3].id',
        message: "indicators[3].id：应为文本，请加引号写成 '2.2'",
      },
    ]);
  });

  it('gives a YAML syntax error a line and column', () => {
    const text = PLAN_TEXT.replace('  office: 局机关', '\toffice: 局机关');
    const errors = errorsOf(text);
    expect(errors).toEqual([
      {
        file: 'my-plan.yaml',
        line: lineOf(text, '\toffice'),
        column: 1,
        path: '',
        message: 'YAML 格式错误：不能用 Tab 缩进，请改用空格',
      },
    ]);
  });

  it('checks the points total, unknown units, duplicate ids, dates and phase order', () => {
    const text = PLAN_TEXT.replace('maxPoints: 8\n', 'maxPoints: 9\n')
      .replace('lead: editorial', 'lead: editorial-room')
      .replace("  - id: '1.2'", "  - id: '1.1'")
      .replace('deadline: 2011-03-31', 'deadline: 2011-02-30')
      .replace('start: 2011-03-01', 'start: 2011-02-20');
    // The schema rejects the date first; cross-checks run on a plan the schema accepts.
    expect(errorsOf(text).map((e) => e.message)).toEqual(['keyTasks[0].deadline：应为有效日期，按“年-月-日”写成 YYYY-MM-DD']);
    const fixedDate = text.replace('deadline: 2011-02-30', 'deadline: 2011-03-31');
    const errors = errorsOf(fixedDate);
    expect(errors.map((e) => e.message)).toEqual([
      'indicators[1].id：编号 1.1 重复',
      'keyTasks[5].lead：牵头单位 editorial-room 不在 units 中',
      'phases[1].start：开始日期应晚于上一阶段（学习动员）的结束日期',
      // 9 + 7 + 6 + 4 + 30 + 15 + 5 + 5 + 5 + 6 + 4 + 5 = 101
      'indicators：除加分、扣分、否决外各指标分值合计应为 100 分，现为 101 分',
    ]);
    expect(errors[1]?.line).toBe(lineOf(fixedDate, 'lead: editorial-room'));
    expect(errors[2]?.line).toBe(lineOf(fixedDate, 'start: 2011-02-20'));
  });

  it('allows each auto rule once', () => {
    const text = PLAN_TEXT.replace('auto: problems', 'auto: rules');
    expect(errorsOf(text).map((e) => e.message)).toEqual([
      'indicators[11].auto：自动计分依据 rules 已被 indicators[9] 使用',
    ]);
  });

  it('keeps the deduction row’s points equal to the deduction cap', () => {
    const text = PLAN_TEXT.replace('  deductionCap: 10 ', '  deductionCap: 6 ');
    const [error] = errorsOf(text);
    expect(error).toMatchObject({
      path: 'indicators[13].maxPoints',
      message: 'indicators[13].maxPoints：扣分指标的分值应与 scoring.deductionCap（6）一致',
    });
  });
});

describe('plan hash', () => {
  it('ignores comments and layout but follows content', () => {
    const parsed = parsePlan(PLAN_TEXT);
    const commented = parsePlan(
      PLAN_TEXT.replace('# 考核方案（plan.yaml）', '# 我们单位改过的说明').replace(
        '  bonusCap: 5                           # 加分最多加几分',
        '  bonusCap:    5   # 改了注释',
      ),
    );
    const changed = parsePlan(PLAN_TEXT.replace('  bonusCap: 5 ', '  bonusCap: 4 '));
    if (!parsed.ok || !commented.ok || !changed.ok) throw new Error('plans should parse');
    expect(commented.hash).toBe(parsed.hash);
    expect(changed.hash).not.toBe(parsed.hash);
  });
});

describe('plan lookups', () => {
  it('lists a unit’s tasks with its role', () => {
    const plan = defaultPlan();
    expect(tasksOfUnit(plan, 'office').map((t) => [t.task.id, t.role])).toEqual([
      ['2', '配合'],
      ['3', '牵头'],
      ['5', '牵头'],
    ]);
    expect(tasksOfUnit(plan, 'county-donghu')).toEqual([]);
  });

  it('finds units by id and by name typed with stray spaces', () => {
    const plan = defaultPlan();
    expect(unitById(plan, 'station-805')?.name).toBe('805台');
    expect(unitByName(plan, ' 805 台 ')?.id).toBe('station-805');
    expect(unitByName(plan, '不存在的单位')).toBeUndefined();
  });

  it('turns the key-task indicator into a self-scored one for a unit without tasks', () => {
    const plan = defaultPlan();
    const county = indicatorsFor(plan, 'county-donghu').find((x) => x.id === '3.1');
    expect(county).toMatchObject({ method: 'self', maxPoints: 30 });
    expect(county?.auto).toBeUndefined();
    expect(indicatorsFor(plan, 'office').find((x) => x.id === '3.1')).toMatchObject({ method: 'auto', auto: 'keyTasks' });
    expect(indicatorsFor(plan)).toHaveLength(plan.indicators.length);
  });

  it('maps methods to their Chinese labels and back', () => {
    const methods: IndicatorMethod[] = ['auto', 'self', 'bonus', 'deduction', 'veto'];
    expect(methods.map(methodLabel)).toEqual(['自动', '自评', '加分', '扣分', '否决']);
    for (const m of methods) expect(methodFromLabel(methodLabel(m))).toBe(m);
  });
});
