// The WPS 表格 gateway against the ET stand-in (test/wps-fake.ts): what the pane needs of a host,
// with the object model's awkward corners (scalar Value2, BigInt, used ranges away from A1, events
// for the add-in's own writes, protected sheets) normalised.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PaneController } from '../addin/ui/controller.ts';
import { SHEET_PROTECTED, WRONG_PASSWORD } from '../addin/ui/gateway.ts';
import type { SheetChange } from '../addin/ui/gateway.ts';
import { createWpsGateway, valueRows, wpsApplication } from '../addin/wps/gateway.ts';
import { COMPLAINTS_SHEET, INFO_SHEET, META_SHEET, SCORES_SHEET, SHEETS, columnLetter } from '../core/layout.ts';
import { DATE_FORMAT, PROTECTION } from '../core/look.ts';
import { parsePlan } from '../core/plan.ts';
import type { Plan } from '../core/types.ts';
import { FakeEt } from './wps-fake.ts';
import type { WpsFakeOptions } from './wps-fake.ts';

let plan: Plan;
let planHash: string;

beforeAll(() => {
  const parsed = parsePlan(readFileSync(resolve(import.meta.dirname, '../templates/plan.yaml'), 'utf8'), 'plan.yaml');
  if (!parsed.ok) throw new Error('default plan does not parse');
  plan = parsed.plan;
  planHash = parsed.hash;
});

const NOW = new Date('2011-12-20T08:00:00Z');

async function laidOut(et = new FakeEt()): Promise<{ et: FakeEt; controller: PaneController; changes: SheetChange[] }> {
  const gateway = createWpsGateway(et);
  const changes: SheetChange[] = [];
  const watched = await gateway.onChanged(SHEETS.filter((s) => s.kind !== 'plain').map((s) => s.name), (c) => changes.push(c));
  expect(watched.ok).toBe(true);
  const controller = new PaneController(gateway, { plan, planHash, file: '当前工作簿' }, () => NOW);
  const made = await controller.createWorkbook('office', NOW);
  if (!made.ok) throw new Error(made.error);
  return { et, controller, changes };
}

const col = (sheet: { columns: readonly { key: string }[] }, key: string): string => columnLetter(sheet.columns.findIndex((c) => c.key === key));

describe('reading', () => {
  it('takes a scalar Value2 for one cell, a used range away from A1, BigInt and empty cells as core/ counts them', async () => {
    const et = new FakeEt({ bigIntIntegers: true });
    const sheet = et.sheet('Sheet1')!;
    et.setCell(sheet, 4, 2, 40633, DATE_FORMAT); // C5, a date serial
    et.setCell(sheet, 5, 3, '文字'); // D6
    const lone = et.addSheet('一格');
    et.setCell(lone, 1, 1, 7); // B2 only: Value2 is the scalar 7n
    et.addSheet('空表');
    const read = await createWpsGateway(et).readSheets(['Sheet1', '一格', '空表', '没有这张表']);
    if (!read.ok) throw new Error(read.error);
    const s = read.value.sheets['Sheet1']!;
    expect(s.values[4]).toEqual([null, null, 40633, null]);
    expect(s.values[5]).toEqual([null, null, null, '文字']);
    expect(s.numberFormats?.[4]?.[2]).toBe(DATE_FORMAT);
    expect(s.numberFormats?.[5]?.[3]).toBe('General');
    expect(read.value.sheets['一格']!.values).toEqual([[], [null, 7]]);
    expect(read.value.sheets['空表']).toEqual({ values: [], numberFormats: [] });
    expect(read.value.sheets['没有这张表']).toBeUndefined();
  });

  it('normalises Value2 shapes', () => {
    expect(valueRows(5)).toEqual([[5]]);
    expect(valueRows([[1, 2], [3, 4]])).toEqual([[1, 2], [3, 4]]);
  });

  it('finds WPS only where the global Application has an ApiEvent', () => {
    expect(wpsApplication({})).toBeNull();
    const et = new FakeEt();
    expect(wpsApplication({ Application: et })).toBe(et);
  });
});

