// The assessors' score sheet (考核组评分表, SPEC §11) as data: one workbook for the 考核组 covering
// every unit that handed in. This one description drives the writer (generator/xlsx/scoresheet.ts),
// the reader and checks below, and the report's merge (core/assessment.ts).
import { readText } from './cells.ts';
import { LISTS, cellAddress, type ColumnSpec, type ColumnType, type Editor } from './layout.ts';
import { findSheet, headerKey, readByType } from './parse.ts';
import { indicatorsFor, methodLabel, unitById, unitByName } from './plan-lookup.ts';
import { formatPoints as pts } from './points.ts';
import { scoreSubmission, type Computed } from './score.ts';
import type { Indicator, Plan, Problem, RawValue, ScoreRow, SheetGrid, Submission, Unit, UnitInfo, UnitResult, WorkbookGrid } from './types.ts';

/** `_meta` kind that tells a score sheet from a unit workbook. */
export const SCORESHEET_KIND = 'scoresheet';
export const SCORESHEET_VERSION = '1';

const col = (key: string, header: string, type: ColumnType, width: number, editor: Editor, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  key,
  header,
  type,
  width,
  editor,
  ...extra,
});

/** The one table the assessors fill: a block of rows per unit, its running total last. */
export const SCORESHEET_SHEET = {
  name: '考核组评分表',
  columns: [
    col('unitName', '单位名称', 'text', 13, 'fixed', { required: true }),
    col('indicatorId', '指标编号', 'text', 7, 'fixed'),
    col('category', '考核类别', 'text', 9, 'fixed'),
    col('content', '考核内容', 'text', 26, 'fixed'),
    col('maxPoints', '分值', 'number', 6, 'fixed'),
    col('method', '评分方式', 'list', 7, 'fixed', { list: LISTS.method }),
    col('self', '自评分', 'number', 7, 'fixed'),
    col('selfNote', '自评说明', 'text', 18, 'fixed'),
    col('auto', '自动得分', 'number', 7, 'fixed'),
    col('basis', '得分依据', 'text', 28, 'fixed'),
    col('evidence', '佐证材料', 'text', 14, 'fixed'),
    col('review', '考核组评分', 'number', 9, 'review', {
      hint: '0 到分值之间的分数；扣分行填核定扣分；否决行选“是”或“否”；空白表示按自评分（自动项按自动得分）计',
    }),
    col('reviewNote', '考核组意见', 'text', 22, 'review'),
  ] as const satisfies readonly ColumnSpec[],
} as const;

export type ScoreSheetColumnKey = (typeof SCORESHEET_SHEET.columns)[number]['key'];

/**
 * What the protected sheet still lets the assessors do: select and widen, nothing else (the sheet
 * guards against slips, not people). The writer and the add-in's refresh of the totals both use it.
 */
export const SCORESHEET_PROTECTION = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  insertRows: false,
  sort: false,
  autoFilter: true,
} as const;

/** The running-total row of each unit block says 合计 in 考核类别 and has no indicator id. */
export const TOTAL_LABEL = '合计';

export const SCORESHEET_META_SHEET = '_meta';

export const SCORESHEET_META_KEYS = ['kind', 'templateVersion', 'planId', 'planHash', 'createdAt', 'units'] as const;

export interface ScoreSheetMeta {
  kind: string;
  templateVersion: string;
  planId: string;
  planHash: string;
  createdAt: string;
  /** Ids of the units the sheet was made for, in sheet order. */
  units: string[];
}

export type ScoreSheetValue = string | number | null;

/** One row of the sheet, by column key; `total` rows are the program's running total of a unit. */
export interface ScoreSheetRow {
  kind: 'indicator' | 'total';
  method?: Indicator['method'];
  values: Partial<Record<ScoreSheetColumnKey, ScoreSheetValue>>;
}

export interface ScoreSheetContent {
  meta: ScoreSheetMeta;
  rows: ScoreSheetRow[];
}

