// The prefilled content of one unit's workbook, as plain rows. Both writers (exceljs in the
// generator, Office.js in the add-in) lay out exactly this, so the two workbooks agree.
import { chineseDate } from './calendar.ts';
import { indicatorsFor, methodLabel, tasksOfUnit, unitById } from './plan-lookup.ts';
import {
  GUIDE_SHEET,
  INFO_SHEET,
  META_KEYS,
  SHEETS,
  TEMPLATE_VERSION,
  type FormSheet,
  type TableSheet,
} from './layout.ts';
import { stepGuides, type StepGuide } from './steps.ts';
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

/** A step's heading in the guide: its title, and the sheet it is filled in when that differs. */
function stepHeading(step: StepGuide): string {
  if (step.place.sheet === GUIDE_SHEET.name || step.place.sheet === step.title) return step.title;
  return `${step.title}（“${step.place.sheet}”表）`;
}

function guideRows(plan: Plan, unit: Unit): string[][] {
  const a = plan.activity;
  const lines: string[] = [
    `${a.organ}${a.year}年${a.name}填报说明`,
    `填报单位：${unit.name}（${UNIT_KIND_LABEL[unit.kind]}）`,
    `本工作簿是${unit.name}参加${a.year}年${a.name}的填报和考核材料，请按下列阶段及时填写，年底由考核组据此考核评分。`,
    '一、活动阶段',
    ...plan.phases.map(
      (p, i) => `${i + 1}. ${p.name}阶段（${chineseDate(p.start)}至${chineseDate(p.end)}）：${p.guidance}`,
    ),
    // The same steps, in the same words, as the 考核填报 add-in's pane (core/steps.ts).
    '二、填报步骤（与“考核填报”加载项中的步骤相同）',
    ...stepGuides(plan).map((step, i) => `${i + 1}. ${stepHeading(step)}：${step.text}`),
    '三、注意事项',
    `1. 日期请按 ${plan.activity.year}-3-31 的格式填写；数字直接填写阿拉伯数字。`,
    '2. 请勿修改、删除工作表名称和表头文字，可以调整列宽、插入说明列；有下拉列表的单元格请从列表中选择。',
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
