// The pane's markup as a function of its state. Plain DOM: the pane is small and must load
// fast on an intranet; every interactive element is a real button for keyboard use.

import { formatPoints } from '../../../core/points.ts';
import { UNIT_KIND_LABEL } from '../../../core/types.ts';
import type { IndicatorResult, Problem, Unit, UnitKind, UnitResult } from '../../../core/types.ts';
import type { PaneState, StepProblem } from '../controller.ts';
import type { StepId, StepState, StepStatus } from '../steps.ts';

export interface Notice {
  kind: 'error' | 'info' | 'success';
  text: string;
}

export interface ViewModel {
  pane: PaneState | null;
  busy: string | null;
  notice: Notice | null;
  step: StepId;
  /** List only this step's problems; null lists all. */
  problemFilter: StepId | null;
  guidance: string;
  review: boolean;
  /** Shown once when the host cannot add dropdowns (ExcelApi below 1.8). */
  capabilityNote: string | null;
}

export interface ViewActions {
  createWorkbook(unitId: string): void;
  checkAll(): void;
  submit(): void;
  toggleReview(): void;
  openStep(step: StepStatus): void;
  goTo(problem: Problem): void;
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
  for (const child of children) if (child !== null && child !== false && child !== undefined) el.append(child);
  return el;
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
    model.notice && h('div', { class: `notice notice-${model.notice.kind}`, role: model.notice.kind === 'error' ? 'alert' : 'status' }, model.notice.text),
    model.capabilityNote && h('div', { class: 'notice notice-info', role: 'note' }, model.capabilityNote),
    model.busy && h('div', { class: 'busy', role: 'status' }, model.busy),
    pane === null ? null : pane.kind === 'start' ? startScreen(pane.units, actions, Boolean(model.busy)) : workbookScreen(model, pane, actions),
  );
}

function header(pane: PaneState | null): HTMLElement {
  const result = pane?.kind === 'workbook' ? pane.result : null;
  const name = pane?.kind === 'workbook' ? (pane.unit?.name ?? '未识别的单位') : '考核填报';
  return h(
    'header',
    { class: 'header' },
    h('div', { class: 'header-title' }, h('h1', {}, name), pane?.kind === 'workbook' && pane.submitted && h('span', { class: 'tag tag-ok' }, '已提交')),
    result && gradeBadge(result),
  );
}

function gradeBadge(result: UnitResult): HTMLElement {
  const cls = result.vetoed ? 'grade-bad' : result.grade === '优秀' ? 'grade-top' : result.grade === '不合格' ? 'grade-bad' : 'grade-mid';
  return h(
    'div',
    { class: `grade ${cls}`, 'aria-label': `预计得分 ${formatPoints(result.total)} 分，预计等次 ${result.grade}` },
    h('span', { class: 'grade-total' }, formatPoints(result.total)),
    h('span', { class: 'grade-label' }, result.grade),
  );
}

function startScreen(units: readonly Unit[], actions: ViewActions, busy: boolean): HTMLElement {
  const select = h('select', { id: 'unit-select', 'aria-label': '填报单位' }) as HTMLSelectElement;
  select.append(h('option', { value: '' }, '请选择本单位…'));
  for (const kind of Object.keys(UNIT_KIND_LABEL) as UnitKind[]) {
    const group = h('optgroup', { label: UNIT_KIND_LABEL[kind] });
    for (const u of units.filter((x) => x.kind === kind)) group.append(h('option', { value: u.id }, u.name));
    if (group.childElementCount > 0) select.append(group);
  }
  const create = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: 'create-workbook',
      disabled: busy,
      onClick: () => {
        if (select.value) actions.createWorkbook(select.value);
        else select.focus();
      },
    },
    '创建填报表',
  );
  return h(
    'section',
    { class: 'start', 'aria-labelledby': 'start-title' },
    h('h2', { id: 'start-title' }, '这不是考核填报工作簿'),
    h('p', {}, '如果领导小组办公室已下发填报表，请打开那个文件。也可以在这个空白工作簿中为本单位创建填报表：'),
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
      !model.review &&
        h(
          'button',
          {
            type: 'button',
            id: 'submit',
            class: 'primary',
            disabled: busy || pane.errors > 0,
            title: pane.errors > 0 ? '改正全部错误后才能提交' : '记录提交时间和内容指纹',
            onClick: actions.submit,
          },
          pane.submitted ? '重新提交' : '提交',
        ),
      h(
        'button',
        { type: 'button', id: 'review-toggle', 'aria-pressed': model.review ? 'true' : 'false', disabled: busy, onClick: actions.toggleReview },
        '考核组评审模式',
      ),
    ),
    model.review
      ? h('section', { class: 'card review', 'aria-label': '评审说明' }, h('h2', {}, '考核组评审'), h('p', {}, '在“考核评分”表的“考核组评分”“考核组意见”两列打分、写意见；否决行填“是”或“否”。得分面板随填写即时更新，有考核组评分的指标不再标“未经考核组评定”。'))
      : stepList(pane.steps, model, actions),
    problemList(pane.problems, model.review ? null : model.problemFilter, pane.steps, actions),
    pane.result && scorePanel(pane.result),
  );
}

function stepList(steps: StepStatus[], model: ViewModel, actions: ViewActions): HTMLElement {
  const current = steps.find((s) => s.id === model.step);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'steps-title' },
    h('h2', { id: 'steps-title' }, '填报步骤'),
    h(
      'ol',
      { class: 'steps' },
      ...steps.map((s) => {
        const mark = s.id === 'final' && s.state === 'todo' ? { mark: '', label: '未提交' } : STEP_MARK[s.state];
        const count = s.errors + s.warnings;
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
              'aria-label': `${s.title}，${mark.label}${count ? `，${count} 个问题` : ''}`,
              onClick: () => actions.openStep(s),
            },
            h('span', { class: 'step-mark', 'aria-hidden': 'true' }, mark.mark),
            h('span', { class: 'step-title' }, s.title),
            count > 0 && h('span', { class: 'step-count', 'aria-hidden': 'true' }, String(count)),
          ),
        );
      }),
    ),
    current && h('div', { class: 'guidance', role: 'region', 'aria-label': `${current.title}填写说明` }, h('h3', {}, current.title), h('p', {}, model.guidance)),
  );
}

function problemList(all: StepProblem[], filter: StepId | null, steps: StepStatus[], actions: ViewActions): HTMLElement {
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
                'aria-label': `${p.severity}：${p.sheet ?? ''}${p.cell ? ` ${p.cell}` : ''}，${p.message}`,
                onClick: () => actions.goTo(p),
              },
              h('span', { class: 'sev' }, p.severity),
              h('span', { class: 'where' }, [p.sheet, p.cell].filter(Boolean).join(' ')),
              h('span', { class: 'msg' }, p.message),
            ),
          ),
        ),
      ),
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

/** Scores as every output prints them (two decimals, core/points.ts); an indicator's points stay as the plan wrote them. */
function fmt(n: number): string {
  return formatPoints(n);
}