/** What the assessors typed for one indicator of one unit; `row` is the 1-based sheet row. */
export interface AssessorEntry {
  row: number;
  review: number | boolean | null;
  reviewNote: string;
}

export interface ScoreSheetData {
  meta: ScoreSheetMeta;
  /** unit id → indicator id → entry. */
  units: Map<string, Map<string, AssessorEntry>>;
}


// ---------- content ----------

/** The assessor cells of one unit as score rows: what the sheet holds replaces the workbook's own. */
export function withAssessorEntries(sub: Submission, entries: ReadonlyMap<string, AssessorEntry> | undefined): Submission {
  const seen = new Set<string>();
  const scores: ScoreRow[] = sub.scores.map((s) => {
    const id = s.indicatorId.trim();
    seen.add(id);
    const e = entries?.get(id);
    return { ...s, review: e?.review ?? null, reviewNote: e?.reviewNote ?? '' };
  });
  // A row the unit deleted from its workbook can still be scored by the assessors.
  for (const [id, e] of entries ?? []) {
    if (seen.has(id)) continue;
    scores.push({ row: 0, indicatorId: id, category: '', content: '', standard: '', maxPoints: null, method: null, self: null, selfNote: '', review: e.review, reviewNote: e.reviewNote });
  }
  return { ...sub, scores };
}

/** A score cell as typed: 否决 rows hold 是/否. */
function shown(v: number | boolean | null | undefined): ScoreSheetValue {
  if (typeof v === 'boolean') return v ? '是' : '否';
  return v ?? null;
}

/** A unit's 合计 row: what the writer puts there and the add-in refreshes. */
export function totalRow(unit: Unit, result: UnitResult): ScoreSheetRow {
  const base = result.indicators.filter((r) => r.method === 'auto' || r.method === 'self').reduce((s, r) => s + r.final, 0);
  const veto = result.vetoed ? '；一票否决' : '';
  return {
    kind: 'total',
    values: {
      unitName: unit.name,
      category: TOTAL_LABEL,
      content: '本单位当前总分（程序按已填的考核组评分计算，考核组评分空白的按自评分或自动得分计）',
      self: result.selfTotal,
      basis: `各项 ${pts(base)} + 加分 ${pts(result.bonus)} − 扣分 ${pts(result.deduction)} = ${pts(result.total)}${veto}`,
      review: result.total,
    },
  };
}

function basisOf(x: Indicator, plan: Plan, result: UnitResult): string {
  const r = result.indicators.find((i) => i.indicatorId === x.id);
  switch (x.method) {
    case 'auto':
    case 'deduction':
      return r?.basis ?? '';
    case 'bonus':
      return `由考核组评定，本项最多加${x.maxPoints}分，加分合计最多${plan.scoring.bonusCap}分`;
    case 'veto':
      return '由考核组评定，填“是”的等次为不合格';
    case 'self':
      return '';
  }
}

/**
 * One unit's block: every indicator with what the unit reported and the program computed, the
 * assessors' cells as given (`sub`'s review values), and its running total.
 */
export function unitBlock(plan: Plan, unit: Unit, sub: Submission): ScoreSheetRow[] {
  const result = scoreSubmission(sub, plan, unit);
  const rows = new Map(sub.scores.map((s) => [s.indicatorId.trim(), s]));
  const block: ScoreSheetRow[] = indicatorsFor(plan, unit.id).map((x) => {
    const s = rows.get(x.id);
    const r = result.indicators.find((i) => i.indicatorId === x.id);
    const computed = x.method === 'auto' || x.method === 'deduction';
    return {
      kind: 'indicator',
      method: x.method,
      values: {
        unitName: unit.name,
        indicatorId: x.id,
        category: x.category,
        content: x.content,
        maxPoints: x.method === 'deduction' ? plan.scoring.deductionCap : x.maxPoints,
        method: methodLabel(x.method),
        // A unit may self-score an auto row too; its 自评总分 counts it, so the assessors see it.
        self: x.method === 'deduction' ? null : shown(s?.self),
        selfNote: s?.selfNote ?? '',
        auto: computed ? (r?.auto ?? null) : null,
        basis: basisOf(x, plan, result),
        evidence: x.evidence ?? '',
        review: shown(s?.review),
        reviewNote: s?.reviewNote ?? '',
      },
    };
  });
  block.push(totalRow(unit, result));
  return block;
}

