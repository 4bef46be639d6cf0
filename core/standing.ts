// Where each unit stands (SPEC §2, §9): 并列 ranks, grades within the 优秀 quota, commendations
// within theirs, every unit or nominee left out with its reason, and the leading group's
// decisions applied last. Pure: scored units, their submissions and the plan in.
//
// Rules an office can defend:
// - Units are ordered by total, then by the plan's tie-break categories; units still equal share
//   a rank (1, 2, 2, 4). Names never decide anything: equal units are listed in plan order.
// - Vetoed units get no rank and come after the ranked ones.
// - A quota is floor(n × rate) over the plan's units of the group (handed in or not), at least
//   the plan's minimum. A 并列 group across the quota edge is taken whole (ties: include) or not
//   at all (ties: exclude); either way the quota note says who and why.
import { chineseDate } from './calendar.ts';
import { toCents } from './points.ts';
import { unitById } from './plan-lookup.ts';
import type { Commendation, DecisionNote, EligibilityEntry, EligibilityCode, QuotaNote } from './results.ts';
import { UNIT_KIND_LABEL } from './types.ts';
import type { CommendationCategory, Nomination, Plan, Submission, TieRule, UnitKind, UnitResult } from './types.ts';

export interface Standings {
  /** Ranked units in rank order, then vetoed units (no rank). */
  units: UnitResult[];
  commendations: Commendation[];
  quotas: QuotaNote[];
  eligibility: EligibilityEntry[];
  decisions: DecisionNote[];
}

// ---------- order and ranks ----------

/** The categories that order units of equal total: the plan's, else 重点任务 then 效能投诉. */
export function tieBreakCategories(plan: Plan): string[] {
  if (plan.grading.tieBreak) return plan.grading.tieBreak;
  return (['keyTasks', 'complaints'] as const)
    .map((rule) => plan.indicators.find((x) => x.auto === rule)?.category)
    .filter((c): c is string => c !== undefined);
}

/** Negative when `a` stands above `b`; 0 when they are equal on the total and every tie-break. */
function compareStanding(plan: Plan): (a: UnitResult, b: UnitResult) => number {
  const categories = tieBreakCategories(plan);
  const key = (r: UnitResult): number[] => [r.total, ...categories.map((c) => r.byCategory[c] ?? 0)].map(toCents);
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
    return 0;
  };
}

/** Consecutive runs of equal units in an ordered list. */
function tieGroups<T>(items: readonly T[], equal: (a: T, b: T) => boolean): T[][] {
  const groups: T[][] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && equal(last[0]!, item)) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

function rankUnits(scored: readonly UnitResult[], plan: Plan): { ranked: UnitResult[]; groups: UnitResult[][]; vetoed: UnitResult[] } {
  const order = new Map(plan.units.map((u, i) => [u.id, i]));
  const compare = compareStanding(plan);
  const byPlan = [...scored].sort((a, b) => (order.get(a.unitId) ?? 0) - (order.get(b.unitId) ?? 0));
  // Array.prototype.sort is stable: equal units keep plan order.
  const sorted = byPlan.filter((r) => !r.vetoed).sort(compare);
  const groups: UnitResult[][] = [];
  let place = 1;
  for (const group of tieGroups(sorted, (a, b) => compare(a, b) === 0)) {
    const tied = group.length > 1;
    groups.push(group.map((r) => ({ ...r, rank: place, tied, rankText: tied ? `并列第${place}` : String(place) })));
    place += group.length;
  }
  const vetoed = byPlan.filter((r) => r.vetoed).map((r) => ({ ...r, rank: null, tied: false, rankText: '—' }));
  return { ranked: groups.flat(), groups, vetoed };
}

// ---------- quotas ----------

export function quotaOf(base: number, rate: number, minimum = 0): number {
  // Rates like 0.2 are not exact in binary; 5 × 0.2 must give 1, not 0.
  const floor = Math.floor(Math.round(base * rate * 1e6) / 1e6);
  return Math.min(base, Math.max(floor, minimum));
}

