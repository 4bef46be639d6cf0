// The pane's markup as a function of its state. Plain DOM: the pane is small and must load
// fast on an intranet; every interactive element is a real button for keyboard use.

import { META_SHEET } from '../../core/layout.ts';
import { SCORESHEET_SHEET } from '../../core/scoresheet.ts';
import type { SheetStanding } from '../../core/scoresheet.ts';
import { formatPoints } from '../../core/points.ts';
import { UNIT_KIND_LABEL } from '../../core/types.ts';
import type { IndicatorResult, Problem, Unit, UnitKind, UnitResult } from '../../core/types.ts';
import type { PaneState } from './controller.ts';
import type { StepId, StepState, StepStatus } from './steps.ts';

export interface Notice {
  kind: 'error' | 'info' | 'success';
  text: string;
  /** Offered with every failure that came from Excel: does the same thing again. */
  retry?: () => void;
}

export interface ViewModel {
  pane: PaneState | null;
  busy: string | null;
  notice: Notice | null;
  step: StepId;
  /** List only this step's problems; null lists all. */
  problemFilter: StepId | null;
  guidance: string;
  /** off; asking: the sign-in form for the office's password; on: 考核评分 is open for the assessors. */
  review: 'off' | 'asking' | 'on';
  /** On: whether Excel checked the password (false when the workbook's sheet had none). */
  reviewChecked: boolean;
  /** Shown once when the host cannot add dropdowns (ExcelApi below 1.8). */
  capabilityNote: string | null;
}

export interface ViewActions {
  createWorkbook(unitId: string): void;
  checkAll(): void;
  submit(): void;
  toggleReview(): void;
  enterReview(reviewer: string, password: string): void;
  finishReview(): void;
  /** Selects the problem after the one last visited in the list shown (wrapping round). */
  nextProblem(): void;
  openStep(step: StepStatus): void;
  goTo(problem: Problem): void;
  /** Selects a cell (or a sheet) that is not a problem's, such as a unit's 合计. */
  openPlace(place: { sheet: string; cell?: string }): void;
  showAllProblems(): void;
}

type Child = Node | string | null | false | undefined;

function h(tag: string, attrs: Record<string, string | boolean | ((e: Event) => void)> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false) el.setAttribute(name, value);
  }
  for (const child of children) {
    // appendChild, not append(): Internet Explorer 11 has no ParentNode.append.
    if (child !== null && child !== false && child !== undefined) el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/** Replaces an element's content (replaceChildren is missing in Internet Explorer 11). */
export function replaceContent(parent: HTMLElement, child: Node): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  parent.appendChild(child);
}

const STEP_MARK: Record<StepState, { mark: string; label: string }> = {
  done: { mark: '✓', label: '已完成' },
  problem: { mark: '!', label: '有错误' },
  warn: { mark: '?', label: '有提醒' },
  todo: { mark: '', label: '未填写' },
};

export function render(model: ViewModel, actions: ViewActions): HTMLElement {
  const pane = model.pane;
  return h(
    'div',
    { class: 'pane', 'aria-busy': model.busy ? 'true' : 'false' },
    header(pane),
    pane?.kind === 'workbook' &&
      pane.submission.kind === 'modified' &&
      h('div', { class: 'notice notice-warn', role: 'alert', id: 'resubmit' }, `已修改，需重新提交（上次提交于 ${localDateTime(pane.submission.at)}）`),
    model.notice && noticeBox(model.notice, Boolean(model.busy)),
    model.capabilityNote && h('div', { class: 'notice notice-info', role: 'note' }, model.capabilityNote),
    model.busy && h('div', { class: 'busy', role: 'status' }, model.busy),
    pane === null
      ? null
      : pane.kind === 'start'
        ? startScreen(pane.units, pane.interrupted, actions, Boolean(model.busy))
        : pane.kind === 'scoresheet'
          ? scoreSheetScreen(model, pane, actions)
          : workbookScreen(model, pane, actions),
  );
}

