// Scoring of one unit (SPEC §2, §9). Pure: a parsed Submission and the plan in, numbers with a
// one-line 得分依据 out, so the add-in's score panel and the report agree. Ranking, grades with
// their quotas and commendations are core/standing.ts.
//
// Decisions where the spec is silent (documented for the office):
// - 部分属实 complaints cost half the deduction of 查实 (and count as 查实 for eligibility unless
//   the plan sets scoring.partialCountsAsVerified: false).
// - A unit that found no problems scores 0 on 问题整改: the plan requires finding them.
// - An assessor's score on an auto row overrides the computed score (the basis says so).
// - Self scores above an indicator's points count as its points (and are flagged).
import { UncoveredYearError, calendarOf, chineseDate } from './calendar.ts';
import { formatPoints, fromCents, round2, sumPoints, toCents } from './points.ts';
import { THREE_RULES } from './layout.ts';
import { indicatorsFor, tasksOfUnit } from './plan-lookup.ts';
import type {
  Complaint,
  Grade,
  Indicator,
  IndicatorResult,
  IsoDate,
  KeyTask,
  Plan,
  ScoreRow,
  Submission,
  TaskReport,
  TaskRole,
  Unit,
  UnitResult,
} from './types.ts';

const pts = formatPoints;
const clamp = (x: number, max: number): number => Math.min(Math.max(x, 0), max);

export interface Computed {
  points: number;
  basis: string;
}

// ---------- auto rules ----------

function handInScore(sub: Submission, plan: Plan, max: number): Computed {
  const deadline = plan.activity.handInDeadline;
  const half = max / 2;
  const part = (label: string, date: IsoDate | null): { points: number; text: string } => {
    if (!date) return { points: 0, text: `${label}未上交` };
    if (date <= deadline) return { points: half, text: `${label}${chineseDate(date)}按期上交` };
    return { points: half / 2, text: `${label}${chineseDate(date)}逾期上交（得一半）` };
  };
  const a = part('实施方案', sub.info.planHandedIn);
  const b = part('量化标准', sub.info.standardHandedIn);
  const points = a.points + b.points;
  return { points, basis: `${a.text}；${b.text}（截止${chineseDate(deadline)}），得分 ${pts(points)}/${max}` };
}

type TaskStanding = '按期完成' | '逾期完成' | '基本完成' | '未完成' | '未填报';

interface TaskScore {
  share: number;
  standing: TaskStanding;
  late: boolean;
}

/** One task, by the unit's own row: the share of the task's points it earns (0–1). */
function taskScore(task: KeyTask, row: TaskReport | undefined, plan: Plan, asOf: IsoDate): TaskScore {
  if (!row) return { share: 0, standing: '未填报', late: false };
  const rules = plan.scoring.keyTask;
  const progress = clamp(row.progress ?? 0, 100);
  const done = row.actual !== null && progress >= 100;
  const late = done ? (row.actual as IsoDate) > task.deadline : asOf > task.deadline;
  let share: number;
  let standing: TaskStanding;
  if (done) {
    share = 1;
    standing = late ? '逾期完成' : '按期完成';
  } else if (progress >= rules.mostlyDoneProgress) {
    share = rules.mostlyDoneShare;
    standing = '基本完成';
  } else {
    share = (progress / 100) * rules.partialFactor;
    standing = '未完成';
  }
  return { share: Math.max(0, share - (late ? rules.latePenalty : 0)), standing, late };
}

