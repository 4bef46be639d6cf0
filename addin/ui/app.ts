// Wires the view to the controller: state, debounced validation on change, focus kept
// across re-renders so keyboard users do not lose their place.

import { SHEETS } from '../../core/layout.ts';
import { SCORESHEET_SHEET } from '../../core/scoresheet.ts';
import type { Problem } from '../../core/types.ts';
import type { PaneController, PaneState } from './controller.ts';
import type { Gateway } from './gateway.ts';
import { stepGuidance, stepOfSheet, stepPlace } from './steps.ts';
import type { StepId, StepStatus } from './steps.ts';
import { localDateTime, render, replaceContent } from './view.ts';
import type { Notice, ViewActions, ViewModel } from './view.ts';

/** Long enough to let a burst of typing settle, short enough to feel live. */
export const VALIDATE_DEBOUNCE_MS = 600;

const NO_DROPDOWNS = '这个版本的 Excel（Excel 2019）不能给新建的填报表添加下拉列表，请按填报说明输入规定的选项；加载项的检查同样能发现填错的选项。';

function problemKey(p: Problem): string {
  return [p.severity, p.code, p.sheet ?? '', p.cell ?? '', p.message].join('|');
}

/** The sheets a unit (or the 考核组, in its score sheet) types into; `_meta` is hidden and 填报说明 is read only. */
const WATCHED_SHEETS = [...SHEETS.filter((s) => s.kind !== 'plain').map((s) => s.name), SCORESHEET_SHEET.name];

