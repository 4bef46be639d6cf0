// The shared model: plain data only, so Excel (add-in) and Node (generator) agree exactly.
// Dates inside the model are ISO strings (YYYY-MM-DD): JSON-safe and comparable as text.
import type { PlanCalendar } from './calendar.ts';
import type {
  COMPLAINTS_SHEET,
  FieldsOf,
  INFO_SHEET,
  KEY_TASKS_SHEET,
  ListItem,
  NOMINATIONS_SHEET,
  PROBLEMS_SHEET,
  RowOf,
  RULES_SHEET,
  SCORES_SHEET,
} from './layout.ts';

export type IsoDate = string;

export type UnitKind = 'department' | 'subordinate' | 'county';

export const UNIT_KIND_LABEL: Record<UnitKind, ListItem<'unitKind'>> = {
  department: '机关科室',
  subordinate: '局属单位',
  county: '县区局',
};

export interface Unit {
  id: string;
  name: string;
  kind: UnitKind;
  /** The seed names this unit only as a group (e.g. "各频率、频道"): the name is a plausible example. */
  example?: boolean;
}

export type PhaseId = 'mobilisation' | 'implementation' | 'assessment';

export interface Phase {
  id: PhaseId;
  name: string;
  start: IsoDate;
  end: IsoDate;
  guidance: string;
}

export interface KeyTask {
  id: string;
  name: string;
  detail: string;
  lead: string;
  cooperating: string[];
  deadline: IsoDate;
}

export type IndicatorMethod = 'auto' | 'self' | 'bonus' | 'deduction' | 'veto';

/** Which workbook data an `auto` indicator is computed from. */
export type AutoRule = 'handIn' | 'keyTasks' | 'complaints' | 'rules' | 'problems' | 'verifiedComplaints';

export interface Indicator {
  id: string;
  category: string;
  content: string;
  standard: string;
  maxPoints: number;
  method: IndicatorMethod;
  auto?: AutoRule;
  evidence?: string;
}

export interface GradeBand {
  grade: Grade;
  min: number;
}

export type Grade = '优秀' | '良好' | '合格' | '不合格';

export interface ScoringRules {
  bonusCap: number;
  /** Points taken off per verified (查实) complaint. */
  deductionPerVerifiedComplaint: number;
  deductionCap: number;
  /** Working days a complaint has when its 办结时限 is blank. */
  complaintDefaultWorkingDays: number;
  /** A self score this many points above the final score is flagged for explanation. */
  selfOverFinalFlag: number;
  keyTask: {
    mostlyDoneProgress: number;
    mostlyDoneShare: number;
    partialFactor: number;
    latePenalty: number;
  };
  /** `review-else-self`: the assessors' score where given, else the unit's self score flagged 未经考核组评定. */
  finalScore: 'review-else-self' | 'review-only' | 'average';
  /** 部分属实 counts as 查实 for commendation eligibility (default true). */
  partialCountsAsVerified?: boolean;
}

/** How a group of tied units (并列) straddling a quota edge is treated: all in, or none of them. */
export type TieRule = 'include' | 'exclude';

export interface GradingRules {
  bands: GradeBand[];
  /** 优秀 at most floor(n × this) of each unit kind, n = the plan's units of that kind. */
  excellentQuota: number;
  /** At least this many 优秀 places per kind (default 0). */
  minimum?: number;
  /** 并列 units across the 优秀 quota edge (default include). */
  ties?: TieRule;
  /** Categories that order units of equal total, in turn (default: the 重点任务 then the 效能投诉 category). */
  tieBreak?: string[];
}

export type CommendationCategory = ListItem<'nomination'>;

/** One awardee on the commendation lists; defined with the year's results, re-exported for the core. */
export type { Commendation } from './results.ts';

export interface CommendationRules {
  unitQuota: number;
  departmentQuota: number;
  personPerUnit: number;
  personTotal: number;
  /** At least this many places for 先进单位 and for 先进科室 (default 0). */
  minimum?: number;
  /** 并列 units (or persons of 并列 units) across a quota edge (default include). */
  ties?: TieRule;
}

/** A leading-group decision recorded in the plan, applied after every computed rule. */
export interface Decision {
  /** Unit id; for a person, the nominating unit. */
  unit: string;
  /** A person's name, as nominated by `unit`. */
  person?: string;
  grade?: Grade;
  /** A commendation to give, or 不予表彰 to take one away. */
  commendation?: CommendationCategory | '不予表彰';
  reason: string;
  date: IsoDate;
}

export interface Activity {
  id: string;
  name: string;
  year: number;
  organ: string;
  office: string;
  contact: string;
  phone: string;
  handInDeadline: IsoDate;
  /** The higher-level document the campaign follows, e.g. 市委《…实施方案》 (documents cite it when given). */
  basis?: string;
  /** The organ's own implementation plan, e.g. 局《推进机关效能实施方案》. */
  ownPlan?: string;
  /** The sector word for 全市…事业, e.g. 广电 (default: none, the documents then say 全市各项事业). */
  sector?: string;
}

