// Business rules of the seed and SPEC over a parsed submission. Every problem points at the cell
// to fix: with the parser's CellMap when given (columns may have moved), else the layout's positions.
import { chineseDate } from './calendar.ts';
import { complaintDueDate } from './score.ts';
import {
  COMPLAINTS_SHEET,
  INFO_SHEET,
  KEY_TASKS_SHEET,
  NOMINATIONS_SHEET,
  PROBLEMS_SHEET,
  RULES_SHEET,
  SCORES_SHEET,
  THREE_RULES,
  cellAddress,
  type TableSheet,
} from './layout.ts';
import { indicatorsFor, methodLabel, tasksOfUnit, unitById, unitByName } from './plan-lookup.ts';
import type { CellMap } from './parse.ts';
import { UNIT_KIND_LABEL } from './types.ts';
import type { IsoDate, Plan, Problem, Severity, Submission, Unit, UnitInfo } from './types.ts';

/** The plan unit a workbook belongs to: by `_meta` unit id, else by 单位名称. */
export function identifyUnit(sub: Submission, plan: Plan): Unit | null {
  const byId = sub.meta?.unitId ? unitById(plan, sub.meta.unitId) : undefined;
  return byId ?? (sub.info.unitName ? unitByName(plan, sub.info.unitName) : undefined) ?? null;
}

interface TableRowLike {
  row: number;
}

class Findings {
  readonly list: Problem[] = [];
  constructor(private readonly cells: CellMap | undefined) {}

  add(severity: Severity, code: string, message: string, sheet: string, cell?: string): void {
    this.list.push({ severity, code, message, sheet, ...(cell ? { cell } : {}) });
  }

  /** Column index of a table column, or undefined when the parser did not find its header. */
  column(sheet: TableSheet, key: string): number | undefined {
    if (this.cells) return this.cells.columns[sheet.key]?.[key];
    const i = sheet.columns.findIndex((c) => c.key === key);
    return i >= 0 ? i : undefined;
  }

  cell(sheet: TableSheet, key: string, row: number): string | undefined {
    const col = this.column(sheet, key);
    return col === undefined ? undefined : cellAddress(row - 1, col);
  }

  infoCell(key: keyof UnitInfo): string | undefined {
    if (this.cells) return this.cells.info[key];
    const i = INFO_SHEET.fields.findIndex((f) => f.key === key);
    return i >= 0 ? cellAddress(i + 1, 1) : undefined;
  }

  /** A row-level finding in one column of a table sheet. */
  at(severity: Severity, code: string, message: string, sheet: TableSheet, key: string, row: number): void {
    this.add(severity, code, message, sheet.name, this.cell(sheet, key, row));
  }

  header(sheet: TableSheet, key: string): string {
    return sheet.columns.find((c) => c.key === key)?.header ?? key;
  }
}

const blank = (v: unknown): boolean => v === null || v === undefined || v === '';

// ---------- required fields ----------

function checkRequired(sub: Submission, f: Findings): void {
  for (const field of INFO_SHEET.fields) {
    const cell = f.infoCell(field.key as keyof UnitInfo);
    if (field.required && cell && blank(sub.info[field.key as keyof UnitInfo])) {
      f.add('错误', 'required.missing', `请填写“${field.label}”`, INFO_SHEET.name, cell);
    }
  }
  const tables: [TableSheet, readonly TableRowLike[]][] = [
    [KEY_TASKS_SHEET, sub.keyTasks],
    [SCORES_SHEET, sub.scores],
    [COMPLAINTS_SHEET, sub.complaints],
    [PROBLEMS_SHEET, sub.problems],
    [RULES_SHEET, sub.rules],
    [NOMINATIONS_SHEET, sub.nominations],
  ];
  for (const [sheet, rows] of tables) {
    for (const row of rows) {
      for (const col of sheet.columns) {
        if (!col.required || f.column(sheet, col.key) === undefined) continue;
        if (blank((row as unknown as Record<string, unknown>)[col.key])) {
          f.at('错误', 'required.missing', `第${row.row}行请填写“${col.header}”`, sheet, col.key, row.row);
        }
      }
    }
  }
}

// ---------- unit identity ----------