/**
 * The whole sheet for the units that handed in, in plan order. Assessor cells are blank, or hold
 * `assessors` (unit id → indicator id → entry) with the running totals worked out from them.
 */
export function scoreSheetContent(
  plan: Plan,
  handedIn: readonly { unit: Unit; submission: Submission }[],
  createdAt: string,
  planHash: string,
  assessors?: ReadonlyMap<string, ReadonlyMap<string, AssessorEntry>>,
): ScoreSheetContent {
  const order = new Map(plan.units.map((u, i) => [u.id, i]));
  const units = [...handedIn].sort((a, b) => (order.get(a.unit.id) ?? 0) - (order.get(b.unit.id) ?? 0));
  return {
    meta: {
      kind: SCORESHEET_KIND,
      templateVersion: SCORESHEET_VERSION,
      planId: plan.activity.id,
      planHash,
      createdAt,
      units: units.map((u) => u.unit.id),
    },
    rows: units.flatMap(({ unit, submission }) => unitBlock(plan, unit, withAssessorEntries(submission, assessors?.get(unit.id)))),
  };
}

export function scoreSheetMetaRows(meta: ScoreSheetMeta): string[][] {
  return SCORESHEET_META_KEYS.map((key) => [key, key === 'units' ? meta.units.join(',') : meta[key]]);
}

// ---------- reading ----------

function textAt(sheet: SheetGrid, row: number, c: number): string {
  const r = readText(sheet.values[row]?.[c] ?? null);
  return r.ok ? r.value : '';
}

function readMeta(grid: WorkbookGrid): ScoreSheetMeta | null {
  const sheet = findSheet(grid, SCORESHEET_META_SHEET);
  if (!sheet) return null;
  const found = new Map<string, string>();
  sheet.values.forEach((_, r) => {
    const key = textAt(sheet, r, 0);
    if (!found.has(key)) found.set(key, textAt(sheet, r, 1));
  });
  if (found.get('kind') !== SCORESHEET_KIND) return null;
  const get = (k: string): string => found.get(k) ?? '';
  return {
    kind: SCORESHEET_KIND,
    templateVersion: get('templateVersion'),
    planId: get('planId'),
    planHash: get('planHash'),
    createdAt: get('createdAt'),
    units: get('units').split(',').filter((id) => id !== ''),
  };
}

/** A score sheet is recognised by its `_meta` kind, not by its file name. */
export function isScoreSheet(grid: WorkbookGrid): boolean {
  return readMeta(grid) !== null;
}

export interface ScoreSheetCheck {
  /** Null when nothing in it may be used (not a score sheet, another activity, no table). */
  data: ScoreSheetData | null;
  problems: Problem[];
}

const HEADER_SEARCH_ROWS = 5;

function locateHeaders(sheet: SheetGrid): { headerRow: number; columns: Map<ScoreSheetColumnKey, number> } {
  const wanted = new Map(SCORESHEET_SHEET.columns.map((c) => [headerKey(c.header), c.key]));
  let best = { headerRow: 0, columns: new Map<ScoreSheetColumnKey, number>() };
  for (let r = 0; r < Math.min(HEADER_SEARCH_ROWS, sheet.values.length); r += 1) {
    const columns = new Map<ScoreSheetColumnKey, number>();
    (sheet.values[r] ?? []).forEach((_, c) => {
      const key = wanted.get(headerKey(textAt(sheet, r, c)));
      if (key !== undefined && !columns.has(key)) columns.set(key, c);
    });
    if (columns.size > best.columns.size) best = { headerRow: r, columns };
  }
  return best;
}

/** The range an assessor's score may take on one indicator row. */
function rangeOf(x: Indicator, plan: Plan): number {
  return x.method === 'deduction' ? plan.scoring.deductionCap : x.maxPoints;
}

