// The year's aggregation: from every checked workbook to one YearResults. Pure — the generator
// reads files, this decides which workbook counts for which unit and what the year adds up to.
import { unverifiedFlag, type UnverifiedUnit } from './assessment.ts';
import { THREE_RULES, LISTS } from './layout.ts';
import { complaintOutcome, scoreSubmission } from './score.ts';
import { standings, tieBreakCategories } from './standing.ts';
import { isForeign, settleDuplicates, usable } from './duplicates.ts';
import { unitById } from './plan-lookup.ts';
import type {
  Commendation,
  ComplaintCounts,
  ComplaintStats,
  DataProblem,
  Duplicate,
  KeyTaskOutcome,
  MobilisationStats,
  ProblemStats,
  RuleStats,
  TaskParty,
  UnitComplaintCounts,
  YearResults,
} from './results.ts';
import type {
  Complaint,
  ComplaintChannel,
  Grade,
  IsoDate,
  KeyTask,
  Plan,
  Problem,
  ProblemSource,
  RuleAction,
  Submission,
  TaskRole,
  Unit,
  UnitResult,
} from './types.ts';

/** One workbook after reading and checking; `submission`/`unit` are null when it could not be used. */
export interface CheckedWorkbook {
  file: string;
  submission: Submission | null;
  unit: Unit | null;
  problems: Problem[];
  /** `_meta` submittedAt when the caller knows it separately from the submission. */
  submittedAt?: string;
  mtimeMs?: number;
}

export interface AggregateOptions {
  issueDate?: IsoDate;
  /** ISO timestamp of the run; passed in so the core stays pure and results reproducible. */
  generatedAt: string;
  planHash?: string;
  /** Assessor cells found but not counted (core/assessment.ts), flagged on the units' results. */
  unverified?: readonly UnverifiedUnit[];
}

export interface Counted {
  unit: Unit;
  submission: Submission;
  file: string;
}

/** One workbook per unit, as settled by the duplicate rule: the copies it did not choose are left out. */
function countedWorkbooks(checked: readonly CheckedWorkbook[], duplicates: readonly Duplicate[]): Counted[] {
  const ignored = new Set(duplicates.flatMap((d) => d.ignored));
  return checked.filter((w) => usable(w) && !ignored.has(w.file)).map((w) => ({ unit: w.unit!, submission: w.submission!, file: w.file }));
}

/** The workbook that counts for each unit, by the same duplicate rule as the year (kaohe scoresheet lists these). */
export function pickWorkbooks(given: readonly CheckedWorkbook[]): { counted: Counted[]; duplicates: Duplicate[] } {
  const { checked, duplicates } = settleDuplicates(given);
  return { counted: countedWorkbooks(checked, duplicates), duplicates };
}

function dataProblemsOf(checked: readonly CheckedWorkbook[]): DataProblem[] {
  const out: DataProblem[] = [];
  for (const w of checked) {
    for (const p of w.problems) {
      out.push({
        file: p.file ?? w.file,
        ...(p.sheet ? { sheet: p.sheet } : {}),
        ...(p.cell ? { cell: p.cell } : {}),
        severity: p.severity,
        code: p.code,
        message: p.message,
        ...(w.unit ? { unitName: w.unit.name } : {}),
      });
    }
    // A foreign workbook already carries its one error, which says why it is not counted.
    if (!usable(w) && !isForeign(w) && (w.unit || !w.problems.some((p) => p.severity === '错误'))) {
      out.push({ file: w.file, severity: '错误', code: 'unusable', message: '无法识别为本次考核的工作簿，未计入汇总' });
    }
  }
  return out;
}

// ---------- key tasks ----------

function taskParty(task: KeyTask, unit: Unit, role: TaskRole, sub: Submission | undefined): TaskParty {
  const row = sub?.keyTasks.find((r) => r.taskId === task.id);
  if (!row) {
    const status = sub ? '未填报' : '未报送';
    return { unitId: unit.id, unitName: unit.name, role, reported: false, progress: null, actual: null, onTime: false, status, note: '' };
  }
  // Done as the key-task score sees it: 100% with an actual date.
  const done = (row.progress ?? 0) >= 100 && row.actual !== null;
  const onTime = done && row.actual! <= task.deadline;
  return {
    unitId: unit.id,
    unitName: unit.name,
    role,
    reported: true,
    progress: row.progress,
    actual: row.actual,
    onTime,
    status: !done ? '未完成' : onTime ? '按期完成' : '逾期完成',
    note: row.status,
  };
}