function checkIdentity(sub: Submission, plan: Plan, unit: Unit | null, f: Findings): void {
  const nameCell = f.infoCell('unitName');
  if (!unit) {
    const shown = sub.info.unitName || sub.meta?.unitId || '（空白）';
    f.add(
      '错误',
      'unit.unknown',
      `单位“${shown}”不在考核方案的单位名单中，请使用领导小组办公室为本单位下发的工作簿`,
      INFO_SHEET.name,
      nameCell,
    );
    return;
  }
  if (sub.info.unitName && unitByName(plan, sub.info.unitName)?.id !== unit.id) {
    f.add(
      '错误',
      'unit.mismatch',
      `单位名称“${sub.info.unitName}”与工作簿所属单位“${unit.name}”不一致，请改回“${unit.name}”`,
      INFO_SHEET.name,
      nameCell,
    );
  }
  if (sub.meta?.unitId && sub.meta.unitId !== unit.id) {
    f.add(
      '错误',
      'unit.metaMismatch',
      `工作簿隐藏信息中的单位编号“${sub.meta.unitId}”不在考核方案中或与单位名称“${unit.name}”不一致，请使用为本单位下发的工作簿`,
      INFO_SHEET.name,
      nameCell,
    );
  }
  const kind = UNIT_KIND_LABEL[unit.kind];
  if (sub.info.unitKind && sub.info.unitKind !== kind) {
    f.add(
      '错误',
      'unit.kind',
      `单位类别“${sub.info.unitKind}”与考核方案不一致，应为“${kind}”`,
      INFO_SHEET.name,
      f.infoCell('unitKind'),
    );
  }
}

// ---------- dates ----------

function activityWindow(plan: Plan): { start: IsoDate; end: IsoDate } {
  const starts = plan.phases.map((p) => p.start).sort();
  const ends = plan.phases.map((p) => p.end).sort();
  return {
    start: starts[0] ?? `${plan.activity.year}-01-01`,
    end: ends[ends.length - 1] ?? `${plan.activity.year}-12-31`,
  };
}

function checkDates(sub: Submission, plan: Plan, f: Findings): void {
  const { start, end } = activityWindow(plan);
  const span = `${chineseDate(start)}至${chineseDate(end)}`;
  const outside = (d: IsoDate | null): d is IsoDate => d !== null && (d < start || d > end);
  const message = (label: string, d: IsoDate): string => `“${label}”${d} 不在活动期间（${span}），请核对`;

  for (const key of ['planHandedIn', 'standardHandedIn', 'mobilisationMeeting'] as const) {
    const d = sub.info[key];
    const label = INFO_SHEET.fields.find((x) => x.key === key)!.label;
    if (outside(d)) f.add('提醒', 'date.outside', message(label, d), INFO_SHEET.name, f.infoCell(key));
    if (key !== 'mobilisationMeeting' && d !== null && d > plan.activity.handInDeadline) {
      f.add(
        '提醒',
        'handin.late',
        `“${label}”${d} 晚于规定的上交期限 ${plan.activity.handInDeadline}`,
        INFO_SHEET.name,
        f.infoCell(key),
      );
    }
  }
  // Deadlines (办结时限, 整改时限) may fall after the year; an old rule kept in force (保留) predates it.
  for (const t of sub.keyTasks) {
    if (outside(t.actual))
      f.at('提醒', 'date.outside', message('实际完成日期', t.actual), KEY_TASKS_SHEET, 'actual', t.row);
  }
  for (const c of sub.complaints) {
    if (outside(c.received))
      f.at('提醒', 'date.outside', message('受理日期', c.received), COMPLAINTS_SHEET, 'received', c.row);
    if (outside(c.replied))
      f.at('提醒', 'date.outside', message('回复日期', c.replied), COMPLAINTS_SHEET, 'replied', c.row);
  }
  for (const r of sub.rules) {
    if (r.action !== '保留' && outside(r.done))
      f.at('提醒', 'date.outside', message('完成日期', r.done), RULES_SHEET, 'done', r.row);
  }
}

// ---------- 重点任务 ----------