class SheetReader {
  readonly problems: Problem[] = [];
  constructor(
    private readonly file: string | undefined,
    private readonly sheetName: string,
  ) {}

  error(code: string, message: string, row?: number, c?: number, severity: Problem['severity'] = '错误'): void {
    this.problems.push({
      severity,
      code,
      message,
      ...(this.file ? { file: this.file } : {}),
      sheet: this.sheetName,
      ...(row !== undefined && c !== undefined ? { cell: cellAddress(row, c) } : {}),
    });
  }
}

interface ReadRow {
  row: number;
  unit: Unit;
  indicator: Indicator;
  entry: AssessorEntry;
  reviewCol: number;
}

/** Reads one indicator row's assessor cells by the indicator's type; an unreadable or out-of-range value is not used. */
function readEntry(
  sheet: SheetGrid,
  r: number,
  columns: Map<ScoreSheetColumnKey, number>,
  x: Indicator,
  unit: Unit,
  plan: Plan,
  reader: SheetReader,
  date1904: boolean,
): AssessorEntry {
  const reviewCol = columns.get('review');
  const noteCol = columns.get('reviewNote');
  const note = noteCol === undefined ? '' : textAt(sheet, r, noteCol);
  let review: number | boolean | null = null;
  if (reviewCol !== undefined) {
    const raw: RawValue = sheet.values[r]?.[reviewCol] ?? null;
    const numFmt = sheet.numberFormats?.[r]?.[reviewCol] ?? undefined;
    const read = readByType(x.method === 'veto' ? 'yesno' : 'number', raw, numFmt, date1904);
    const where = `「${unit.name}」指标${x.id}的考核组评分`;
    if (!read.ok) {
      reader.error(read.code, `${where}：${read.message}；该值未计入`, r, reviewCol);
    } else if (typeof read.value === 'number') {
      const max = rangeOf(x, plan);
      if (read.value < 0 || read.value > max) {
        const what = x.method === 'deduction' ? `核定扣分应在 0 到 ${max} 分之间` : `应在 0 到分值 ${max} 分之间`;
        reader.error('scoresheet.range', `${where}为 ${read.value}，${what}；该值未计入`, r, reviewCol);
      } else review = read.value;
    } else if (typeof read.value === 'boolean') review = read.value;
  }
  return { row: r + 1, review, reviewNote: note };
}

function checkBonusCap(rows: readonly ReadRow[], plan: Plan, reader: SheetReader): void {
  const byUnit = new Map<string, ReadRow[]>();
  for (const r of rows) {
    if (r.indicator.method !== 'bonus' || typeof r.entry.review !== 'number') continue;
    byUnit.set(r.unit.id, [...(byUnit.get(r.unit.id) ?? []), r]);
  }
  const cap = plan.scoring.bonusCap;
  for (const list of byUnit.values()) {
    const sum = list.reduce((s, r) => s + (r.entry.review as number), 0);
    if (sum <= cap + 1e-9) continue;
    const last = list[list.length - 1]!;
    reader.error(
      'scoresheet.bonusCap',
      `「${last.unit.name}」加分合计 ${pts(sum)} 分，超过方案规定的最多 ${cap} 分；汇总时按 ${cap} 分计，请核定`,
      last.row - 1,
      last.reviewCol,
    );
  }
}

/** Units of the sheet's own list (or `expected`) that have no block in it. */
function checkMissingUnits(found: ReadonlySet<string>, expected: readonly string[], plan: Plan, reader: SheetReader): void {
  const missing = expected.filter((id) => !found.has(id));
  if (missing.length === 0) return;
  const names = missing.map((id) => unitById(plan, id)?.name ?? id);
  reader.error('scoresheet.unitMissing', `评分表中没有以下已报送单位的评分行：${names.join('、')}；这些单位将按未经考核组评定计`);
}