function noticeBox(notice: Notice, busy: boolean): HTMLElement {
  return h(
    'div',
    { class: `notice notice-${notice.kind}`, role: notice.kind === 'error' ? 'alert' : 'status' },
    h('span', {}, notice.text),
    notice.retry && h('button', { type: 'button', id: 'retry', class: 'retry', disabled: busy, onClick: notice.retry }, '重试'),
  );
}

function header(pane: PaneState | null): HTMLElement {
  const result = pane?.kind === 'workbook' ? pane.result : null;
  const name = pane?.kind === 'workbook' ? (pane.unit?.name ?? '未识别的单位') : pane?.kind === 'scoresheet' ? '考核组评分表' : '考核填报';
  return h(
    'header',
    { class: 'header' },
    h('div', { class: 'header-title' }, h('h1', {}, name), pane?.kind === 'workbook' && pane.submission.kind === 'submitted' && h('span', { class: 'tag tag-ok', title: `提交于 ${localDateTime(pane.submission.at)}` }, '已提交')),
    result && gradeBadge(result, pane?.kind === 'workbook' && pane.steps.some((s) => s.state === 'todo' && s.id !== 'final')),
  );
}

/** The running score, always marked 预计; neutral until every step has something in it. */
function gradeBadge(result: UnitResult, unfinished: boolean): HTMLElement {
  const cls = unfinished ? 'grade-pending' : result.vetoed || result.grade === '不合格' ? 'grade-bad' : result.grade === '优秀' ? 'grade-top' : 'grade-mid';
  return h(
    'div',
    { class: `grade ${cls}`, 'aria-label': `预计得分 ${formatPoints(result.total)} 分，预计等次 ${result.grade}${unfinished ? '，尚未填完' : ''}` },
    h('span', { class: 'grade-caption' }, unfinished ? '预计（未填完）' : '预计'),
    h('span', { class: 'grade-total' }, formatPoints(result.total)),
    h('span', { class: 'grade-label' }, result.grade),
  );
}

function startScreen(units: readonly Unit[], interrupted: boolean, actions: ViewActions, busy: boolean): HTMLElement {
  const select = h('select', { id: 'unit-select', 'aria-label': '填报单位' }) as HTMLSelectElement;
  select.appendChild(h('option', { value: '' }, '请选择本单位…'));
  for (const kind of Object.keys(UNIT_KIND_LABEL) as UnitKind[]) {
    const group = h('optgroup', { label: UNIT_KIND_LABEL[kind] });
    for (const u of units.filter((x) => x.kind === kind)) group.appendChild(h('option', { value: u.id }, u.name));
    if (group.childElementCount > 0) select.appendChild(group);
  }
  const create = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: 'create-workbook',
      disabled: busy,
      onClick: () => actions.createWorkbook(select.value),
    },
    '创建填报表',
  );
  return h(
    'section',
    { class: 'start', 'aria-labelledby': 'start-title' },
    interrupted
      ? h('h2', { id: 'start-title' }, '填报表尚未创建完成')
      : h('h2', { id: 'start-title' }, '这不是考核填报工作簿'),
    interrupted
      ? h('p', {}, '上次创建填报表时操作被中断，部分工作表已经建好。请选择与上次相同的单位，再点击“创建填报表”完成余下部分。')
      : h('p', {}, '如果领导小组办公室已下发填报表，请打开那个文件。也可以在这个空白工作簿中为本单位创建填报表：'),
    h('label', { for: 'unit-select' }, '填报单位'),
    select,
    create,
  );
}

