// A workbook laid out by the pane in WPS 表格 (the ET stand-in) against one written by the CLI
// (exceljs, written to disk and read back through the shared snapshot loader): the same sheets,
// visibility, protection, values, number formats, open cells, fills, fonts, dropdown lists and
// input hints. Borders, widths and alignment are not kept by the stand-in (test/wps-fake.ts);
// test/addin-layout-parity.test.ts covers them for Excel, from the same layout operations
// (addin/ui/layout-ops.ts).
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
import ExcelJS from 'exceljs';
import { GUIDE_SHEET, SHEETS, columnLetter } from '../core/layout.ts';
import type { SheetSpec } from '../core/layout.ts';
import { FONT_NAME, INPUT_ROWS } from '../core/look.ts';
import { parseAddress } from './addin-fake.ts';
import type { WorkbookSnapshot } from './addin-fake.ts';
import { cliFill, cliFont, cliValidation } from './helpers/cli-look.ts';
import { xlsxSnapshot } from './helpers/xlsx-snapshot.ts';
import { FakeEt } from './wps-fake.ts';

const NOW = new Date('2011-01-20T08:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), 'kaohe-wps-layout-'));
let cli: WorkbookSnapshot;
let book: ExcelJS.Workbook;
let et: FakeEt;

beforeAll(async () => {
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('plan');
  const unit = unitById(loaded.plan, 'office')!;
  const file = join(dir, 'cli.xlsx');
  await writeUnitWorkbook(unitWorkbookContent(loaded.plan, unit, NOW.toISOString(), loaded.hash), file);
  cli = await xlsxSnapshot(file);
  book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
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

  it('fill the same headers and fixed cells and set the same fonts, 填报说明 included', () => {
    for (const sheet of [GUIDE_SHEET, ...dataSheets]) {
      const ws = book.getWorksheet(sheet.name)!;
      const state = et.sheet(sheet.name)!;
      for (let r = 1; r <= lastValueRow(sheet) + 2; r++) {
        for (let c = 1; c <= width(sheet); c++) {
          const where = `${sheet.name}!${columnLetter(c - 1)}${r}`;
          if (r <= lastValueRow(sheet)) expect(et.fillAt(state, r - 1, c - 1), where).toEqual(cliFill(ws.getCell(r, c)));
          expect(et.fontAt(state, r - 1, c - 1), where).toEqual(cliFont(ws.getCell(r, c)));
        }
      }
    }
    // Not vacuous: the title is larger and bold, a header is filled.
    expect(et.fontAt(et.sheet(GUIDE_SHEET.name)!, 0, 0)).toEqual([FONT_NAME, 16, true]);
    expect(et.fillAt(et.sheet(dataSheets[0]!.name)!, 0, 0)).toMatch(/^#[0-9A-F]{6}$/);
  });

  it('give the same dropdown lists and input hints, down to the same last row', () => {
    for (const sheet of dataSheets) {
      const ws = book.getWorksheet(sheet.name)!;
      const state = et.sheet(sheet.name)!;
      const cells = sheet.kind === 'form' ? sheet.fields.map((_, i) => `B${i + 2}`) : sheet.columns.flatMap((_, j) => [2, INPUT_ROWS, INPUT_ROWS + 1].map((r) => `${columnLetter(j)}${r}`));
      for (const a1 of cells) {
        const c = cliValidation(ws, a1);
        const { row, col } = parseAddress(a1);
        const p = state.validations.filter((v) => row >= v.bounds.row && row < v.bounds.row + v.bounds.rows && col >= v.bounds.col && col < v.bounds.col + v.bounds.cols).pop();
        const where = `${sheet.name}!${a1}`;
        expect(p?.type === 3 ? p.formula1 : undefined, where).toEqual(c?.type === 'list' ? c.formulae[0]!.replace(/^"|"$/g, '') : undefined);
        expect(p?.inputMessage, where).toEqual(c?.prompt);
        expect(p?.errorMessage, where).toEqual(c?.error);
      }
    }
  });
});

const dataSheets = SHEETS.filter((s) => s.kind !== 'plain');
const width = (s: SheetSpec): number => (s.kind === 'table' ? s.columns.length : s.kind === 'form' ? 2 : 1);

function lastValueRow(sheet: SheetSpec): number {
  let last = 0;
  for (const [k, c] of et.sheet(sheet.name)!.cells) if (c.value !== '') last = Math.max(last, Number(k.split(',')[0]) + 1);
  return last;
}
