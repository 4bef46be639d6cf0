// Stands in for Office.js in the e2e test: the in-memory Excel fake as the `Excel` and `Office`
// globals, plus helpers the test calls through page.evaluate to act as the user in Excel.

import { FakeExcel } from '../addin-fake.ts';
import type { WorkbookSnapshot } from '../addin-fake.ts';
import { fillUnitWorkbook } from './fill.ts';

// `?api=7` plays Office 2019 LTSC (ExcelApi 1.7: no dropdowns, no switching events off).
const apiMinor = Number(new URLSearchParams(location.search).get('api') ?? 8);
const fake = new FakeExcel({ apiMinor, delayForCellEdit: apiMinor >= 8 });
// A workbook the run opened from a file (set by page.addInitScript before this script loads).
const opened = (globalThis as { kaoheOpenWorkbook?: WorkbookSnapshot }).kaoheOpenWorkbook;
if (opened) fake.loadSnapshot(opened);

const excel = { run: fake.run.bind(fake) };
const office = {
  HostType: { Excel: 'Excel' },
  context: { requirements: { isSetSupported: (set: string, version: string) => fake.isSetSupported(set, version) } },
  onReady(callback?: (info: { host: string; platform: string }) => void): Promise<{ host: string; platform: string }> {
    const info = { host: 'Excel', platform: 'OfficeOnline' };
    return Promise.resolve().then(() => {
      callback?.(info);
      return info;
    });
  },
};

Object.assign(globalThis, { kaoheHost: fake, Excel: excel, Office: office, kaoheFake: { fake, fillRequired: () => fillUnitWorkbook(fake) } });