interface Allotted<T> {
  granted: T[];
  /** Granted beyond the quota: a tie group taken whole. */
  over: T[];
  /** Left out because the quota was full. */
  full: T[];
  /** Left out because their tie group straddled the edge and the plan excludes such groups. */
  tie: T[];
}

/** Hands out `quota` places to groups in order; a group across the edge is all in or all out. */
function allot<T>(groups: readonly T[][], quota: number, ties: TieRule): Allotted<T> {
  const out: Allotted<T> = { granted: [], over: [], full: [], tie: [] };
  let used = 0;
  for (const group of groups) {
    if (used >= quota) out.full.push(...group);
    else if (used + group.length <= quota) {
      out.granted.push(...group);
      used += group.length;
    } else {
      if (ties === 'include') {
        out.granted.push(...group);
        out.over.push(...group);
      } else out.tie.push(...group);
      used = quota;
    }
  }
  return out;
}

const percent = (rate: number): string => `${Math.round(rate * 1000) / 10}%`;
const names = (list: readonly { label: string }[]): string => list.map((x) => x.label).join('、');

function quotaNote(
  subject: QuotaNote['subject'],
  group: string,
  numbers: { base: number; rate: number | null; minimum: number; quota: number },
  result: Allotted<{ label: string; rankText: string }>,
): QuotaNote {
  const { base, rate, minimum, quota } = numbers;
  const what = subject === '优秀' ? '评为优秀' : `评为${subject}`;
  const qualified = subject === '优秀' ? '达到优秀分数线' : '符合表彰条件';
  const parts: string[] = [];
  if (rate === null) parts.push(`${group}${subject}名额：方案规定最多${quota}名`);
  else {
    const floor = quotaOf(base, rate);
    const min = minimum > floor ? `，方案规定至少${minimum}个` : '';
    parts.push(`${group}${subject}名额：${base}个单位×${percent(rate)}，向下取整为${floor}个${min}，名额${quota}个`);
  }
  const rankOf = (list: readonly { rankText: string }[]): string => list[0]?.rankText.replace(/^并列/, '') ?? '';
  if (result.over.length > 0)
    parts.push(`${names(result.over)}并列${rankOf(result.over)}名，跨越名额边界，按方案规定并列的均${what}，超出名额${result.granted.length - quota}${subject === '先进个人' ? '名' : '个'}，请领导小组审定`);
  if (result.tie.length > 0)
    parts.push(`${names(result.tie)}并列${rankOf(result.tie)}名，跨越名额边界，按方案规定并列的均不${what}`);
  if (result.full.length > 0) parts.push(`${names(result.full)}${qualified}，因名额已满未${what}`);
  const measure = subject === '先进个人' ? '名' : '个';
  if (result.over.length + result.tie.length + result.full.length === 0)
    parts.push(result.granted.length === 0 ? `没有符合条件的${subject === '先进个人' ? '人员' : '单位'}` : `${qualified}的${result.granted.length}${measure}均${what}，未超出名额`);
  return {
    subject,
    group,
    base,
    rate,
    minimum,
    quota,
    granted: result.granted.length,
    over: result.over.map((x) => x.label),
    cut: [...result.tie, ...result.full].map((x) => x.label),
    text: `${parts.join('；')}。`,
  };
}

const KINDS: readonly UnitKind[] = ['department', 'subordinate', 'county'];

