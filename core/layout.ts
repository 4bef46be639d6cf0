// The unit workbook contract (SPEC §3) as data. Workbook creation, dropdowns, parsing,
// CLI checks and add-in checks are all derived from this one description, and so are the
// row types the parser fills (RowOf, FieldsOf), so a new column is one edit the compiler checks.
import type { IsoDate } from './types.ts';

export const TEMPLATE_VERSION = '1';

export type ColumnType = 'text' | 'date' | 'number' | 'integer' | 'percent' | 'list' | 'yesno';

export type SheetKey =
  | 'guide'
  | 'info'
  | 'keyTasks'
  | 'scores'
  | 'complaints'
  | 'problems'
  | 'rules'
  | 'nominations'
  | 'meta';

/** Who may type into a column: the unit, the assessors (review mode), or nobody (prefilled). */
export type Editor = 'unit' | 'review' | 'fixed';

export interface ColumnSpec {
  key: string;
  header: string;
  type: ColumnType;
  list?: readonly string[];
  required?: boolean;
  width: number;
  editor: Editor;
  /** Short hint shown as the header's input message and in the add-in. */
  hint?: string;
  /** In a 否决 row of 考核评分 the column holds 是/否 (the veto applies or not) instead of points. */
  yesNoOnVeto?: true;
}

export interface TableSheet {
  kind: 'table';
  key: SheetKey;
  name: string;
  columns: readonly ColumnSpec[];
  /** Rows the workbook offers for typing below the header (prefilled rows come first). */
  blankRows: number;
}

export interface FormField {
  key: string;
  label: string;
  type: ColumnType;
  list?: readonly string[];
  required?: boolean;
  editor: Editor;
  hint?: string;
}

export interface FormSheet {
  kind: 'form';
  key: 'info';
  name: string;
  headers: readonly [string, string];
  fields: readonly FormField[];
}

export interface PlainSheet {
  kind: 'plain';
  key: 'guide' | 'meta';
  name: string;
}

export type SheetSpec = TableSheet | FormSheet | PlainSheet;

export const LISTS = {
  unitKind: ['机关科室', '局属单位', '县区局'],
  role: ['牵头', '配合'],
  method: ['自动', '自评', '加分', '扣分', '否决'],
  channel: ['来信', '来电', '来访', '网络', '其他'],
  verification: ['查实', '部分属实', '不属实', '核查中'],
  problemSource: ['领导点', '自身找', '群众提'],
  fixStatus: ['未整改', '整改中', '已整改'],
  ruleCategory: [
    '首问负责制',
    '限时办结制',
    '责任追究制',
    '岗位责任制',
    '服务承诺制',
    '公开办事制',
    '民主决策制',
    '绩效考核制',
    '其他',
  ],
  ruleAction: ['新建', '完善', '撤销', '保留'],
  nomination: ['先进单位', '先进科室', '先进个人'],
  yesNo: ['是', '否'],
} as const;

/** The three rules the seed singles out (三项制度); a unit without them in force gets a 提醒. */
export const THREE_RULES = ['首问负责制', '限时办结制', '责任追究制'] as const;

/** A spec whose given properties keep their literal types (key, type, list), the rest as declared. */
type Literal<Spec, Given> = Omit<Spec, keyof Given> & Given;

/** One column; its key, type and list keep their literal types, so each sheet's row type follows from it. */
const c = <const K extends string, const T extends ColumnType, const X extends Partial<ColumnSpec> = object>(
  key: K,
  header: string,
  type: T,
  width: number,
  editor: Editor,
  extra?: X,
): Literal<ColumnSpec, { key: K; type: T } & X> => ({ key, header, type, width, editor, ...(extra as X) });

/** One 单位信息 field, kept literal like a column. */
const field = <const F extends FormField>(f: F): Literal<FormField, F> => f;

export const GUIDE_SHEET: PlainSheet = { kind: 'plain', key: 'guide', name: '填报说明' };

