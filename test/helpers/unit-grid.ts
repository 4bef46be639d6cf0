// Test support: unit workbooks as grids, the way every reader hands them to the core (dates as
// serials, date cells formatted as the generated workbook formats them), built from the blank
// content and then filled.
import { readFileSync } from 'node:fs';
import { metaRows, unitWorkbookContent } from '../../core/blank.ts';
import { serialFromTime } from '../../core/cells.ts';
import { GUIDE_SHEET, INFO_SHEET, META_SHEET, TABLE_SHEETS, type TableSheet } from '../../core/layout.ts';
import { DATE_FORMAT } from '../../core/look.ts';
import { parsePlan, unitById } from '../../core/plan.ts';
import type { Plan, RawValue, SheetGrid, Unit, WorkbookGrid } from '../../core/types.ts';

export function defaultPlan(): { plan: Plan; hash: string } {
  const r = parsePlan(readFileSync(new URL('../../templates/plan.yaml', import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { plan: r.plan, hash: r.hash };
}

export function planUnit(plan: Plan, id: string): Unit {
  const unit = unitById(plan, id);
  if (!unit) throw new Error(`no unit ${id}`);
  return unit;
}

const serial = (iso: string): number => serialFromTime(Date.parse(`${iso}T00:00:00Z`), false);

export function blankGrid(plan: Plan, unit: Unit, planHash = 'plan-hash'): WorkbookGrid {
  const content = unitWorkbookContent(plan, unit, '2011-01-20T08:00:00Z', planHash);
  const sheets: Record<string, SheetGrid> = { [GUIDE_SHEET.name]: { values: content.guide } };
  for (const { sheet, rows } of content.sheets) {
    const dateCols = new Set(
      sheet.kind === 'table'
        ? (sheet as TableSheet).columns.flatMap((c, i) => (c.type === 'date' ? [i] : []))
        : [],
    );
    sheets[sheet.name] = {
      values: rows.map((row, r) =>
        row.map((v, c): RawValue => (r > 0 && dateCols.has(c) && typeof v === 'string' ? serial(v) : v)),
      ),
    };
  }
  sheets[META_SHEET.name] = { values: metaRows(content.meta) };
  const grid = { sheets };
  formatDates(grid);
  return grid;
}

/** Gives every date cell of the contract (below a table's header, beside a form's date label) the workbook's date format. */
function formatDates(grid: WorkbookGrid): void {
  const format = (g: SheetGrid, row: number, col: number): void => {
    g.numberFormats ??= [];
    (g.numberFormats[row] ??= [])[col] = DATE_FORMAT;
  };
  for (const spec of TABLE_SHEETS) {
    const g = grid.sheets[spec.name];
    const header = g?.values[0] ?? [];
    const dateCols = header.flatMap((h, c) => (spec.columns.some((col) => col.type === 'date' && col.header === h) ? [c] : []));
    g?.values.forEach((_, r) => r > 0 && dateCols.forEach((c) => format(g, r, c)));
  }
  const info = grid.sheets[INFO_SHEET.name];
  const dateLabels = new Set<unknown>(INFO_SHEET.fields.filter((f) => f.type === 'date').map((f) => f.label));
  info?.values.forEach((row, r) => typeof row[0] === 'string' && dateLabels.has(row[0]) && format(info, r, 1));
}

function position(a1: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(a1);
  if (!m) throw new Error(a1);
  const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { row: Number(m[2]) - 1, col };
}

export function setCell(
  grid: WorkbookGrid,
  sheet: string,
  a1: string,
  value: RawValue,
  numFmt?: string,
): void {
  const g = grid.sheets[sheet];
  if (!g) throw new Error(`no sheet ${sheet}`);
  const { row, col } = position(a1);
  while (g.values.length <= row) g.values.push([]);
  const cells = g.values[row]!;
  while (cells.length <= col) cells.push(null);
  cells[col] = value;
  if (numFmt !== undefined) {
    g.numberFormats ??= [];
    while (g.numberFormats.length <= row) g.numberFormats.push([]);
    g.numberFormats[row]![col] = numFmt;
  }
}

/** Appends a row given by header text, so tests do not depend on column order. */
export function addRow(grid: WorkbookGrid, sheet: string, byHeader: Record<string, RawValue>): number {
  const g = grid.sheets[sheet]!;
  const header = g.values[0]!;
  const row = header.map((h) => (typeof h === 'string' && h in byHeader ? byHeader[h]! : null));
  g.values.push(row);
  formatDates(grid);
  return g.values.length;
}

/**
 * 办公室 (leads tasks 3 and 5, cooperates on 2) with everything filled in correctly: the grid
 * every validation test starts from and breaks one thing in.
 */
export function filledOfficeGrid(): { plan: Plan; hash: string; unit: Unit; grid: WorkbookGrid } {
  const { plan, hash } = defaultPlan();
  const unit = planUnit(plan, 'office');
  const grid = blankGrid(plan, unit, hash);
  const info: Record<string, RawValue> = {
    主要负责人: '王建国',
    填报人: '李敏',
    联系电话: '0791-86543210',
    实施方案上报日期: serial('2011-02-21'),
    量化考核标准上报日期: '2011-2-25',
    动员会日期: '2011年2月15日',
    集中学习次数: 6,
    参学人数: '32人',
    专题报道篇数: 0,
  };
  const infoSheet = grid.sheets['单位信息']!;
  infoSheet.values.forEach((row, r) => {
    const label = row[0];
    if (r > 0 && typeof label === 'string' && label in info) row[1] = info[label]!;
  });
  const tasks = grid.sheets['重点任务']!;
  for (let r = 1; r < tasks.values.length; r += 1) {
    const row = tasks.values[r]!;
    row[6] = serial('2011-09-30');
    row[7] = 100;
    row[8] = '已按计划完成，形成正式文件印发执行';
    row[9] = '局办字〔2011〕12号';
  }
  const scores = grid.sheets['考核评分']!;
  for (let r = 1; r < scores.values.length; r += 1) {
    const row = scores.values[r]!;
    if (row[5] === '自评') {
      row[6] = row[4] ?? null;
      row[7] = '按评分标准逐项对照，均已做到';
    }
  }
  addRow(grid, '效能投诉', {
    受理编号: 'TS-2011-001',
    受理日期: serial('2011-04-06'),
    投诉渠道: '来电',
    投诉人: '市民刘先生',
    投诉事项: '有线电视报装等待时间过长',
    承办责任人: '陈涛',
    回复日期: serial('2011-04-12'),
    办理结果: '已协调网络公司上门安装并回访',
    核查结论: '不属实',
  });
  const threeRules: [string, string][] = [
    ['首问负责制实施办法', '首问负责制'],
    ['限时办结制实施办法', '限时办结制'],
    ['效能问责办法', '责任追究制'],
  ];
  for (const [i, [name, category]] of threeRules.entries()) {
    addRow(grid, '制度建设', {
      序号: i + 1,
      制度名称: name,
      制度类别: category,
      处理方式: '新建',
      完成日期: serial('2011-05-10'),
      文号: `局办发〔2011〕${i + 3}号`,
    });
  }
  addRow(grid, '问题清单', {
    序号: 1,
    问题来源: '群众提',
    问题描述: '来访群众办事需多次往返',
    原因剖析: '一次性告知不到位',
    整改措施: '印发办事指南，推行一次性告知',
    责任人: '李敏',
    整改时限: serial('2011-06-30'),
    整改状态: '已整改',
  });
  addRow(grid, '先进推荐', {
    推荐类别: '先进个人',
    推荐对象: '李敏',
    所在单位及职务: '办公室科员',
    主要事迹: '牵头起草三项制度，全年受理投诉件件有回音',
  });
  return { plan, hash, unit, grid };
}