function workbookScreen(model: ViewModel, pane: Extract<PaneState, { kind: 'workbook' }>, actions: ViewActions): HTMLElement {
  const busy = Boolean(model.busy);
  return h(
    'main',
    { class: 'main' },
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': '操作' },
      h('button', { type: 'button', id: 'check-all', disabled: busy, onClick: actions.checkAll }, '全部检查'),
      model.review === 'off' &&
        h(
          'button',
          {
            type: 'button',
            id: 'submit',
            class: 'primary',
            disabled: busy || pane.errors > 0,
            title: pane.errors > 0 ? '改正全部错误后才能提交' : '在工作簿中记录提交时间',
            onClick: actions.submit,
          },
          pane.submission.kind === 'none' ? '提交' : '重新提交',
        ),
      h(
        'button',
        { type: 'button', id: 'review-toggle', 'aria-pressed': model.review !== 'off' ? 'true' : 'false', disabled: busy, onClick: actions.toggleReview },
        '考核组评审模式',
      ),
    ),
    model.review === 'asking'
      ? reviewSignIn(actions, busy)
      : model.review === 'on'
        ? h(
            'section',
            { class: 'card review', 'aria-label': '评审说明' },
            h('h2', {}, '考核组评审'),
            h('p', {}, '在“考核评分”表的“考核组评分”“考核组意见”两列打分、写意见；加分、扣分行填分数，否决行填“是”或“否”。得分面板随填写即时更新。'),
            !model.reviewChecked && h('p', { class: 'flag' }, '这份工作簿的考核评分表没有设审核密码，无法当场核对密码；请确认输入的是领导小组办公室的审核密码，否则评审章在汇总时不被采信。'),
            h('button', { type: 'button', id: 'finish-review', class: 'primary', disabled: busy, onClick: actions.finishReview }, '完成评审并盖章'),
          )
      : stepList(pane, model, actions),
    problemList(pane.problems, model.review !== 'off' ? null : model.problemFilter, pane.steps, actions),
    pane.result && scorePanel(pane.result),
  );
}

function reviewSignIn(actions: ViewActions, busy: boolean): HTMLElement {
  const name = h('input', { id: 'reviewer', type: 'text', autocomplete: 'name' }) as HTMLInputElement;
  const password = h('input', { id: 'review-password', type: 'password', autocomplete: 'off' }) as HTMLInputElement;
  const submit = (e: Event): void => {
    e.preventDefault();
    if (!name.value.trim()) name.focus();
    else if (!password.value) password.focus();
    else actions.enterReview(name.value.trim(), password.value);
  };
  return h(
    'form',
    { class: 'card review', 'aria-labelledby': 'review-title', onSubmit: submit },
    h('h2', { id: 'review-title' }, '考核组评审'),
    h('p', {}, '考核组评分、考核组意见和加分、扣分、否决各行只有考核组能填写。请输入姓名和领导小组办公室的审核密码。'),
    h('label', { for: 'reviewer' }, '考核组成员'),
    name,
    h('label', { for: 'review-password' }, '审核密码'),
    password,
    h(
      'div',
      { class: 'toolbar' },
      h('button', { type: 'submit', id: 'enter-review', class: 'primary', disabled: busy }, '进入评审'),
      h('button', { type: 'button', id: 'cancel-review', disabled: busy, onClick: actions.toggleReview }, '取消'),
    ),
  );
}

function stepList(pane: Extract<PaneState, { kind: 'workbook' }>, model: ViewModel, actions: ViewActions): HTMLElement {
  const steps = pane.steps;
  const current = steps.find((s) => s.id === model.step);
  const done = steps.filter((s) => s.state === 'done').length;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'steps-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'steps-title' }, '填报步骤'), h('span', { class: 'progress', id: 'progress' }, `${done} / ${steps.length} 步已完成`)),
    h(
      'ol',
      { class: 'steps' },
      ...steps.map((s) => {
        const mark = s.id === 'final' && s.state === 'todo' ? { mark: '', label: '未提交' } : STEP_MARK[s.state];
        const counts = [s.errors > 0 && `${s.errors} 个错误`, s.warnings > 0 && `${s.warnings} 条提醒`].filter(Boolean).join('，');
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `step step-${s.state}${s.id === model.step ? ' step-current' : ''}`,
              'data-key': `step-${s.id}`,
              'aria-current': s.id === model.step ? 'step' : 'false',
              'aria-label': `${s.title}，${mark.label}${counts ? `，${counts}` : ''}`,
              onClick: () => actions.openStep(s),
            },
            h('span', { class: 'step-mark', 'aria-hidden': 'true' }, mark.mark),
            h('span', { class: 'step-title' }, s.title),
            s.errors > 0 && h('span', { class: 'step-count count-error', 'aria-hidden': 'true' }, `${s.errors} 错`),
            s.warnings > 0 && h('span', { class: 'step-count count-warn', 'aria-hidden': 'true' }, `${s.warnings} 提醒`),
          ),
        );
      }),
    ),
    current &&
      h(
        'div',
        { class: 'guidance', role: 'region', 'aria-label': `${current.title}填写说明` },
        h('h3', {}, current.title),
        h('p', {}, model.guidance),
        current.id === 'final' && stillToDo(pane),
      ),
  );
}

