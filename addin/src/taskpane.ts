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

function fatal(root: HTMLElement, text: string): void {
  const p = document.createElement('p');
  p.className = 'notice notice-error';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  replaceContent(root, p);
}

void Office.onReady((info) => {
  const root = document.getElementById('app')!;
  if (info.host !== Office.HostType.Excel) {
    fatal(root, '考核填报加载项只能在 Excel 中使用。');
    return;
  }
  if (!Office.context.requirements.isSetSupported('ExcelApi', '1.7')) {
    fatal(root, '当前 Excel 版本过旧（需要 Excel 2019 或更新版本，或 Excel 网页版）。');
    return;
  }
  const parsed = parsePlan(planText, 'templates/plan.yaml');
  if (!parsed.ok) {
    fatal(root, `内置考核方案有误：${parsed.errors.map((e) => e.message).join('；')}`);
    return;
  }
  const gateway = createGateway(officeHost());
  const controller = new PaneController(gateway, { plan: parsed.plan, planHash: parsed.hash, file: '当前工作簿' });
  mountPane(root, controller, gateway);
});
