// What the pane does, without a DOM: read the workbook through the gateway, validate and
// score it with the same core code as the CLI, derive step status, lay out a new workbook,
// and stamp `_meta` on submission.

import { checkWorkbook } from '../../core/check.ts';
import { contentHash } from '../../core/hash.ts';
import { metaRows, unitWorkbookContent } from '../../core/blank.ts';
import type { WorkbookContent } from '../../core/blank.ts';
import { META_SHEET, SCORES_SHEET, SHEETS, cellAddress } from '../../core/layout.ts';
import { unitById } from '../../core/plan.ts';
import { scoreSubmission } from '../../core/score.ts';
import { reviewSeal } from '../../core/review.ts';
import { SCORESHEET_META_SHEET, SCORESHEET_PROTECTION, SCORESHEET_SHEET, checkScoreSheet, isScoreSheet, sheetStandings } from '../../core/scoresheet.ts';
import type { SheetStanding } from '../../core/scoresheet.ts';
import type { Plan, Problem, Submission, Unit, UnitResult, WorkbookGrid, WorkbookMeta } from '../../core/types.ts';
import type { CellInput, Gateway, LayoutContent, LayoutReport, Outcome } from './gateway.ts';
import { stepOfProblem, stepStatuses } from './steps.ts';
import type { StepId, StepStatus } from './steps.ts';

export interface PlanContext {
  plan: Plan;
  planHash: string;
  /** What problems name as their file: the open workbook. */
  file: string;
}

export type PaneState =
  /** interrupted: sheets of an unfinished layout are present; creating again completes it. */
  | { kind: 'start'; units: readonly Unit[]; interrupted: boolean }
  | {
      kind: 'workbook';
      meta: WorkbookMeta | null;
      unit: Unit | null;
      problems: StepProblem[];
      result: UnitResult | null;
      steps: StepStatus[];
      errors: number;
      warnings: number;
      submission: SubmissionState;
    }
  /** The 考核组's score sheet: checked as `kaohe check` does, with each unit's running total. */
  | {
      kind: 'scoresheet';
      standings: SheetStanding[];
      problems: Problem[];
      errors: number;
      warnings: number;
      /** Why the sheet's 合计 rows could not be brought up to date; null when they are. */
      totalsNotWritten: string | null;
    };

/**
 * none: never submitted; submitted: the workbook is what was submitted; modified: edited since
 * (the content no longer matches the hash stamped at submission), so it must be submitted again.
 */
export type SubmissionState = { kind: 'none' } | { kind: 'submitted'; at: string } | { kind: 'modified'; at: string };

/** The core check's 提醒 for an edit after submission; the pane says it at the top instead. */
const MODIFIED_AFTER_SUBMIT = 'meta.modifiedAfterSubmit';

/** A problem with the step it belongs to, so the pane can list one step's problems. */
export type StepProblem = Problem & { step: StepId };

export interface Submitted {
  submittedAt: string;
  contentHash: string;
}

const SHEET_NAMES = SHEETS.map((s) => s.name);
/** What a pass reads once the open workbook is known to be a score sheet. */
const SCORESHEET_NAMES = [SCORESHEET_SHEET.name, SCORESHEET_META_SHEET];

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** 2011-03-31 → 40633: Office.js writes numbers, and a date column shows them with its format. */
export function isoToSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return (Date.UTC(y, m - 1, d) - EXCEL_EPOCH) / 86_400_000;
}

/** core/blank.ts content in the gateway's terms: dates as serials, `_meta` as key/value text. */
export function layoutContent(content: WorkbookContent): LayoutContent {
  return {
    guide: content.guide,
    sheets: SHEETS.filter((s) => s.kind === 'plain' && s.key === 'guide')
      .map((sheet) => ({ sheet, rows: [] as CellInput[][] }))
      .concat(
        content.sheets.map(({ sheet, rows }) => ({
          sheet,
          rows: rows.map((row, r) =>
            row.map((value, c) => {
              const isDate = r > 0 && sheet.kind === 'table' && sheet.columns[c]?.type === 'date';
              return isDate && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? isoToSerial(value) : value;
            }),
          ),
        })),
      ),
    meta: { sheetName: META_SHEET.name, rows: metaRows(content.meta) },
  };
}

export class PaneController {
  private lastGrid: WorkbookGrid | null = null;
  private lastSubmission: Submission | null = null;
  private lastState: PaneState | null = null;
  /** A unit workbook's sheets until `_meta` says score sheet; then only its own, still in one read. */
  private sheetsToRead: readonly string[] = SHEET_NAMES;

