// The plan (plan.yaml) read into a checked `Plan`. Pure: the caller supplies the text,
// so the CLI reads it from disk and the add-in bundles it.
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { z } from 'zod';
import { WorkCalendar, uncoveredYearMessage } from './calendar.ts';
import { sha256Hex, type Sha256Hex } from './hash.ts';
import type { IndicatorMethod, Plan } from './types.ts';

/** A problem in the plan file; `path` is the YAML path such as `units[3].kind`, `line`/`column` are 1-based. */
export interface PlanError {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export type PlanParseResult = { ok: true; plan: Plan; hash: string } | { ok: false; errors: PlanError[] };

/**
 * What an adapter may lend the parser to read faster (the CLI lends both; the add-in, whose plans
 * are small, neither).
 */
export interface PlanParseOptions {
  /**
   * A faster reader for plain YAML: the value yaml's `toJS` would give, or null to decline. A plan
   * it reads that passes every check is taken as read; anything else is read again by yaml, whose
   * errors carry line and column. The CLI's (generator/files/quick-yaml.ts) is held equal to yaml
   * by test/plan-quick-yaml.test.ts.
   */
  quickLoad?: (source: string) => { value: unknown } | null;
  sha256Hex?: Sha256Hex;
}

type PathKey = string | number;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}

const text = z.string().trim().min(1);
const id = z.string().regex(ID_PATTERN, { error: '编号只能用英文字母、数字、点、下划线或短横线，且以字母或数字开头' });
const isoDate = z.string().refine(isCalendarDate, { error: '应为有效日期，按“年-月-日”写成 YYYY-MM-DD' });
const points = z.number().min(0);
const share = z.number().min(0).max(1);

const unitSchema = z.strictObject({
  id,
  name: text,
  kind: z.enum(['department', 'subordinate', 'county']),
  example: z.boolean().optional(),
});

const phaseSchema = z.strictObject({
  id: z.enum(['mobilisation', 'implementation', 'assessment']),
  name: text,
  start: isoDate,
  end: isoDate,
  guidance: text,
});

const keyTaskSchema = z.strictObject({
  id,
  name: text,
  detail: z.string(),
  lead: id,
  cooperating: z.array(id),
  deadline: isoDate,
});

const GRADES = ['优秀', '良好', '合格', '不合格'] as const;

const AUTO_RULES = ['handIn', 'keyTasks', 'complaints', 'rules', 'problems', 'verifiedComplaints'] as const;

const indicatorSchema = z.strictObject({
  id,
  category: text,
  content: text,
  standard: text,
  maxPoints: points,
  method: z.enum(['auto', 'self', 'bonus', 'deduction', 'veto']),
  auto: z.enum(AUTO_RULES).optional(),
  evidence: z.string().optional(),
});

const ties = z.enum(['include', 'exclude']);
const count = z.number().int().min(0);

const yearCalendarSchema = z.strictObject({
  holidays: z.array(isoDate).default([]),
  workdays: z.array(isoDate).default([]),
});

const decisionSchema = z.strictObject({
  unit: id,
  person: text.optional(),
  grade: z.enum(GRADES).optional(),
  commendation: z.enum(['先进单位', '先进科室', '先进个人', '不予表彰']).optional(),
  reason: text,
  date: isoDate,
});

const issueSchema = z.strictObject({
  number: text.optional(),
  header: z.boolean().optional(),
  sealed: z.boolean().optional(),
  colophon: z.boolean().optional(),
});

const documentsSchema = z.strictObject({
  decision: issueSchema.optional(),
  notice: issueSchema.extend({ objectionAddress: text.optional(), objectionEmail: text.optional() }).optional(),
  report: issueSchema.extend({ addressee: text.optional() }).optional(),
  cc: z.array(text).optional(),
  printer: text.optional(),
  nextSteps: z.array(text).optional(),
});

