// Scoring, grading and commendation (SPEC §2). Pure: a parsed Submission and the plan in,
// numbers with a one-line 得分依据 out, so the add-in's score panel and the report agree.
//
// Decisions where the spec is silent (documented for the office):
// - Every indicator's final score is rounded to 0.1 before summing, so the tables add up as shown.
// - 部分属实 complaints count as verified (not commendable) and cost half the deduction of 查实.
// - A unit that found no problems scores 0 on 问题整改: the plan requires finding them.
// - An assessor's score on an auto row overrides the computed score (the basis says so).
// - 优秀 and commendation quotas are floor(n × quota) but at least 1 when the group has any unit,
//   so a small group's best unit is never shut out.
// - Self scores above an indicator's points count as its points (and are flagged).
import { addWorkingDays } from './calendar.ts';
import { THREE_RULES } from './layout.ts';
import { indicatorsFor, tasksOfUnit, unitByName } from './plan.ts';
import type {
  Commendation,
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
  UnitKind,
  UnitResult,
} from './types.ts';

const round1 = (x: number): number => Math.round((x + Number.EPSILON) * 10) / 10;
const pts = (x: number): string => round1(x).toFixed(1);
const clamp = (x: number, max: number): number => Math.min(Math.max(x, 0), max);

interface Computed {
  points: number;
  basis: string;
}

// ---------- auto rules ----------

function handInScore(sub: Submission, plan: Plan, max: number): Computed {
  const deadline = plan.activity.handInDeadline;
  const half = max / 2;
  const part = (label: string, date: IsoDate | null): { points: number; text: string } => {
    if (!date) return { points: 0, text: `${label}未上交` };
    if (date <= deadline) return { points: half, text: `${label}${date}按期上交` };
    return { points: half / 2, text: `${label}${date}逾期上交（得一半）` };
  };
  const a = part('实施方案', sub.info.planHandedIn);
  const b = part('量化标准', sub.info.standardHandedIn);
  const points = a.points + b.points;
  return { points, basis: `${a.text}；${b.text}（截止${deadline}），得分 ${pts(points)}/${max}` };
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
  const penalty = late > 0 ? `，${late}项逾期（各扣${round1(plan.scoring.keyTask.latePenalty * 100)}%）` : '';
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
  onTime: boolean;
  /** 1 for 查实, 0.5 for 部分属实, else 0: the weight of its deduction. */
  verifiedWeight: number;
}

// Walking the calendar day by day costs ~60 µs; a year has few distinct receipt dates, so remember them.
const defaultDueDates = new Map<string, IsoDate>();

function defaultDueDate(received: IsoDate, workingDays: number): IsoDate {
  const key = `${received}+${workingDays}`;
  let due = defaultDueDates.get(key);
  if (due === undefined) {
    due = addWorkingDays(received, workingDays);
    defaultDueDates.set(key, due);
  }
  return due;
}