/**
 * Reads and checks a score sheet against the plan. A sheet of another activity is refused with
 * one error and nothing else; otherwise every problem is located by sheet and cell. `expected`
 * adds units that must appear (those that handed in a workbook), beyond the sheet's own list.
 */
export function checkScoreSheet(
  grid: WorkbookGrid,
  plan: Plan,
  opts: { file?: string; planHash?: string; expected?: readonly string[] } = {},
): ScoreSheetCheck {
  const metaReader = new SheetReader(opts.file, SCORESHEET_META_SHEET);
  const meta = readMeta(grid);
  if (!meta) {
    metaReader.error('scoresheet.unrecognised', '这不是考核组评分表（缺少标明评分表的隐藏“_meta”工作表）；请使用 kaohe scoresheet 生成的评分表');
    return { data: null, problems: metaReader.problems };
  }
  if (meta.planId !== plan.activity.id) {
    metaReader.error('meta.plan', `该评分表属于活动“${meta.planId || '未知'}”，不是本次活动“${plan.activity.id}”，未读取其中的任何评分；请使用本次活动生成的考核组评分表`);
    return { data: null, problems: metaReader.problems };
  }
  if (opts.planHash && meta.planHash && meta.planHash !== opts.planHash) {
    metaReader.error('meta.planChanged', '评分表生成后考核方案有修改，分值和指标可能与现行方案不一致，请核对', undefined, undefined, '提醒');
  }
  const reader = new SheetReader(opts.file, SCORESHEET_SHEET.name);
  const sheet = findSheet(grid, SCORESHEET_SHEET.name);
  if (!sheet) {
    reader.error('sheet.missing', `缺少工作表“${SCORESHEET_SHEET.name}”`);
    return { data: null, problems: [...metaReader.problems, ...reader.problems] };
  }
  const { headerRow, columns } = locateHeaders(sheet);
  for (const key of ['unitName', 'indicatorId', 'review'] as const) {
    if (columns.has(key)) continue;
    const header = SCORESHEET_SHEET.columns.find((c) => c.key === key)!.header;
    reader.error('header.missing', `找不到表头“${header}”，请恢复该列的表头文字（不要改名或删除）`, headerRow, 0);
  }
  if (reader.problems.length > 0) return { data: null, problems: [...metaReader.problems, ...reader.problems] };

  const unitCol = columns.get('unitName')!;
  const idCol = columns.get('indicatorId')!;
  const units = new Map<string, Map<string, AssessorEntry>>();
  const rows: ReadRow[] = [];
  for (let r = headerRow + 1; r < sheet.values.length; r += 1) {
    const name = textAt(sheet, r, unitCol);
    const id = textAt(sheet, r, idCol);
    if (id === '') continue; // blank rows and each unit's 合计 row
    const unit = unitByName(plan, name);
    if (!unit) {
      reader.error('scoresheet.unknownUnit', `“${name || '（空白）'}”不是本次考核方案中的单位`, r, unitCol);
      continue;
    }
    const x = indicatorsFor(plan, unit.id).find((i) => i.id === id);
    if (!x) {
      reader.error('scoresheet.unknownIndicator', `「${unit.name}」没有指标“${id}”`, r, idCol);
      continue;
    }
    const entries = units.get(unit.id) ?? new Map<string, AssessorEntry>();
    units.set(unit.id, entries);
    if (entries.has(x.id)) {
      reader.error('scoresheet.duplicateRow', `「${unit.name}」指标${x.id}在第${entries.get(x.id)!.row}行已有一行，本行未计入`, r, idCol);
      continue;
    }
    const entry = readEntry(sheet, r, columns, x, unit, plan, reader, grid.date1904 === true);
    entries.set(x.id, entry);
    rows.push({ row: r + 1, unit, indicator: x, entry, reviewCol: columns.get('review')! });
  }
  checkBonusCap(rows, plan, reader);
  checkMissingUnits(new Set(units.keys()), [...new Set([...meta.units, ...(opts.expected ?? [])])], plan, reader);
  return { data: { meta, units }, problems: [...metaReader.problems, ...reader.problems] };
}