/** 优秀 within each kind's quota; units over it drop to the next grade down. */
function gradeWithQuotas(groups: UnitResult[][], plan: Plan, quotas: QuotaNote[]): Set<string> {
  const cut = new Set<string>();
  const next = [...plan.grading.bands].sort((a, b) => b.min - a.min).find((b) => b.grade !== '优秀')?.grade ?? '良好';
  const ties = plan.grading.ties ?? 'include';
  for (const kind of KINDS) {
    const base = plan.units.filter((u) => u.kind === kind).length;
    if (base === 0) continue;
    const quota = quotaOf(base, plan.grading.excellentQuota, plan.grading.minimum ?? 0);
    const candidates = groups
      .map((g) => g.filter((r) => r.kind === kind && r.grade === '优秀'))
      .filter((g) => g.length > 0);
    const result = allot(candidates, quota, ties);
    for (const r of [...result.full, ...result.tie]) {
      r.grade = next;
      r.flags = [...r.flags, `达到优秀分数线，因${UNIT_KIND_LABEL[kind]}优秀名额（${quota}个）所限，等次为${next}`];
      cut.add(r.unitId);
    }
    for (const r of result.over) r.flags = [...r.flags, `与名额内单位并列，按方案一并评为优秀（超出名额）`];
    const label = (r: UnitResult) => ({ label: r.unitName, rankText: r.rankText });
    quotas.push(
      quotaNote('优秀', UNIT_KIND_LABEL[kind], { base, rate: plan.grading.excellentQuota, minimum: plan.grading.minimum ?? 0, quota }, mapAllotted(result, label)),
    );
  }
  return cut;
}

function mapAllotted<T, U>(a: Allotted<T>, f: (t: T) => U): Allotted<U> {
  return { granted: a.granted.map(f), over: a.over.map(f), full: a.full.map(f), tie: a.tie.map(f) };
}

// ---------- commendations ----------

const UNIT_LISTS = [
  { category: '先进单位', kinds: ['subordinate', 'county'] },
  { category: '先进科室', kinds: ['department'] },
] as const;

interface Context {
  plan: Plan;
  submissionOf: (unitId: string) => Submission | undefined;
  excellentCut: ReadonlySet<string>;
  eligibility: EligibilityEntry[];
  quotas: QuotaNote[];
  ties: TieRule;
}

function verifiedReason(r: UnitResult, plan: Plan): string {
  const partial = plan.scoring.partialCountsAsVerified !== false ? '（含部分属实）' : '';
  return `有查实的效能投诉${r.verifiedComplaints}件${partial}`;
}

/** Why a unit cannot be commended at all, before any quota; null when it can. */
function unitBar(r: UnitResult | undefined, ctx: Context): { code: EligibilityCode; reason: string } | null {
  if (!r) return { code: 'missing', reason: '未报送工作簿' };
  if (r.vetoed) return { code: 'veto', reason: '一票否决' };
  if (r.verifiedComplaints > 0) return { code: 'complaint', reason: verifiedReason(r, ctx.plan) };
  if (r.grade !== '优秀') {
    const why = ctx.excellentCut.has(r.unitId) ? `（达到优秀分数线，因优秀名额所限）` : '';
    return { code: 'grade', reason: `等次为${r.grade}${why}，须为优秀` };
  }
  return null;
}

function commendUnits(groups: UnitResult[][], all: ReadonlyMap<string, UnitResult>, ctx: Context): Commendation[] {
  const out: Commendation[] = [];
  for (const list of UNIT_LISTS) {
    const members = ctx.plan.units.filter((u) => (list.kinds as readonly UnitKind[]).includes(u.kind));
    if (members.length === 0) continue;
    const base = members.length;
    const rate = list.category === '先进单位' ? ctx.plan.commendation.unitQuota : ctx.plan.commendation.departmentQuota;
    const minimum = ctx.plan.commendation.minimum ?? 0;
    const quota = quotaOf(base, rate, minimum);
    const inList = new Set(members.map((u) => u.id));
    const candidates = groups
      .map((g) => g.filter((r) => inList.has(r.unitId) && unitBar(r, ctx) === null))
      .filter((g) => g.length > 0);
    const result = allot(candidates, quota, ctx.ties);
    for (const r of result.granted) {
      const own = ctx.submissionOf(r.unitId)?.nominations.find((n) => n.category === list.category);
      out.push({ category: list.category, name: r.unitName, unitId: r.unitId, unitName: r.unitName, post: '', deeds: own?.deeds ?? '', total: r.total, rank: r.rank, rankText: r.rankText });
    }
    const granted = new Set(result.granted.map((r) => r.unitId));
    const tieCut = new Set(result.tie.map((r) => r.unitId));
    for (const u of members) {
      if (granted.has(u.id)) continue;
      const r = all.get(u.id);
      const bar = unitBar(r, ctx);
      const entry = bar ?? (tieCut.has(u.id)
        ? { code: 'tie' as const, reason: `与其他单位${r?.rankText}名，跨越${list.category}名额边界，按方案均不表彰` }
        : { code: 'quota' as const, reason: `${list.category}名额（${quota}个）已满，名次${r?.rankText}` });
      ctx.eligibility.push({ category: list.category, name: u.name, unitName: u.name, ...entry });
    }
    const label = (r: UnitResult) => ({ label: r.unitName, rankText: r.rankText });
    ctx.quotas.push(quotaNote(list.category, UNIT_KIND_LABEL[list.kinds[0]] + (list.kinds.length > 1 ? `、${UNIT_KIND_LABEL[list.kinds[1]!]}` : ''), { base, rate, minimum, quota }, mapAllotted(result, label)));
  }
  return out;
}

