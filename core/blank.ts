// The prefilled content of one unit's workbook, as plain rows. Both writers (exceljs in the
// generator, Office.js in the add-in) lay out exactly this, so the two workbooks agree.
import { chineseDate } from './calendar.ts';
import { indicatorsFor, methodLabel, tasksOfUnit, unitById } from './plan.ts';
import {
  COMPLAINTS_SHEET,
  INFO_SHEET,
  KEY_TASKS_SHEET,
  META_KEYS,
  NOMINATIONS_SHEET,
  PROBLEMS_SHEET,
  RULES_SHEET,
  SCORES_SHEET,
  SHEETS,
  TEMPLATE_VERSION,
  type FormSheet,
  type TableSheet,
} from './layout.ts';
import { UNIT_KIND_LABEL } from './types.ts';
import type { Plan, Unit, WorkbookMeta } from './types.ts';

export type ContentValue = string | number | null;

export interface SheetContent {
  sheet: TableSheet | FormSheet;
  /** Header row first. Dates are IsoDate strings; writers convert them by column type. */
  rows: ContentValue[][];
}

export interface WorkbookContent {
  /** 填报说明, one paragraph per row (first cell), written for the clerk filling the workbook. */
  guide: string[][];
  sheets: SheetContent[];
  meta: WorkbookMeta;
}

/** A row laid out by the table's own column order, from values keyed by column key. */
function tableRow(sheet: TableSheet, values: Record<string, ContentValue>): ContentValue[] {
  return sheet.columns.map((c) => values[c.key] ?? null);
}

function headerRow(sheet: TableSheet): ContentValue[] {
  return sheet.columns.map((c) => c.header);
}

function unitNames(plan: Plan, ids: readonly string[]): string {
  return ids.map((id) => unitById(plan, id)?.name ?? id).join('、');
}

function sheetGuidance(plan: Plan): Record<string, string> {
  return {
    [INFO_SHEET.name]:
      '单位名称、单位类别已预先填好，请勿修改；填写主要负责人、填报人、联系电话，实施方案和量化考核标准的上报日期、动员会日期，集中学习次数、参学人数和专题报道篇数（无则填0）。',
    [KEY_TASKS_SHEET.name]:
      '已列出本单位牵头或配合的重点任务，任务名称、牵头单位、计划完成日期等请勿修改；逐项填写完成进度（0到100）、进展情况和佐证材料，完成后填写实际完成日期。',
    [SCORES_SHEET.name]:
      '已列出全部考核指标。评分方式为“自评”的，请对照评分标准在“自评分”中打分（不超过分值）并写明自评说明；“自动”的由系统按本工作簿数据计算，可不填；“加分”“扣分”“否决”及“考核组评分”“考核组意见”由考核组填写。',
    [COMPLAINTS_SHEET.name]: `每受理一件效能投诉填一行：受理编号、受理日期、投诉渠道、投诉事项、承办责任人必填；办结时限空白的按受理后${plan.scoring.complaintDefaultWorkingDays}个工作日计（节假日、调休按国务院安排）；回复后填回复日期和办理结果，核查后选择核查结论，查实的须写明处理措施。做到“事事有回音，件件有着落”。`,
    [PROBLEMS_SHEET.name]:
      '通过领导点、自身找、群众提查找出的问题逐条填写，写明原因剖析、整改措施、责任人和整改时限，并随时更新整改状态。',
    [RULES_SHEET.name]:
      '清理本单位规章制度，逐项填写制度名称、类别和处理方式（新建、完善、撤销、保留）；首问负责制、限时办结制、责任追究制“三项制度”必须建立并落实。',
    [NOMINATIONS_SHEET.name]: `考核总结阶段推荐先进：先进单位限局属单位、县区局，先进科室限机关科室，先进个人每单位最多推荐${plan.commendation.personPerUnit}名；写明所在单位及职务、主要事迹和经验做法。`,
  };
}