const planSchema = z.strictObject({
  activity: z.strictObject({
    id,
    name: text,
    year: z.number().int().min(2000).max(2100),
    organ: text,
    office: text,
    contact: text,
    phone: z.union([text, z.number()]).transform(String),
    handInDeadline: isoDate,
    basis: text.optional(),
    ownPlan: text.optional(),
    sector: text.optional(),
  }),
  phases: z.array(phaseSchema).min(1),
  units: z.array(unitSchema).min(1),
  keyTasks: z.array(keyTaskSchema),
  indicators: z.array(indicatorSchema).min(1),
  scoring: z.strictObject({
    bonusCap: points,
    deductionPerVerifiedComplaint: points,
    deductionCap: points,
    complaintDefaultWorkingDays: z.number().int().min(1),
    selfOverFinalFlag: points,
    keyTask: z.strictObject({
      mostlyDoneProgress: z.number().min(0).max(100),
      mostlyDoneShare: share,
      partialFactor: share,
      latePenalty: share,
    }),
    finalScore: z.enum(['review-else-self', 'review-only', 'average']),
    partialCountsAsVerified: z.boolean().optional(),
  }),
  grading: z.strictObject({
    bands: z.array(z.strictObject({ grade: z.enum(GRADES), min: points })).min(1),
    excellentQuota: share,
    minimum: count.optional(),
    ties: ties.optional(),
    tieBreak: z.array(text).optional(),
  }),
  commendation: z.strictObject({
    unitQuota: share,
    departmentQuota: share,
    personPerUnit: z.number().int().min(0),
    personTotal: z.number().int().min(0),
    minimum: count.optional(),
    ties: ties.optional(),
  }),
  review: z.strictObject({ password: text }).optional(),
  calendar: z.record(z.string().regex(/^\d{4}$/, { error: '年份应为四位数字，如 2027' }), yearCalendarSchema).optional(),
  decisions: z.array(decisionSchema).optional(),
  documents: documentsSchema.optional(),
}) satisfies z.ZodType<Plan>;

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: 'true 或 false',
  array: '列表（每项以“- ”开头）',
  object: '“字段: 值”形式的映射',
};

