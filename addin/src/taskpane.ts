// Entry point of the task pane: parse the bundled default plan, connect to Excel, mount the view.

// First: what the code below expects of the browser (Internet Explorer 11 in Office 2019).
import './polyfills.ts';
import planText from '../../templates/plan.yaml?raw';
import { parsePlan } from '../../core/plan.ts';
import { PaneController } from './controller.ts';
import { createGateway, officeHost } from './gateway.ts';
import { mountPane } from './ui/app.ts';
import { replaceContent } from './ui/view.ts';
import './ui/taskpane.css';

/** How long Office.js may take to say it is ready before the pane says something is wrong. */
const READY_PATIENCE_MS = 20_000;

/** A failure before the pane could start: a Chinese sentence and a way on, never a blank pane. */
function fatal(text: string): void {
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
let started = false;

// Anything thrown before the pane is up would otherwise leave 正在加载… on screen for good.
window.addEventListener('error', () => {
  if (!started) fatal(UNEXPECTED);
});
window.addEventListener('unhandledrejection', () => {
  if (!started) fatal(UNEXPECTED);
});

function start(info: { host: Office.HostType | null }): void {
  if (info.host !== Office.HostType.Excel) {
    fatal('考核填报加载项只能在 Excel 中使用。请在 Excel 中打开填报工作簿，再从“开始”选项卡打开“考核填报”。');
    return;
  }
  if (!Office.context.requirements.isSetSupported('ExcelApi', '1.7')) {
    fatal('当前 Excel 版本过旧，请使用 Excel 2019 或更新版本，或使用 Excel 网页版。');
    return;
  }
  const parsed = parsePlan(planText, 'templates/plan.yaml');
  if (!parsed.ok) {
    fatal(`内置考核方案有误：${parsed.errors.map((e) => e.message).join('；')}`);
    return;
  }
  const gateway = createGateway(officeHost());
  const controller = new PaneController(gateway, { plan: parsed.plan, planHash: parsed.hash, file: '当前工作簿' });
  started = true;
  mountPane(document.getElementById('app')!, controller, gateway);
}

if (typeof Office === 'undefined') {
  fatal('无法加载 Office 组件（office.js），请检查网络后点击“重新加载”。');
} else {
  const patience = setTimeout(() => {
    if (!started) fatal('Excel 没有响应加载项，请点击“重新加载”；如仍不行，请关闭任务窗格后重新打开。');
  }, READY_PATIENCE_MS);
  void Office.onReady((info) => {
    clearTimeout(patience);
    start(info);
  });
}
