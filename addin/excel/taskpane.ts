// Entry point of the task pane in Excel: wait for Office.js, check the host, start the shared pane
// over the Office.js gateway.

// First: what the code below expects of the browser (Internet Explorer 11 in Office 2019).
import './polyfills.ts';
import { fatal, guardStartup, hasStarted, startPane } from '../ui/boot.ts';
import { createGateway, officeHost } from './gateway.ts';

/** How long Office.js may take to say it is ready before the pane says something is wrong. */
const READY_PATIENCE_MS = 20_000;

guardStartup();

function start(info: { host: Office.HostType | null }): void {
  if (info.host !== Office.HostType.Excel) {
    fatal('考核填报加载项只能在 Excel 中使用。请在 Excel 中打开填报工作簿，再从“开始”选项卡打开“考核填报”。');
    return;
  }
  if (!Office.context.requirements.isSetSupported('ExcelApi', '1.7')) {
    fatal('当前 Excel 版本过旧，请使用 Excel 2019 或更新版本，或使用 Excel 网页版。');
    return;
  }
  startPane(createGateway(officeHost()));
}

if (typeof Office === 'undefined') {
  fatal('无法加载 Office 组件（office.js），请检查网络后点击“重新加载”。');
} else {
  const patience = setTimeout(() => {
    if (!hasStarted()) fatal('Excel 没有响应加载项，请点击“重新加载”；如仍不行，请关闭任务窗格后重新打开。');
  }, READY_PATIENCE_MS);
  void Office.onReady((info) => {
    clearTimeout(patience);
    start(info);
  });
}