describe('laying out a workbook in WPS', () => {
  it('writes every sheet, hides _meta very hidden, drops the empty Sheet1, protects with unit cells open', async () => {
    const { et, controller } = await laidOut();
    expect(et.sheets.map((s) => s.name)).toEqual(SHEETS.map((s) => s.name));
    expect(et.sheet(META_SHEET.name)!.visible).toBe(2);
    expect(et.sheets.filter((s) => s.name !== META_SHEET.name).every((s) => s.visible === -1)).toBe(true);
    expect(et.DisplayAlerts).toBe(true);
    expect(et.EnableEvents).toBe(true);
    const complaints = et.sheet(COMPLAINTS_SHEET.name)!;
    expect(complaints.frozenRows).toBe(1);
    expect(complaints.protected).toBe(true);
    // A unit column is open far down; the header is not.
    expect(et.isLocked(complaints, 1, 0)).toBe(false);
    expect(et.isLocked(complaints, 400, 0)).toBe(false);
    expect(et.isLocked(complaints, 0, 0)).toBe(true);
    // List dropdowns as Validation.Add(3, 1, 1, "a,b"), with the dropdown arrow.
    const channel = complaints.validations.find((v) => v.bounds.col === COMPLAINTS_SHEET.columns.findIndex((c) => c.key === 'channel'));
    expect(channel).toMatchObject({ type: 3, inCellDropdown: true });
    expect(channel!.formula1!.split(',')).toEqual(COMPLAINTS_SHEET.columns.find((c) => c.key === 'channel')!.list);
    expect(et.activeSheet).toBe(SHEETS[0]!.name);
    const state = await controller.validate();
    expect(state.ok && state.value.kind === 'workbook' && state.value.unit?.id).toBe('office');
  });

  it('a unit cannot type into an assessor cell, and an open cell it types into is checked', async () => {
    const { et, controller, changes } = await laidOut();
    expect(() => et.userEdit(SCORES_SHEET.name, `${col(SCORES_SHEET, 'review')}2`, [[8]])).toThrow();
    et.userEdit(COMPLAINTS_SHEET.name, `${col(COMPLAINTS_SHEET, 'received')}2`, [['2011-13-45']]);
    expect(changes).toEqual([{ sheetId: COMPLAINTS_SHEET.name, address: `${col(COMPLAINTS_SHEET, 'received')}2` }]);
    const state = await controller.validate();
    if (!state.ok || state.value.kind !== 'workbook') throw new Error('not a workbook');
    expect(state.value.problems.some((p) => p.sheet === COMPLAINTS_SHEET.name && p.message.includes('2011-13-45'))).toBe(true);
  });

  it.each<[string, WpsFakeOptions]>([
    ['honours EnableEvents', {}],
    ['ignores EnableEvents', { ignoresEnableEvents: true }],
  ])('the add-in’s own writes are not taken for edits when WPS %s', async (_name, options) => {
    const { et, controller, changes } = await laidOut(new FakeEt(options));
    const submitted = await controller.createWorkbook('office', NOW); // resumes over its own sheets
    expect(submitted.ok).toBe(true);
    const written = await createWpsGateway(et).writeSheet(INFO_SHEET.name, [['x']], 'B3');
    expect(written.ok).toBe(false); // 单位名称 is prefilled and locked
    if (options.ignoresEnableEvents) expect(et.raised.length).toBeGreaterThan(0);
    expect(changes).toEqual([]);
    // A user's edit elsewhere right after is seen; in a cell the add-in just wrote, once its echo may no longer come.
    const received = `${col(COMPLAINTS_SHEET, 'received')}9`;
    et.userEdit(COMPLAINTS_SHEET.name, received, [['2011-3-1']]);
    expect(changes).toEqual([{ sheetId: COMPLAINTS_SHEET.name, address: received }]);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 1_000);
      et.userEdit(INFO_SHEET.name, 'B4', [['赵局长']]);
    } finally {
      vi.useRealTimers();
    }
    expect(changes).toHaveLength(2);
  });

  it('refuses a sheet of the layout’s name holding something else, and leaves it as it was', async () => {
    const et = new FakeEt();
    et.setCell(et.addSheet(COMPLAINTS_SHEET.name), 0, 0, '我的表');
    const controller = new PaneController(createWpsGateway(et), { plan, planHash, file: 'x' }, () => NOW);
    const made = await controller.createWorkbook('office', NOW);
    expect(made.ok).toBe(false);
    if (!made.ok) expect(made.error).toContain(`已有名为“${COMPLAINTS_SHEET.name}”的工作表`);
    expect(et.cell(COMPLAINTS_SHEET.name, 'A1')).toBe('我的表');
  });
});

