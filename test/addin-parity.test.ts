// The add-in and the CLI must agree: a workbook the CLI wrote and a unit filled, opened in
// Excel or in WPS 表格 (each stand-in holds what its program holds: serial dates with their
// formats), read back through that host's gateway, gives the same problems, the same score and the
// same content hash.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PaneController } from '../addin/ui/controller.ts';
import type { Gateway } from '../addin/ui/gateway.ts';
import { createGateway } from '../addin/excel/gateway.ts';
import { createWpsGateway } from '../addin/wps/gateway.ts';
import { checkWorkbook } from '../core/check.ts';
import { contentHash } from '../core/hash.ts';
import { SHEETS } from '../core/layout.ts';
import { parsePlan } from '../core/plan.ts';
import { scoreSubmission } from '../core/score.ts';
import type { Plan, Problem, WorkbookGrid } from '../core/types.ts';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { readWorkbookFile } from './helpers/xlsx-read.ts';
import { FakeExcel } from './addin-fake.ts';
import { xlsxSnapshot } from './helpers/xlsx-snapshot.ts';
import { FakeEt } from './wps-fake.ts';

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

/** A demo file opened in each host: Excel from the grid the reference reader got, WPS from the file itself. */
const HOSTS: { name: string; open(file: string, grid: WorkbookGrid): Promise<Gateway> }[] = [
  { name: 'Excel', open: (_file, grid) => Promise.resolve(createGateway(openInExcel(grid))) },
  {
    name: 'WPS 表格',
    open: async (file) => {
      // Whole numbers as BigInt: the gateway's normalising is part of what must agree.
      const et = new FakeEt({ bigIntIntegers: true });
      et.loadSnapshot(await xlsxSnapshot(file));
      return createWpsGateway(et);
    },
  },
];

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

describe.each(HOSTS)('add-in in $name and CLI agree on the demo workbooks', (host) => {
  it('same problems, score and content hash for every demo unit', async () => {
    expect(files.length).toBeGreaterThan(5);
    let compared = 0;
    let withProblems = 0;
    for (const file of files) {
      const read = await readWorkbookFile(file);
      if (!read.ok) throw new Error(read.problem.message);
      const cli = checkWorkbook(read.grid, plan, { planHash });

      const gateway = await host.open(file, read.grid);
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