/** Before 提交: what is still missing, step by step. */
function stillToDo(pane: Extract<PaneState, { kind: 'workbook' }>): HTMLElement {
  const open = pane.steps.filter((s) => s.id !== 'final' && s.state !== 'done');
  if (open.length === 0) return h('p', { class: 'todo-none', id: 'still-to-do' }, pane.errors === 0 ? '各步都已完成，可以提交。' : `还有 ${pane.errors} 个错误。`);
  const why = (s: StepStatus): string =>
    s.state === 'problem' ? `${s.errors} 个错误` : s.state === 'warn' ? `${s.warnings} 条提醒待核实` : '尚未填写';
  return h(
    'div',
    { id: 'still-to-do' },
    h('h3', {}, '还差什么'),
    h('ul', { class: 'todo' }, ...open.map((s) => h('li', {}, `${s.title}：${why(s)}`))),
  );
}

/** Sheet names as a filler knows them: the hidden `_meta` is the workbook's own record. */
function placeName(problem: Problem): string {
  return [problem.sheet === META_SHEET.name ? '工作簿信息' : problem.sheet, problem.cell].filter(Boolean).join(' ');
}

function problemList(all: readonly (Problem & { step?: StepId })[], filter: StepId | null, steps: StepStatus[], actions: ViewActions): HTMLElement {
  const problems = filter === null || filter === 'final' ? all : all.filter((p) => p.step === filter);
  const scope = filter === null || filter === 'final' ? '全部问题' : (steps.find((s) => s.id === filter)?.title ?? '');
  const errors = problems.filter((p) => p.severity === '错误').length;
  const warnings = problems.length - errors;
  const counts = [errors > 0 && `${errors} 个错误`, warnings > 0 && `${warnings} 条提醒`].filter(Boolean).join('，');
  const title = `${scope}：${counts || '没有问题'}`;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'problems-title' },
    h(
      'div',
      { class: 'card-head' },
      h('h2', { id: 'problems-title' }, title),
      problems.length > 1 && h('button', { type: 'button', class: 'link', id: 'next-problem', onClick: actions.nextProblem }, '下一个问题'),
      problems.length < all.length &&
        h('button', { type: 'button', class: 'link', id: 'show-all-problems', onClick: actions.showAllProblems }, '显示全部'),
    ),
    problems.length > 0 &&
      h(
        'ul',
        { class: 'problems' },
        ...problems.map((p, i) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: `problem ${p.severity === '错误' ? 'problem-error' : 'problem-warn'}`,
                'data-key': `problem-${p.sheet ?? ''}-${p.cell ?? ''}-${i}`,
                'aria-label': `${p.severity}：${placeName(p)}，${p.message.replace(/_meta/g, '工作簿信息')}`,
                onClick: () => actions.goTo(p),
              },
              h('span', { class: 'sev' }, p.severity),
              h('span', { class: 'where' }, placeName(p)),
              h('span', { class: 'msg' }, p.message.replace(/_meta/g, '工作簿信息')),
            ),
          ),
        ),
      ),
  );
}

