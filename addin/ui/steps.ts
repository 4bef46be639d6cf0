// The pane's view of the steps (core/steps.ts): which problems belong to a step, when a step
// counts as done, where it opens and what it says. Pure: no Excel, no DOM.

import { INFO_SHEET } from '../../core/layout.ts';
import { MOBILISATION_FIELDS, STEPS, stepGuide, stepPlace, type StepId } from '../../core/steps.ts';
import type { Plan, Problem, Submission, WorkbookGrid } from '../../core/types.ts';

export { stepPlace };
export type { StepId };

/** done: filled and clean; problem: has 错误; warn: only 提醒; todo: nothing filled yet. */
export type StepState = 'done' | 'problem' | 'warn' | 'todo';

export interface StepStatus {
  id: StepId;
  title: string;
  sheet: string;
  state: StepState;
  errors: number;
  warnings: number;
}

/** The step of each sheet other than 单位信息 (split between two steps by row) and 填报说明. */
const SHEET_STEP: Record<string, StepId> = Object.fromEntries(
  STEPS.filter((s) => s.id !== 'info' && s.id !== 'mobilisation' && s.id !== 'final').map((s) => [s.sheet, s.id]),
);

/** The step a problem belongs to; anything outside the steps' sheets is for 提交前检查. */
export function stepOfProblem(problem: Problem, grid: WorkbookGrid): StepId {
  if (problem.sheet === INFO_SHEET.name) {
    const row = problem.cell ? Number(/\d+$/.exec(problem.cell)?.[0] ?? 0) - 1 : -1;
    const label = grid.sheets[INFO_SHEET.name]?.values[row]?.[0];
    const field = INFO_SHEET.fields.find((f) => f.label === (typeof label === 'string' ? label.trim() : ''));
    return field && MOBILISATION_FIELDS.has(field.key) ? 'mobilisation' : 'info';
  }
  return (problem.sheet && SHEET_STEP[problem.sheet]) || 'final';
}

function filled(step: StepId, sub: Submission | null, submittedAsIs: boolean): boolean {
  if (!sub) return false;
  const i = sub.info;
  switch (step) {
    case 'info':
      return [i.head, i.filler, i.phone].every((s) => s.trim() !== '');
    case 'mobilisation':
      return i.planHandedIn !== null && i.standardHandedIn !== null && i.mobilisationMeeting !== null && i.studySessions !== null;
    case 'keyTasks':
      return sub.keyTasks.every((t) => t.progress !== null && t.status.trim() !== '');
    case 'complaints':
      return sub.complaints.length > 0;
    case 'problems':
      return sub.problems.length > 0;
    case 'rules':
      return sub.rules.length > 0;
    case 'selfScore':
      return sub.scores.filter((s) => s.method === '自评').every((s) => s.self !== null);
    case 'nominations':
      return sub.nominations.length > 0;
    case 'final':
      // Done only while the workbook is what was submitted: any later edit undoes it.
      return submittedAsIs;
  }
}

export function stepStatuses(problems: readonly Problem[], grid: WorkbookGrid, sub: Submission | null, submittedAsIs: boolean): StepStatus[] {
  const counts = new Map<StepId, { errors: number; warnings: number }>();
  for (const p of problems) {
    const id = stepOfProblem(p, grid);
    const c = counts.get(id) ?? { errors: 0, warnings: 0 };
    if (p.severity === '错误') c.errors++;
    else c.warnings++;
    counts.set(id, c);
  }
  const totalErrors = problems.filter((p) => p.severity === '错误').length;
  return STEPS.map((s) => {
    // 提交前检查 stands for the whole workbook: it is clean only when every step is.
    const c = s.id === 'final' ? { errors: totalErrors, warnings: 0 } : (counts.get(s.id) ?? { errors: 0, warnings: 0 });
    const state: StepState = c.errors > 0 ? 'problem' : c.warnings > 0 ? 'warn' : filled(s.id, sub, submittedAsIs) ? 'done' : 'todo';
    return { id: s.id, title: s.title, sheet: s.sheet, state, ...c };
  });
}

/**
 * The step a sheet belongs to when the user switches to it in Excel (the first step opening it).
 * 填报说明 is read at any time, so opening it does not move the pane to 提交前检查.
 */
export function stepOfSheet(sheet: string): StepId | null {
  const found = STEPS.find((s) => s.id !== 'final' && stepPlace(s.id).sheet === sheet);
  return found ? found.id : null;
}

/** What to do in a step, in the plan's own dates: the same paragraph as in the 填报说明 sheet. */
export function stepGuidance(step: StepId, plan: Plan): string {
  return stepGuide(step, plan).text;
}