function keyTaskOutcomes(plan: Plan, subs: ReadonlyMap<string, Submission>): KeyTaskOutcome[] {
  const unit = (id: string) => unitById(plan, id);
  return plan.keyTasks.map((task) => {
    const leadUnit = unit(task.lead);
    const lead = leadUnit ? taskParty(task, leadUnit, '牵头', subs.get(leadUnit.id)) : null;
    const cooperating = task.cooperating
      .map(unit)
      .filter((u): u is Unit => u !== undefined)
      .map((u) => taskParty(task, u, '配合', subs.get(u.id)));
    const done = lead !== null && (lead.status === '按期完成' || lead.status === '逾期完成');
    return { task, lead, cooperating, done, late: !(lead?.onTime ?? false) };
  });
}

// ---------- complaints ----------

const zeroCounts = (): ComplaintCounts => ({ received: 0, replied: 0, concluded: 0, onTime: 0, verified: 0, partlyVerified: 0 });

/** Counts by the same rules as the 效能投诉 score (core/score.ts), so the tables and scores agree. */
function countComplaints(complaints: readonly Complaint[], plan: Plan): ComplaintCounts {
  const n = zeroCounts();
  for (const c of complaints) {
    const o = complaintOutcome(c, plan);
    n.received += 1;
    if (o.answered) n.replied += 1;
    if (o.concluded) n.concluded += 1;
    if (o.onTime) n.onTime += 1;
    if (c.verification === '查实') n.verified += 1;
    if (c.verification === '部分属实') n.partlyVerified += 1;
  }
  return n;
}

function complaintStats(plan: Plan, ranked: readonly UnitResult[], subs: ReadonlyMap<string, Submission>): ComplaintStats {
  const totals = zeroCounts();
  const byChannel = Object.fromEntries(LISTS.channel.map((c) => [c, 0])) as Record<ComplaintChannel, number>;
  const measures: string[] = [];
  const byUnit: UnitComplaintCounts[] = ranked.map((r) => {
    const list = subs.get(r.unitId)?.complaints ?? [];
    const counts = countComplaints(list, plan);
    for (const key of Object.keys(totals) as (keyof ComplaintCounts)[]) totals[key] += counts[key];
    for (const c of list) {
      if (c.channel) byChannel[c.channel] += 1;
      if ((c.verification === '查实' || c.verification === '部分属实') && c.measures.trim() !== '') {
        measures.push(`${r.unitName}：${c.measures.trim()}`);
      }
    }
    return { unitId: r.unitId, unitName: r.unitName, ...counts };
  });
  return { byUnit, totals, byChannel, measures };
}

// ---------- problems and rules ----------

function problemStats(subs: readonly Submission[]): ProblemStats {
  const bySource = Object.fromEntries(LISTS.problemSource.map((s) => [s, { found: 0, fixed: 0, fixing: 0 }])) as ProblemStats['bySource'];
  const stats: ProblemStats = { bySource, total: 0, fixed: 0, fixing: 0, examples: [] };
  const examples = new Set<string>();
  for (const sub of subs) {
    for (const p of sub.problems) {
      stats.total += 1;
      const fixed = p.status === '已整改';
      const fixing = p.status === '整改中';
      if (fixed) stats.fixed += 1;
      if (fixing) stats.fixing += 1;
      if (p.source) {
        const s = bySource[p.source as ProblemSource];
        s.found += 1;
        if (fixed) s.fixed += 1;
        if (fixing) s.fixing += 1;
      }
      const text = p.description.trim();
      if (text && examples.size < 10) examples.add(text);
    }
  }
  stats.examples = [...examples];
  return stats;
}

function ruleStats(counted: readonly Counted[]): RuleStats {
  const byAction = Object.fromEntries(LISTS.ruleAction.map((a) => [a, 0])) as Record<RuleAction, number>;
  const byCategory: Record<string, number> = {};
  const items: RuleStats['items'] = [];
  let threeRulesInForce = 0;
  const unitsWithoutThreeRules: string[] = [];
  for (const { unit, submission } of counted) {
    const inForce = new Set<string>();
    for (const r of submission.rules) {
      if (r.action) byAction[r.action] += 1;
      const category = r.category ?? '其他';
      byCategory[category] = (byCategory[category] ?? 0) + 1;
      items.push({ unitName: unit.name, name: r.name, category: r.category, action: r.action, done: r.done, docNumber: r.docNumber });
      if (r.action === '撤销') continue;
      // By category only, as the 制度建设 score counts them.
      if (r.category) inForce.add(r.category);
    }
    if (THREE_RULES.every((t) => inForce.has(t))) threeRulesInForce += 1;
    else unitsWithoutThreeRules.push(unit.name);
  }
  return { byAction, byCategory, threeRulesInForce, unitsWithoutThreeRules, items };
}

