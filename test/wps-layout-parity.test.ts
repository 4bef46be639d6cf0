// A workbook laid out by the pane in WPS 表格 (the ET stand-in) against one written by the CLI
// (exceljs, written to disk and read back through the shared snapshot loader): the same sheets,
// visibility, protection, values, number formats and open cells. Fonts, fills and borders are not
// recorded by the stand-in (see test/wps-fake.ts); test/addin-layout-parity.test.ts covers them for
// Excel, from the same layout operations (addin/ui/layout-ops.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaneController } from '../addin/ui/controller.ts';
import { createWpsGateway } from '../addin/wps/gateway.ts';
import { unitWorkbookContent } from '../core/blank.ts';
import { unitById } from '../core/plan.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { writeUnitWorkbook } from '../generator/xlsx/unit-workbook.ts';
import type { WorkbookSnapshot } from './addin-fake.ts';
import { xlsxSnapshot } from './helpers/xlsx-snapshot.ts';
import { FakeEt } from './wps-fake.ts';

const NOW = new Date('2011-01-20T08:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), 'kaohe-wps-layout-'));
let cli: WorkbookSnapshot;
let et: FakeEt;

beforeAll(async () => {
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('plan');
  const unit = unitById(loaded.plan, 'office')!;
  const file = join(dir, 'cli.xlsx');
  await writeUnitWorkbook(unitWorkbookContent(loaded.plan, unit, NOW.toISOString(), loaded.hash), file);
  cli = await xlsxSnapshot(file);
  et = new FakeEt();
  const made = await new PaneController(createWpsGateway(et), { plan: loaded.plan, planHash: loaded.hash, file: 'x' }, () => NOW).createWorkbook('office', NOW);
  if (!made.ok) throw new Error(made.error);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WPS layout and CLI workbook', () => {
  it('have the same sheets in order, hidden and protected alike', () => {
    const visibility = (v: number): string => (v === 2 ? 'VeryHidden' : v === 0 ? 'Hidden' : 'Visible');
    expect(et.sheets.map((s) => [s.name, visibility(s.visible), s.protected])).toEqual(cli.sheets.map((s) => [s.name, s.visibility, s.protected]));
  });

  it('hold the same values, with dates as the same serials in the same format', () => {
    for (const sheet of cli.sheets) {
      const state = et.sheet(sheet.name)!;
      const written = [...state.cells.values()].filter((c) => c.value !== '').length;
      expect(written, sheet.name).toBe(sheet.cells.length);
      for (const [r, c, value, format] of sheet.cells) {
        const cell = state.cells.get(`${r},${c}`);
        expect(cell?.value, `${sheet.name} ${r},${c}`).toEqual(value);
        if (typeof value === 'number' && /yy/.test(format)) expect(cell?.format, `${sheet.name} ${r},${c}`).toBe(format);
      }
    }
  });

  it('open the same cells to the unit and keep the written ones locked', () => {
    for (const sheet of cli.sheets.filter((s) => s.protected)) {
      const state = et.sheet(sheet.name)!;
      const open = new Set(sheet.unlocked.map(([r, c]) => `${r},${c}`));
      expect(open.size, sheet.name).toBeGreaterThan(0);
      for (const [r, c] of sheet.unlocked) expect(et.isLocked(state, r, c), `${sheet.name} ${r},${c} open`).toBe(false);
      for (const [r, c] of sheet.cells) if (!open.has(`${r},${c}`)) expect(et.isLocked(state, r, c), `${sheet.name} ${r},${c} locked`).toBe(true);
    }
  });
});
