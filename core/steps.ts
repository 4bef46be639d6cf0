// The unit's filling steps, defined once: their order, where each opens, when it is due and what
// to fill. The workbook's 填报说明 sheet (core/blank.ts) lists them, and the add-in's pane shows
// the same words for the step it has open (addin/ui/steps.ts), so the two never disagree.
import { chineseDate } from './calendar.ts';
import {
  COMPLAINTS_SHEET,
  GUIDE_SHEET,
  INFO_SHEET,
  KEY_TASKS_SHEET,
  LISTS,
  NOMINATIONS_SHEET,
  PROBLEMS_SHEET,
  RULES_SHEET,
  SCORES_SHEET,
  THREE_RULES,
} from './layout.ts';
import { methodLabel } from './plan-lookup.ts';
import { UNIT_KIND_LABEL } from './types.ts';
import type { PhaseId, Plan } from './types.ts';

/** 单位信息 rows that belong to 学习动员 rather than to the unit's particulars. */
export const MOBILISATION_FIELDS: ReadonlySet<string> = new Set([
  'planHandedIn',
  'standardHandedIn',
  'mobilisationMeeting',
  'studySessions',
  'participants',
  'reports',
]);

interface StepSpec {
  readonly id: string;
  readonly title: string;
  /** The sheet the step opens. */
  readonly sheet: string;
  /** The 单位信息 row the step starts on, when two steps share that sheet. */
  readonly field?: string;
  /** The campaign phase the step is done in: its dates are the step's time frame and deadline. */
  readonly phase?: PhaseId;
  /** What to fill, in the plan's own words and numbers. */
  readonly fill: (plan: Plan) => string;
  /** What a clerk tends to get wrong, each a sentence of its own. */
  readonly hints?: (plan: Plan) => string[];
}

const quoted = (words: readonly string[]): string => words.map((w) => `“${w}”`).join('');

/** The add-in's steps, in the order of the phases (SPEC §6). */
export const STEPS = [
  {
    id: 'info',
    title: '单位信息',
    sheet: INFO_SHEET.name,
    fill: () => '填写主要负责人、填报人和联系电话。',
    hints: () => ['单位名称、单位类别已预先填好，请勿修改。'],
  },
  {
    id: 'mobilisation',
    title: '学习动员',
    sheet: INFO_SHEET.name,
    field: 'planHandedIn',
    phase: 'mobilisation',
    fill: () =>
      `在“${INFO_SHEET.name}”中填写实施方案和量化考核标准的上报日期、动员会日期、集中学习次数、参学人数和专题报道篇数。`,
    hints: (plan) => [
      `实施方案和量化考核标准须于${chineseDate(plan.activity.handInDeadline)}前报送${plan.activity.office}。`,
      '没有专题报道的填0。',
    ],
  },
  {
    id: 'keyTasks',
    title: '重点任务',
    sheet: KEY_TASKS_SHEET.name,
    phase: 'implementation',
    fill: () => '逐项填写本单位牵头或配合的重点任务的完成进度（0到100）、进展情况和佐证材料，完成后填写实际完成日期。',
    hints: () => ['任务名称、牵头单位、计划完成日期等已预先填好，请勿修改。'],
  },
  {
    id: 'complaints',
    title: '效能投诉',
    sheet: COMPLAINTS_SHEET.name,
    phase: 'implementation',
    fill: () => '每受理一件效能投诉填一行：受理编号、受理日期、投诉渠道、投诉事项、承办责任人必填；回复后填写回复日期和办理结果，核查后选择核查结论。',
    hints: (plan) => [
      `办结时限空白的，按受理后${plan.scoring.complaintDefaultWorkingDays}个工作日计（节假日、调休按国务院安排）。`,
      `核查结论为“${LISTS.verification[0]}”的须写明处理措施。`,
    ],
  },
  {
    id: 'problems',
    title: '问题清单',
    sheet: PROBLEMS_SHEET.name,
    phase: 'implementation',
    fill: () => `把通过${LISTS.problemSource.join('、')}查找出的问题逐条填写，写明原因剖析、整改措施、责任人和整改时限。`,
    hints: () => ['整改有进展时随时更新整改状态。'],
  },
  {
    id: 'rules',
    title: '制度建设',
    sheet: RULES_SHEET.name,
    phase: 'implementation',
    fill: () => `清理本单位规章制度，逐项填写制度名称、类别和处理方式（${LISTS.ruleAction.join('、')}）。`,
    hints: () => [`${THREE_RULES.join('、')}“三项制度”必须建立并落实。`],
  },
  {
    id: 'selfScore',
    title: '自评打分',
    sheet: SCORES_SHEET.name,
    phase: 'assessment',
    fill: () =>
      `对评分方式为“${methodLabel('self')}”的指标，对照评分标准在“自评分”中打分（不超过分值）并写明自评说明。`,
    hints: () => [
      `“${methodLabel('auto')}”指标由本工作簿的数据计算，不用填写；${quoted([methodLabel('bonus'), methodLabel('deduction'), methodLabel('veto')])}指标和“考核组评分”“考核组意见”由考核组填写。`,
    ],
  },
  {
    id: 'nominations',
    title: '先进推荐',
    sheet: NOMINATIONS_SHEET.name,
    phase: 'assessment',
    fill: (plan) =>
      `推荐先进单位、先进科室和先进个人，写明所在单位及职务、主要事迹和经验做法；先进个人每单位最多推荐${plan.commendation.personPerUnit}名。`,
    hints: () => [
      `先进单位限${UNIT_KIND_LABEL.subordinate}和${UNIT_KIND_LABEL.county}，先进科室限${UNIT_KIND_LABEL.department}。`,
    ],
  },
  {
    id: 'final',
    title: '提交前检查',
    sheet: GUIDE_SHEET.name,
    fill: (plan) =>
      `填完后在“考核填报”加载项中点击“全部检查”，逐条改正列出的“错误”，“提醒”请核实。没有错误后点击“提交”，加载项会在工作簿中记下提交时间；再保存工作簿，报送${plan.activity.office}。`,
  },
] as const satisfies readonly StepSpec[];