export function complaintOutcome(c: Complaint, plan: Plan): ComplaintOutcome {
  const dueBy = c.dueBy ?? (c.received ? defaultDueDate(c.received, plan.scoring.complaintDefaultWorkingDays) : null);
  const verifiedWeight = c.verification === '查实' ? 1 : c.verification === '部分属实' ? 0.5 : 0;
  return {
    answered: c.replied !== null,
    concluded: c.result.trim() !== '' && c.verification !== '核查中',
    dueBy,
    onTime: c.replied !== null && dueBy !== null && c.replied <= dueBy,
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
  if (n === 0) return { points: 0, basis: `未查找问题（应通过领导点、自身找、群众提查找），得分 0.0/${max}` };
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
): Pick<IndicatorResult, 'self' | 'review' | 'final' | 'basis' | 'unreviewed'> {
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
  return { self, review, final: round1(final), basis, unreviewed };
}

/**
 * Scores one unit's workbook. `asOf` is the date unfinished key tasks are judged against:
 * the end of the assessment phase by default, today's date in the add-in's running total.
 */
export function scoreSubmission(sub: Submission, plan: Plan, unit: Unit, asOf: IsoDate = assessmentEnd(plan)): UnitResult {
  const rows = new Map(sub.scores.map((r) => [r.indicatorId.trim(), r]));
  const outcomes = sub.complaints.map((c) => complaintOutcome(c, plan));
  const flags: string[] = [];
  const indicators: IndicatorResult[] = [];
  let bonus = 0;
  let deduction = 0;
  let vetoed = false;
  let selfTotal = 0;
  const unreviewedIds: string[] = [];

  for (const x of indicatorsFor(plan, unit.id)) {
    const row = rows.get(x.id);
    if (!row && x.method !== 'auto' && x.method !== 'deduction') flags.push(`考核评分表缺少指标${x.id}，按0分计`);
    const base = { indicatorId: x.id, category: x.category, method: x.method, maxPoints: x.maxPoints };
    if (x.method === 'auto') {
      const computed = autoScore(x, sub, outcomes, plan, unit, asOf);
      const auto = round1(computed.points);
      const review = asNumber(row?.review);
      const self = asNumber(row?.self);
      const final = review !== null ? round1(clamp(review, x.maxPoints)) : auto;
      const basis = review !== null ? `${computed.basis}（考核组核定为 ${pts(final)} 分）` : computed.basis;
      indicators.push({ ...base, auto, self, review, final, basis, unreviewed: false });
      selfTotal += self !== null ? clamp(self, x.maxPoints) : auto;
    } else if (x.method === 'self') {
      const scored = selfReviewed(x, row, plan, flags);
      if (scored.unreviewed) unreviewedIds.push(x.id);
      indicators.push({ ...base, auto: null, ...scored });
      selfTotal += scored.self ?? 0;
    } else if (x.method === 'bonus') {
      const review = asNumber(row?.review);
      const self = asNumber(row?.self);
      const final = round1(clamp(review ?? 0, x.maxPoints));
      const basis = review !== null ? `考核组加 ${pts(final)} 分` : '考核组未加分';
      indicators.push({ ...base, auto: null, self, review, final, basis, unreviewed: false });
      bonus += final;
      selfTotal += self !== null ? clamp(self, x.maxPoints) : 0;
    } else if (x.method === 'deduction') {
      const computed = deductionScore(outcomes, plan);
      const review = asNumber(row?.review);
      const taken = review !== null ? round1(clamp(review, plan.scoring.deductionCap)) : round1(computed.points);
      const basis = review !== null ? `${computed.basis}（考核组核定扣 ${pts(taken)} 分）` : computed.basis;
      indicators.push({
        ...base,
        auto: round1(computed.points),
        self: null,
        review,
        final: 0 - taken,
        basis,
        unreviewed: false,
      });
      deduction += taken;
    } else {
      const vetoedHere = row?.review === true;
      vetoed ||= vetoedHere;
      const basis = vetoedHere
        ? `考核组评定一票否决${row?.reviewNote ? `：${row.reviewNote}` : ''}`
        : '未否决';
      indicators.push({ ...base, auto: null, self: null, review: null, final: 0, basis, unreviewed: false });
    }
  }

  bonus = Math.min(round1(bonus), plan.scoring.bonusCap);
  deduction = Math.min(round1(deduction), plan.scoring.deductionCap);
  const base = indicators
    .filter((r) => r.method === 'auto' || r.method === 'self')
    .reduce((s, r) => s + r.final, 0);
  const total = round1(Math.max(0, base + bonus - deduction));
  selfTotal = round1(Math.max(0, selfTotal - deduction));

  const byCategory: Record<string, number> = {};
  for (const r of indicators) byCategory[r.category] = round1((byCategory[r.category] ?? 0) + r.final);

  if (unreviewedIds.length > 0) flags.push(`未经考核组评定：指标${unreviewedIds.join('、')}按自评分计`);
  if (selfTotal - total > plan.scoring.selfOverFinalFlag)
    flags.push(`自评分高于最终得分${pts(selfTotal - total)}分，需说明`);
  if (vetoed) flags.push('一票否决，等次为不合格');

  const { verified, partly } = verifiedWeightOf(outcomes);
  return {
    unitId: unit.id,
    unitName: unit.name,
    kind: unit.kind,
    indicators,
    byCategory,
    bonus,
    deduction,
    selfTotal,
    total,
    vetoed,
    verifiedComplaints: verified + partly,
    grade: gradeOf(total, plan, vetoed),
    rank: 0,
    flags,
    commended: null,
  };
}

// ---------- grading and ranking ----------

export function gradeOf(total: number, plan: Plan, vetoed = false): Grade {
  if (vetoed) return '不合格';
  const bands = [...plan.grading.bands].sort((a, b) => b.min - a.min);
  return bands.find((b) => total >= b.min)?.grade ?? '不合格';
}

function categoryOf(plan: Plan, rule: 'keyTasks' | 'complaints'): string | undefined {
  return plan.indicators.find((x) => x.auto === rule)?.category;
}

/** One collator for every comparison: `localeCompare(…, 'zh-CN')` looks one up on each call. */
const BY_NAME = new Intl.Collator('zh-CN');

/** Total, then 重点任务, then 效能投诉, then name, all so the order never depends on input order. */
function compareResults(plan: Plan): (a: UnitResult, b: UnitResult) => number {
  const tasks = categoryOf(plan, 'keyTasks');
  const complaints = categoryOf(plan, 'complaints');
  const cat = (r: UnitResult, c: string | undefined): number => (c ? (r.byCategory[c] ?? 0) : 0);
  return (a, b) =>
    b.total - a.total ||
    cat(b, tasks) - cat(a, tasks) ||
    cat(b, complaints) - cat(a, complaints) ||
    BY_NAME.compare(a.unitName, b.unitName);
}

/** floor(n × share), but at least one place when the group has anyone in it. */
function quotaOf(n: number, share: number): number {
  if (n === 0 || share <= 0) return 0;
  return Math.max(1, Math.floor(n * share + 1e-9));
}

/** Ranks all units together and grades them; 优秀 beyond each kind's quota drops to 良好. */
export function rankAndGrade(results: UnitResult[], plan: Plan): UnitResult[] {
  const sorted = [...results].sort(compareResults(plan));
  const sizes = new Map<UnitKind, number>();
  for (const r of sorted) sizes.set(r.kind, (sizes.get(r.kind) ?? 0) + 1);
  const excellentSoFar = new Map<UnitKind, number>();
  return sorted.map((r, i) => {
    let grade = gradeOf(r.total, plan, r.vetoed);
    const flags = r.flags.filter((f) => !f.startsWith('优秀名额'));
    if (grade === '优秀') {
      const used = excellentSoFar.get(r.kind) ?? 0;
      if (used < quotaOf(sizes.get(r.kind) ?? 0, plan.grading.excellentQuota)) {
        excellentSoFar.set(r.kind, used + 1);
      } else {
        grade = '良好';
        flags.push('优秀名额已满（按名次），等次调整为良好');
      }
    }
    return { ...r, rank: i + 1, grade, flags };
  });
}

// ---------- commendation ----------

function submissionLookup(
  submissions: ReadonlyMap<string, Submission> | readonly Submission[],
  plan: Plan,
): (unitId: string) => Submission | undefined {
  if (!Array.isArray(submissions)) {
    const byId = submissions as ReadonlyMap<string, Submission>;
    return (unitId) => byId.get(unitId);
  }
  const byId = new Map<string, Submission>();
  for (const s of submissions as readonly Submission[]) {
    const unitId = s.meta?.unitId || unitByName(plan, s.info.unitName)?.id;
    if (unitId && !byId.has(unitId)) byId.set(unitId, s);
  }
  return (unitId) => byId.get(unitId);
}

/**
 * The commendation lists. `submissions` is keyed by unit id, or a list matched by `_meta`
 * unit id (else unit name). Also sets `commended` on the commended units' results.
 */
export function selectCommendations(
  results: UnitResult[],
  submissions: ReadonlyMap<string, Submission> | readonly Submission[],
  plan: Plan,
): Commendation[] {
  const submissionOf = submissionLookup(submissions, plan);
  const ranked = [...results].sort(compareResults(plan));
  const clean = (r: UnitResult): boolean => !r.vetoed && r.verifiedComplaints === 0;
  const out: Commendation[] = [];

  const groups = [
    { category: '先进单位', kinds: ['subordinate', 'county'], quota: plan.commendation.unitQuota },
    { category: '先进科室', kinds: ['department'], quota: plan.commendation.departmentQuota },
  ] as const;
  for (const group of groups) {
    const members = ranked.filter((r) => (group.kinds as readonly UnitKind[]).includes(r.kind));
    const places = quotaOf(members.length, group.quota);
    for (const r of members.filter((m) => m.grade === '优秀' && clean(m)).slice(0, places)) {
      const own = submissionOf(r.unitId)?.nominations.find((n) => n.category === group.category);
      out.push({
        category: group.category,
        name: r.unitName,
        unitId: r.unitId,
        unitName: r.unitName,
        post: '',
        deeds: own?.deeds ?? '',
        total: r.total,
        rank: r.rank,
      });
      r.commended = group.category;
    }
  }

  const { personPerUnit, personTotal } = plan.commendation;
  let persons = 0;
  for (const r of ranked.filter(clean)) {
    const nominees = (submissionOf(r.unitId)?.nominations ?? []).filter(
      (n) => n.category === '先进个人' && n.nominee.trim() !== '',
    );
    for (const n of nominees.slice(0, Math.min(personPerUnit, personTotal - persons))) {
      out.push({
        category: '先进个人',
        name: n.nominee.trim(),
        unitId: r.unitId,
        unitName: r.unitName,
        post: n.unitAndPost,
        deeds: n.deeds,
        total: r.total,
        rank: r.rank,
      });
      persons += 1;
    }
  }
  return out;
}