function guideRows(plan: Plan, unit: Unit): string[][] {
  const a = plan.activity;
  const guidance = sheetGuidance(plan);
  const lines: string[] = [
    `${a.organ}${a.year}年${a.name}填报说明`,
    `填报单位：${unit.name}（${UNIT_KIND_LABEL[unit.kind]}）`,
    `本工作簿是${unit.name}参加${a.year}年${a.name}的填报和考核材料，请按下列阶段及时填写，年底由考核组据此考核评分。`,
    '一、活动阶段',
    ...plan.phases.map(
      (p, i) => `${i + 1}. ${p.name}阶段（${chineseDate(p.start)}至${chineseDate(p.end)}）：${p.guidance}`,
    ),
    `${plan.phases.length + 1}. 本单位实施方案和绩效考核量化标准须于${chineseDate(a.handInDeadline)}前上交${a.office}，并在“单位信息”中填写上报日期。`,
    '二、各工作表填写方法',
    ...SHEETS.filter((s): s is TableSheet | FormSheet => s.kind !== 'plain').map(
      (s, i) => `${i + 1}. “${s.name}”：${guidance[s.name] ?? ''}`,
    ),
    '三、注意事项',
    `1. 日期请按 ${plan.activity.year}-3-31 的格式填写；数字直接填写阿拉伯数字。`,
    '2. 请勿修改、删除工作表名称和表头文字，可以调整列宽、插入说明列；有下拉列表的单元格请从列表中选择。',
    '3. 填报完成后使用“考核填报”加载项的“提交前检查”，改正全部“错误”后提交。',
    `四、联系方式：${a.office}，联系人：${a.contact}，电话：${a.phone}。`,
  ];
  return lines.map((line) => [line]);
}

function infoRows(unit: Unit): ContentValue[][] {
  const prefilled: Record<string, ContentValue> = {
    unitName: unit.name,
    unitKind: UNIT_KIND_LABEL[unit.kind],
  };
  return [[...INFO_SHEET.headers], ...INFO_SHEET.fields.map((f) => [f.label, prefilled[f.key] ?? null])];
}

function sheetRows(sheet: TableSheet | FormSheet, plan: Plan, unit: Unit): ContentValue[][] {
  if (sheet.kind === 'form') return infoRows(unit);
  const header = headerRow(sheet);
  switch (sheet.key) {
    case 'keyTasks':
      return [
        header,
        ...tasksOfUnit(plan, unit.id).map(({ task, role }) =>
          tableRow(sheet, {
            taskId: task.id,
            taskName: task.name,
            role,
            lead: unitNames(plan, [task.lead]),
            cooperating: unitNames(plan, task.cooperating),
            planned: task.deadline,
          }),
        ),
      ];
    case 'scores':
      return [
        header,
        ...indicatorsFor(plan, unit.id).map((ind) =>
          tableRow(sheet, {
            indicatorId: ind.id,
            category: ind.category,
            content: ind.content,
            standard: ind.standard,
            maxPoints: ind.maxPoints,
            method: methodLabel(ind.method),
          }),
        ),
      ];
    default:
      return [header];
  }
}

export function unitWorkbookContent(
  plan: Plan,
  unit: Unit,
  createdAt: string,
  planHash: string,
): WorkbookContent {
  const data = SHEETS.filter((s): s is TableSheet | FormSheet => s.kind !== 'plain');
  return {
    guide: guideRows(plan, unit),
    sheets: data.map((sheet) => ({ sheet, rows: sheetRows(sheet, plan, unit) })),
    meta: {
      templateVersion: TEMPLATE_VERSION,
      planId: plan.activity.id,
      planHash,
      unitId: unit.id,
      createdAt,
    },
  };
}

/** `_meta` as key/value rows in META_KEYS order; absent values are blank. */
export function metaRows(meta: WorkbookMeta): string[][] {
  return META_KEYS.map((key) => [key, meta[key] ?? '']);
}