function checkKeyTasks(sub: Submission, plan: Plan, unit: Unit | null, f: Findings): void {
  for (const t of sub.keyTasks) {
    if (t.progress === 100 && t.actual === null) {
      f.at(
        '错误',
        'task.doneWithoutDate',
        `第${t.row}行进度为100%，请填写实际完成日期`,
        KEY_TASKS_SHEET,
        'actual',
        t.row,
      );
    }
    if (t.actual !== null && t.progress !== null && t.progress < 100) {
      f.at(
        '提醒',
        'task.dateWithoutDone',
        `第${t.row}行已填实际完成日期，但完成进度为${t.progress}%；已完成的请把进度改为100`,
        KEY_TASKS_SHEET,
        'progress',
        t.row,
      );
    }
    if (t.actual !== null && t.planned !== null && t.actual > t.planned) {
      f.at(
        '提醒',
        'task.late',
        `第${t.row}行逾期完成：计划 ${t.planned} 完成，实际 ${t.actual} 完成`,
        KEY_TASKS_SHEET,
        'actual',
        t.row,
      );
    }
  }
  if (!unit) return;
  const expected = tasksOfUnit(plan, unit.id);
  for (const { task, role } of expected) {
    const row = sub.keyTasks.find((t) => t.taskId === task.id);
    if (!row) {
      f.add(
        '错误',
        'task.missing',
        `缺少重点任务 ${task.id}“${task.name}”（本单位${role}），请恢复预填的该行`,
        KEY_TASKS_SHEET.name,
        f.cell(KEY_TASKS_SHEET, 'taskId', 1),
      );
    } else if (row.role !== null && row.role !== role) {
      f.at(
        '错误',
        'task.role',
        `第${row.row}行本单位角色应为“${role}”，请勿修改`,
        KEY_TASKS_SHEET,
        'role',
        row.row,
      );
    }
  }
  for (const t of sub.keyTasks) {
    if (t.taskId && !expected.some((e) => e.task.id === t.taskId)) {
      f.at(
        '提醒',
        'task.unknown',
        `第${t.row}行任务编号“${t.taskId}”不是考核方案分配给本单位的重点任务，不计分`,
        KEY_TASKS_SHEET,
        'taskId',
        t.row,
      );
    }
  }
}

// ---------- 效能投诉 ----------

function checkComplaints(sub: Submission, plan: Plan, f: Findings): void {
  const days = plan.scoring.complaintDefaultWorkingDays;
  const seen = new Map<string, number>();
  for (const c of sub.complaints) {
    if (c.id) {
      const first = seen.get(c.id);
      if (first !== undefined) {
        f.at(
          '提醒',
          'complaint.duplicate',
          `第${c.row}行受理编号“${c.id}”与第${first}行重复`,
          COMPLAINTS_SHEET,
          'id',
          c.row,
        );
      } else seen.set(c.id, c.row);
    }
    if (c.received && c.replied && c.replied < c.received) {
      f.at(
        '错误',
        'complaint.replyBeforeReceived',
        `第${c.row}行回复日期 ${c.replied} 早于受理日期 ${c.received}`,
        COMPLAINTS_SHEET,
        'replied',
        c.row,
      );
    }
    if (!c.replied) {
      f.at(
        '提醒',
        'complaint.unanswered',
        `第${c.row}行尚未回复，请及时回复并填写回复日期（事事有回音）`,
        COMPLAINTS_SHEET,
        'replied',
        c.row,
      );
    }
    if (c.verification === null || c.verification === '核查中') {
      f.at(
        '提醒',
        'complaint.unconcluded',
        `第${c.row}行${c.verification === null ? '尚无核查结论' : '仍在核查中'}，请办结后选择核查结论（件件有着落）`,
        COMPLAINTS_SHEET,
        'verification',
        c.row,
      );
    }
    if (c.received && !c.dueBy && complaintDueDate(c, plan) === null) {
      const year = Number(c.received.slice(0, 4));
      f.at('错误', 'calendar.uncovered', `第${c.row}行受理日期在${year}年，没有该年的节假日安排，无法计算办结时限；请核对受理日期，或请领导小组办公室在方案中补充${year}年日历`, COMPLAINTS_SHEET, 'received', c.row);
    }
    const due = complaintDueDate(c, plan);
    if (c.received && c.replied && c.replied >= c.received && due !== null && c.replied > due) {
      const limit = c.dueBy ? `办结时限 ${due}` : `办结时限 ${due}（受理后${days}个工作日）`;
      f.at('提醒', 'complaint.late', `第${c.row}行回复日期 ${c.replied} 超过${limit}`, COMPLAINTS_SHEET, 'replied', c.row);
    }
    if (c.verification === '查实' && !c.measures) {
      f.at(
        '错误',
        'complaint.noMeasures',
        `第${c.row}行投诉经查实，请填写处理措施`,
        COMPLAINTS_SHEET,
        'measures',
        c.row,
      );
    }
  }
}

// ---------- 制度建设 ----------

function checkRules(sub: Submission, f: Findings): void {
  for (const rule of THREE_RULES) {
    if (sub.rules.some((r) => r.category === rule && r.action !== '撤销')) continue;
    f.add(
      '提醒',
      'rules.threeMissing',
      `制度建设中未见“${rule}”（新建、完善或保留）；首问负责制、限时办结制、责任追究制“三项制度”须建立并落实`,
      RULES_SHEET.name,
      f.cell(RULES_SHEET, 'category', 1),
    );
  }
}

// ---------- 考核评分 ----------