function keyTaskScore(sub: Submission, plan: Plan, unit: Unit, max: number, asOf: IsoDate): Computed {
  const mine = tasksOfUnit(plan, unit.id);
  const rows = new Map(sub.keyTasks.map((r) => [r.taskId.trim(), r]));
  const scores = mine.map(({ task }) => taskScore(task, rows.get(task.id), plan, asOf));
  const earned = scores.reduce((s, t) => s + t.share, 0);
  const points = (earned / mine.length) * max;
  const count = (role: TaskRole): number => mine.filter((t) => t.role === role).length;
  const standings: TaskStanding[] = ['按期完成', '逾期完成', '基本完成', '未完成', '未填报'];
  const tally = standings
    .map((s) => [s, scores.filter((t) => t.standing === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s}${n}项`)
    .join('、');
  const late = scores.filter((t) => t.late).length;
  const penalty = late > 0 ? `，${late}项逾期（各扣${Math.round(plan.scoring.keyTask.latePenalty * 1000) / 10}%）` : '';
  return {
    points,
    basis: `牵头${count('牵头')}项、配合${count('配合')}项：${tally}${penalty}，得分 ${pts(points)}/${max}`,
  };
}

/** How one complaint was handled; the report's statistics use the same rules. */
export interface ComplaintOutcome {
  answered: boolean;
  concluded: boolean;
  /** 办结时限, or the default working-day limit after 受理日期 when blank; null when neither date is known. */
  dueBy: IsoDate | null;
  /** Concluded, and replied (the only dated step of the sheet) no later than the due date. */
  onTime: boolean;
  /** 1 for 查实, 0.5 for 部分属实, else 0: the weight of its deduction. */
  verifiedWeight: number;
}

/**
 * 办结时限 as written, else the plan's default number of working days after 受理日期. Null when
 * neither date is known, or when the working days fall in a year no calendar covers (the check
 * reports that date as an 错误; a weekends-only guess could call a timely answer late).
 */
export function complaintDueDate(c: Pick<Complaint, 'dueBy' | 'received'>, plan: Plan): IsoDate | null {
  if (c.dueBy) return c.dueBy;
  if (!c.received) return null;
  try {
    return calendarOf(plan).addWorkingDays(c.received, plan.scoring.complaintDefaultWorkingDays);
  } catch (err) {
    if (err instanceof UncoveredYearError) return null;
    throw err;
  }
}

/** 查实, and 部分属实 unless the plan says it does not count (scoring.partialCountsAsVerified). */
export function countsAsVerified(c: Pick<Complaint, 'verification'>, plan: Plan): boolean {
  return c.verification === '查实' || (c.verification === '部分属实' && plan.scoring.partialCountsAsVerified !== false);
}

export function complaintOutcome(c: Complaint, plan: Plan): ComplaintOutcome {
  const dueBy = complaintDueDate(c, plan);
  const verifiedWeight = c.verification === '查实' ? 1 : c.verification === '部分属实' ? 0.5 : 0;
  // A reply alone is not 办结: the matter is concluded only with a result and a finished check.
  const concluded = c.result.trim() !== '' && c.verification !== null && c.verification !== '核查中';
  return {
    answered: c.replied !== null,
    concluded,
    dueBy,
    onTime: concluded && c.replied !== null && dueBy !== null && c.replied <= dueBy,
    verifiedWeight,
  };
}

function complaintScore(outcomes: readonly ComplaintOutcome[], max: number): Computed {
  const n = outcomes.length;
  if (n === 0) return { points: max, basis: `本年度未受理效能投诉，得分 ${pts(max)}/${max}` };
  const answered = outcomes.filter((o) => o.answered).length;
  const concluded = outcomes.filter((o) => o.concluded).length;
  const onTime = outcomes.filter((o) => o.onTime).length;
  const points = ((answered + concluded + onTime) / (3 * n)) * max;
  return {
    points,
    basis: `受理${n}件：已回复${answered}件、已办结${concluded}件、按时办结${onTime}件，得分 ${pts(points)}/${max}`,
  };
}

function rulesScore(sub: Submission, max: number): Computed {
  const inForce = new Set(
    sub.rules.filter((r) => r.action !== null && r.action !== '撤销').map((r) => r.category ?? ''),
  );
  const present = THREE_RULES.filter((r) => inForce.has(r));
  const missing = THREE_RULES.filter((r) => !inForce.has(r));
  const points = (present.length / THREE_RULES.length) * max;
  const actions = (['新建', '完善', '撤销'] as const)
    .map((a) => [a, sub.rules.filter((r) => r.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${a}${n}项`);
  const state =
    missing.length === 0
      ? '三项制度均已落实'
      : present.length === 0
        ? `三项制度均未落实`
        : `已落实${present.join('、')}，缺${missing.join('、')}`;
  const tally = actions.length > 0 ? `；全年${actions.join('、')}` : '';
  return { points, basis: `${state}${tally}，得分 ${pts(points)}/${max}` };
}

function problemScore(sub: Submission, max: number): Computed {
  const n = sub.problems.length;
  if (n === 0) return { points: 0, basis: `未查找问题（应通过领导点、自身找、群众提查找），得分 0.00/${max}` };
  const fixed = sub.problems.filter((p) => p.status === '已整改').length;
  const fixing = sub.problems.filter((p) => p.status === '整改中').length;
  const points = ((fixed + fixing / 2) / n) * max;
  return {
    points,
    basis: `查找问题${n}个：已整改${fixed}个、整改中${fixing}个（计一半）、未整改${n - fixed - fixing}个，得分 ${pts(points)}/${max}`,
  };
}

function verifiedWeightOf(outcomes: readonly ComplaintOutcome[]): { verified: number; partly: number; weight: number } {
  return {
    verified: outcomes.filter((o) => o.verifiedWeight === 1).length,
    partly: outcomes.filter((o) => o.verifiedWeight === 0.5).length,
    weight: outcomes.reduce((s, o) => s + o.verifiedWeight, 0),
  };
}

function deductionScore(outcomes: readonly ComplaintOutcome[], plan: Plan): Computed {
  const { verified, partly, weight } = verifiedWeightOf(outcomes);
  const { deductionPerVerifiedComplaint: rate, deductionCap: cap } = plan.scoring;
  const points = Math.min(weight * rate, cap);
  if (verified + partly === 0) return { points: 0, basis: '无查实的效能投诉，不扣分' };
  const capped = weight * rate > cap ? `（最多扣${cap}分）` : '';
  return { points, basis: `查实${verified}件、部分属实${partly}件，扣 ${pts(points)} 分${capped}` };
}

function autoScore(
  x: Indicator,
  sub: Submission,
  outcomes: readonly ComplaintOutcome[],
  plan: Plan,
  unit: Unit,
  asOf: IsoDate,
): Computed {
  switch (x.auto) {
    case 'handIn':
      return handInScore(sub, plan, x.maxPoints);
    case 'keyTasks':
      return keyTaskScore(sub, plan, unit, x.maxPoints, asOf);
    case 'complaints':
      return complaintScore(outcomes, x.maxPoints);
    case 'rules':
      return rulesScore(sub, x.maxPoints);
    case 'problems':
      return problemScore(sub, x.maxPoints);
    default:
      return { points: 0, basis: '方案未指定自动计分依据' };
  }
}

// ---------- one unit ----------

const asNumber = (v: number | boolean | null | undefined): number | null => (typeof v === 'number' ? v : null);

const NOT_COMPUTED: Computed = { points: 0, basis: '未计算' };

/** When the assessment ends: unfinished tasks are judged late against it. */
function assessmentEnd(plan: Plan): IsoDate {
  const assessment = plan.phases.find((p) => p.id === 'assessment') ?? plan.phases[plan.phases.length - 1];
  return assessment?.end ?? `${plan.activity.year}-12-31`;
}

function selfReviewed(
  x: Indicator,
  row: ScoreRow | undefined,
  plan: Plan,
  flags: string[],
): Scored {
  const cap = (v: number | null, who: string): number | null => {
    if (v === null) return null;
    if (v > x.maxPoints || v < 0) flags.push(`指标${x.id}${who}${v}超出0–${x.maxPoints}分，按${clamp(v, x.maxPoints)}分计`);
    return clamp(v, x.maxPoints);
  };
  const self = cap(asNumber(row?.self), '自评分');
  const review = cap(asNumber(row?.review), '考核组评分');
  let final: number;
  switch (plan.scoring.finalScore) {
    case 'review-only':
      final = review ?? 0;
      break;
    case 'average':
      final = self !== null && review !== null ? (self + review) / 2 : (review ?? self ?? 0);
      break;
    default:
      final = review ?? self ?? 0;
  }
  const unreviewed = review === null;
  const basis =
    review !== null
      ? `考核组评定 ${pts(review)} 分（自评 ${self === null ? '未填' : pts(self)}）`
      : self !== null
        ? `自评 ${pts(self)} 分，未经考核组评定`
        : '未自评，未经考核组评定';
  return { self, review, final: round2(final), basis, unreviewed };
}

type Scored = Pick<IndicatorResult, 'self' | 'review' | 'final' | 'basis' | 'unreviewed'>;

/**
 * One indicator's result, its fields always in this order (results.json prints them so). One
 * object literal of one shape: spreading a shared base into each was a third of the year's scoring.
 */
function indicatorResult(x: Indicator, auto: number | null, s: Scored): IndicatorResult {
  return { indicatorId: x.id, category: x.category, method: x.method, maxPoints: x.maxPoints, auto, self: s.self, review: s.review, final: s.final, basis: s.basis, unreviewed: s.unreviewed };
}

/** Auto and deduction points already worked out from a unit's data, by indicator id (a score sheet carries them). */
export type ComputedScores = ReadonlyMap<string, Computed>;

/**
 * Scores one unit's workbook. `asOf` is the date unfinished key tasks are judged against:
 * the end of the assessment phase by default, today's date in the add-in's running total.
 * With `computed`, auto and deduction rows take those points instead of the unit's data (which
 * a score sheet does not carry); a row missing from it counts 0.
 * Every indicator's final score is rounded once to 0.01; totals are exact sums of those.
 */
export function scoreSubmission(
  sub: Submission,
  plan: Plan,
  unit: Unit,
  asOf: IsoDate = assessmentEnd(plan),
  computedScores?: ComputedScores,
): UnitResult {
  const rows = new Map(sub.scores.map((r) => [r.indicatorId.trim(), r]));
  const outcomes = sub.complaints.map((c) => complaintOutcome(c, plan));
  const flags: string[] = [];
  const indicators: IndicatorResult[] = [];
  const bonuses: number[] = [];
  const deductions: number[] = [];
  const selfScores: number[] = [];
  let vetoed = false;
  const unreviewedIds: string[] = [];

  for (const x of indicatorsFor(plan, unit.id)) {
    const row = rows.get(x.id);
    if (!row && x.method !== 'auto' && x.method !== 'deduction') flags.push(`考核评分表缺少指标${x.id}，按0分计`);
    if (x.method === 'auto') {
      const computed = computedScores ? (computedScores.get(x.id) ?? NOT_COMPUTED) : autoScore(x, sub, outcomes, plan, unit, asOf);
      const auto = round2(computed.points);
      const review = asNumber(row?.review);
      const self = asNumber(row?.self);
      const final = review !== null ? round2(clamp(review, x.maxPoints)) : auto;
      const basis = review !== null ? `${computed.basis}（考核组核定为 ${pts(final)} 分）` : computed.basis;
      indicators.push(indicatorResult(x, auto, { self, review, final, basis, unreviewed: false }));
      selfScores.push(self !== null ? round2(clamp(self, x.maxPoints)) : auto);
    } else if (x.method === 'self') {
      const scored = selfReviewed(x, row, plan, flags);
      if (scored.unreviewed) unreviewedIds.push(x.id);
      indicators.push(indicatorResult(x, null, scored));
      selfScores.push(round2(scored.self ?? 0));
    } else if (x.method === 'bonus') {
      const review = asNumber(row?.review);
      const self = asNumber(row?.self);
      const final = round2(clamp(review ?? 0, x.maxPoints));
      const basis = review !== null ? `考核组加 ${pts(final)} 分` : '考核组未加分';
      indicators.push(indicatorResult(x, null, { self, review, final, basis, unreviewed: false }));
      bonuses.push(final);
      selfScores.push(self !== null ? round2(clamp(self, x.maxPoints)) : 0);
    } else if (x.method === 'deduction') {
      const computed = computedScores ? (computedScores.get(x.id) ?? NOT_COMPUTED) : deductionScore(outcomes, plan);
      const review = asNumber(row?.review);
      const taken = round2(review !== null ? clamp(review, plan.scoring.deductionCap) : computed.points);
      const basis = review !== null ? `${computed.basis}（考核组核定扣 ${pts(taken)} 分）` : computed.basis;
      indicators.push(indicatorResult(x, round2(computed.points), { self: null, review, final: 0 - taken, basis, unreviewed: false }));
      deductions.push(taken);
    } else {
      const vetoedHere = row?.review === true;
      vetoed ||= vetoedHere;
      const basis = vetoedHere ? `考核组评定一票否决${row?.reviewNote ? `：${row.reviewNote}` : ''}` : '未否决';
      indicators.push(indicatorResult(x, null, { self: null, review: null, final: 0, basis, unreviewed: false }));
    }
  }

  // All sums in integer hundredths: the printed parts always add up to the printed total.
  const bonusCents = Math.min(toCents(sumPoints(bonuses)), toCents(plan.scoring.bonusCap));
  const deductionCents = Math.min(toCents(sumPoints(deductions)), toCents(plan.scoring.deductionCap));
  const baseCents = toCents(sumPoints(indicators.filter((r) => r.method === 'auto' || r.method === 'self').map((r) => r.final)));
  const total = fromCents(Math.max(0, baseCents + bonusCents - deductionCents));
  const selfTotal = fromCents(Math.max(0, toCents(sumPoints(selfScores)) - deductionCents));

  const byCategory: Record<string, number> = {};
  for (const r of indicators) byCategory[r.category] = sumPoints([byCategory[r.category] ?? 0, r.final]);

  if (unreviewedIds.length > 0) flags.push(`未经考核组评定：指标${unreviewedIds.join('、')}按自评分计`);
  if (toCents(selfTotal) - toCents(total) > toCents(plan.scoring.selfOverFinalFlag))
    flags.push(`自评分高于最终得分${pts(selfTotal - total)}分，需说明`);
  if (vetoed) flags.push('一票否决，等次为不合格');

  return {
    unitId: unit.id,
    unitName: unit.name,
    kind: unit.kind,
    indicators,
    byCategory,
    bonus: fromCents(bonusCents),
    deduction: fromCents(deductionCents),
    selfTotal,
    total,
    vetoed,
    verifiedComplaints: sub.complaints.filter((c) => countsAsVerified(c, plan)).length,
    grade: gradeOf(total, plan, vetoed),
    rank: null,
    tied: false,
    rankText: '—',
    flags,
    commended: null,
  };
}

/** The grade a total reaches by the plan's score lines (before quotas); compared in hundredths. */
export function gradeOf(total: number, plan: Plan, vetoed = false): Grade {
  if (vetoed) return '不合格';
  const bands = [...plan.grading.bands].sort((a, b) => b.min - a.min);
  return bands.find((b) => toCents(total) >= toCents(b.min))?.grade ?? '不合格';
}
