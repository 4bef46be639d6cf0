// The year's results: everything the documents, 考核结果汇总.xlsx and results.json show.
// Plain JSON only (no Dates, no Maps), so results.json is exactly this object and templates
// can read it without conversion. Numbers are already rounded for display where noted.
import type { UnverifiedUnit } from './assessment.ts';
import type { PlanCalendar } from './calendar.ts';
import type {
  Activity,
  DocumentsPlan,
  CommendationCategory,
  ComplaintChannel,
  Grade,
  IsoDate,
  KeyTask,
  Phase,
  ProblemSource,
  RuleAction,
  Severity,
  TaskRole,
  Unit,
  UnitResult,
} from './types.ts';

/** One awardee on the commendation lists (表彰名单). */
export interface Commendation {
  category: CommendationCategory;
  /** The unit's name for 先进单位/先进科室; the person's name for 先进个人. */
  name: string;
  /** 所在单位: the unit itself, or the nominating unit for a person. */
  unitId: string;
  unitName: string;
  /** 所在单位及职务 as the nominating unit wrote it (persons only, else empty). */
  post: string;
  /** 主要事迹 from the nomination (may be empty for units commended by score alone). */
  deeds: string;
  /** Total score of the unit (for a person: of the nominating unit). */
  total: number;
  /** Rank of the unit (for a person: of the nominating unit); null for a unit without rank. */
  rank: number | null;
  /** The rank as printed: `3`, `并列第3` or `—`. */
  rankText: string;
}

/** How one quota was applied, stated in every output (SPEC §9 Quotas). */
export interface QuotaNote {
  /** What the quota limits: 优秀 within one unit kind, or one commendation list. */
  subject: '优秀' | CommendationCategory;
  /** The group it counts over, e.g. 县区局 (empty for 先进个人, counted over all units). */
  group: string;
  /** n: the plan's units of the group, handed in or not (for 先进个人: the plan's cap). */
  base: number;
  /** The plan's rate; null for 先进个人, whose quota is a number. */
  rate: number | null;
  minimum: number;
  /** floor(base × rate), at least minimum. */
  quota: number;
  /** Places given, which exceeds quota when a 并列 group was taken whole. */
  granted: number;
  /** Given a place beyond the quota because they tie with one inside it (ties: include). */
  over: string[];
  /** Qualified but left out: quota full, or their 并列 group straddled the edge (ties: exclude). */
  cut: string[];
  /** One Chinese sentence: the quota, its base, who is over it or left out and why. */
  text: string;
}

export type EligibilityCode = 'missing' | 'veto' | 'complaint' | 'grade' | 'quota' | 'tie' | 'perUnit' | 'duplicate' | 'decision';

/** A unit or nominee not commended, with the reason (表彰资格). */
export interface EligibilityEntry {
  category: CommendationCategory;
  /** The unit's name, or the person's. */
  name: string;
  /** The unit itself, or the nominating unit. */
  unitName: string;
  code: EligibilityCode;
  reason: string;
}

/** A leading-group decision from the plan, as applied. */
export interface DecisionNote {
  unitName: string;
  person?: string;
  /** What changed, e.g. 等次由良好改为优秀. */
  change: string;
  reason: string;
  date: IsoDate;
  /** The whole note, e.g. 领导小组2012年1月5日决定：…。理由：… */
  text: string;
}

/** How one party (lead or cooperating unit) stands on a key task, from its own 重点任务 row. */
/** 未填报: the workbook has no row for the task; 未报送: the unit handed in no workbook. */
export type TaskPartyStatus = '按期完成' | '逾期完成' | '未完成' | '未填报' | '未报送';

export interface TaskParty {
  unitId: string;
  unitName: string;
  role: TaskRole;
  /** False when the unit handed in no workbook or its workbook has no row for the task. */
  reported: boolean;
  /** 完成进度(%) 0–100, null when not reported. */
  progress: number | null;
  /** 实际完成日期. */
  actual: IsoDate | null;
  /** Finished (progress 100 with an actual date, as the score counts it) on or before the deadline. */
  onTime: boolean;
  status: TaskPartyStatus;
  /** 进展情况 as the unit wrote it. */
  note: string;
}

export interface KeyTaskOutcome {
  task: KeyTask;
  /** Null only when the plan names a lead unit that is not among the plan's units. */
  lead: TaskParty | null;
  cooperating: TaskParty[];
  /** The lead unit reports the task finished. */
  done: boolean;
  /** The lead unit finished after the deadline, or has not finished. */
  late: boolean;
}

export interface ComplaintCounts {
  /** 受理数: complaints listed. */
  received: number;
  /** 已回复: a 回复日期 is given. */
  replied: number;
  /** 已办结: a 办理结果 is given and the check is not 核查中 (same rules as the 效能投诉 score). */
  concluded: number;
  /** 按时办结: concluded (as above) and replied on or before the due date (办结时限, else N working days after 受理日期). */
  onTime: number;
  /** 查实 (部分属实 is counted separately). */
  verified: number;
  partlyVerified: number;
}