interface Nominee {
  unit: UnitResult;
  nomination: Nomination;
  name: string;
  label: string;
  rankText: string;
}

const personKey = (name: string): string => name.replace(/\s+/g, '');

function commendPersons(ranked: readonly UnitResult[], groups: UnitResult[][], vetoed: readonly UnitResult[], ctx: Context): Commendation[] {
  const { personPerUnit, personTotal } = ctx.plan.commendation;
  const candidatesOf = new Map<string, Nominee[]>();
  const leaveOut = (n: Nominee, code: EligibilityCode, reason: string): void => {
    ctx.eligibility.push({ category: '先进个人', name: n.name, unitName: n.unit.unitName, code, reason });
  };
  for (const unit of [...ranked, ...vetoed]) {
    const seen = new Set<string>();
    const mine: Nominee[] = [];
    for (const nomination of ctx.submissionOf(unit.unitId)?.nominations ?? []) {
      if (nomination.category !== '先进个人' || nomination.nominee.trim() === '') continue;
      const name = nomination.nominee.trim();
      const n: Nominee = { unit, nomination, name, label: `${name}（${unit.unitName}）`, rankText: unit.rankText };
      if (seen.has(personKey(name))) leaveOut(n, 'duplicate', '同一单位重复推荐');
      else if (unit.vetoed) leaveOut(n, 'veto', '推荐单位一票否决');
      else if (unit.verifiedComplaints > 0) leaveOut(n, 'complaint', `推荐单位${verifiedReason(unit, ctx.plan)}`);
      else if (mine.length >= personPerUnit) leaveOut(n, 'perUnit', `超出每个单位最多${personPerUnit}名的推荐名额`);
      else mine.push(n);
      seen.add(personKey(name));
    }
    candidatesOf.set(unit.unitId, mine);
  }
  // Persons are taken in the order of the nominating unit's rank; a tie of units is a tie of their nominees.
  const personGroups = groups.map((g) => g.flatMap((u) => candidatesOf.get(u.unitId) ?? [])).filter((g) => g.length > 0);
  const result = allot(personGroups, personTotal, ctx.ties);
  for (const n of result.full) leaveOut(n, 'quota', `先进个人名额（${personTotal}名）已满，推荐单位名次${n.rankText}`);
  for (const n of result.tie) leaveOut(n, 'tie', `推荐单位${n.rankText}名，跨越先进个人名额边界，按方案均不表彰`);
  ctx.quotas.push(quotaNote('先进个人', '', { base: personTotal, rate: null, minimum: 0, quota: personTotal }, result));
  return result.granted.map((n) => personCommendation(n.unit, n.nomination));
}

function personCommendation(unit: UnitResult, n: Pick<Nomination, 'nominee' | 'unitAndPost' | 'deeds'>): Commendation {
  return { category: '先进个人', name: n.nominee.trim(), unitId: unit.unitId, unitName: unit.unitName, post: n.unitAndPost, deeds: n.deeds, total: unit.total, rank: unit.rank, rankText: unit.rankText };
}

// ---------- decisions ----------