export type StepId = (typeof STEPS)[number]['id'];

/** One step's guidance for a given plan: what the 填报说明 sheet and the pane both show. */
export interface StepGuide {
  id: StepId;
  title: string;
  /** Where the step opens: its sheet, and a cell when it starts part-way down. */
  place: { sheet: string; cell?: string };
  /** E.g. 学习动员阶段（2011年2月1日至2011年2月28日）, or null for a step done at any time. */
  period: string | null;
  fill: string;
  hints: string[];
  /** The whole guidance as one paragraph: period, what to fill, hints. */
  text: string;
}

function stepSpec(id: StepId): StepSpec {
  return STEPS.find((s) => s.id === id)!;
}

/** Where a step opens; it depends on the layout alone, not on the plan. */
export function stepPlace(id: StepId): StepGuide['place'] {
  const spec = stepSpec(id);
  if (!spec.field) return { sheet: spec.sheet };
  const row = INFO_SHEET.fields.findIndex((f) => f.key === spec.field) + 2;
  return { sheet: spec.sheet, cell: `B${row}` };
}

function periodOf(spec: StepSpec, plan: Plan): string | null {
  const phase = spec.phase && plan.phases.find((p) => p.id === spec.phase);
  return phase ? `${phase.name}阶段（${chineseDate(phase.start)}至${chineseDate(phase.end)}）` : null;
}

export function stepGuide(id: StepId, plan: Plan): StepGuide {
  const spec = stepSpec(id);
  const period = periodOf(spec, plan);
  const fill = spec.fill(plan);
  const hints = spec.hints?.(plan) ?? [];
  const text = `${period ? `${period}，` : ''}${fill}${hints.join('')}`;
  return { id, title: spec.title, place: stepPlace(id), period, fill, hints, text };
}

export function stepGuides(plan: Plan): StepGuide[] {
  return STEPS.map((s) => stepGuide(s.id, plan));
}