/** How one issued document is headed and closed (GB/T 9704 7.2–7.4); unset fields take the document's default. */
export interface IssueSettings {
  /** 发文字号, e.g. 市广电发〔2012〕3号. */
  number?: string;
  /** 版头: 发文机关标志 (organ + 文件), 发文字号 and the red line. */
  header?: boolean;
  /** 加盖印章的落款: 成文日期右空四字, the organ centred above it. */
  sealed?: boolean;
  /** 版记 (抄送, 印发机关, 印发日期) at the foot of the last page. */
  colophon?: boolean;
}

/** The plan's `documents:` key: what an office sets on the documents it issues. */
export interface DocumentsPlan {
  decision?: IssueSettings;
  notice?: IssueSettings & { objectionAddress?: string; objectionEmail?: string };
  report?: IssueSettings & { addressee?: string };
  /** 抄送机关, in the 版记. */
  cc?: string[];
  /** 印发机关, in the 版记; defaults to the organ's 办公室. */
  printer?: string;
  /** 下一步工作, one paragraph each, in the report. */
  nextSteps?: string[];
}

export interface Plan {
  activity: Activity;
  phases: Phase[];
  units: Unit[];
  keyTasks: KeyTask[];
  indicators: Indicator[];
  scoring: ScoringRules;
  grading: GradingRules;
  commendation: CommendationRules;
  /** The office's review password: locks assessor cells in unit workbooks and keys the review seal. */
  review?: { password: string };
  /** Holiday calendars for years the calendar package does not cover, keyed by year. */
  calendar?: PlanCalendar;
  /** Leading-group overrides, applied last and printed as notes. */
  decisions?: Decision[];
  documents?: DocumentsPlan;
}

// ---------- Workbook data as read by either adapter ----------

/** An Excel error value such as `#REF!`. */
export interface CellError {
  error: string;
}

/**
 * What an adapter hands to the core for one cell, as the file holds it: dates are serial numbers,
 * told from other numbers by their number format (core/cells.ts reads both). Rich text and
 * formulas are flattened by the adapter (formulas to their cached result).
 */
export type RawValue = string | number | boolean | CellError | null;

export interface SheetGrid {
  /** Row-major, row 0 is Excel row 1, column 0 is column A. */
  values: RawValue[][];
  /** Same shape as values where known; used to tell date serials from plain numbers. */
  numberFormats?: (string | null | undefined)[][];
}

export interface WorkbookGrid {
  sheets: Record<string, SheetGrid>;
  /** The workbook uses the 1904 date system (Mac Excel). */
  date1904?: boolean;
}

export type Severity = '错误' | '提醒';

/** A located problem the user must look at. `cell` is A1 style, e.g. `H7`. */
export interface Problem {
  severity: Severity;
  code: string;
  message: string;
  file?: string;
  sheet?: string;
  cell?: string;
}

// ---------- The typed submission ----------

export interface WorkbookMeta {
  templateVersion: string;
  planId: string;
  planHash: string;
  unitId: string;
  createdAt: string;
  submittedAt?: string;
  contentHash?: string;
  reviewedBy?: string;
  reviewedAt?: string;
  reviewSeal?: string;
}

export type UnitInfo = FieldsOf<typeof INFO_SHEET.fields>;

export type TaskRole = ListItem<'role'>;
export type TaskReport = RowOf<typeof KEY_TASKS_SHEET>;

export type ScoreMethodLabel = ListItem<'method'>;
/** For 否决 rows self/review hold 是/否 as booleans. */
export type ScoreRow = RowOf<typeof SCORES_SHEET>;

export type ComplaintChannel = ListItem<'channel'>;
export type Verification = ListItem<'verification'>;
export type Complaint = RowOf<typeof COMPLAINTS_SHEET>;

export type ProblemSource = ListItem<'problemSource'>;
export type FixStatus = ListItem<'fixStatus'>;
export type ProblemItem = RowOf<typeof PROBLEMS_SHEET>;

export type RuleAction = ListItem<'ruleAction'>;
export type RuleItem = RowOf<typeof RULES_SHEET>;

export type Nomination = RowOf<typeof NOMINATIONS_SHEET>;

export interface Submission {
  file?: string;
  meta: WorkbookMeta | null;
  info: UnitInfo;
  keyTasks: TaskReport[];
  scores: ScoreRow[];
  complaints: Complaint[];
  problems: ProblemItem[];
  rules: RuleItem[];
  nominations: Nomination[];
}

// ---------- Results ----------

export interface IndicatorResult {
  indicatorId: string;
  category: string;
  method: IndicatorMethod;
  maxPoints: number;
  auto: number | null;
  self: number | null;
  review: number | null;
  final: number;
  /** One line of 得分依据 shown in the add-in and the report. */
  basis: string;
  unreviewed: boolean;
}

export interface UnitResult {
  unitId: string;
  unitName: string;
  kind: UnitKind;
  indicators: IndicatorResult[];
  byCategory: Record<string, number>;
  bonus: number;
  deduction: number;
  selfTotal: number;
  total: number;
  vetoed: boolean;
  verifiedComplaints: number;
  grade: Grade;
  /** 1-based; equal units share it (1, 2, 2, 4); null for vetoed units (no rank). */
  rank: number | null;
  /** Shares its rank with another unit (并列). */
  tied: boolean;
  /** The rank as printed: `1`, `并列第2`, or `—` for no rank. */
  rankText: string;
  flags: string[];
  commended: CommendationCategory | null;
}