/** The assessors' view: what the sheet's checks found, and each unit's total as typed so far. */
function scoreSheetScreen(model: ViewModel, pane: Extract<PaneState, { kind: 'scoresheet' }>, actions: ViewActions): HTMLElement {
  return h(
    'main',
    { class: 'main' },
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': '操作' },
      h('button', { type: 'button', id: 'check-all', disabled: Boolean(model.busy), onClick: actions.checkAll }, '全部检查'),
    ),
    h(
      'section',
      { class: 'card guidance' },
      h('p', {}, '请在“考核组评分”“考核组意见”两列打分、写意见；否决行填“是”或“否”，加分行的合计不超过方案规定的上限。填写时加载项按汇总的规则即时检查，并算出各单位当前总分。'),
    ),
    problemList(pane.problems, null, [], actions),
    pane.totalsNotWritten &&
      h('div', { class: 'notice notice-info', role: 'status' }, `表中各单位“合计”行未能更新（${pane.totalsNotWritten.replace(/。$/, '')}），以下面板中的总分为准。`),
    standingsPanel(pane.standings, actions),
  );
}

function standingsPanel(standings: readonly SheetStanding[], actions: ViewActions): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'standings-title' },
    h('h2', { id: 'standings-title' }, '各单位当前总分'),
    h(
      'table',
      { class: 'scores', id: 'standings' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '单位'), h('th', { scope: 'col', class: 'num' }, '总分'))),
      h(
        'tbody',
        {},
        ...standings.map(({ unit, result, totalCell }) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              totalCell
                ? h('button', { type: 'button', class: 'link', 'data-key': `standing-${unit.id}`, onClick: () => actions.openPlace({ sheet: SCORESHEET_SHEET.name, cell: totalCell }) }, unit.name)
                : unit.name,
              result.vetoed && h('span', { class: 'tag tag-warn' }, '一票否决'),
            ),
            h('td', { class: 'num', 'data-unit': unit.id }, formatPoints(result.total)),
          ),
        ),
      ),
    ),
    h('p', { class: 'basis' }, '总分按已填的考核组评分计算；考核组评分空白的，按自评分或自动得分计。'),
  );
}

function scorePanel(result: UnitResult): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'score-title' },
    h('h2', { id: 'score-title' }, '得分'),
    h(
      'table',
      { class: 'scores' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '指标'), h('th', { scope: 'col', class: 'num' }, '得分'))),
      h(
        'tbody',
        {},
        ...result.indicators.map((i) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h('div', { class: 'ind' }, `${i.indicatorId} ${i.category}`, i.unreviewed && h('span', { class: 'tag tag-warn', title: '未经考核组评定' }, '未评定')),
              i.basis && h('div', { class: 'basis' }, i.basis),
            ),
            h('td', { class: 'num' }, pointsText(i, result.vetoed)),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        result.bonus !== 0 && h('tr', {}, h('td', {}, '加分'), h('td', { class: 'num' }, `+${fmt(result.bonus)}`)),
        result.deduction !== 0 && h('tr', {}, h('td', {}, '扣分'), h('td', { class: 'num' }, `−${fmt(Math.abs(result.deduction))}`)),
        h('tr', { class: 'total' }, h('td', {}, '合计'), h('td', { class: 'num' }, formatPoints(result.total))),
        h('tr', {}, h('td', {}, '预计等次'), h('td', { class: 'num' }, result.vetoed ? '不合格（一票否决）' : result.grade)),
      ),
    ),
    ...result.flags.map((f) => h('p', { class: 'flag' }, f)),
  );
}

/** Earned/possible for scored rows; bonus, deduction and veto rows read as what they do to the total. */
function pointsText(i: IndicatorResult, vetoed: boolean): string {
  switch (i.method) {
    case 'bonus':
      return `+${fmt(i.final)}`;
    case 'deduction':
      return i.final === 0 ? '0' : `−${fmt(Math.abs(i.final))}`;
    case 'veto':
      return vetoed ? '否决' : '否';
    default:
      return `${fmt(i.final)}/${i.maxPoints}`;
  }
}

/** `_meta` keeps UTC (ISO); the filler reads the clock on the wall: 2011年12月20日 16:00. */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Scores as every output prints them (two decimals, core/points.ts); an indicator's points stay as the plan wrote them. */
function fmt(n: number): string {
  return formatPoints(n);
}