export const INFO_SHEET = {
  kind: 'form',
  key: 'info',
  name: '单位信息',
  headers: ['项目', '内容'],
  fields: [
    field({ key: 'unitName', label: '单位名称', type: 'text', required: true, editor: 'fixed' }),
    field({ key: 'unitKind', label: '单位类别', type: 'list', list: LISTS.unitKind, required: true, editor: 'fixed' }),
    field({ key: 'head', label: '主要负责人', type: 'text', required: true, editor: 'unit' }),
    field({ key: 'filler', label: '填报人', type: 'text', required: true, editor: 'unit' }),
    field({ key: 'phone', label: '联系电话', type: 'text', required: true, editor: 'unit' }),
    field({ key: 'planHandedIn', label: '实施方案上报日期', type: 'date', required: true, editor: 'unit', hint: '本单位实施方案报送领导小组办公室的日期' }),
    field({ key: 'standardHandedIn', label: '量化考核标准上报日期', type: 'date', required: true, editor: 'unit', hint: '绩效考核量化标准报送日期' }),
    field({ key: 'mobilisationMeeting', label: '动员会日期', type: 'date', required: true, editor: 'unit' }),
    field({ key: 'studySessions', label: '集中学习次数', type: 'integer', required: true, editor: 'unit' }),
    field({ key: 'participants', label: '参学人数', type: 'integer', required: true, editor: 'unit' }),
    field({ key: 'reports', label: '专题报道篇数', type: 'integer', editor: 'unit', hint: '新闻单位开辟专题专栏的报道篇数，无则填0' }),
  ],
} as const satisfies FormSheet;

export const KEY_TASKS_SHEET = {
  kind: 'table',
  key: 'keyTasks',
  name: '重点任务',
  blankRows: 0,
  columns: [
    c('taskId', '任务编号', 'text', 9, 'fixed', { required: true }),
    c('taskName', '任务名称', 'text', 36, 'fixed', { required: true }),
    c('role', '本单位角色', 'list', 11, 'fixed', { list: LISTS.role, required: true }),
    c('lead', '牵头单位', 'text', 12, 'fixed'),
    c('cooperating', '配合单位', 'text', 22, 'fixed'),
    c('planned', '计划完成日期', 'date', 13, 'fixed', { required: true }),
    c('actual', '实际完成日期', 'date', 13, 'unit', { hint: '完成后填写，按“年-月-日”写' }),
    c('progress', '完成进度(%)', 'percent', 11, 'unit', { required: true, hint: '0 到 100 的数字' }),
    c('status', '进展情况', 'text', 40, 'unit', { required: true }),
    c('evidence', '佐证材料', 'text', 24, 'unit'),
  ],
} as const satisfies TableSheet;

export const SCORES_SHEET = {
  kind: 'table',
  key: 'scores',
  name: '考核评分',
  blankRows: 0,
  columns: [
    c('indicatorId', '指标编号', 'text', 9, 'fixed', { required: true }),
    c('category', '考核类别', 'text', 11, 'fixed', { required: true }),
    c('content', '考核内容', 'text', 36, 'fixed'),
    c('standard', '评分标准', 'text', 40, 'fixed'),
    c('maxPoints', '分值', 'number', 7, 'fixed', { required: true }),
    c('method', '评分方式', 'list', 9, 'fixed', { list: LISTS.method, required: true }),
    c('self', '自评分', 'number', 8, 'unit', { hint: '0 到分值之间；否决行填 是/否', yesNoOnVeto: true }),
    c('selfNote', '自评说明', 'text', 30, 'unit'),
    c('review', '考核组评分', 'number', 10, 'review', { hint: '考核组填写', yesNoOnVeto: true }),
    c('reviewNote', '考核组意见', 'text', 30, 'review'),
  ],
} as const satisfies TableSheet;

export const COMPLAINTS_SHEET = {
  kind: 'table',
  key: 'complaints',
  name: '效能投诉',
  blankRows: 30,
  columns: [
    c('id', '受理编号', 'text', 12, 'unit', { required: true }),
    c('received', '受理日期', 'date', 12, 'unit', { required: true }),
    c('channel', '投诉渠道', 'list', 10, 'unit', { list: LISTS.channel, required: true }),
    c('complainant', '投诉人', 'text', 10, 'unit'),
    c('matter', '投诉事项', 'text', 34, 'unit', { required: true }),
    c('handler', '承办责任人', 'text', 11, 'unit', { required: true }),
    c('dueBy', '办结时限', 'date', 12, 'unit', { hint: '空白则按受理后15个工作日计' }),
    c('replied', '回复日期', 'date', 12, 'unit'),
    c('result', '办理结果', 'text', 30, 'unit'),
    c('verification', '核查结论', 'list', 11, 'unit', { list: LISTS.verification }),
    c('measures', '处理措施', 'text', 26, 'unit', { hint: '查实的投诉须写明处理措施' }),
  ],
} as const satisfies TableSheet;