function listChoices(values: readonly unknown[]): string {
  const shown = values.map(String);
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join('、')} 或 ${shown[shown.length - 1]}`;
}

/** Chinese wording for the issues this schema can raise; clerks read these. */
function chineseMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return '缺少必填项';
      // An unquoted 1.1 or 805 reads as a number; the usual fix is quotes.
      if (issue.expected === 'string' && typeof issue.input === 'number') return `应为文本，请加引号写成 '${issue.input}'`;
      return `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `应为 ${listChoices(issue.values)} 之一`;
    case 'too_small':
      if (issue.origin === 'array') return `至少要有 ${String(issue.minimum)} 项`;
      if (issue.origin === 'string') return '不能为空';
      return `不能小于 ${String(issue.minimum)}`;
    case 'too_big':
      return `不能大于 ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `未知字段 ${issue.keys.join('、')}（请检查拼写）`;
    case 'invalid_union':
      return '应为文本';
    default:
      return issue.message;
  }
}

function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out || '（文件顶层）';
}

/** The closest node to `path` that exists in the document, so a missing field points at its parent. */
function locate(doc: Document, lines: LineCounter, path: readonly PathKey[]): { line: number; column: number } {
  for (let n = path.length; n >= 0; n -= 1) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = lines.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

const YAML_ERRORS: Record<string, string> = {
  BAD_INDENT: '缩进不正确',
  MISSING_CHAR: '缺少配对的符号（引号或括号）',
  DUPLICATE_KEY: '字段重复',
  BAD_SCALAR_START: '值的开头字符不合规',
  BLOCK_AS_IMPLICIT_KEY: '缩进或冒号位置不正确',
  MULTILINE_IMPLICIT_KEY: '字段名不能跨行',
  TAB_AS_INDENT: '不能用 Tab 缩进，请改用空格',
  UNEXPECTED_TOKEN: '出现了不应有的符号',
  MULTIPLE_DOCS: '文件中只能有一份方案',
};

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 16 hex chars of sha256 over the plan's content, so comments and formatting never change it. */
export function planHash(plan: Plan, digest: Sha256Hex = sha256Hex): string {
  return digest(canonicalJson(plan)).slice(0, 16);
}

interface Finding {
  path: PathKey[];
  message: string;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string, listName: string): Finding[] {
  const seen = new Set<string>();
  const found: Finding[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) found.push({ path: [listName, i, 'id'], message: `编号 ${k} 重复` });
    seen.add(k);
  });
  return found;
}

const SUMMED_METHODS: ReadonlySet<IndicatorMethod> = new Set(['auto', 'self']);

/** Rules a schema cannot express: references, uniqueness, order, totals. */
function crossCheck(plan: Plan): Finding[] {
  const found: Finding[] = [
    ...duplicates(plan.units, (u) => u.id, 'units'),
    ...duplicates(plan.keyTasks, (t) => t.id, 'keyTasks'),
    ...duplicates(plan.indicators, (x) => x.id, 'indicators'),
    ...duplicates(plan.phases, (p) => p.id, 'phases'),
  ];
  const unitIds = new Set(plan.units.map((u) => u.id));
  plan.keyTasks.forEach((task, i) => {
    if (!unitIds.has(task.lead)) found.push({ path: ['keyTasks', i, 'lead'], message: `牵头单位 ${task.lead} 不在 units 中` });
    task.cooperating.forEach((c, j) => {
      if (!unitIds.has(c)) found.push({ path: ['keyTasks', i, 'cooperating', j], message: `配合单位 ${c} 不在 units 中` });
      else if (c === task.lead) found.push({ path: ['keyTasks', i, 'cooperating', j], message: `${c} 已是牵头单位，不能同时配合` });
    });
  });
  plan.phases.forEach((phase, i) => {
    if (phase.end < phase.start) found.push({ path: ['phases', i, 'end'], message: '结束日期早于开始日期' });
    const previous = plan.phases[i - 1];
    if (previous && phase.start <= previous.end)
      found.push({ path: ['phases', i, 'start'], message: `开始日期应晚于上一阶段（${previous.name}）的结束日期` });
  });
  const summed = plan.indicators.filter((x) => SUMMED_METHODS.has(x.method));
  const total = Math.round(summed.reduce((s, x) => s + x.maxPoints, 0) * 1000) / 1000;
  if (total !== 100)
    found.push({ path: ['indicators'], message: `除加分、扣分、否决外各指标分值合计应为 100 分，现为 ${total} 分` });
  const usedRules = new Map<string, number>();
  plan.indicators.forEach((x, i) => {
    if (x.method === 'auto' && (!x.auto || x.auto === 'verifiedComplaints'))
      found.push({ path: ['indicators', i, 'auto'], message: '自动计分的指标须写明 auto：handIn、keyTasks、complaints、rules 或 problems' });
    if (x.method === 'deduction' && x.auto !== undefined && x.auto !== 'verifiedComplaints')
      found.push({ path: ['indicators', i, 'auto'], message: '扣分指标的 auto 只能是 verifiedComplaints' });
    if (x.auto && x.method !== 'auto' && x.method !== 'deduction')
      found.push({ path: ['indicators', i, 'auto'], message: '只有 auto 或 deduction 方式的指标才能填写 auto' });
    if (x.auto) {
      const first = usedRules.get(x.auto);
      if (first !== undefined)
        found.push({ path: ['indicators', i, 'auto'], message: `自动计分依据 ${x.auto} 已被 indicators[${first}] 使用` });
      else usedRules.set(x.auto, i);
    }
  });
  plan.indicators.forEach((x, i) => {
    if (x.method === 'deduction' && x.maxPoints !== plan.scoring.deductionCap)
      found.push({
        path: ['indicators', i, 'maxPoints'],
        message: `扣分指标的分值应与 scoring.deductionCap（${plan.scoring.deductionCap}）一致`,
      });
  });
  if (plan.indicators.filter((x) => x.method === 'veto').length > 1)
    found.push({ path: ['indicators'], message: '一票否决指标最多一条' });
  const categories = new Set(plan.indicators.map((x) => x.category));
  (plan.grading.tieBreak ?? []).forEach((c, i) => {
    if (!categories.has(c)) found.push({ path: ['grading', 'tieBreak', i], message: `“${c}”不是 indicators 中的考核类别` });
  });
  for (const [year, days] of Object.entries(plan.calendar ?? {})) {
    for (const key of ['holidays', 'workdays'] as const) {
      days[key].forEach((d, i) => {
        if (!d.startsWith(`${year}-`)) found.push({ path: ['calendar', year, key, i], message: `${d} 不在 ${year} 年` });
      });
    }
  }
  const cal = new WorkCalendar(plan.calendar ?? {});
  const years = new Set(plan.phases.flatMap((p) => [p.start, p.end]).map((d) => Number(d.slice(0, 4))));
  for (const year of [...years].sort()) {
    if (!cal.covers(year)) found.push({ path: plan.calendar ? ['calendar'] : ['phases'], message: uncoveredYearMessage(year) });
  }
  (plan.decisions ?? []).forEach((d, i) => {
    if (!unitIds.has(d.unit)) found.push({ path: ['decisions', i, 'unit'], message: `单位 ${d.unit} 不在 units 中` });
    if (!d.grade && !d.commendation)
      found.push({ path: ['decisions', i], message: '请写明 grade（新的等次）或 commendation（表彰类别，或“不予表彰”）' });
    if (d.person && d.commendation && d.commendation !== '先进个人' && d.commendation !== '不予表彰')
      found.push({ path: ['decisions', i, 'commendation'], message: '对个人只能是 先进个人 或 不予表彰' });
    if (d.person && d.grade) found.push({ path: ['decisions', i, 'grade'], message: '等次只对单位，个人不评等次' });
  });
  plan.grading.bands.forEach((band, i) => {
    const previous = plan.grading.bands[i - 1];
    if (previous && band.min >= previous.min)
      found.push({ path: ['grading', 'bands', i, 'min'], message: '等次应按分数线从高到低排列' });
  });
  return found;
}

type Checked = { ok: true; plan: Plan } | { ok: false; findings: Finding[] };

/** The schema, then the rules across fields; problems as paths, placed in the file by the caller. */
function checkPlanValue(value: unknown): Checked {
  const parsed = planSchema.safeParse(value, { error: (issue) => chineseMessage(issue as z.core.$ZodIssue) });
  if (!parsed.success) {
    const findings = parsed.error.issues.map((issue) => ({ path: issue.path.filter((k): k is PathKey => typeof k !== 'symbol'), message: issue.message }));
    return { ok: false, findings };
  }
  const findings = crossCheck(parsed.data);
  return findings.length > 0 ? { ok: false, findings } : { ok: true, plan: parsed.data };
}

export function parsePlan(source: string, file = 'plan.yaml', options: PlanParseOptions = {}): PlanParseResult {
  const accepted = (plan: Plan): PlanParseResult => ({ ok: true, plan, hash: planHash(plan, options.sha256Hex) });
  const quick = options.quickLoad?.(source);
  if (quick) {
    const checked = checkPlanValue(quick.value);
    if (checked.ok) return accepted(checked.plan);
  }
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // Only the first: the parser's later errors are mostly echoes of it.
    return {
      ok: false,
      errors: doc.errors.slice(0, 1).map((e) => {
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: `YAML 格式错误：${YAML_ERRORS[e.code] ?? '无法解析'}`,
        };
      }),
    };
  }
  const checked = checkPlanValue(doc.toJS());
  if (checked.ok) return accepted(checked.plan);
  return {
    ok: false,
    errors: checked.findings.map((f) => ({ file, ...locate(doc, lines, f.path), path: formatPath(f.path), message: `${formatPath(f.path)}：${f.message}` })),
  };
}

// ---------- Placeholders ----------

/** Text the default plan marks as to be replaced: 张同志（占位…）, 0000-0000000. */
const PLACEHOLDER = /占位|0000-?0000000/;

const ACTIVITY_FIELD_LABEL = { organ: '发文机关', office: '领导小组办公室', contact: '联系人', phone: '联系电话' } as const;

/**
 * Placeholder content still in the plan (SPEC §9 Placeholders): contacts marked 占位 and units
 * whose names are only examples (`example: true`). Commands warn; `--strict` refuses.
 */
export function placeholdersOf(plan: Plan): string[] {
  const out: string[] = [];
  for (const [key, label] of Object.entries(ACTIVITY_FIELD_LABEL) as [keyof typeof ACTIVITY_FIELD_LABEL, string][]) {
    const value = plan.activity[key];
    if (PLACEHOLDER.test(value)) out.push(`方案 activity.${key}（${label}）“${value}”是占位内容，请改为实际${label}`);
  }
  const notice = plan.documents?.notice;
  for (const [key, label] of [['objectionAddress', '公示反映意见的通信地址'], ['objectionEmail', '公示反映意见的电子邮箱']] as const) {
    const value = notice?.[key];
    if (value && PLACEHOLDER.test(value)) out.push(`方案 documents.notice.${key}（${label}）“${value}”是占位内容，请改为实际${label}`);
  }
  const examples = plan.units.filter((u) => u.example);
  if (examples.length > 0)
    out.push(
      `方案中${examples.length}个单位的名称是示例（example: true）：${examples.map((u) => u.name).join('、')}；请改为实际名称并删去 example: true`,
    );
  return out;
}

// ---------- Lookups the adapters share ----------

// In their own module, so code that only looks things up in a parsed plan (the reading workers,
// the add-in's checks) does not load the YAML parser and the schema (a megabyte of zod and yaml
// compiled again in every worker thread).
export { indicatorsFor, methodFromLabel, methodLabel, tasksOfUnit, unitById, unitByName } from './plan-lookup.ts';