export function mountPane(root: HTMLElement, controller: PaneController, gateway: Pick<Gateway, 'onChanged' | 'onActivated'>): void {
  const model: ViewModel = {
    pane: null,
    busy: '正在读取工作簿…',
    notice: null,
    step: 'info',
    problemFilter: null,
    guidance: stepGuidance('info', controller.plan),
    review: 'off',
    reviewChecked: false,
    capabilityNote: null,
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reviewer: { name: string; password: string } | null = null;
  /** Problems of the previous pass, to put new ones first; null before the first pass. */
  let known: Set<string> | null = null;
  let lastVisited: Problem | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  function paint(): void {
    const key = (document.activeElement as HTMLElement | null)?.dataset?.['key'] ?? document.activeElement?.id;
    replaceContent(root, render(model, actions));
    if (!key) return;
    // Matched by comparison, not a selector: keys hold sheet names, and IE11 has no CSS.escape.
    const keyed = Array.prototype.slice.call(root.querySelectorAll('[data-key]')) as HTMLElement[];
    const target = keyed.filter((el) => el.dataset['key'] === key)[0] ?? document.getElementById(key);
    target?.focus();
  }

  /** Changes that arrive during a pass fold into one more pass; callers wait for the whole run. */
  function validate(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        const result = await controller.validate();
        model.busy = null;
        if (result.ok) {
          model.pane = newestFirst(result.value);
          if (model.notice?.retry === retryValidate) model.notice = null;
        } else model.notice = failure(result, retryValidate);
        paint();
      } while (again);
      running = null;
    })();
    return running;
  }

  /** Problems that appeared with the last edit go to the top; the rest keep the workbook's order. */
  function newestFirst(pane: PaneState): PaneState {
    if (pane.kind === 'start') return pane;
    const before = known;
    known = new Set(pane.problems.map(problemKey));
    if (before === null) return pane;
    const ordered = <P extends Problem>(problems: P[]): P[] => [
      ...problems.filter((p) => !before.has(problemKey(p))),
      ...problems.filter((p) => before.has(problemKey(p))),
    ];
    return pane.kind === 'scoresheet' ? { ...pane, problems: ordered(pane.problems) } : { ...pane, problems: ordered(pane.problems) };
  }

  function visibleProblems(): Problem[] {
    const pane = model.pane;
    if (pane?.kind === 'scoresheet') return pane.problems;
    if (pane?.kind !== 'workbook') return [];
    const filter = model.review !== 'off' ? null : model.problemFilter;
    return filter === null || filter === 'final' ? pane.problems : pane.problems.filter((p) => p.step === filter);
  }

  function showStep(step: StepId): void {
    model.step = step;
    model.problemFilter = step;
    model.guidance = stepGuidance(step, controller.plan);
    paint();
  }

  /** Switching sheets in Excel moves the pane to that sheet's step (unless it is already there). */
  function followSheet(sheet: string): void {
    if (stepPlace(model.step).sheet === sheet) return;
    const step = stepOfSheet(sheet);
    if (step) showStep(step);
  }

  function retryValidate(): void {
    void act('正在读取工作簿…', validate);
  }

  /** A failure as the pane shows it: Excel's failures come with 重试, the workbook's own do not. */
  function failure(outcome: { error: string; host?: true }, retry: () => void): Notice {
    return outcome.host ? { kind: 'error', text: outcome.error, retry } : { kind: 'error', text: outcome.error };
  }

  async function listen(): Promise<void> {
    const listening = await gateway.onChanged(WATCHED_SHEETS, scheduleValidate);
    model.notice = listening.ok
      ? null
      : { kind: 'info', text: `暂时无法自动检查（${listening.error.replace(/。$/, '')}）。修改后请点击“全部检查”，或点击“重试”。`, retry: () => void act('正在连接…', listen) };
  }

  function scheduleValidate(): void {
    // A success note describes the workbook before this edit.
    if (model.notice?.kind === 'success') model.notice = null;
    clearTimeout(timer);
    timer = setTimeout(() => void validate(), VALIDATE_DEBOUNCE_MS);
  }

  async function act(busy: string, work: () => Promise<void>): Promise<void> {
    model.busy = busy;
    model.notice = null;
    paint();
    try {
      await work();
    } finally {
      model.busy = null;
      paint();
    }
  }

  const actions: ViewActions = {
    createWorkbook: (unitId) => {
      if (!unitId) {
        model.notice = { kind: 'error', text: '请先在“填报单位”中选择本单位，再点击“创建填报表”。' };
        paint();
        document.getElementById('unit-select')?.focus();
        return;
      }
      void act('正在创建填报表…', async () => {
        const made = await controller.createWorkbook(unitId, new Date());
        if (!made.ok) {
          model.notice = failure(made, () => actions.createWorkbook(unitId));
          await validate(); // an interrupted layout turns the start screen into “complete it”
          return;
        }
        model.capabilityNote = made.value.dropdowns ? null : NO_DROPDOWNS;
        model.notice = { kind: 'success', text: '填报表已创建。请按步骤逐项填写，填写时加载项会自动检查。' };
        await validate();
      });
    },
    checkAll: () =>
      void act('正在检查…', async () => {
        clearTimeout(timer);
        await validate();
        const pane = model.pane;
        if (pane?.kind === 'workbook' || pane?.kind === 'scoresheet') {
          model.notice =
            pane.errors === 0
              ? { kind: 'success', text: pane.warnings === 0 ? '检查完毕，没有发现问题。' : `检查完毕，没有错误，有 ${pane.warnings} 条提醒请核实。` }
              : { kind: 'error', text: `检查完毕，有 ${pane.errors} 个错误需要改正。` };
        }
      }),
    submit: () =>
      void act('正在提交…', async () => {
        const done = await controller.submit(new Date());
        model.pane = controller.state;
        model.notice = done.ok
          ? { kind: 'success', text: `已于 ${localDateTime(done.value.submittedAt)} 提交。请保存工作簿并报送领导小组办公室。` }
          : failure(done, actions.submit);
      }),
    toggleReview: () => {
      if (model.review === 'on') return actions.finishReview();
      model.review = model.review === 'off' ? 'asking' : 'off';
      model.notice = null;
      paint();
      if (model.review === 'asking') document.getElementById('reviewer')?.focus();
    },
    enterReview: (name, password) =>
      void act('正在核对密码…', async () => {
        const opened = await controller.startReview(password);
        if (!opened.ok) {
          model.notice = failure(opened, () => actions.enterReview(name, password));
          return;
        }
        // Kept in this closure for the stamp on leaving, never written anywhere.
        reviewer = { name, password };
        model.review = 'on';
        model.reviewChecked = opened.value.checked;
      }),
    finishReview: () =>
      void act('正在盖评审章…', async () => {
        if (!reviewer) return;
        const done = await controller.finishReview(reviewer.password, reviewer.name, new Date());
        model.pane = controller.state;
        if (!done.ok) {
          model.notice = failure(done, actions.finishReview);
          return;
        }
        model.notice = { kind: 'success', text: `${reviewer.name}已于 ${localDateTime(done.value.reviewedAt)} 完成评审，考核评分表已重新锁定。请保存工作簿。` };
        reviewer = null;
        model.review = 'off';
      }),
    openStep: (step: StepStatus) =>
      void (async () => {
        showStep(step.id);
        const opened = await controller.openPlace(stepPlace(step.id));
        if (!opened.ok) {
          model.notice = failure(opened, () => actions.openStep(step));
          paint();
        }
      })(),
    showAllProblems: () => {
      model.problemFilter = null;
      paint();
    },
    nextProblem: () => {
      const shown = visibleProblems();
      if (shown.length === 0) return;
      const at = lastVisited ? shown.findIndex((p) => problemKey(p) === problemKey(lastVisited!)) : -1;
      actions.goTo(shown[(at + 1) % shown.length]!);
    },
    openPlace: (place) =>
      void (async () => {
        const opened = await controller.openPlace(place);
        if (!opened.ok) {
          model.notice = failure(opened, () => actions.openPlace(place));
          paint();
        }
      })(),
    goTo: (problem: Problem) =>
      void (async () => {
        lastVisited = problem;
        const moved = await controller.goTo(problem);
        if (!moved.ok) {
          model.notice = failure(moved, () => actions.goTo(problem));
          paint();
        }
      })(),
  };

  paint();
  void (async () => {
    await listen();
    // Without it the pane still works; only the step no longer follows the sheet.
    await gateway.onActivated(followSheet);
    await validate();
  })();
}
