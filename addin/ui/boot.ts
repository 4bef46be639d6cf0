// Starting the pane, the same in every host: the bundled default plan, the controller over the
// host's gateway, the view; and a Chinese sentence with 重新加载 for anything that stops it first.

import planText from '../../templates/plan.yaml?raw';
import { parsePlan } from '../../core/plan.ts';
import { PaneController } from './controller.ts';
import type { Gateway } from './gateway.ts';
import { mountPane } from './app.ts';
import { replaceContent } from './view.ts';
import './taskpane.css';

let started = false;

/** A failure before the pane could start: a Chinese sentence and a way on, never a blank pane. */
export function fatal(text: string): void {
  const root = document.getElementById('app');
  if (!root) return;
  const box = document.createElement('div');
  box.className = 'notice notice-error';
  box.setAttribute('role', 'alert');
  const p = document.createElement('p');
  p.appendChild(document.createTextNode(text));
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.className = 'retry';
  reload.id = 'reload';
  reload.appendChild(document.createTextNode('重新加载'));
  reload.addEventListener('click', () => window.location.reload());
  box.appendChild(p);
  box.appendChild(reload);
  replaceContent(root, box);
}

const UNEXPECTED = '加载项遇到意外问题，请点击“重新加载”。如果一再出现，请关闭任务窗格后重新打开，或联系领导小组办公室。';

/** Anything thrown before the pane is up would otherwise leave 正在加载… on screen for good. */
export function guardStartup(): void {
  window.addEventListener('error', () => {
    if (!started) fatal(UNEXPECTED);
  });
  window.addEventListener('unhandledrejection', () => {
    if (!started) fatal(UNEXPECTED);
  });
}

export function hasStarted(): boolean {
  return started;
}

/** Mounts the pane over a host's gateway, checking against the plan bundled at build time. */
export function startPane(gateway: Gateway): void {
  const parsed = parsePlan(planText, 'templates/plan.yaml');
  if (!parsed.ok) {
    fatal(`内置考核方案有误：${parsed.errors.map((e) => e.message).join('；')}`);
    return;
  }
  const controller = new PaneController(gateway, { plan: parsed.plan, planHash: parsed.hash, file: '当前工作簿' });
  started = true;
  mountPane(document.getElementById('app')!, controller, gateway);
}