  constructor(
    private readonly gateway: Gateway,
    private readonly context: PlanContext,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get plan(): Plan {
    return this.context.plan;
  }

  get state(): PaneState | null {
    return this.lastState;
  }

  /** One validation pass: one read of every sheet, then core check and score. */
  async validate(): Promise<Outcome<PaneState>> {
    let read = await this.gateway.readSheets(this.sheetsToRead);
    if (!read.ok) return read;
    if (isScoreSheet(read.value) !== (this.sheetsToRead === SCORESHEET_NAMES)) {
      this.sheetsToRead = this.sheetsToRead === SCORESHEET_NAMES ? SHEET_NAMES : SCORESHEET_NAMES;
      read = await this.gateway.readSheets(this.sheetsToRead);
      if (!read.ok) return read;
    }
    const grid = read.value;
    this.lastGrid = grid;
    if (isScoreSheet(grid)) {
      const state = this.scoreSheetState(grid);
      const refreshed = await this.refreshTotals(state);
      if (!refreshed.ok && state.kind === 'scoresheet') state.totalsNotWritten = refreshed.error;
      return { ok: true, value: state };
    }
    // `_meta` naming a unit is written last: without it the layout never finished (or never began).
    const metaRowsRead = grid.sheets[META_SHEET.name]?.values ?? [];
    if (!metaRowsRead.some((r) => r[0] === 'unitId' && r[1] !== null && r[1] !== undefined && String(r[1]).trim() !== '')) {
      const interrupted = SHEET_NAMES.some((name) => grid.sheets[name] !== undefined);
      this.lastState = { kind: 'start', units: this.context.plan.units, interrupted };
      return { ok: true, value: this.lastState };
    }
    const checked = checkWorkbook(grid, this.context.plan, { file: this.context.file, planHash: this.context.planHash });
    const { submission, unit } = checked;
    this.lastSubmission = submission ?? null;
    const problems = checked.problems.filter((p) => p.code !== MODIFIED_AFTER_SUBMIT);
    const result = submission && unit ? scoreSubmission(submission, this.context.plan, unit, this.now().toISOString().slice(0, 10)) : null;
    const errors = problems.filter((p) => p.severity === '错误').length;
    const meta = submission?.meta;
    const state: SubmissionState = !meta?.submittedAt
      ? { kind: 'none' }
      : meta.contentHash === contentHash(grid)
        ? { kind: 'submitted', at: meta.submittedAt }
        : { kind: 'modified', at: meta.submittedAt };
    this.lastState = {
      kind: 'workbook',
      meta: submission?.meta ?? null,
      unit: unit ?? null,
      problems: problems.map((p) => ({ ...p, step: stepOfProblem(p, grid) })),
      result,
      steps: stepStatuses(problems, grid, submission, state.kind === 'submitted'),
      errors,
      warnings: problems.length - errors,
      submission: state,
    };
    return { ok: true, value: this.lastState };
  }

  /** The same checks as `kaohe check` on a score sheet, and every unit's total from the sheet's values. */
  private scoreSheetState(grid: WorkbookGrid): PaneState {
    const checked = checkScoreSheet(grid, this.context.plan, { file: this.context.file, planHash: this.context.planHash });
    const errors = checked.problems.filter((p) => p.severity === '错误').length;
    this.lastState = {
      kind: 'scoresheet',
      standings: checked.data ? sheetStandings(grid, this.context.plan, checked.data) : [],
      problems: checked.problems,
      errors,
      warnings: checked.problems.length - errors,
      totalsNotWritten: null,
    };
    return this.lastState;
  }

  /**
   * Rewrites the 合计 rows that no longer match the assessors' scores, so the sheet shows (and
   * prints) the running totals the pane shows; nothing is written while they match.
   */
  private async refreshTotals(state: PaneState): Promise<Outcome<void>> {
    const stale = state.kind === 'scoresheet' ? state.standings.flatMap((s) => s.stale) : [];
    if (stale.length === 0) return { ok: true, value: undefined };
    const writes = stale.map((s) => ({ startCell: s.cell, rows: [[s.value]] }));
    return this.gateway.writeLocked(SCORESHEET_SHEET.name, writes, SCORESHEET_PROTECTION);
  }

  /** Lays out the open workbook for one unit of the plan. */
  async createWorkbook(unitId: string, now: Date): Promise<Outcome<LayoutReport>> {
    const unit = unitById(this.context.plan, unitId);
    if (!unit) return { ok: false, error: `计划中没有编号为“${unitId}”的单位。` };
    const content = unitWorkbookContent(this.context.plan, unit, now.toISOString(), this.context.planHash);
    return this.gateway.createWorkbookLayout(layoutContent(content));
  }

  /** Stamps `_meta` with the time and the content hash, only when no 错误 remains. */
  async submit(now: Date): Promise<Outcome<Submitted>> {
    const checked = await this.validate();
    if (!checked.ok) return checked;
    const state = checked.value;
    if (state.kind !== 'workbook') return { ok: false, error: '这不是考核填报工作簿，请先创建填报表。' };
    if (state.errors > 0) {
      return { ok: false, error: `还有 ${state.errors} 个错误，请改正后再提交（点击问题可定位到单元格）。` };
    }
    const grid = this.lastGrid!;
    const metaValues = grid.sheets[META_SHEET.name]!.values;
    const rowOf = (key: string): number => metaValues.findIndex((r) => r[0] === key);
    const at = rowOf('submittedAt');
    const hashRow = rowOf('contentHash');
    if (at < 0 || hashRow !== at + 1) return { ok: false, error: '工作簿中记录提交情况的隐藏信息不完整，无法提交。请联系领导小组办公室重新下发工作簿。' };
    const stamp: Submitted = { submittedAt: now.toISOString(), contentHash: contentHash(grid) };
    const written = await this.gateway.writeSheet(META_SHEET.name, [[stamp.submittedAt], [stamp.contentHash]], `B${at + 1}`, { asText: true });
    if (!written.ok) return written;
    await this.validate();
    return { ok: true, value: stamp };
  }

  openPlace(place: { sheet: string; cell?: string }): Promise<Outcome<void>> {
    return place.cell ? this.gateway.selectCell(place.sheet, place.cell) : this.gateway.activateSheet(place.sheet);
  }

  goTo(problem: Problem): Promise<Outcome<void>> {
    if (!problem.sheet) return Promise.resolve({ ok: true, value: undefined });
    if (!problem.cell) return this.gateway.activateSheet(problem.sheet);
    return this.gateway.selectCell(problem.sheet, problem.cell);
  }

  /**
   * Review mode: opens 考核评分 with the office's password (Excel checks it against the sheet's
   * protection; the pane never stores it) and selects the first 考核组评分 cell.
   */
  async startReview(password: string): Promise<Outcome<{ checked: boolean }>> {
    const unlocked = await this.gateway.unlockSheet(SCORES_SHEET.name, password);
    if (!unlocked.ok) return unlocked;
    const header = SCORES_SHEET.columns.find((c) => c.key === 'review')!.header;
    const headerRow = this.lastGrid?.sheets[SCORES_SHEET.name]?.values[0] ?? [];
    // Found by header text like the parser does.
    const col = headerRow.findIndex((v) => typeof v === 'string' && v.trim() === header);
    const moved = col < 0 ? await this.gateway.activateSheet(SCORES_SHEET.name) : await this.gateway.selectCell(SCORES_SHEET.name, cellAddress(1, col));
    return moved.ok ? unlocked : moved;
  }

  /**
   * Leaving review mode: stamps `_meta` with who reviewed, when, and the seal over the assessor
   * cells (core/review.ts), then locks 考核评分 again with the same password.
   */
  async finishReview(password: string, reviewedBy: string, now: Date): Promise<Outcome<{ reviewedAt: string }>> {
    const checked = await this.validate();
    if (!checked.ok) return checked;
    const meta = this.lastGrid?.sheets[META_SHEET.name]?.values ?? [];
    const row = meta.findIndex((r) => r[0] === 'reviewedBy');
    const unitId = this.lastSubmission?.meta?.unitId;
    if (row < 0 || meta[row + 1]?.[0] !== 'reviewedAt' || meta[row + 2]?.[0] !== 'reviewSeal' || !unitId || !this.lastSubmission) {
      return { ok: false, error: '这份工作簿是旧版本，没有记录评审的位置。评审分数已填入，但无法盖评审章；请联系领导小组办公室。' };
    }
    const reviewedAt = now.toISOString();
    const seal = reviewSeal(password, unitId, reviewedBy, reviewedAt, this.lastSubmission.scores);
    const written = await this.gateway.writeSheet(META_SHEET.name, [[reviewedBy], [reviewedAt], [seal]], `B${row + 1}`, { asText: true });
    if (!written.ok) return written;
    const locked = await this.gateway.lockSheet(SCORES_SHEET.name, password);
    if (!locked.ok) return locked;
    await this.validate();
    return { ok: true, value: { reviewedAt } };
  }
}