export const PROBLEMS_SHEET = {
  kind: 'table',
  key: 'problems',
  name: '问题清单',
  blankRows: 30,
  columns: [
    c('seq', '序号', 'text', 7, 'unit'),
    c('source', '问题来源', 'list', 10, 'unit', { list: LISTS.problemSource, required: true }),
    c('description', '问题描述', 'text', 36, 'unit', { required: true }),
    c('cause', '原因剖析', 'text', 30, 'unit'),
    c('measures', '整改措施', 'text', 30, 'unit', { required: true }),
    c('owner', '责任人', 'text', 10, 'unit', { required: true }),
    c('dueBy', '整改时限', 'date', 12, 'unit'),
    c('status', '整改状态', 'list', 10, 'unit', { list: LISTS.fixStatus, required: true }),
  ],
} as const satisfies TableSheet;

export const RULES_SHEET = {
  kind: 'table',
  key: 'rules',
  name: '制度建设',
  blankRows: 30,
  columns: [
    c('seq', '序号', 'text', 7, 'unit'),
    c('name', '制度名称', 'text', 34, 'unit', { required: true }),
    c('category', '制度类别', 'list', 13, 'unit', { list: LISTS.ruleCategory, required: true }),
    c('action', '处理方式', 'list', 10, 'unit', { list: LISTS.ruleAction, required: true }),
    c('done', '完成日期', 'date', 12, 'unit'),
    c('docNumber', '文号', 'text', 20, 'unit'),
  ],
} as const satisfies TableSheet;

export const NOMINATIONS_SHEET = {
  kind: 'table',
  key: 'nominations',
  name: '先进推荐',
  blankRows: 10,
  columns: [
    c('category', '推荐类别', 'list', 11, 'unit', { list: LISTS.nomination, required: true }),
    c('nominee', '推荐对象', 'text', 16, 'unit', { required: true }),
    // Asked only of 先进个人 (core/validate.ts): a unit nominating itself has no post.
    c('unitAndPost', '所在单位及职务', 'text', 22, 'unit', { hint: '推荐先进个人时填写' }),
    c('deeds', '主要事迹', 'text', 44, 'unit', { required: true }),
    c('practice', '经验做法', 'text', 34, 'unit'),
  ],
} as const satisfies TableSheet;

export const META_SHEET: PlainSheet = { kind: 'plain', key: 'meta', name: '_meta' };

/** Every sheet in workbook order. */
export const SHEETS: readonly SheetSpec[] = [
  GUIDE_SHEET,
  INFO_SHEET,
  KEY_TASKS_SHEET,
  SCORES_SHEET,
  COMPLAINTS_SHEET,
  PROBLEMS_SHEET,
  RULES_SHEET,
  NOMINATIONS_SHEET,
  META_SHEET,
];

export const TABLE_SHEETS: readonly TableSheet[] = SHEETS.filter((s): s is TableSheet => s.kind === 'table');

// ---------- types derived from the layout ----------

/** What a cell of each column type reads as (core/cells.ts); a list reads as one of its items. */
interface ReadAs {
  text: string;
  date: IsoDate | null;
  number: number | null;
  integer: number | null;
  percent: number | null;
  yesno: boolean | null;
}

type Field = Pick<ColumnSpec, 'key' | 'type' | 'list' | 'yesNoOnVeto'>;

/** The value of one column or form field in the parsed model. */
export type FieldValue<F extends Field> = F extends { list: readonly (infer Item)[] }
  ? Item | null
  : F extends { yesNoOnVeto: true }
    ? ReadAs[Exclude<F['type'], 'list'>] | boolean
    : ReadAs[Exclude<F['type'], 'list'>];

/** A record with one field per column or form field, named by its key. */
export type FieldsOf<Fields extends readonly Field[]> = { -readonly [F in Fields[number] as F['key']]: FieldValue<F> };

/** One row of a table sheet as the parser hands it on: its Excel row number and one field per column. */
export type RowOf<S extends TableSheet> = { row: number } & FieldsOf<S['columns']>;

/** The items of one dropdown list. */
export type ListItem<L extends keyof typeof LISTS> = (typeof LISTS)[L][number];

/** `_meta` is a two-column key/value sheet; these are its keys in order. */
export const META_KEYS = [
  'templateVersion',
  'planId',
  'planHash',
  'unitId',
  'createdAt',
  'submittedAt',
  'contentHash',
  // Stamped by the add-in's review mode (core/review.ts): who reviewed, when, and a seal over the
  // assessor cells keyed by the office's review password, so a unit cannot forge a review.
  'reviewedBy',
  'reviewedAt',
  'reviewSeal',
] as const;

/** A1 column letters for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A1 address for 0-based row and column. */
export function cellAddress(row: number, col: number): string {
  return `${columnLetter(col)}${row + 1}`;
}
