// The pane on a 考核组评分表: a score sheet written by `kaohe scoresheet` from the demo's
// workbooks, read back from the file into the Excel fake, checked live by the core's score-sheet
// checks, with each unit's running total worked out from the sheet's own values.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaneController } from '../addin/ui/controller.ts';
import type { PaneState } from '../addin/ui/controller.ts';
import { createGateway } from '../addin/excel/gateway.ts';
import { columnLetter } from '../core/layout.ts';
import { SCORESHEET_SHEET, TOTAL_LABEL } from '../core/scoresheet.ts';
import type { Plan } from '../core/types.ts';
import { scoreSheetCommand } from '../generator/commands/scoresheet.ts';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { FakeExcel } from './addin-fake.ts';
import { xlsxSnapshot } from './helpers/xlsx-snapshot.ts';

const sink = (): Writable => new Writable({ write: (_chunk, _enc, done) => done() });

let dir: string;
let sheetFile: string;
let plan: Plan;
let planHash: string;

beforeAll(async () => {
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('default plan');
  plan = loaded.plan;
  planHash = loaded.hash;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-addin-scoresheet-'));
  await writeDemoWorkbooks(plan, planHash, path.join(dir, 'demo'));
  sheetFile = path.join(dir, '考核组评分表.xlsx');
  expect(await scoreSheetCommand([path.join(dir, 'demo')], { out: sheetFile, stdout: sink(), stderr: sink() })).toBe(0);
}, 120_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The file as Excel opens it. */
async function openInFake(file: string): Promise<FakeExcel> {
  const fake = new FakeExcel();
  fake.loadSnapshot(await xlsxSnapshot(file));
  return fake;
}

const colOf = (key: string): number => SCORESHEET_SHEET.columns.findIndex((c) => c.key === key);

/** The sheet's row (1-based) of one unit's indicator, or of its 合计 row. */
function rowOf(fake: FakeExcel, unitName: string, match: (row: number) => boolean): number {
  for (let r = 2; r < 2000; r++) {
    if (fake.cell(SCORESHEET_SHEET.name, `A${r}`) === unitName && match(r)) return r;
  }
  throw new Error(`no row for ${unitName}`);
}

const at = (key: string, r: number): string => `${columnLetter(colOf(key))}${r}`;

type SheetState = Extract<PaneState, { kind: 'scoresheet' }>;

async function validated(controller: PaneController): Promise<SheetState> {
  const state = await controller.validate();
  if (!state.ok || state.value.kind !== 'scoresheet') throw new Error(`not a score sheet: ${JSON.stringify(state)}`);
  return state.value;
}

const totalOf = (state: SheetState, unitName: string): number => state.standings.find((s) => s.unit.name === unitName)!.result.total;

describe('the pane on a 考核组评分表', () => {
  let fake: FakeExcel;
  let controller: PaneController;
  const office = () => plan.units[0]!.name;

  beforeAll(async () => {
    fake = await openInFake(sheetFile);
    controller = new PaneController(createGateway(fake), { plan, planHash, file: '当前工作簿' });
  });

  it('recognises it by `_meta` and shows every unit’s running total, equal to what `kaohe scoresheet` wrote in its 合计 row', async () => {
    const state = await validated(controller);
    expect(state.problems.filter((p) => p.severity === '错误')).toEqual([]);
    expect(state.standings.length).toBeGreaterThan(1);
    for (const { unit, result, totalCell } of state.standings) {
      const r = rowOf(fake, unit.name, (row) => fake.cell(SCORESHEET_SHEET.name, at('category', row)) === TOTAL_LABEL);
      expect(totalCell).toBe(at('review', r));
      expect(result.total, unit.name).toBe(fake.cell(SCORESHEET_SHEET.name, totalCell!));
    }
    // Steady state: one read of the score sheet and `_meta` per pass.
    const before = fake.syncCount;
    await validated(controller);
    expect(fake.syncCount - before).toBe(1);
  });

  it('lists an over-max score at its cell and leaves it out of the total; a typed score moves the total', async () => {
    const selfRow = rowOf(fake, office(), (r) => fake.cell(SCORESHEET_SHEET.name, at('method', r)) === '自评');
    const max = fake.cell(SCORESHEET_SHEET.name, at('maxPoints', selfRow)) as number;
    const self = fake.cell(SCORESHEET_SHEET.name, at('self', selfRow)) as number;
    expect(self).toBeGreaterThan(1);
    const before = totalOf(await validated(controller), office());

    await fake.userEdit(SCORESHEET_SHEET.name, at('review', selfRow), [[max + 5]]);
    const over = await validated(controller);
    const problem = over.problems.find((p) => p.cell === at('review', selfRow));
    expect(problem).toMatchObject({ severity: '错误', sheet: SCORESHEET_SHEET.name, code: 'scoresheet.range' });
    expect(problem!.message).toContain(`应在 0 到分值 ${max} 分之间`);
    expect(totalOf(over, office())).toBe(before);

    // Typed the way assessors type: full-width digits with 分.
    const lower = Math.floor(self) - 1;
    await fake.userEdit(SCORESHEET_SHEET.name, at('review', selfRow), [[`${String.fromCharCode(0xff10 + lower)}分`]]);
    const typed = await validated(controller);
    expect(typed.problems.some((p) => p.cell === at('review', selfRow))).toBe(false);
    const after = Math.round((before - (self - lower)) * 100) / 100;
    expect(totalOf(typed, office())).toBe(after);
    // The sheet's locked 合计 row says so too, and the sheet is protected again as the writer left it.
    const standing = typed.standings.find((s) => s.unit.name === office())!;
    expect(fake.cell(SCORESHEET_SHEET.name, standing.totalCell!)).toBe(after);
    expect(String(fake.cell(SCORESHEET_SHEET.name, at('basis', Number(standing.totalCell!.replace(/^[A-Z]+/, '')))))).toMatch(new RegExp(`= ${after.toFixed(2)}$`));
    const sheet = fake.sheet(SCORESHEET_SHEET.name)!;
    expect(sheet.protected).toBe(true);
    expect(sheet.protectionOptions).toEqual({ allowFormatColumns: true, allowFormatRows: true, allowInsertRows: false, allowSort: false, allowAutoFilter: true });
    expect(typed.totalsNotWritten).toBeNull();
    // Nothing left stale: the next pass reads once and writes nothing.
    const syncs = fake.syncCount;
    expect((await validated(controller)).standings.every((s) => s.stale.length === 0)).toBe(true);
    expect(fake.syncCount - syncs).toBe(1);
  });

  it('still shows the totals when the office protected the sheet with a password, and says the 合计 rows are not updated', async () => {
    const other = await openInFake(sheetFile);
    other.sheet(SCORESHEET_SHEET.name)!.protectionPassword = '考核办';
    const pane = new PaneController(createGateway(other), { plan, planHash, file: '当前工作簿' });
    const selfRow = rowOf(other, office(), (r) => other.cell(SCORESHEET_SHEET.name, at('method', r)) === '自评');
    const before = totalOf(await validated(pane), office());
    await other.userEdit(SCORESHEET_SHEET.name, at('review', selfRow), [[0]]);
    const state = await validated(pane);
    expect(totalOf(state, office())).toBeLessThan(before);
    expect(state.totalsNotWritten).toEqual(expect.any(String));
    expect(other.sheet(SCORESHEET_SHEET.name)!.protected).toBe(true);
  });

  it('wants 是 or 否 on a veto row, and a 是 vetoes the unit', async () => {
    const vetoRow = rowOf(fake, office(), (r) => fake.cell(SCORESHEET_SHEET.name, at('method', r)) === '否决');
    await fake.userEdit(SCORESHEET_SHEET.name, at('review', vetoRow), [['可能']]);
    const wrong = await validated(controller);
    expect(wrong.problems.find((p) => p.cell === at('review', vetoRow))).toMatchObject({ severity: '错误', sheet: SCORESHEET_SHEET.name });
    expect(wrong.standings.find((s) => s.unit.name === office())!.result.vetoed).toBe(false);

    await fake.userEdit(SCORESHEET_SHEET.name, at('review', vetoRow), [['是']]);
    const vetoed = await validated(controller);
    expect(vetoed.problems.some((p) => p.cell === at('review', vetoRow))).toBe(false);
    expect(vetoed.standings.find((s) => s.unit.name === office())!.result.vetoed).toBe(true);
    await fake.userEdit(SCORESHEET_SHEET.name, at('review', vetoRow), [['否']]);
  });

  it('flags bonus over the cap at the bonus cell and counts only the cap in the total', async () => {
    // The default plan's one bonus row is worth the whole cap; an office may set a lower cap.
    const capped: Plan = { ...plan, scoring: { ...plan.scoring, bonusCap: 3 } };
    const other = await openInFake(sheetFile);
    const pane = new PaneController(createGateway(other), { plan: capped, planHash, file: '当前工作簿' });
    const bonusRow = rowOf(other, office(), (r) => other.cell(SCORESHEET_SHEET.name, at('method', r)) === '加分');
    const before = totalOf(await validated(pane), office());
    await other.userEdit(SCORESHEET_SHEET.name, at('review', bonusRow), [[5]]);
    const state = await validated(pane);
    const problem = state.problems.find((p) => p.code === 'scoresheet.bonusCap');
    expect(problem).toMatchObject({ severity: '错误', cell: at('review', bonusRow) });
    expect(problem!.message).toContain('超过方案规定的最多 3 分');
    expect(totalOf(state, office())).toBe(Math.round((before + 3) * 100) / 100);
  });

  it('says which unit is missing when its block is deleted', async () => {
    const other = await openInFake(sheetFile);
    const sheet = other.sheet(SCORESHEET_SHEET.name)!;
    const name = plan.units[0]!.name;
    for (const [k] of [...sheet.cells]) {
      const r = Number(k.split(',')[0]);
      if (other.cell(SCORESHEET_SHEET.name, `A${r + 1}`) === name) sheet.cells.delete(k);
    }
    const state = await validated(new PaneController(createGateway(other), { plan, planHash, file: '当前工作簿' }));
    expect(state.problems.find((p) => p.code === 'scoresheet.unitMissing')?.message).toContain(name);
    expect(state.standings.some((s) => s.unit.name === name)).toBe(false);
  });

  it('is watched per sheet on an Excel 2019 host (ExcelApi 1.7): an assessor’s edit reaches the pane', async () => {
    const old = await openInFake(sheetFile);
    (old.options as { apiMinor?: number }).apiMinor = 7;
    const changes: string[] = [];
    const gateway = createGateway(old);
    expect(await gateway.onChanged([SCORESHEET_SHEET.name], (c) => changes.push(c.address))).toEqual({ ok: true, value: undefined });
    const r = rowOf(old, office(), (row) => old.cell(SCORESHEET_SHEET.name, at('method', row)) === '自评');
    await old.userEdit(SCORESHEET_SHEET.name, at('review', r), [[1]]);
    expect(changes).toEqual([at('review', r)]);
  });

  it('keeps the sheet’s locked cells locked: a 合计 cell refuses an assessor’s edit', async () => {
    const r = rowOf(fake, office(), (row) => fake.cell(SCORESHEET_SHEET.name, at('category', row)) === TOTAL_LABEL);
    await expect(fake.userEdit(SCORESHEET_SHEET.name, at('review', r), [[100]])).rejects.toMatchObject({ code: 'AccessDenied' });
  });
});