export interface UnitComplaintCounts extends ComplaintCounts {
  unitId: string;
  unitName: string;
}

export interface ComplaintStats {
  /** Every reporting unit in rank order, including those with no complaints. */
  byUnit: UnitComplaintCounts[];
  totals: ComplaintCounts;
  byChannel: Record<ComplaintChannel, number>;
  /** 处理措施 of verified and partly verified complaints, each prefixed with the unit name. */
  measures: string[];
}

export interface SourceCounts {
  found: number;
  /** 已整改. */
  fixed: number;
  /** 整改中. */
  fixing: number;
}

export interface ProblemStats {
  bySource: Record<ProblemSource, SourceCounts>;
  /** All problems listed, including rows whose 问题来源 is blank. */
  total: number;
  fixed: number;
  fixing: number;
  /** A few problem descriptions, as written, for the report's narrative (at most 10, distinct). */
  examples: string[];
}

export interface RuleEntry {
  unitName: string;
  name: string;
  category: string | null;
  action: RuleAction | null;
  done: IsoDate | null;
  docNumber: string;
}

export interface RuleStats {
  byAction: Record<RuleAction, number>;
  /** Count of rules per 制度类别 (categories as the units typed them; blank as 其他). */
  byCategory: Record<string, number>;
  /** Reporting units that have all 三项制度 (首问负责制, 限时办结制, 责任追究制) in force (not 撤销). */
  threeRulesInForce: number;
  /** Reporting units that lack at least one of the 三项制度. */
  unitsWithoutThreeRules: string[];
  items: RuleEntry[];
}

/** 学习动员 figures the units wrote on 单位信息, summed over reporting units. */
export interface MobilisationStats {
  /** Units that give a 动员会 date. */
  meetings: number;
  /** 集中学习次数. */
  studySessions: number;
  /** 参学人数. */
  participants: number;
  /** 专题报道篇数. */
  reports: number;
  /** Reporting units that left every figure blank. */
  unitsWithoutFigures: string[];
}

/** A problem found while reading or checking a workbook, for the report's appendix and 数据问题 sheet. */
export interface DataProblem {
  file: string;
  sheet?: string;
  cell?: string;
  severity: Severity;
  code: string;
  message: string;
  /** The unit the workbook belongs to, when known. */
  unitName?: string;
}

/** Two or more workbooks for one unit: the latest submitted counts, the others are ignored. */
export interface Duplicate {
  unitId: string;
  unitName: string;
  used: string;
  ignored: string[];
}

export interface YearResults {
  activity: Activity;
  /** The plan's `documents:` settings (文号, 抄送, 下一步…), empty when the plan has none. */
  documents: DocumentsPlan;
  phases: Phase[];
  /** Hash of the plan the results were computed with. */
  planHash: string;
  /** ISO timestamp of the run. */
  generatedAt: string;
  /** Date printed on the documents; defaults to the end of the 考核总结 phase. */
  issueDate: IsoDate;
  /** Indicator categories in plan order, excluding 加分/扣分 (the columns of the results table). */
  categories: string[];
  /** Every reporting unit: ranked units in rank order (并列 in plan order), then vetoed units (no rank). */
  units: UnitResult[];
  /** Tie-break categories used after the total, in order. */
  tieBreak: string[];
  /** Every quota applied (优秀 per unit kind, 先进单位, 先进科室, 先进个人), with its explanation. */
  quotas: QuotaNote[];
  /** Every unit of the commendation groups and every nominee not commended, with the reason. */
  eligibility: EligibilityEntry[];
  /** Leading-group decisions from the plan, applied last. */
  decisions: DecisionNote[];
  /** The plan's extra holiday years, so documents count working days as the scores did. */
  calendar: PlanCalendar;
  /** Plan units that handed in no usable workbook (未报送). */
  missingUnits: Unit[];
  keyTasks: KeyTaskOutcome[];
  mobilisation: MobilisationStats;
  complaints: ComplaintStats;
  problems: ProblemStats;
  rules: RuleStats;
  gradeCounts: Record<Grade, number>;
  commendations: {
    /** 先进单位 (subordinate units and county bureaus). */
    units: Commendation[];
    /** 先进科室 (departments). */
    departments: Commendation[];
    /** 先进个人. */
    persons: Commendation[];
  };
  /** Problems in the workbooks, unreadable files included. */
  dataProblems: DataProblem[];
  duplicates: Duplicate[];
  /** Units whose assessor cells were found but not counted (未经考核组核对), see core/assessment.ts. */
  unverified: UnverifiedUnit[];
  counts: {
    /** Units in the plan. */
    planned: number;
    /** Units with a usable workbook. */
    reported: number;
    /** Files given to the report. */
    files: number;
    /** Files that could not be used at all (unreadable, not a Kaohe workbook, unknown unit). */
    unusable: number;
    /** Data problems with severity 错误. */
    errors: number;
  };
}