function applyDecisions(units: UnitResult[], commendations: Commendation[], ctx: Context): DecisionNote[] {
  const notes: DecisionNote[] = [];
  for (const d of ctx.plan.decisions ?? []) {
    const unit = units.find((u) => u.unitId === d.unit);
    const planUnit = unitById(ctx.plan, d.unit);
    const unitName = unit?.unitName ?? planUnit?.name ?? d.unit;
    const changes: string[] = [];
    if (d.grade && unit) {
      changes.push(`等次由${unit.grade}改为${d.grade}`);
      unit.grade = d.grade;
      unit.flags = [...unit.flags, `领导小组决定等次为${d.grade}：${d.reason}`];
    }
    if (d.commendation) {
      const person = d.person?.trim();
      const matches = (c: Commendation): boolean =>
        c.unitId === d.unit && (person ? c.category === '先进个人' && personKey(c.name) === personKey(person) : c.category !== '先进个人');
      const subject = person ? `${person}（${unitName}）` : unitName;
      const dropAudit = (): void => {
        const i = ctx.eligibility.findIndex((e) => e.unitName === unitName && (person ? e.category === '先进个人' && personKey(e.name) === personKey(person) : e.category !== '先进个人'));
        if (i >= 0) ctx.eligibility.splice(i, 1);
      };
      if (d.commendation === '不予表彰') {
        for (let i = commendations.length - 1; i >= 0; i -= 1) {
          const c = commendations[i]!;
          if (!matches(c)) continue;
          commendations.splice(i, 1);
          ctx.eligibility.push({ category: c.category, name: c.name, unitName: c.unitName, code: 'decision', reason: `领导小组决定不予表彰：${d.reason}` });
        }
        changes.push(`${subject}不予表彰`);
      } else if (!commendations.some(matches) && unit) {
        const nomination = ctx.submissionOf(d.unit)?.nominations.find((n) => person && n.category === '先进个人' && personKey(n.nominee) === personKey(person));
        commendations.push(
          person
            ? personCommendation(unit, nomination ?? { nominee: person, unitAndPost: '', deeds: '' })
            : { category: d.commendation, name: unit.unitName, unitId: unit.unitId, unitName: unit.unitName, post: '', deeds: '', total: unit.total, rank: unit.rank, rankText: unit.rankText },
        );
        dropAudit();
        changes.push(`${subject}列为${d.commendation}`);
      }
    }
    const change = changes.join('，') || '无变化';
    notes.push({
      unitName,
      ...(d.person ? { person: d.person.trim() } : {}),
      change,
      reason: d.reason,
      date: d.date,
      text: `领导小组${chineseDate(d.date)}决定：${change}。理由：${d.reason}`,
    });
  }
  return notes;
}

// ---------- all together ----------

/**
 * Ranks, grades within quotas, commendations, the eligibility audit and the leading group's
 * decisions. `scored` are the units that handed in a usable workbook.
 */
export function standings(scored: readonly UnitResult[], submissions: ReadonlyMap<string, Submission>, plan: Plan): Standings {
  const { ranked, groups, vetoed } = rankUnits(scored, plan);
  const quotas: QuotaNote[] = [];
  const excellentCut = gradeWithQuotas(groups, plan, quotas);
  const ctx: Context = {
    plan,
    submissionOf: (id) => submissions.get(id),
    excellentCut,
    eligibility: [],
    quotas,
    ties: plan.commendation.ties ?? 'include',
  };
  const units = [...ranked, ...vetoed];
  const all = new Map(units.map((u) => [u.unitId, u]));
  const commendations = [...commendUnits(groups, all, ctx), ...commendPersons(ranked, groups, vetoed, ctx)];
  const decisions = applyDecisions(units, commendations, ctx);
  const commendedUnits = new Map<string, CommendationCategory>(
    commendations.filter((c) => c.category !== '先进个人').map((c) => [c.unitId, c.category]),
  );
  for (const u of units) u.commended = commendedUnits.get(u.unitId) ?? null;
  return { units, commendations, quotas, eligibility: ctx.eligibility, decisions };
}
