// The pane's step list (core/layout.ts STEPS): which problems belong to a step, when a step
// counts as done, and the guidance shown when it is opened. Pure: no Excel, no DOM.

import { GUIDE_SHEET, INFO_SHEET, STEPS } from '../../core/layout.ts';
import type { Plan, Problem, Submission, WorkbookGrid } from '../../core/types.ts';

export type StepId = (typeof STEPS)[number]['id'];

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

/** 单位信息 rows that belong to 学习动员 rather than to the unit's particulars. */
const MOBILISATION_FIELDS = new Set(['planHandedIn', 'standardHandedIn', 'mobilisationMeeting', 'studySessions', 'participants', 'reports']);

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
 * Where a step opens: its sheet, and for 学习动员 its first row in 单位信息; 提交前检查 opens
 * 填报说明, whose notes end with how to submit.
 */
export function stepPlace(step: StepId): { sheet: string; cell?: string } {
  if (step === 'mobilisation') {
    const row = INFO_SHEET.fields.findIndex((f) => MOBILISATION_FIELDS.has(f.key)) + 2;
    return { sheet: INFO_SHEET.name, cell: `B${row}` };
  }
  if (step === 'final') return { sheet: GUIDE_SHEET.name };
  return { sheet: STEPS.find((s) => s.id === step)!.sheet };
}

/**
 * The step a sheet belongs to when the user switches to it in Excel (the first step opening it).
 * 填报说明 is read at any time, so opening it does not move the pane to 提交前检查.
 */
export function stepOfSheet(sheet: string): StepId | null {
  const found = STEPS.find((s) => s.id !== 'final' && stepPlace(s.id).sheet === sheet);
  return found ? found.id : null;
}

/** What to do in a step, in the plan's own dates. */
export function stepGuidance(step: StepId, plan: Plan): string {
  const phase = (id: string): string => {
    const p = plan.phases.find((x) => x.id === id);
    return p ? `（${p.start} 至 ${p.end}）` : '';
  };
  const a = plan.activity;
  switch (step) {
    case 'info':
      return '在“单位信息”表填写主要负责人、填报人和联系电话。单位名称、单位类别已预先填好，请勿修改。';
    case 'mobilisation':
      return `学习动员阶段${phase('mobilisation')}：填写实施方案、量化考核标准的上报日期（须于 ${a.handInDeadline} 前报${a.office}）、动员会日期、集中学习次数、参学人数和专题报道篇数（无则填 0）。`;
    case 'keyTasks':
      return `组织实施阶段${phase('implementation')}：逐项填写本单位牵头或配合的重点任务的完成进度（0–100）、进展情况和佐证材料，完成后填实际完成日期。`;
    case 'complaints':
      return `每受理一件效能投诉填一行。办结时限空白的按受理后 ${plan.scoring.complaintDefaultWorkingDays} 个工作日计；回复后填回复日期，核查后选核查结论，查实的须写处理措施。`;
    case 'problems':
      return '把领导点、自身找、群众提查找出的问题逐条填写，写明原因剖析、整改措施、责任人和整改时限，并随时更新整改状态。';
    case 'rules':
      return '清理本单位制度，逐项填写制度名称、类别和处理方式。首问负责制、限时办结制、责任追究制必须建立并落实。';
    case 'selfScore':
      return '对评分方式为“自评”的指标，对照评分标准在“自评分”中打分（不超过分值）并写自评说明。“自动”指标由本表数据计算，“考核组评分”由考核组填写。';
    case 'nominations':
      return `考核总结阶段${phase('assessment')}推荐先进：先进单位限局属单位和县区局，先进科室限机关科室，先进个人每单位最多 ${plan.commendation.personPerUnit} 名。`;
    case 'final':
      return '点击“全部检查”，逐条改正列出的“错误”（“提醒”请核实）。没有错误后点击“提交”，加载项会在工作簿中记录提交时间，再把工作簿保存并报送领导小组办公室。';
  }
}
