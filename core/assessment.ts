// Whose scores are the assessors' (SPEC §11): decided once, before scoring, so core/score.ts and
// core/aggregate.ts keep reading `review` as "the 考核组's score" without knowing where it came from.
//
// - With a score sheet: its values are the assessors' scores. Assessor cells found in a unit's own
//   workbook are ignored (a 提醒 names them); a unit missing from the sheet has no assessor scores.
// - Without one: a unit workbook's assessor cells count only when the add-in's review stamp seals
//   them (core/review.ts). Otherwise they are dropped and those indicators are listed as
//   未经考核组核对: the plan's finalScore rule then applies as if the assessors had not scored them
//   (review-else-self and average: the unit's self score; review-only: 0), bonus rows add nothing,
//   deductions are the computed ones, and a veto the unit typed itself does not count.
import type { CheckedWorkbook } from './aggregate.ts';
import { SCORES_SHEET } from './layout.ts';
import { reviewStampOf } from './review.ts';
import { SCORESHEET_SHEET, withAssessorEntries, type ScoreSheetData } from './scoresheet.ts';
import type { Plan, Problem, ScoreRow, Submission } from './types.ts';

/** Indicators of one unit whose assessor cells were found but not counted. */
export interface UnverifiedUnit {
  unitId: string;
  unitName: string;
  /** The workbook they were found in: only the one that counts for the unit is reported. */
  file: string;
  /** Empty when the unit is missing from the score sheet altogether. */
  indicatorIds: string[];
}

export interface AssessedWorkbooks {
  checked: CheckedWorkbook[];
  unverified: UnverifiedUnit[];
}

/** What an indicator without the assessors' score counts as, in the office's words. */
export function unreviewedRule(plan: Plan): string {
  return plan.scoring.finalScore === 'review-only' ? '自评类指标按0分计' : '自评类指标按自评分计';
}

function typedByUnit(scores: readonly ScoreRow[]): ScoreRow[] {
  return scores.filter((s) => s.review !== null || s.reviewNote.trim() !== '');
}

const rowList = (rows: readonly ScoreRow[]): string => rows.map((r) => r.row).join('、');

const withoutReview = (sub: Submission): Submission => withAssessorEntries(sub, undefined);

function problem(w: CheckedWorkbook, severity: Problem['severity'], code: string, message: string): Problem {
  return { severity, code, message, file: w.file, sheet: SCORES_SHEET.name };
}

function fromScoreSheet(w: CheckedWorkbook, sub: Submission, sheet: ScoreSheetData, plan: Plan, unverified: UnverifiedUnit[]): CheckedWorkbook {
  const typed = typedByUnit(sub.scores);
  const problems = [...w.problems];
  if (typed.length > 0) {
    problems.push(
      problem(w, '提醒', 'review.ignored', `单位工作簿“${SCORES_SHEET.name}”表第${rowList(typed)}行填写了“考核组评分”或“考核组意见”，已以${SCORESHEET_SHEET.name}为准，这些单元格未采用`),
    );
  }
  const entries = sheet.units.get(w.unit!.id);
  if (!entries) {
    problems.push(problem(w, '错误', 'scoresheet.unitMissing', `${SCORESHEET_SHEET.name}中没有本单位，未经考核组评定，${unreviewedRule(plan)}`));
    unverified.push({ unitId: w.unit!.id, unitName: w.unit!.name, file: w.file, indicatorIds: [] });
  }
  return { ...w, submission: withAssessorEntries(sub, entries), problems };
}

/**
 * Assessor cells in a unit's own workbook that do not count because no valid review stamp seals
 * them: the rows, the indicators and a located problem (提醒 when unstamped, 错误 when the stamp
 * does not match). Null when there are none or they are sealed. `kaohe check` shows the same problem.
 */
export function unsealedAssessorCells(sub: Submission, plan: Plan, file?: string): { indicatorIds: string[]; problem: Problem } | null {
  const typed = typedByUnit(sub.scores);
  if (typed.length === 0) return null;
  const stamp = reviewStampOf(sub.meta, sub.scores, plan.review?.password);
  if (stamp === 'sealed') return null;
  const ids = typed.map((r) => r.indicatorId.trim());
  const why =
    stamp === 'broken'
      ? '考核组评审印记与内容不符（评审后被改动，或不是用领导小组办公室的评审密码盖的）'
      : '没有考核组评审印记';
  const message = `“${SCORES_SHEET.name}”表第${rowList(typed)}行的考核组评分未经考核组核对（${why}），不作为考核组评分计入：指标${ids.join('、')}按未评定计，${unreviewedRule(plan)}`;
  const severity = stamp === 'broken' ? '错误' : '提醒';
  return { indicatorIds: ids, problem: { severity, code: 'review.unverified', message, ...(file ? { file } : {}), sheet: SCORES_SHEET.name } };
}

function fromStamp(w: CheckedWorkbook, sub: Submission, plan: Plan, unverified: UnverifiedUnit[]): CheckedWorkbook {
  const found = unsealedAssessorCells(sub, plan, w.file);
  if (!found) return w;
  unverified.push({ unitId: w.unit!.id, unitName: w.unit!.name, file: w.file, indicatorIds: found.indicatorIds });
  return { ...w, submission: withoutReview(sub), problems: [...w.problems, found.problem] };
}

/** The flag a unit's result carries, shown in 考核结果汇总.xlsx and the report. */
export function unverifiedFlag(u: UnverifiedUnit, plan: Plan): string {
  const what = u.indicatorIds.length > 0 ? `指标${u.indicatorIds.join('、')}的考核组评分未计入` : `${SCORESHEET_SHEET.name}中没有本单位`;
  return `未经考核组核对：${what}，${unreviewedRule(plan)}`;
}

/**
 * The workbooks with `review` values replaced by what counts as the assessors' scores, plus the
 * indicators whose assessor cells were not counted. Workbooks that cannot be used pass through.
 */
export function applyAssessorScores(plan: Plan, checked: readonly CheckedWorkbook[], sheet: ScoreSheetData | null): AssessedWorkbooks {
  const unverified: UnverifiedUnit[] = [];
  const out = checked.map((w) => {
    if (!w.submission || !w.unit) return w;
    return sheet ? fromScoreSheet(w, w.submission, sheet, plan, unverified) : fromStamp(w, w.submission, plan, unverified);
  });
  return { checked: out, unverified };
}
