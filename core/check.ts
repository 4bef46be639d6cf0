// One workbook checked end to end: parse, identify the unit, business rules, `_meta` checks.
// The CLI and the add-in both call this, so a unit sees exactly what the office will see.
import { parseCellAddress } from './address.ts';
import { contentHash } from './hash.ts';
import type { Sha256Hex } from './hash.ts';
import { META_SHEET, SHEETS, TEMPLATE_VERSION } from './layout.ts';
import { parseWorkbook } from './parse.ts';
import { isScoreSheet, SCORESHEET_SHEET } from './scoresheet.ts';
import type { Plan, Problem, Severity, Submission, Unit, WorkbookGrid, WorkbookMeta } from './types.ts';
import { identifyUnit, validateSubmission } from './validate.ts';

export interface CheckResult {
  submission: Submission | null;
  unit: Unit | null;
  problems: Problem[];
}

export interface CheckOptions {
  file?: string;
  planHash?: string;
  /** The digest of the content hash; core/hash.ts's pure-JS one unless the host has a faster one. */
  sha256Hex?: Sha256Hex;
}

function metaProblems(meta: WorkbookMeta | null, grid: WorkbookGrid, plan: Plan, opts: CheckOptions): Problem[] {
  const { planHash } = opts;
  const out: Problem[] = [];
  const add = (severity: Severity, code: string, message: string): void => {
    out.push({ severity, code, message, sheet: META_SHEET.name });
  };
  if (!meta) {
    add(
      '提醒',
      'meta.missing',
      '未找到隐藏的“_meta”工作表，无法核对模板版本和所属单位；请尽量使用领导小组办公室下发的工作簿填报',
    );
    return out;
  }
  if (meta.templateVersion !== TEMPLATE_VERSION) {
    add(
      '错误',
      'meta.version',
      `工作簿模板版本为“${meta.templateVersion || '未知'}”，当前版本为“${TEMPLATE_VERSION}”；请改用新下发的工作簿，把已填内容复制过去`,
    );
  }
  if (isForeign(meta, plan)) {
    add('错误', 'meta.plan', foreignMessage(meta.planId, plan));
  } else if (planHash && meta.planHash && meta.planHash !== planHash) {
    add(
      '提醒',
      'meta.planChanged',
      '工作簿生成后考核方案有修改，预填的任务和指标可能与现行方案不一致，请核对',
    );
  }
  if (meta.submittedAt && meta.contentHash && contentHash(grid, opts.sha256Hex) !== meta.contentHash) {
    add(
      '提醒',
      'meta.modifiedAfterSubmit',
      `提交后内容已被修改（提交时间 ${meta.submittedAt}），请重新检查并提交`,
    );
  }
  return out;
}

/** A workbook made for another activity's plan: nothing in it can be judged by this plan. */
function isForeign(meta: WorkbookMeta | null, plan: Plan): boolean {
  return meta !== null && meta.planId !== '' && meta.planId !== plan.activity.id;
}

function foreignMessage(planId: string, plan: Plan): string {
  return (
    `该工作簿属于活动“${planId}”，不是本次活动“${plan.activity.id}”（${plan.activity.name}），未按本方案检查。` +
    `如要检查活动“${planId}”，请用 --plan 指定该活动的方案文件 plan.yaml；如是本次活动，请改用本次下发的工作簿填报`
  );
}

const SHEET_ORDER = new Map(SHEETS.map((s, i) => [s.name, i]));

/** Workbook-wide problems first, then sheet by sheet in workbook order, row by row, left to right. */
function placeKey(p: Problem): [number, number, number] {
  const at = p.cell ? parseCellAddress(p.cell) : null;
  return [p.sheet ? (SHEET_ORDER.get(p.sheet) ?? SHEETS.length) : -1, at ? at.row + 1 : 0, at ? at.col + 1 : 0];
}

/** A stable sort on keys worked out once per problem, not once per comparison. */
function sortByPlace(problems: readonly Problem[]): Problem[] {
  const keyed = problems.map((p) => ({ p, k: placeKey(p) }));
  keyed.sort(({ k: ka }, { k: kb }) => ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2]);
  return keyed.map(({ p }) => p);
}

export function checkWorkbook(grid: WorkbookGrid, plan: Plan, opts: CheckOptions = {}): CheckResult {
  if (isScoreSheet(grid)) {
    // Checked on its own by checkScoreSheet; among unit workbooks it must not read as a broken one.
    const message = `这是${SCORESHEET_SHEET.name}，不是单位填报工作簿；汇总时请用 kaohe report … --scores 指定它`;
    return { submission: null, unit: null, problems: [{ severity: '错误', code: 'scoresheet.notUnit', message, ...(opts.file ? { file: opts.file } : {}) }] };
  }
  const parsed = parseWorkbook(grid, opts.file);
  const sub = parsed.submission;
  const unit = sub ? identifyUnit(sub, plan) : null;
  let problems = parsed.problems;
  if (sub && isForeign(sub.meta, plan)) {
    // One error with the fix, not dozens of false ones (scores "over max", dates "outside the activity").
    problems = metaProblems(sub.meta, grid, plan, opts).filter((p) => p.code === 'meta.plan');
  } else if (sub) {
    // A cell the parser could not read is reported once, by the parser.
    const unreadable = new Set(parsed.problems.filter((p) => p.cell).map((p) => `${p.sheet}!${p.cell}`));
    const rules = validateSubmission(sub, plan, unit, parsed.cells).filter(
      (p) => !p.cell || !unreadable.has(`${p.sheet}!${p.cell}`),
    );
    problems = sortByPlace([...problems, ...metaProblems(sub.meta, grid, plan, opts), ...rules]);
  }
  return {
    submission: sub,
    unit,
    problems: problems.map((p) => (opts.file ? { ...p, file: opts.file } : p)),
  };
}

export function summarise(problems: readonly Problem[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { 错误: 0, 提醒: 0 };
  for (const p of problems) counts[p.severity] += 1;
  return counts;
}

/** Problems listed per file: enough to fix a workbook by, few enough that a broken one cannot flood the output. */
export const MAX_PROBLEMS_PER_FILE = 100;

/**
 * The first `max` problems in their order, then one line counting the rest (a 错误 if any of
 * them is one), so a file with a million bad rows reads as one screen, not four million lines.
 */
export function capProblems(problems: readonly Problem[], max = MAX_PROBLEMS_PER_FILE): Problem[] {
  if (problems.length <= max) return [...problems];
  const rest = problems.slice(max);
  const counts = summarise(rest);
  const severity: Severity = counts.错误 > 0 ? '错误' : '提醒';
  const file = problems[0]?.file;
  return [
    ...problems.slice(0, max),
    {
      severity,
      code: 'problems.more',
      ...(file ? { file } : {}),
      message: `另有 ${rest.length} 条问题未列出（错误 ${counts.错误} 条，提醒 ${counts.提醒} 条）；请先改正以上问题后重新检查`,
    },
  ];
}