describe('selecting, protecting and review', () => {
  it('selecting a problem cell activates its sheet', async () => {
    const { et } = await laidOut();
    const moved = await createWpsGateway(et).selectCell(COMPLAINTS_SHEET.name, 'B7');
    expect(moved.ok).toBe(true);
    expect(et.selection).toEqual({ sheet: COMPLAINTS_SHEET.name, address: 'B7' });
    expect(et.activeSheet).toBe(COMPLAINTS_SHEET.name);
  });

  it('switching sheets in WPS is reported by name', async () => {
    const { et } = await laidOut();
    const seen: string[] = [];
    expect((await createWpsGateway(et).onActivated((name) => seen.push(name))).ok).toBe(true);
    et.userActivate(COMPLAINTS_SHEET.name);
    expect(seen).toEqual([COMPLAINTS_SHEET.name]);
  });

  it('writes locked cells of a sheet protected without a password and protects it again; refuses one with a password', async () => {
    const { et } = await laidOut();
    const gateway = createWpsGateway(et);
    const total = `${col(SCORES_SHEET, 'review')}2`;
    expect((await gateway.writeLocked(SCORES_SHEET.name, [{ startCell: total, rows: [[5]] }], PROTECTION)).ok).toBe(true);
    expect(et.cell(SCORES_SHEET.name, total)).toBe(5);
    expect(et.sheet(SCORES_SHEET.name)!.protected).toBe(true);
    await gateway.lockSheet(SCORES_SHEET.name, '办公室的密码');
    expect(await gateway.writeLocked(SCORES_SHEET.name, [{ startCell: total, rows: [[6]] }], PROTECTION)).toEqual({ ok: false, error: SHEET_PROTECTED });
    expect(et.cell(SCORES_SHEET.name, total)).toBe(5);
    expect(et.sheet(SCORES_SHEET.name)!.password).toBe('办公室的密码');
  });

  it('a write into locked cells of a protected sheet says so, with 重试', async () => {
    const { et } = await laidOut();
    const written = await createWpsGateway(et).writeSheet(SCORES_SHEET.name, [[1]], 'A2');
    expect(written).toEqual({ ok: false, error: SHEET_PROTECTED, host: true });
  });

  it('review mode: WPS checks the password; a wrong one keeps the sheet protected', async () => {
    const { et } = await laidOut();
    const gateway = createWpsGateway(et);
    expect(await gateway.unlockSheet(SCORES_SHEET.name, '随便')).toEqual({ ok: true, value: { checked: false } });
    expect((await gateway.lockSheet(SCORES_SHEET.name, '考核办2011')).ok).toBe(true);
    expect(et.sheet(SCORES_SHEET.name)!.password).toBe('考核办2011');
    expect(await gateway.unlockSheet(SCORES_SHEET.name, '错的')).toEqual({ ok: false, error: WRONG_PASSWORD });
    expect(et.sheet(SCORES_SHEET.name)!.protected).toBe(true);
    expect(await gateway.unlockSheet(SCORES_SHEET.name, '考核办2011')).toEqual({ ok: true, value: { checked: true } });
    expect(et.sheet(SCORES_SHEET.name)!.protected).toBe(false);
  });

  it('stamps _meta as text, so a long hash is never turned into a number', async () => {
    const { et } = await laidOut();
    const written = await createWpsGateway(et).writeSheet(META_SHEET.name, [['2011-12-20T08:00:00.000Z'], ['0123']], 'B6', { asText: true });
    expect(written.ok).toBe(true);
    const meta = et.sheet(META_SHEET.name)!;
    expect(et.cell(META_SHEET.name, 'B7')).toBe('0123');
    expect(meta.cells.get('6,1')?.format).toBe('@');
  });
});