function mobilisationStats(counted: readonly { unit: Unit; submission: Submission }[]): MobilisationStats {
  const stats: MobilisationStats = { meetings: 0, studySessions: 0, participants: 0, reports: 0, unitsWithoutFigures: [] };
  for (const { unit, submission } of counted) {
    const i = submission.info;
    if (i.mobilisationMeeting) stats.meetings += 1;
    stats.studySessions += i.studySessions ?? 0;
    stats.participants += i.participants ?? 0;
    stats.reports += i.reports ?? 0;
    if (!i.mobilisationMeeting && i.studySessions === null && i.participants === null && i.reports === null) {
      stats.unitsWithoutFigures.push(unit.name);
    }
  }
  return stats;
}

// ---------- the year ----------

/** Indicator categories that are columns of the results table: plan order, without 加分/扣分/否决. */
export function scoreCategories(plan: Plan): string[] {
  const out: string[] = [];
  for (const i of plan.indicators) {
    if ((i.method === 'auto' || i.method === 'self') && !out.includes(i.category)) out.push(i.category);
  }
  return out;
}

function defaultIssueDate(plan: Plan): IsoDate {
  const assessment = plan.phases.find((p) => p.id === 'assessment') ?? plan.phases[plan.phases.length - 1];
  return assessment?.end ?? `${plan.activity.year}-12-31`;
}

export function aggregateYear(plan: Plan, given: readonly CheckedWorkbook[], opts: AggregateOptions): YearResults {
  // The same rule `kaohe check` applies: both copies of a unit are told which one counted and why.
  const settled = settleDuplicates(given);
  const { duplicates } = settled;
  const checked = settled.checked;
  const counted = countedWorkbooks(checked, duplicates);
  // Plan order, so scoring and ties never depend on the order files were found in.
  const order = new Map(plan.units.map((u, i) => [u.id, i]));
  counted.sort((a, b) => (order.get(a.unit.id) ?? 0) - (order.get(b.unit.id) ?? 0));
  const subs = new Map(counted.map((c) => [c.unit.id, c.submission]));

  const scored = counted.map((c) => scoreSubmission(c.submission, plan, c.unit));
  const standing = standings(scored, subs, plan);
  const commendations: Commendation[] = standing.commendations;
  // Only what was found in the workbook that counts for its unit.
  const unverified = (opts.unverified ?? []).filter((u) => counted.some((c) => c.file === u.file));
  const flagOf = new Map(unverified.map((u) => [u.unitId, unverifiedFlag(u, plan)]));
  const units = standing.units.map((r) => (flagOf.has(r.unitId) ? { ...r, flags: [...r.flags, flagOf.get(r.unitId)!] } : r));

  const gradeCounts: Record<Grade, number> = { 优秀: 0, 良好: 0, 合格: 0, 不合格: 0 };
  for (const u of units) gradeCounts[u.grade] += 1;

  const dataProblems = dataProblemsOf(checked);
  return {
    // The optional wording fields are always present, so templates can test them with {{#if}}.
    activity: { basis: '', ownPlan: '', sector: '', ...plan.activity },
    documents: plan.documents ?? {},
    phases: plan.phases,
    planHash: opts.planHash ?? '',
    generatedAt: opts.generatedAt,
    issueDate: opts.issueDate ?? defaultIssueDate(plan),
    categories: scoreCategories(plan),
    units,
    tieBreak: tieBreakCategories(plan),
    quotas: standing.quotas,
    eligibility: standing.eligibility,
    decisions: standing.decisions,
    calendar: plan.calendar ?? {},
    missingUnits: plan.units.filter((u) => !subs.has(u.id)),
    keyTasks: keyTaskOutcomes(plan, subs),
    mobilisation: mobilisationStats(counted),
    complaints: complaintStats(plan, units, subs),
    problems: problemStats(counted.map((c) => c.submission)),
    rules: ruleStats(counted),
    gradeCounts,
    commendations: {
      units: commendations.filter((c) => c.category === '先进单位'),
      departments: commendations.filter((c) => c.category === '先进科室'),
      persons: commendations.filter((c) => c.category === '先进个人'),
    },
    dataProblems,
    duplicates,
    unverified,
    counts: {
      planned: plan.units.length,
      reported: counted.length,
      files: checked.length,
      unusable: checked.filter((w) => !usable(w)).length,
      errors: dataProblems.filter((p) => p.severity === '错误').length,
    },
  };
}
