// Stands in for WPS 表格 in the e2e test: the ET stand-in (test/wps-fake.ts) as `window.Application`,
// holding the workbook the run opened from a file, plus helpers the test calls through
// page.evaluate to act as the user in WPS.

import type { WorkbookSnapshot } from '../addin-fake.ts';
import { FakeEt } from '../wps-fake.ts';
import { fillUnitWorkbook } from './fill.ts';

const et = new FakeEt();
const opened = (globalThis as { kaoheOpenWorkbook?: WorkbookSnapshot }).kaoheOpenWorkbook;
if (opened) et.loadSnapshot(opened);

Object.assign(globalThis, { kaoheHost: et, Application: et, kaoheWps: { et, fillRequired: () => fillUnitWorkbook(et) } });
