// The add-in and the CLI must agree: a workbook the CLI wrote and a unit filled, opened in
// Excel (the fake holds what Excel holds: serial dates with their formats), read back
// through the gateway, gives the same problems, the same score and the same content hash.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PaneController } from '../addin/src/controller.ts';
import { createGateway } from '../addin/src/gateway.ts';
import { checkWorkbook } from '../core/check.ts';
import { contentHash } from '../core/hash.ts';
import { SHEETS } from '../core/layout.ts';
import { parsePlan } from '../core/plan.ts';
import { scoreSubmission } from '../core/score.ts';
import type { Plan, Problem, WorkbookGrid } from '../core/types.ts';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { readWorkbookFile } from './helpers/xlsx-read.ts';
import { FakeExcel } from './addin-fake.ts';

/** Puts a grid into the fake the way Excel stores it: dates as serial numbers keeping their format. */
function openInExcel(grid: WorkbookGrid): FakeExcel {
  const fake = new FakeExcel();
  fake.sheets.splice(0);
  for (const [name, sheet] of Object.entries(grid.sheets)) {
    const state = fake.addSheet(name);
    sheet.values.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v === null) return;
        const format = sheet.numberFormats?.[r]?.[c] ?? 'General';
        const value = typeof v === 'object' ? v.error : v;
        fake.setCell(state, r, c, value, format);
      }),
    );
  }
  return fake;
}

const key = (p: Problem): string => `${p.severity} ${p.code} ${p.sheet ?? ''}!${p.cell ?? ''}`;

let plan: Plan;
let planHash: string;
let files: string[];

beforeAll(async () => {
  const parsed = parsePlan(readFileSync(resolve(import.meta.dirname, '../templates/plan.yaml'), 'utf8'), 'plan.yaml');
  if (!parsed.ok) throw new Error('default plan does not parse');
  plan = parsed.plan;
  planHash = parsed.hash;
  files = (await writeDemoWorkbooks(plan, planHash, mkdtempSync(join(tmpdir(), 'kaohe-parity-')))).files;
});

describe('add-in and CLI agree on the demo workbooks', () => {
  it('same problems, score and content hash for every demo unit', async () => {
    expect(files.length).toBeGreaterThan(5);
    let compared = 0;
    let withProblems = 0;
    for (const file of files) {
      const read = await readWorkbookFile(file);
      if (!read.ok) throw new Error(read.problem.message);
      const cli = checkWorkbook(read.grid, plan, { planHash });

      const fake = openInExcel(read.grid);
      const gateway = createGateway(fake);
      const pane = await new PaneController(gateway, { plan, planHash, file: 'x' }).validate();
      if (!pane.ok || pane.value.kind !== 'workbook') throw new Error(`${file}: not read as a workbook`);
      expect(pane.value.problems.map(key).sort(), file).toEqual(cli.problems.map(key).sort());
      expect(pane.value.unit?.id).toBe(cli.unit?.id);
      const cliScore = scoreSubmission(cli.submission!, plan, cli.unit!);
      expect(pane.value.result?.total, file).toBe(cliScore.total);

      const grid = await gateway.readSheets(SHEETS.map((s) => s.name));
      if (!grid.ok) throw new Error(grid.error);
      // The add-in stamps this hash on submission and the CLI verifies it: they must match.
      expect(contentHash(grid.value), file).toBe(contentHash(read.grid));
      compared++;
      if (cli.problems.length > 0) withProblems++;
    }
    expect(compared).toBe(files.length);
    expect(withProblems).toBeGreaterThan(0);
  });
});