// ---------- running totals ----------

/** One unit's running total as the sheet stands, and the cell of its 合计 row that shows it (null when deleted). */
export interface SheetStanding {
  unit: Unit;
  result: UnitResult;
  totalCell: string | null;
  /** Cells of the 合计 row that no longer say what `totalRow` says for `result`: the add-in rewrites them. */
  stale: { cell: string; value: ScoreSheetValue }[];
}

const sameValue = (a: RawValue | undefined, b: ScoreSheetValue | undefined): boolean => {
  const blank = (v: unknown): boolean => v === null || v === undefined || v === '';
  if (blank(a) || blank(b)) return blank(a) && blank(b);
  return typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b;
};

const NO_INFO: UnitInfo = {
  unitName: '',
  unitKind: null,
  head: '',
  filler: '',
  phone: '',
  planHandedIn: null,
  standardHandedIn: null,
  mobilisationMeeting: null,
  studySessions: null,
  participants: null,
  reports: null,
};

/**
 * Each unit's running total from the sheet alone, scored by core/score.ts as the report scores
 * it: the self scores and the program's auto scores the sheet lists, with the assessors' cells
 * `checkScoreSheet` accepted (a value it refused counts as blank, as in the report).
 */
export function sheetStandings(grid: WorkbookGrid, plan: Plan, data: ScoreSheetData): SheetStanding[] {
  const sheet = findSheet(grid, SCORESHEET_SHEET.name);
  if (!sheet) return [];
  const { headerRow, columns } = locateHeaders(sheet);
  const numberAt = (r: number, key: ScoreSheetColumnKey): number | null => {
    const c = columns.get(key);
    if (c === undefined) return null;
    const read = readByType('number', sheet.values[r]?.[c] ?? null, sheet.numberFormats?.[r]?.[c] ?? undefined, grid.date1904 === true);
    return read.ok && typeof read.value === 'number' ? read.value : null;
  };
  const textOf = (r: number, key: ScoreSheetColumnKey): string => {
    const c = columns.get(key);
    return c === undefined ? '' : textAt(sheet, r, c);
  };
  const totalRows = new Map<string, number>();
  for (let r = headerRow + 1; r < sheet.values.length; r += 1) {
    const unit = textOf(r, 'category') === TOTAL_LABEL ? unitByName(plan, textOf(r, 'unitName')) : undefined;
    if (unit && !totalRows.has(unit.id)) totalRows.set(unit.id, r);
  }
  const staleCells = (r: number | undefined, unit: Unit, result: UnitResult): SheetStanding['stale'] => {
    if (r === undefined) return [];
    return Object.entries(totalRow(unit, result).values).flatMap(([key, value]) => {
      const c = columns.get(key as ScoreSheetColumnKey);
      return c === undefined || sameValue(sheet.values[r]?.[c], value) ? [] : [{ cell: cellAddress(r, c), value: value ?? null }];
    });
  };
  return plan.units.flatMap((unit) => {
    const entries = data.units.get(unit.id);
    if (!entries) return [];
    const computed = new Map<string, Computed>();
    const scores: ScoreRow[] = [];
    for (const [id, e] of entries) {
      const r = e.row - 1;
      computed.set(id, { points: numberAt(r, 'auto') ?? 0, basis: textOf(r, 'basis') });
      scores.push({ row: e.row, indicatorId: id, category: '', content: '', standard: '', maxPoints: null, method: null, self: numberAt(r, 'self'), selfNote: '', review: e.review, reviewNote: e.reviewNote });
    }
    const sub: Submission = { meta: null, info: { ...NO_INFO, unitName: unit.name }, keyTasks: [], scores, complaints: [], problems: [], rules: [], nominations: [] };
    const result = scoreSubmission(sub, plan, unit, undefined, computed);
    const r = totalRows.get(unit.id);
    return [{ unit, result, totalCell: r === undefined ? null : cellAddress(r, columns.get('review')!), stale: staleCells(r, unit, result) }];
  });
}
