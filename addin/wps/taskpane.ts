// Entry point of the task pane in WPS 表格: the page runs in WPS's embedded Chromium, where the
// add-in's pages see WPS's `Application` global; start the shared pane over the ET gateway.

// First: what the bundle expects of an older WPS's Chromium.
import './polyfills.ts';
import { fatal, guardStartup, startPane } from '../ui/boot.ts';
import { createWpsGateway, wpsApplication } from './gateway.ts';

guardStartup();

const app = wpsApplication(window);
if (!app) {
  fatal('考核填报加载项只能在 WPS 表格中使用。请在 WPS 表格中打开填报工作簿，再从“考核填报”选项卡打开任务窗格。');
} else {
  startPane(createWpsGateway(app));
}