function checkScores(sub: Submission, plan: Plan, unit: Unit | null, f: Findings): void {
  const indicators = indicatorsFor(plan, unit?.id);
  for (const s of sub.scores) {
    const ind = indicators.find((i) => i.id === s.indicatorId);
    if (!ind) {
      if (s.indicatorId) {
        f.at(
          '错误',
          'score.unknownIndicator',
          `第${s.row}行指标编号“${s.indicatorId}”不在考核方案中，请勿修改`,
          SCORES_SHEET,
          'indicatorId',
          s.row,
        );
      }
      continue;
    }
    const label = methodLabel(ind.method);
    if (s.method !== null && s.method !== label) {
      f.at(
        '错误',
        'score.method',
        `第${s.row}行评分方式应为“${label}”，请勿修改`,
        SCORES_SHEET,
        'method',
        s.row,
      );
    }
    for (const key of ['self', 'review'] as const) {
      const v = s[key];
      if (typeof v !== 'number') continue;
      const header = f.header(SCORES_SHEET, key);
      if (v < 0) {
        f.at('错误', 'score.negative', `第${s.row}行${header}不能为负数`, SCORES_SHEET, key, s.row);
      } else if (v > ind.maxPoints) {
        f.at(
          '错误',
          'score.overMax',
          `第${s.row}行${header} ${v} 超过该项分值 ${ind.maxPoints}`,
          SCORES_SHEET,
          key,
          s.row,
        );
      }
    }
    if (ind.method === 'self' && s.self === null) {
      f.at(
        '提醒',
        'score.selfMissing',
        `第${s.row}行（${ind.category}）尚未自评打分`,
        SCORES_SHEET,
        'self',
        s.row,
      );
    }
  }
  for (const ind of indicators) {
    if (sub.scores.some((s) => s.indicatorId === ind.id)) continue;
    f.add(
      '错误',
      'score.missing',
      `缺少指标 ${ind.id}（${ind.category}）一行，请恢复预填的该行`,
      SCORES_SHEET.name,
      f.cell(SCORES_SHEET, 'indicatorId', 1),
    );
  }
}

// ---------- 先进推荐 ----------

function checkNominations(sub: Submission, plan: Plan, unit: Unit | null, f: Findings): void {
  let persons = 0;
  for (const n of sub.nominations) {
    if (n.category === '先进个人') {
      persons += 1;
      if (n.unitAndPost.trim() === '')
        f.at('错误', 'required.missing', `第${n.row}行推荐先进个人，请填写“${f.header(NOMINATIONS_SHEET, 'unitAndPost')}”`, NOMINATIONS_SHEET, 'unitAndPost', n.row);
      if (persons > plan.commendation.personPerUnit) {
        f.at(
          '提醒',
          'nomination.tooMany',
          `第${n.row}行：每个单位最多推荐${plan.commendation.personPerUnit}名先进个人`,
          NOMINATIONS_SHEET,
          'nominee',
          n.row,
        );
      }
      continue;
    }
    if (!unit || n.category === null) continue;
    if (n.category === '先进科室' && unit.kind !== 'department') {
      f.at(
        '提醒',
        'nomination.kind',
        `第${n.row}行：先进科室只在机关科室中评选`,
        NOMINATIONS_SHEET,
        'category',
        n.row,
      );
    } else if (n.category === '先进单位' && unit.kind === 'department') {
      f.at(
        '提醒',
        'nomination.kind',
        `第${n.row}行：先进单位在局属单位和县区局中评选，机关科室请推荐先进科室`,
        NOMINATIONS_SHEET,
        'category',
        n.row,
      );
    } else if (n.nominee && unitByName(plan, n.nominee)?.id !== unit.id) {
      f.at(
        '提醒',
        'nomination.self',
        `第${n.row}行：${n.category}请推荐本单位（${unit.name}）`,
        NOMINATIONS_SHEET,
        'nominee',
        n.row,
      );
    }
  }
}

/**
 * Business-rule problems of one submission. `unit` is the plan unit it belongs to (null when it
 * could not be identified); `cells` is the parser's map of where each column was found.
 */
export function validateSubmission(
  sub: Submission,
  plan: Plan,
  unit: Unit | null,
  cells?: CellMap,
): Problem[] {
  const f = new Findings(cells);
  checkIdentity(sub, plan, unit, f);
  checkRequired(sub, f);
  checkDates(sub, plan, f);
  checkKeyTasks(sub, plan, unit, f);
  checkScores(sub, plan, unit, f);
  checkComplaints(sub, plan, f);
  checkRules(sub, f);
  checkNominations(sub, plan, unit, f);
  return f.list;
}
