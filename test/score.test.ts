import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indicatorsFor, methodLabel, parsePlan, tasksOfUnit, unitById } from '../core/plan.ts';
import { complaintOutcome, gradeOf, scoreSubmission } from '../core/score.ts';
import { quotaOf, standings } from '../core/standing.ts';
import type {
  Complaint,
  Nomination,
  Plan,
  Submission,
  TaskReport,
  Unit,
  UnitKind,
  UnitResult,
} from '../core/types.ts';

const parsed = parsePlan(readFileSync(new URL('../templates/plan.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const PLAN: Plan = parsed.plan;

function unit(id: string): Unit {
  const u = unitById(PLAN, id);
  if (!u) throw new Error(id);
  return u;
}

/** A workbook filled perfectly: every task done on time, full self and review scores, no complaints. */
function perfect(u: Unit, over: Partial<Submission> = {}): Submission {
  const keyTasks: TaskReport[] = tasksOfUnit(PLAN, u.id).map(({ task, role }, i) => ({
    row: i + 2,
    taskId: task.id,
    taskName: task.name,
    role,
    lead: task.lead,
    cooperating: task.cooperating.join('、'),
    planned: task.deadline,
    actual: '2011-03-20',
    progress: 100,
    status: '已完成',
    evidence: '',
  }));
  const scores = indicatorsFor(PLAN, u.id).map((x, i) => {
    const full = x.method === 'self' ? x.maxPoints : null;
    return {
      row: i + 2,
      indicatorId: x.id,
      category: x.category,
      content: x.content,
      standard: x.standard,
      maxPoints: x.maxPoints,
      method: methodLabel(x.method),
      self: x.method === 'veto' ? false : full,
      selfNote: '',
      review: x.method === 'veto' ? false : full,
      reviewNote: '',
    };
  });
  return {
    meta: null,
    info: {
      unitName: u.name,
      unitKind: null,
      head: '王主任',
      filler: '李干事',
      phone: '0000',
      planHandedIn: '2011-02-25',
      standardHandedIn: '2011-02-28',
      mobilisationMeeting: '2011-02-10',
      studySessions: 6,
      participants: 30,
      reports: 0,
    },
    keyTasks,
    scores,
    complaints: [],
    problems: [
      { row: 2, seq: '1', source: '自身找', description: '迟到早退', cause: '', measures: '考勤', owner: '王', dueBy: null, status: '已整改' },
    ],
    rules: [
      { row: 2, seq: '1', name: '首问负责制度', category: '首问负责制', action: '新建', done: '2011-04-01', docNumber: '' },
      { row: 3, seq: '2', name: '限时办结制度', category: '限时办结制', action: '完善', done: '2011-04-01', docNumber: '' },
      { row: 4, seq: '3', name: '责任追究制度', category: '责任追究制', action: '保留', done: null, docNumber: '' },
    ],
    nominations: [],
    ...over,
  };
}

function complaint(over: Partial<Complaint>): Complaint {
  return {
    row: 2,
    id: 'TS-1',
    received: '2011-05-03',
    channel: '来电',
    complainant: '群众',
    matter: '办事拖拉',
    handler: '王',
    dueBy: null,
    replied: '2011-05-10',
    result: '已解决',
    verification: '不属实',
    measures: '',
    ...over,
  };
}

/** Sets the review score of one indicator row. */
function withReview(sub: Submission, indicatorId: string, review: number | boolean | null, self?: number | null): Submission {
  return {
    ...sub,
    scores: sub.scores.map((r) =>
      r.indicatorId === indicatorId ? { ...r, review, ...(self !== undefined ? { self } : {}) } : r,
    ),
  };
}

const ind = (r: UnitResult, id: string) => r.indicators.find((x) => x.indicatorId === id);

describe('scoring one unit', () => {
  it('gives a perfect unit 100 points and 优秀', () => {
    const r = scoreSubmission(perfect(unit('office')), PLAN, unit('office'));
    expect(r.total).toBe(100);
    expect(r.selfTotal).toBe(100);
    expect(r.grade).toBe('优秀');
    expect(r.flags).toEqual([]);
    expect(r.byCategory).toMatchObject({ 组织领导: 15, 学习动员: 10, 重点任务: 30, 效能投诉: 15, 制度建设: 10, 问题整改: 5, 加分: 0, 扣分: 0, 一票否决: 0 });
    expect(ind(r, '3.1')?.basis).toBe('牵头2项、配合1项：按期完成3项，得分 30.00/30');
    expect(ind(r, '4.1')?.basis).toBe('本年度未受理效能投诉，得分 15.00/15');
    expect(ind(r, '2.1')?.basis).toBe('实施方案2011年2月25日按期上交；量化标准2011年2月28日按期上交（截止2011年2月28日），得分 6.00/6');
    expect(ind(r, '7.1')?.basis).toBe('三项制度均已落实；全年新建1项、完善1项，得分 6.00/6');
  });

  it('adds the assessors’ bonus up to the cap', () => {
    // 100 + min(5, 5) = 105; a review of 7 on a 5-point row counts as 5.
    const r = scoreSubmission(withReview(perfect(unit('office')), '9.1', 7), PLAN, unit('office'));
    expect(r.bonus).toBe(5);
    expect(r.total).toBe(105);
    expect(r.flags).toEqual([]);
  });

  it('deducts 2 points per verified complaint and counts it against commendation', () => {
    const u = unit('station-805');
    const sub = perfect(u, { complaints: [complaint({ verification: '查实', measures: '通报批评' })] });
    const r = scoreSubmission(sub, PLAN, u);
    // The complaint was answered, concluded and on time: 效能投诉 keeps 15; 100 − 2 = 98.
    expect(ind(r, '4.1')?.final).toBe(15);
    expect(r.deduction).toBe(2);
    expect(ind(r, '10.1')).toMatchObject({ final: -2, basis: '查实1件、部分属实0件，扣 2.00 分' });
    expect(r.total).toBe(98);
    expect(r.verifiedComplaints).toBe(1);
  });

  it('deducts half for 部分属实 and stops at the cap', () => {
    const u = unit('station-805');
    const half = scoreSubmission(
      perfect(u, { complaints: [complaint({ verification: '查实' }), complaint({ id: 'TS-2', verification: '部分属实' })] }),
      PLAN,
      u,
    );
    // 2 × 1 + 2 × 0.5 = 3
    expect(half.deduction).toBe(3);
    expect(half.verifiedComplaints).toBe(2);
    const many = Array.from({ length: 6 }, (_, i) => complaint({ id: `TS-${i}`, verification: '查实' }));
    const capped = scoreSubmission(perfect(u, { complaints: many }), PLAN, u);
    // 6 × 2 = 12, capped at 10
    expect(capped.deduction).toBe(10);
    expect(capped.total).toBe(90);
    expect(ind(capped, '10.1')?.basis).toBe('查实6件、部分属实0件，扣 10.00 分（最多扣10分）');
  });

  it('grades a vetoed unit 不合格 whatever its score', () => {
    const u = unit('office');
    const r = scoreSubmission(withReview(perfect(u), '11.1', true), PLAN, u);
    expect(r.total).toBe(100);
    expect(r.vetoed).toBe(true);
    expect(r.grade).toBe('不合格');
    expect(r.flags).toContain('一票否决，等次为不合格');
  });

  it('takes 10% of a task’s share when it is late and scores unfinished tasks by progress', () => {
    const u = unit('office'); // tasks 2 (配合), 3 (牵头), 5 (牵头)
    const sub = perfect(u);
    sub.keyTasks = sub.keyTasks.map((t) =>
      t.taskId === '3'
        ? { ...t, actual: '2011-11-05' } // done after 2011-10-31: 1 − 0.1 = 0.9
        : t.taskId === '5'
          ? { ...t, actual: null, progress: 80 } // mostly done, unfinished at year end: 0.7 − 0.1 = 0.6
          : t,
    );
    const r = scoreSubmission(sub, PLAN, u);
    // (1 + 0.9 + 0.6) / 3 × 30 = 25.0
    expect(ind(r, '3.1')).toMatchObject({
      auto: 25,
      final: 25,
      basis: '牵头2项、配合1项：按期完成1项、逾期完成1项、基本完成1项，2项逾期（各扣10%），得分 25.00/30',
    });
    expect(r.total).toBe(95);
  });

  it('judges unfinished tasks against the given date during the year', () => {
    const u = unit('station-805'); // task 1 (配合), due 2011-03-31
    const sub = perfect(u);
    sub.keyTasks = sub.keyTasks.map((t) => ({ ...t, actual: null, progress: 50 }));
    // Before the deadline: 50% × 0.3 = 0.15 of 30 = 4.5; after it: (0.15 − 0.1) × 30 = 1.5.
    expect(ind(scoreSubmission(sub, PLAN, u, '2011-03-15'), '3.1')?.final).toBe(4.5);
    expect(ind(scoreSubmission(sub, PLAN, u), '3.1')?.final).toBe(1.5);
  });

  it('lets a unit without key tasks self-score that category, reviewed by the assessors', () => {
    const u = unit('county-donghu');
    const sub = withReview(perfect(u), '3.1', 26, 30);
    const r = scoreSubmission(sub, PLAN, u);
    expect(ind(r, '3.1')).toMatchObject({ method: 'self', self: 30, review: 26, final: 26, unreviewed: false });
    expect(r.total).toBe(96);
  });

  it('scores late and missing hand-ins proportionally and says which', () => {
    const u = unit('office');
    const sub = perfect(u);
    sub.info = { ...sub.info, planHandedIn: '2011-03-02', standardHandedIn: null };
    const r = scoreSubmission(sub, PLAN, u);
    // plan late: half of 3 = 1.5; standard missing: 0
    expect(ind(r, '2.1')).toMatchObject({
      final: 1.5,
      basis: '实施方案2011年3月2日逾期上交（得一半）；量化标准未上交（截止2011年2月28日），得分 1.50/6',
    });
  });

  it('gives the three rules a third each, not counting a revoked one', () => {
    const u = unit('office');
    const sub = perfect(u);
    sub.rules = sub.rules.map((r) => (r.category === '限时办结制' ? { ...r, action: '撤销' as const } : r));
    const r = scoreSubmission(sub, PLAN, u);
    // 2/3 × 6 = 4.0
    expect(ind(r, '7.1')).toMatchObject({
      final: 4,
      basis: '已落实首问负责制、责任追究制，缺限时办结制；全年新建1项、撤销1项，得分 4.00/6',
    });
  });

  it('scores problems by the share fixed, half for those being fixed, none found scoring 0', () => {
    const u = unit('office');
    const p = perfect(u).problems[0]!;
    const sub = perfect(u, {
      problems: [
        { ...p, status: '已整改' },
        { ...p, status: '已整改' },
        { ...p, status: '整改中' },
        { ...p, status: '未整改' },
      ],
    });
    // (2 + 0.5) / 4 × 5 = 3.125 → 3.13 (half up)
    expect(ind(scoreSubmission(sub, PLAN, u), '8.1')).toMatchObject({
      final: 3.13,
      basis: '查找问题4个：已整改2个、整改中1个（计一半）、未整改1个，得分 3.13/5',
    });
    expect(ind(scoreSubmission(perfect(u, { problems: [] }), PLAN, u), '8.1')?.final).toBe(0);
  });

  it('falls back to the self score, flagged, when the assessors gave none', () => {
    const u = unit('office');
    const sub = withReview(withReview(perfect(u), '1.1', null), '6.1', null);
    const r = scoreSubmission(sub, PLAN, u);
    expect(ind(r, '1.1')).toMatchObject({ final: 8, unreviewed: true, basis: '自评 8.00 分，未经考核组评定' });
    expect(r.total).toBe(100);
    expect(r.flags).toEqual(['未经考核组评定：指标1.1、6.1按自评分计']);
  });

  it('follows the plan’s final-score formula', () => {
    const u = unit('office');
    // 1.1: self 8, review 4; 1.2: self 7, no review.
    const sub = withReview(withReview(perfect(u), '1.1', 4), '1.2', null);
    const finalOf = (finalScore: Plan['scoring']['finalScore']) => {
      const plan: Plan = { ...PLAN, scoring: { ...PLAN.scoring, finalScore } };
      const r = scoreSubmission(sub, plan, u);
      return [ind(r, '1.1')?.final, ind(r, '1.2')?.final, r.total];
    };
    // review-else-self: 4 and 7 → 100 − 4 = 96; review-only: 4 and 0 → 89; average: 6 and 7 → 98
    expect(finalOf('review-else-self')).toEqual([4, 7, 96]);
    expect(finalOf('review-only')).toEqual([4, 0, 89]);
    expect(finalOf('average')).toEqual([6, 7, 98]);
  });

  it('flags a self score more than 10 points above the final score', () => {
    const u = unit('office');
    // Reviews: 1.1 8→2, 1.2 7→1 (−12 in all); self total stays 100, final 88.
    const sub = withReview(withReview(perfect(u), '1.1', 2), '1.2', 1);
    const r = scoreSubmission(sub, PLAN, u);
    expect(r.total).toBe(88);
    expect(r.selfTotal).toBe(100);
    expect(r.flags).toEqual(['自评分高于最终得分12.00分，需说明']);
    // 10 points above is not flagged: 1.1 → 0, 1.2 → 5 (−10).
    const edge = scoreSubmission(withReview(withReview(perfect(u), '1.1', 0), '1.2', 5), PLAN, u);
    expect(edge.flags).toEqual([]);
  });
});

describe('complaints and working days', () => {
  // Received Thu 2011-09-28, blank 办结时限, 15 working days: 9-29 (1), 9-30 (2), 10-1..10-7 National Day off,
  // Sat 10-8 (3) and Sun 10-9 (4) are make-up workdays, 10-10..10-14 (5–9), 10-17..10-21 (10–14), Mon 10-24 (15).
  const base = { received: '2011-09-28', dueBy: null };

  it('is due 15 working days after receipt across the National Day holiday', () => {
    expect(complaintOutcome(complaint({ ...base, replied: '2011-10-24' }), PLAN)).toEqual({
      answered: true,
      concluded: true,
      dueBy: '2011-10-24',
      onTime: true,
      verifiedWeight: 0,
    });
    expect(complaintOutcome(complaint({ ...base, replied: '2011-10-25' }), PLAN).onTime).toBe(false);
  });

  it('scores answered, concluded and on time a third each', () => {
    const u = unit('office');
    const sub = perfect(u, {
      complaints: [
        complaint({ ...base, replied: '2011-10-24' }),
        complaint({ ...base, id: 'TS-2', replied: '2011-10-25' }),
        complaint({ id: 'TS-3', dueBy: '2011-06-01', replied: null, result: '', verification: '核查中' }),
      ],
    });
    const r = scoreSubmission(sub, PLAN, u);
    // answered 2, concluded 2, on time 1 of 3: (2 + 2 + 1) / 9 × 15 = 8.333… → 8.33
    expect(ind(r, '4.1')).toMatchObject({
      final: 8.33,
      basis: '受理3件：已回复2件、已办结2件、按时办结1件，得分 8.33/15',
    });
  });

  it('uses the written time limit when there is one', () => {
    const c = complaint({ received: '2011-09-28', dueBy: '2011-09-30', replied: '2011-10-08' });
    expect(complaintOutcome(c, PLAN)).toMatchObject({ dueBy: '2011-09-30', onTime: false });
  });
});

function result(name: string, kind: UnitKind, total: number, extra: Partial<UnitResult> = {}): UnitResult {
  return {
    unitId: name,
    unitName: name,
    kind,
    indicators: [],
    byCategory: { 重点任务: 30, 效能投诉: 15 },
    bonus: 0,
    deduction: 0,
    selfTotal: total,
    total,
    vetoed: false,
    verifiedComplaints: 0,
    grade: gradeOf(total, PLAN, extra.vetoed ?? false),
    rank: null,
    tied: false,
    rankText: '—',
    flags: [],
    commended: null,
    ...extra,
  };
}

/** The default plan with exactly these units, so quota bases are the test's own. */
function planOf(results: readonly UnitResult[], over: Partial<Plan> = {}): Plan {
  return { ...PLAN, keyTasks: [], units: results.map((r) => ({ id: r.unitId, name: r.unitName, kind: r.kind })), ...over };
}

describe('grading', () => {
  it('grades by the plan’s bands, compared in hundredths', () => {
    expect([90, 89.99, 89.92, 80, 79.99, 60, 59.99].map((t) => gradeOf(t, PLAN))).toEqual([
      '优秀',
      '良好',
      '良好',
      '良好',
      '合格',
      '合格',
      '不合格',
    ]);
    expect(gradeOf(99, PLAN, true)).toBe('不合格');
  });
});

function nomination(nominee: string): Nomination {
  return { row: 2, category: '先进个人', nominee, unitAndPost: '科员', deeds: `${nominee}的事迹`, practice: '' };
}

describe('standings in memory', () => {
  it('computes quotas as floor(n × rate), at least the minimum, never above n', () => {
    expect([quotaOf(4, 0.2), quotaOf(5, 0.2), quotaOf(10, 0.2), quotaOf(4, 0.2, 1), quotaOf(0, 0.2, 1), quotaOf(3, 1)]).toEqual([0, 1, 2, 1, 0, 3]);
  });

  it('takes the persons of tied units across the 先进个人 edge whole, or none with ties: exclude', () => {
    const units = [result('甲', 'department', 95), result('乙', 'subordinate', 93), result('丙', 'county', 93)];
    const subs = new Map(units.map((u, i) => [u.unitId, perfect(unit('office'), { nominations: [nomination(`人${i}`), nomination(`又${i}`)] })]));
    const plan = planOf(units, { commendation: { ...PLAN.commendation, personTotal: 2 } });
    const include = standings(units, subs, plan);
    // One per unit (又N is over the per-unit limit); 乙 and 丙 tie for the second place: both in.
    expect(include.commendations.filter((c) => c.category === '先进个人').map((c) => c.name)).toEqual(['人0', '人1', '人2']);
    expect(include.eligibility.filter((e) => e.code === 'perUnit').map((e) => e.name)).toEqual(['又0', '又1', '又2']);
    expect(include.quotas.at(-1)!.text).toContain('超出名额1名');
    const exclude = standings(units, subs, { ...plan, commendation: { ...plan.commendation, ties: 'exclude' } });
    expect(exclude.commendations.filter((c) => c.category === '先进个人').map((c) => c.name)).toEqual(['人0']);
    expect(exclude.eligibility.filter((e) => e.code === 'tie').map((e) => e.name)).toEqual(['人1', '人2']);
  });

  it('breaks equal totals by the plan’s tie-break categories before calling them 并列', () => {
    const units = [
      result('甲', 'county', 88, { byCategory: { 重点任务: 28, 效能投诉: 15 } }),
      result('乙', 'county', 88, { byCategory: { 重点任务: 30, 效能投诉: 12 } }),
      result('丙', 'county', 88, { byCategory: { 重点任务: 28, 效能投诉: 15 } }),
    ];
    const byTasks = standings(units, new Map(), planOf(units));
    expect(byTasks.units.map((u) => [u.unitName, u.rankText])).toEqual([['乙', '1'], ['甲', '并列第2'], ['丙', '并列第2']]);
    const byComplaints = standings(units, new Map(), planOf(units, { grading: { ...PLAN.grading, tieBreak: ['效能投诉'] } }));
    expect(byComplaints.units.map((u) => [u.unitName, u.rankText])).toEqual([['甲', '并列第1'], ['丙', '并列第1'], ['乙', '3']]);
  });
});
