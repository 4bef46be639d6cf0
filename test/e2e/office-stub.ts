// Stands in for Office.js in the e2e test: the in-memory Excel fake as the `Excel` and `Office`
// globals, plus helpers the test calls through page.evaluate to act as the user in Excel.

import { FakeExcel } from '../addin-fake.ts';
import type { WorkbookSnapshot } from '../addin-fake.ts';
import { INFO_SHEET, KEY_TASKS_SHEET, RULES_SHEET, SCORES_SHEET, THREE_RULES } from '../../core/layout.ts';

// `?api=7` plays Office 2019 LTSC (ExcelApi 1.7: no dropdowns, no switching events off).
const apiMinor = Number(new URLSearchParams(location.search).get('api') ?? 8);
const fake = new FakeExcel({ apiMinor, delayForCellEdit: apiMinor >= 8 });
// A workbook the run opened from a file (set by page.addInitScript before this script loads).
const opened = (globalThis as { kaoheOpenWorkbook?: WorkbookSnapshot }).kaoheOpenWorkbook;
if (opened) fake.loadSnapshot(opened);

function rowsOf(sheet: string): number {
  const cells = fake.sheet(sheet)?.cells;
  let max = 0;
  for (const [k, cell] of cells ?? []) if (cell.value !== '') max = Math.max(max, Number(k.split(',')[0]));
  return max + 1;
}

function columnLetterOf(sheetColumns: readonly { key: string }[], key: string): string {
  return String.fromCharCode(65 + sheetColumns.findIndex((c) => c.key === key));
}

/** Fills every required field a diligent unit fills, as typed text, raising changed events. */
async function fillRequired(): Promise<void> {
  const info: Record<string, string | number> = {
    head: '王局长',
    filler: '李明',
    phone: '0931-8888888',
    planHandedIn: '2011-2-25',
    standardHandedIn: '2011/2/26',
    mobilisationMeeting: '2011年2月15日',
    studySessions: 6,
    participants: 32,
    reports: 0,
  };
  for (const [i, field] of INFO_SHEET.fields.entries()) {
    const value = info[field.key];
    if (value !== undefined) await fake.userEdit(INFO_SHEET.name, `B${i + 2}`, [[value]]);
  }
  const col = (key: string): string => columnLetterOf(KEY_TASKS_SHEET.columns, key);
  for (let r = 2; r <= rowsOf(KEY_TASKS_SHEET.name); r++) {
    await fake.userEdit(KEY_TASKS_SHEET.name, `${col('actual')}${r}`, [['2011-3-20']]);
    await fake.userEdit(KEY_TASKS_SHEET.name, `${col('progress')}${r}`, [[100]]);
    await fake.userEdit(KEY_TASKS_SHEET.name, `${col('status')}${r}`, [['已按计划完成，材料已报送']]);
  }
  const s = (key: string): string => columnLetterOf(SCORES_SHEET.columns, key);
  for (let r = 2; r <= rowsOf(SCORES_SHEET.name); r++) {
    const method = fake.cell(SCORES_SHEET.name, `${s('method')}${r}`);
    const max = fake.cell(SCORES_SHEET.name, `${s('maxPoints')}${r}`);
    if (method === '自评' && typeof max === 'number') {
      await fake.userEdit(SCORES_SHEET.name, `${s('self')}${r}`, [[max - 1, '对照标准逐项落实']]);
    }
  }
  const rules = THREE_RULES.map((name, i) => [String(i + 1), `${name}实施办法`, name, '完善', '2011-4-1', `广电办〔2011〕${i + 3}号`]);
  await fake.userEdit(RULES_SHEET.name, `A2:${String.fromCharCode(64 + RULES_SHEET.columns.length)}4`, rules);
}

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

Object.assign(globalThis, { Excel: excel, Office: office, kaoheFake: { fake, fillRequired } });
