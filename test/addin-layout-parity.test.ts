// A workbook laid out by the pane (Office.js, here the fake) against one written by the CLI
// (exceljs, written to disk and read back): the same values, input rules, locked cells,
// protection, the fills that tell a unit what is its own and the fonts, cell for cell and rule for rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaneController, isoToSerial } from '../addin/ui/controller.ts';
import { createGateway } from '../addin/excel/gateway.ts';
import { unitWorkbookContent } from '../core/blank.ts';
import { GUIDE_SHEET, INFO_SHEET, SHEETS, TABLE_SHEETS, columnLetter } from '../core/layout.ts';
import type { SheetSpec } from '../core/layout.ts';
import { FONT_NAME, INPUT_ROWS } from '../core/look.ts';
import { unitById } from '../core/plan.ts';
import type { Plan } from '../core/types.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { writeUnitWorkbook } from '../generator/xlsx/unit-workbook.ts';
import { FakeExcel, parseAddress } from './addin-fake.ts';
import { cliFill, cliFont, cliValidation } from './helpers/cli-look.ts';
import type { Font } from './helpers/cli-look.ts';

const NOW = new Date('2011-01-20T08:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), 'kaohe-parity-'));
let plan: Plan;
let cli: ExcelJS.Workbook;
let pane: FakeExcel;

beforeAll(async () => {
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('plan');
  plan = loaded.plan;
  const unit = unitById(plan, 'office')!;
  const file = join(dir, 'cli.xlsx');
  await writeUnitWorkbook(unitWorkbookContent(plan, unit, NOW.toISOString(), loaded.hash), file);
  cli = new ExcelJS.Workbook();
  await cli.xlsx.readFile(file);
  pane = new FakeExcel({ apiMinor: 8 });
  const made = await new PaneController(createGateway(pane), { plan, planHash: loaded.hash, file: 'x' }, () => NOW).createWorkbook('office', NOW);
  if (!made.ok) throw new Error(made.error);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CLI cell as the pane writes it: dates as serials, blanks as ''. */
function cliValue(cell: ExcelJS.Cell): string | number | boolean {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return isoToSerial(v.toISOString().slice(0, 10));
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  return v as string | number | boolean;
}

function lastValueRow(sheet: SheetSpec): number {
  let last = 0;
  for (const [k, c] of pane.sheet(sheet.name)!.cells) if (c.value !== '') last = Math.max(last, Number(k.split(',')[0]) + 1);
  return last;
}

function paneValidation(name: string, a1: string): Record<string, { [k: string]: unknown }> | undefined {
  const at = parseAddress(a1);
  for (const [addr, v] of pane.sheet(name)!.validations) {
    const b = parseAddress(addr);
    if (at.row >= b.row && at.row < b.row + b.rows && at.col >= b.col && at.col < b.col + b.cols) return v as Record<string, { [k: string]: unknown }>;
  }
  return undefined;
}

function paneFill(name: string, r: number, c: number): string | undefined {
  let fill: string | undefined;
  for (const [addr, f] of pane.sheet(name)!.formats) {
    const b = parseAddress(addr);
    if (f['fill.color'] !== undefined && r >= b.row && r < b.row + b.rows && c >= b.col && c < b.col + b.cols) fill = f['fill.color'] as string;
  }
  return fill;
}

function paneFont(name: string, r: number, c: number): Font {
  const font: Record<string, unknown> = {};
  for (const [addr, f] of pane.sheet(name)!.formats) {
    const b = parseAddress(addr);
    if (r < b.row || r >= b.row + b.rows || c < b.col || c >= b.col + b.cols) continue;
    for (const p of ['name', 'size', 'bold']) if (f[`font.${p}`] !== undefined) font[p] = f[`font.${p}`];
  }
  return [font.name as string | undefined, (font.size as number | undefined) ?? 11, (font.bold as boolean | undefined) ?? false];
}

/** The colour of thin lines round the cell, or undefined when it is not ruled on all four sides. */
function paneRule(name: string, r: number, c: number): string | undefined {
  let colour: string | undefined;
  for (const [addr, f] of pane.sheet(name)!.formats) {
    const b = parseAddress(addr);
    if (r < b.row || r >= b.row + b.rows || c < b.col || c >= b.col + b.cols) continue;
    const sides = ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight', ...(b.rows > 1 ? ['InsideHorizontal'] : []), ...(b.cols > 1 ? ['InsideVertical'] : [])];
    const thin = sides.every((i) => f[`borders.${i}.style`] === 'Continuous' && f[`borders.${i}.weight`] === 'Thin');
    if (thin) colour = f['borders.EdgeTop.color'] as string;
  }
  return colour;
}

function cliRule(cell: ExcelJS.Cell): string | undefined {
  const sides = [cell.border?.top, cell.border?.bottom, cell.border?.left, cell.border?.right];
  if (!sides.every((b) => b?.style === 'thin')) return undefined;
  return `#${sides[0]!.color!.argb!.slice(2)}`;
}

const dataSheets = SHEETS.filter((s) => s.kind !== 'plain');
const width = (s: SheetSpec): number => (s.kind === 'table' ? s.columns.length : s.kind === 'form' ? 2 : 1);

describe('a pane-laid-out workbook equals a CLI-made one', () => {
  it('has the same sheets in the same order, _meta very hidden in both', () => {
    expect(pane.sheets.map((s) => s.name)).toEqual(cli.worksheets.map((w) => w.name));
    expect(pane.sheet('_meta')!.visibility).toBe('VeryHidden');
    expect(cli.getWorksheet('_meta')!.state).toBe('veryHidden');
  });

  it('has the same values in every cell of every sheet, 填报说明 and _meta included', () => {
    for (const sheet of SHEETS) {
      const ws = cli.getWorksheet(sheet.name)!;
      const rows = Math.max(lastValueRow(sheet), ws.actualRowCount);
      for (let r = 1; r <= rows; r++) {
        for (let c = 1; c <= Math.max(width(sheet), 2); c++) {
          const a1 = `${columnLetter(c - 1)}${r}`;
          expect(pane.cell(sheet.name, a1) ?? '', `${sheet.name}!${a1}`).toEqual(cliValue(ws.getCell(a1)));
        }
      }
    }
  });

  it('has the same dropdown lists and input hints, down to the same last row', () => {
    for (const sheet of dataSheets) {
      const ws = cli.getWorksheet(sheet.name)!;
      const cells = sheet.kind === 'form' ? sheet.fields.map((_, i) => `B${i + 2}`) : sheet.columns.flatMap((_, j) => [2, INPUT_ROWS, INPUT_ROWS + 1].map((r) => `${columnLetter(j)}${r}`));
      for (const a1 of cells) {
        const c = cliValidation(ws, a1);
        const p = paneValidation(sheet.name, a1);
        const where = `${sheet.name}!${a1}`;
        expect(p?.['rule']?.['list'] ? (p['rule']['list'] as { source: string }).source : undefined, where).toEqual(
          c?.type === 'list' ? c.formulae[0]!.replace(/^"|"$/g, '') : undefined,
        );
        expect(p?.['prompt']?.['message'], where).toEqual(c?.prompt);
        expect(p?.['errorAlert']?.['message'], where).toEqual(c?.error);
      }
    }
  });

  it('locks and opens the same cells, protects the same sheets, and fills the same headers and fixed cells', () => {
    for (const sheet of dataSheets) {
      const ws = cli.getWorksheet(sheet.name)!;
      const state = pane.sheet(sheet.name)!;
      expect(state.protected, sheet.name).toBe((ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet === true);
      const rows = [...Array.from({ length: lastValueRow(sheet) + 2 }, (_, i) => i + 1), INPUT_ROWS];
      for (const r of rows) {
        for (let c = 1; c <= width(sheet); c++) {
          const cell = ws.getCell(r, c);
          const where = `${sheet.name}!${columnLetter(c - 1)}${r}`;
          // A cell the CLI wrote carries its own style; an untouched one shows its column's.
          const written = r <= ws.rowCount && (cell.value !== null || cell.border !== undefined || cell.protection !== undefined);
          const cliLocked = (written ? cell.protection?.locked : ws.getColumn(c).protection?.locked) !== false;
          expect(pane.isLocked(state, r - 1, c - 1), where).toBe(cliLocked);
          if (r <= lastValueRow(sheet)) expect(paneFill(sheet.name, r - 1, c - 1), where).toEqual(cliFill(cell));
        }
      }
    }
  });

  it('sets the same font, size and boldness in every cell it writes and the rows below, 填报说明 included', () => {
    for (const sheet of [GUIDE_SHEET, ...dataSheets]) {
      const ws = cli.getWorksheet(sheet.name)!;
      for (let r = 1; r <= lastValueRow(sheet) + 2; r++) {
        for (let c = 1; c <= width(sheet); c++) {
          const where = `${sheet.name}!${columnLetter(c - 1)}${r}`;
          expect(paneFont(sheet.name, r - 1, c - 1), where).toEqual(cliFont(ws.getCell(r, c)));
        }
      }
    }
    // Not vacuous: the title, a section heading and a required label differ from body text.
    expect(paneFont(GUIDE_SHEET.name, 0, 0)).toEqual([FONT_NAME, 16, true]);
    expect(paneFont(INFO_SHEET.name, 3, 0)).toEqual([FONT_NAME, 11, true]);
    expect(paneFont(INFO_SHEET.name, 3, 1)).toEqual([FONT_NAME, 11, false]);
  });

  it('rules the same cells with the same thin lines: header, prefilled rows and the blank rows to fill', () => {
    let ruled = 0;
    for (const sheet of dataSheets) {
      const ws = cli.getWorksheet(sheet.name)!;
      const blank = sheet.kind === 'table' ? sheet.blankRows : 0;
      for (let r = 1; r <= lastValueRow(sheet) + blank + 2; r++) {
        for (let c = 1; c <= width(sheet); c++) {
          const where = `${sheet.name}!${columnLetter(c - 1)}${r}`;
          const cli = cliRule(ws.getCell(r, c));
          expect(paneRule(sheet.name, r - 1, c - 1), where).toBe(cli);
          if (cli) ruled++;
        }
      }
    }
    expect(ruled).toBeGreaterThan(100);
  });

  it('the assessor cells are among the locked ones, in both', () => {
    const scores = TABLE_SHEETS.find((s) => s.key === 'scores')!;
    const review = scores.columns.findIndex((c) => c.key === 'review');
    expect(pane.isLocked(pane.sheet(scores.name)!, 1, review)).toBe(true);
    expect(cli.getWorksheet(scores.name)!.getCell(2, review + 1).protection?.locked).not.toBe(false);
  });
});
