// The assessors' score sheet end to end on real files: made from the fixture year's workbooks,
// read back for its protection and dropdowns, filled the way assessors type, checked, and merged
// by `kaohe report --scores` into hand-computed totals (test/fixtures/year.ts).
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { YearResults } from '../core/results.ts';
import { checkScoreSheet, SCORESHEET_SHEET, TOTAL_LABEL } from '../core/scoresheet.ts';
import type { Plan } from '../core/types.ts';
import { checkPaths, type CheckedFile } from '../generator/commands/check.ts';
import { scoreSheetCommand } from '../generator/commands/scoresheet.ts';
import { ingestFile } from '../generator/batch/ingest.ts';
import { OUTPUT_FILES, runReport } from '../generator/commands/report.ts';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { writeFixtureYear } from './fixtures/workbooks.ts';
import type { FixtureFiles } from './fixtures/workbooks.ts';
import { UNIT } from './fixtures/year.ts';
import { sink } from './helpers/sink.ts';

/** Column numbers (1-based) of the score sheet's columns, found by header text. */
function columnsOf(ws: ExcelJS.Worksheet): Map<string, number> {
  const out = new Map<string, number>();
  ws.getRow(1).eachCell((cell, n) => {
    const c = SCORESHEET_SHEET.columns.find((x) => x.header === cell.value);
    if (c) out.set(c.key, n);
  });
  return out;
}

type Typed = Record<string, Record<string, string | number | null>>;

/** Types into the 考核组评分 cells as assessors do: by unit name and indicator id, with exceljs (no Excel rules applied). */
async function fillSheet(file: string, typed: Typed, edit?: (ws: ExcelJS.Worksheet, cols: Map<string, number>) => void): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(SCORESHEET_SHEET.name)!;
  const cols = columnsOf(ws);
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const unit = String(row.getCell(cols.get('unitName')!).value ?? '');
    const id = String(row.getCell(cols.get('indicatorId')!).value ?? '');
    const value = typed[unit]?.[id];
    if (value !== undefined) row.getCell(cols.get('review')!).value = value;
  });
  edit?.(ws, cols);
  await wb.xlsx.writeFile(file);
}

/** Full points on every self-scored row, typed in the ways assessors type them. */
const FULL_TYPED = { '1.1': '８', '1.2': '7分', '2.2': '４', '5.1': 5, '5.2': '5.0', '6.1': '５分', '7.2': ' 4 ' };

/**
 * Hand-computed with the sheet (auto scores as in test/fixtures/year.ts):
 *   办公室 100 + bonus 2 = 102; 805台 97 + bonus 2 = 99; 网络公司 100 but vetoed;
 *   监察室 as reviewed in the fixture (71.13) but 1.1 scored 5 instead of 7 → 69.13;
 *   东湖区广电局 left blank → self 38 + 28 + auto 32 = 98, flagged 未经考核组评定.
 */
const TYPED: Typed = {
  [UNIT.office]: { ...FULL_TYPED, '9.1': '２分', '11.1': '否' },
  [UNIT.supervision]: { '1.1': '５分', '1.2': '６', '2.2': 3, '5.1': '4分', '5.2': 4, '6.1': '４', '7.2': '3', '11.1': '否' },
  [UNIT.station]: { ...FULL_TYPED, '9.1': '2', '11.1': '否' },
  [UNIT.network]: { ...FULL_TYPED, '11.1': '是' },
  [UNIT.donghu]: { '1.1': null, '11.1': '' },
};

const EXPECTED_WITH_SHEET = [
  { unitName: UNIT.office, total: 102, bonus: 2, vetoed: false },
  { unitName: UNIT.station, total: 99, bonus: 2, vetoed: false },
  { unitName: UNIT.donghu, total: 98, bonus: 0, vetoed: false },
  { unitName: UNIT.supervision, total: 69.13, bonus: 0, vetoed: false },
  // Vetoed: no rank, listed after the ranked units (SPEC §9).
  { unitName: UNIT.network, total: 100, bonus: 0, vetoed: true },
];

let dir: string;
let fixture: FixtureFiles;
let workbooks: string;
let blankSheet: string;

async function report(
  out: string,
  scores?: string,
  inputs = [workbooks],
  /** null: the built-in plan. */
  plan: string | null = fixture.planFile,
): Promise<{ exitCode: number; results: YearResults | null; stderr: string }> {
  const stderr = sink();
  const outcome = await runReport(inputs, {
    ...(plan ? { plan } : {}),
    out,
    generatedAt: '2012-01-05T08:00:00.000Z',
    stdout: sink(),
    stderr,
    ...(scores ? { scores } : {}),
  });
  return { exitCode: outcome.exitCode, results: outcome.results, stderr: stderr.text() };
}

const byName = (results: YearResults | null) => new Map(results!.units.map((u) => [u.unitName, u]));

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-scoresheet-'));
  // Unsealed: the fixture's assessor cells stand as a unit could have typed them into its own workbook.
  fixture = await writeFixtureYear(path.join(dir, 'unsealed'), undefined, { seal: false });
  workbooks = path.join(dir, 'unsealed', 'workbooks');
  blankSheet = path.join(dir, '考核组评分表-空白.xlsx');
  const code = await scoreSheetCommand([workbooks], { plan: fixture.planFile, out: blankSheet, createdAt: '2011-12-21T01:00:00.000Z', stdout: sink(), stderr: sink() });
  expect(code).toBe(0);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('kaohe scoresheet', () => {
  it('lists every unit that handed in, a block of indicators each ending in a running total', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(blankSheet);
    const ws = wb.getWorksheet(SCORESHEET_SHEET.name)!;
    const cols = columnsOf(ws);
    expect(cols.size).toBe(SCORESHEET_SHEET.columns.length);
    const totals = new Map<string, number>();
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell(cols.get('category')!).value === TOTAL_LABEL)
        totals.set(String(row.getCell(cols.get('unitName')!).value), Number(row.getCell(cols.get('review')!).value));
    });
    // Before the assessors score: self scores stand in (監察室 self 38 instead of 31 → 78.13, 问题整改 3.125 rounded once to 3.13; 办公室 without bonus 100).
    expect(Object.fromEntries(totals)).toEqual({
      [UNIT.office]: 100,
      [UNIT.supervision]: 78.13,
      [UNIT.station]: 97,
      [UNIT.network]: 100,
      [UNIT.donghu]: 98,
    });
    const meta = wb.getWorksheet('_meta')!;
    expect(meta.state).toBe('veryHidden');
    expect(meta.getRow(1).values).toEqual([undefined, 'kind', 'scoresheet']);
  });

  it('is protected with only the assessors’ cells on indicator rows open, 是/否 on veto rows, printable', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(blankSheet);
    const ws = wb.getWorksheet(SCORESHEET_SHEET.name)!;
    expect((ws as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
    const cols = columnsOf(ws);
    const assessorCols = new Set([cols.get('review'), cols.get('reviewNote')]);
    let open = 0;
    let vetoRows = 0;
    ws.eachRow((row, n) => {
      const isIndicator = n > 1 && row.getCell(cols.get('indicatorId')!).value !== null;
      for (let c = 1; c <= SCORESHEET_SHEET.columns.length; c++) {
        const locked = row.getCell(c).protection?.locked !== false;
        expect(locked, `row ${n} col ${c}`).toBe(!(isIndicator && assessorCols.has(c)));
        if (!locked) open += 1;
      }
      if (row.getCell(cols.get('method')!).value === '否决') {
        vetoRows += 1;
        const v = row.getCell(cols.get('review')!).dataValidation;
        expect(v.type).toBe('list');
        expect(v.formulae).toEqual(['"是,否"']);
      }
    });
    expect(vetoRows).toBe(5);
    // Five units of 15 indicators, two assessor cells each.
    expect(open).toBe(2 * 5 * 15);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, printTitlesRow: '1:1' });
    // Each unit starts a printed page: a manual break after every block but the last (exceljs does not read them back).
    const zip = await JSZip.loadAsync(await fs.readFile(blankSheet));
    const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(xml.match(/<brk /g)).toHaveLength(4);
  });

  it('refuses to overwrite a score sheet that may hold the assessors’ work', async () => {
    const stderr = sink();
    expect(await scoreSheetCommand([workbooks], { plan: fixture.planFile, out: blankSheet, stdout: sink(), stderr })).toBe(2);
    expect(stderr.text()).toContain('已存在，未覆盖');
  });
});

describe('kaohe scoresheet --update', () => {
  it('keeps what the 考核组 typed, adds a unit that handed in late and refreshes the totals', async () => {
    const sheet = path.join(dir, '考核组评分表-更新.xlsx');
    const early = fixture.workbooks.filter((f) => !f.includes(UNIT.donghu));
    const make = (inputs: string[], update: boolean) =>
      scoreSheetCommand(inputs, { plan: fixture.planFile, out: sheet, update, createdAt: '2011-12-21T01:00:00.000Z', stdout: sink(), stderr: sink() });
    expect(await make(early, false)).toBe(0);
    await fillSheet(sheet, { [UNIT.office]: TYPED[UNIT.office]! });
    // Leaving out a unit the 考核组 already scored would lose its scores: refused, file untouched.
    const before = await fs.readFile(sheet);
    expect(await make(early.filter((f) => !f.includes(UNIT.office)), true)).toBe(1);
    expect((await fs.readFile(sheet)).equals(before)).toBe(true);
    expect(await make([workbooks], true)).toBe(0);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sheet);
    const ws = wb.getWorksheet(SCORESHEET_SHEET.name)!;
    const cols = columnsOf(ws);
    const cell = (unit: string, what: (row: ExcelJS.Row) => boolean, key: string): unknown => {
      let found: unknown;
      ws.eachRow((row) => {
        if (row.getCell(cols.get('unitName')!).value === unit && what(row)) found = row.getCell(cols.get(key)!).value;
      });
      return found;
    };
    const indicator = (id: string) => (row: ExcelJS.Row) => row.getCell(cols.get('indicatorId')!).value === id;
    const total = (row: ExcelJS.Row) => row.getCell(cols.get('category')!).value === TOTAL_LABEL;
    expect(cell(UNIT.office, indicator('9.1'), 'review')).toBe(2);
    expect(cell(UNIT.office, indicator('1.1'), 'review')).toBe(8);
    expect(cell(UNIT.office, total, 'review')).toBe(102);
    expect(cell(UNIT.donghu, total, 'review')).toBe(98);
  });
});

describe('a filled score sheet', () => {
  let sheet: string;
  let withSheet: Awaited<ReturnType<typeof report>>;

  beforeAll(async () => {
    sheet = path.join(dir, '考核组评分表.xlsx');
    await fs.copyFile(blankSheet, sheet);
    await fillSheet(sheet, TYPED);
    withSheet = await report(path.join(dir, 'out-sheet'), sheet);
  });

  it('checks clean: full-width digits, 分 and blanks all read', async () => {
    const [checked] = await checkPaths([sheet], fixture.plan, '');
    expect(checked!.problems).toEqual([]);
  });

  it('gives the hand-computed totals in report --scores', () => {
    expect(withSheet.exitCode).toBe(0);
    const units = byName(withSheet.results);
    for (const e of EXPECTED_WITH_SHEET) expect(units.get(e.unitName), e.unitName).toMatchObject(e);
    expect(withSheet.results!.units.map((u) => u.unitName)).toEqual(EXPECTED_WITH_SHEET.map((e) => e.unitName));
    expect(units.get(UNIT.donghu)!.flags).toContain('未经考核组评定：指标1.1、1.2、2.2、3.1、5.1、5.2、6.1、7.2按自评分计');
    expect(withSheet.results!.unverified).toEqual([]);
  });

  it('ignores assessor cells the units typed into their own workbooks, naming file and rows', () => {
    const ignored = withSheet.results!.dataProblems.filter((p) => p.code === 'review.ignored');
    expect(ignored.map((p) => p.unitName).sort()).toEqual([UNIT.network, UNIT.office, UNIT.station, UNIT.supervision].sort());
    const office = ignored.find((p) => p.unitName === UNIT.office)!;
    expect(path.basename(office.file)).toBe('01-办公室.xlsx');
    expect(office).toMatchObject({ severity: '提醒', sheet: '考核评分' });
    expect(office.message).toContain('第2、3、5、8、9、10、12、14、16行');
  });
});

describe('score sheet checks', () => {
  let bad: string;

  beforeAll(async () => {
    bad = path.join(dir, '考核组评分表-有误.xlsx');
    await fs.copyFile(blankSheet, bad);
    await fillSheet(bad, { [UNIT.office]: { '1.1': '12', '9.1': 4, '11.1': '可能' } }, (ws, cols) => {
      // 805台's block deleted by mistake: its rows lose unit and indicator.
      ws.eachRow((row) => {
        if (row.getCell(cols.get('unitName')!).value === UNIT.station) {
          row.getCell(cols.get('unitName')!).value = null;
          row.getCell(cols.get('indicatorId')!).value = null;
        }
      });
    });
  });

  it('locates over-max scores, a bad 是/否, bonus over the cap and a missing unit by sheet and cell', async () => {
    const read = await ingestFile(bad);
    if (!read.ok) throw new Error(read.problem.message);
    const tighter: Plan = { ...fixture.plan, scoring: { ...fixture.plan.scoring, bonusCap: 3 } };
    const { problems } = checkScoreSheet(read.grid, tighter, { file: bad });
    const review = String.fromCharCode(64 + SCORESHEET_SHEET.columns.findIndex((c) => c.key === 'review') + 1);
    expect(problems.map((p) => [p.severity, p.code, p.sheet, p.cell])).toEqual([
      ['错误', 'scoresheet.range', SCORESHEET_SHEET.name, `${review}2`],
      ['错误', 'yesno.invalid', SCORESHEET_SHEET.name, `${review}16`],
      ['错误', 'scoresheet.bonusCap', SCORESHEET_SHEET.name, `${review}14`],
      ['错误', 'scoresheet.unitMissing', SCORESHEET_SHEET.name, undefined],
    ]);
    expect(problems[0]!.message).toBe('「办公室」指标1.1的考核组评分为 12，应在 0 到分值 8 分之间；该值未计入');
    expect(problems[1]!.message).toContain('“可能”无法识别，请填写“是”或“否”');
    expect(problems[2]!.message).toContain('加分合计 4.00 分，超过方案规定的最多 3 分');
    expect(problems[3]!.message).toContain(UNIT.station);
  });

  it('names the missing unit in kaohe check when given with the workbooks', async () => {
    const checked = await checkPaths([workbooks, bad], fixture.plan, '');
    const sheetReport = checked.find((f) => f.file === bad)!;
    expect(sheetReport.unit).toBe(SCORESHEET_SHEET.name);
    expect(sheetReport.problems.filter((p) => p.code === 'scoresheet.unitMissing')).toHaveLength(1);
    expect(sheetReport.problems.some((p) => p.code === 'scoresheet.range')).toBe(true);
  });

  it('rejects a sheet of another activity with one clear error, in check and in report', async () => {
    const foreign = path.join(dir, '考核组评分表-2012.xlsx');
    await fs.copyFile(blankSheet, foreign);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(foreign);
    const meta = wb.getWorksheet('_meta')!;
    meta.eachRow((row) => {
      if (row.getCell(1).value === 'planId') row.getCell(2).value = 'xiaoneng-2012';
    });
    await wb.xlsx.writeFile(foreign);

    const [checked] = await checkPaths([foreign], fixture.plan, '');
    expect(checked!.problems).toHaveLength(1);
    expect(checked!.problems[0]).toMatchObject({ severity: '错误', code: 'meta.plan', sheet: '_meta' });
    expect(checked!.problems[0]!.message).toContain('该评分表属于活动“xiaoneng-2012”，不是本次活动“xiaoneng-2011”');

    const out = path.join(dir, 'out-foreign');
    const run = await report(out, foreign);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.match(/【错误】/g)).toHaveLength(1);
    expect(run.stderr).toContain('考核组评分表无法使用，未生成任何文件');
    await expect(fs.stat(out)).rejects.toThrow();
  });
});

/** `kaohe check` takes heads from its workers (keep: 'head'): it must say exactly what it says from whole submissions. */
async function expectHeadsAsWhole(paths: string[], plan: Plan): Promise<CheckedFile[]> {
  const shown = (files: CheckedFile[]) => files.map(({ file, unit, unitId, problems }) => ({ file, unit, unitId, problems }));
  const whole = await checkPaths(paths, plan, '');
  expect(shown(await checkPaths(paths, plan, '', { keep: 'head' }))).toEqual(shown(whole));
  return whole;
}

describe('assessor cells in unit workbooks without a score sheet', () => {
  it('are flagged 未经考核组核对 and not counted when unsealed', async () => {
    const out = path.join(dir, 'out-unsealed');
    const run = await report(out);
    expect(run.exitCode).toBe(0);
    const units = byName(run.results);
    // Self scores stand in (监察室 38 instead of 31 → 78.13, 问题整改 3.125 rounded once to 3.13), the bonus and the veto the unit's own workbook carries do not count.
    expect(units.get(UNIT.office)).toMatchObject({ total: 100, bonus: 0 });
    expect(units.get(UNIT.supervision)).toMatchObject({ total: 78.13 });
    expect(units.get(UNIT.network)).toMatchObject({ total: 100, vetoed: false });
    expect(units.get(UNIT.office)!.flags).toContain(
      '未经考核组核对：指标1.1、1.2、2.2、5.1、5.2、6.1、7.2、9.1、11.1的考核组评分未计入，自评类指标按自评分计',
    );
    expect(run.results!.unverified.map((u) => u.unitName).sort()).toEqual([UNIT.network, UNIT.office, UNIT.station, UNIT.supervision].sort());

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, OUTPUT_FILES.summaryWorkbook));
    const ws = wb.getWorksheet('考核结果')!;
    const head = (ws.getRow(1).values as unknown[]).indexOf('考核组核对');
    const notes = new Map<string, unknown>();
    ws.eachRow((row, n) => {
      if (n > 1) notes.set(String(row.getCell(2).value), row.getCell(head).value);
    });
    expect(String(notes.get(UNIT.office))).toMatch(/^未经考核组核对：指标1\.1/);
    expect(notes.get(UNIT.donghu) ?? null).toBeNull();
  });

  it('are named by kaohe check as they will be treated', async () => {
    const checked = await expectHeadsAsWhole([workbooks], fixture.plan);
    const office = checked.find((f) => f.unit === UNIT.office)!;
    const found = office.problems.filter((p) => p.code === 'review.unverified');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: '提醒', sheet: '考核评分' });
    expect(found[0]!.message).toContain('第2、3、5、8、9、10、12、14、16行的考核组评分未经考核组核对（没有考核组评审印记）');
    expect(checked.find((f) => f.unit === UNIT.donghu)!.problems.some((p) => p.code === 'review.unverified')).toBe(false);
  });

  it('count where the review stamp seals them, and not where the stamp is broken', async () => {
    const sealed = await writeFixtureYear(path.join(dir, 'sealed'));
    const office = sealed.workbooks.find((f) => path.basename(f).includes(UNIT.office))!;
    // After review, someone raises a score in 办公室's workbook: the seal no longer matches.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(office);
    const ws = wb.getWorksheet('考核评分')!;
    ws.eachRow((row) => {
      if (row.getCell(1).value === '9.1') row.getCell(9).value = 5;
    });
    await wb.xlsx.writeFile(office);
    // A second copy of the broken workbook: check tells both copies which one counts.
    const copy = path.join(dir, 'sealed', `${UNIT.office}-副本.xlsx`);
    await fs.copyFile(office, copy);
    const checked = await expectHeadsAsWhole([path.join(dir, 'sealed', 'workbooks'), copy], sealed.plan);
    const codes = checked.flatMap((f) => f.problems.map((p) => p.code));
    expect(codes.filter((c) => c === 'review.unverified' || c === 'duplicate-unit')).toEqual(['duplicate-unit', 'review.unverified', 'duplicate-unit', 'review.unverified']);

    const stderr = sink();
    const outcome = await runReport([path.join(dir, 'sealed', 'workbooks')], {
      plan: sealed.planFile,
      out: path.join(dir, 'out-sealed'),
      generatedAt: '2012-01-05T08:00:00.000Z',
      stdout: sink(),
      stderr,
    });
    const units = byName(outcome.results);
    // Sealed: 监察室's reviewed 31 counts (71.13, as hand-computed in the fixture), 网络公司 is vetoed.
    expect(units.get(UNIT.supervision)).toMatchObject({ total: 71.13 });
    expect(units.get(UNIT.network)).toMatchObject({ vetoed: true });
    expect(units.get(UNIT.supervision)!.flags.some((f) => f.startsWith('未经考核组核对'))).toBe(false);
    // Broken: none of 办公室's assessor cells count, neither the raised bonus nor the rest.
    expect(units.get(UNIT.office)).toMatchObject({ total: 100, bonus: 0 });
    const broken = outcome.results!.dataProblems.filter((p) => p.code === 'review.unverified');
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ severity: '错误', unitName: UNIT.office });
    expect(broken[0]!.message).toContain('考核组评审印记与内容不符');
  });
});

describe('a score sheet made from the demo year’s workbooks', () => {
  it('counts what the 考核组 typed for 办公室: full points typed as ８/7分, bonus ３分, veto 否', async () => {
    const loaded = await loadPlanFile();
    if (!loaded.ok) throw new Error('default plan');
    const demoDir = path.join(dir, 'demo');
    await writeDemoWorkbooks(loaded.plan, loaded.hash, demoDir);
    const sheet = path.join(dir, '考核组评分表-演示.xlsx');
    expect(await scoreSheetCommand([demoDir], { out: sheet, stdout: sink(), stderr: sink() })).toBe(0);

    // What the assessor sees on 办公室's rows: the program's auto scores and deduction, the points of each self row.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sheet);
    const ws = wb.getWorksheet(SCORESHEET_SHEET.name)!;
    const cols = columnsOf(ws);
    const typed: Record<string, string> = {};
    let autos = 0;
    let selfPoints = 0;
    let deduction = 0;
    ws.eachRow((row) => {
      if (row.getCell(cols.get('unitName')!).value !== UNIT.office) return;
      const id = String(row.getCell(cols.get('indicatorId')!).value ?? '');
      const max = Number(row.getCell(cols.get('maxPoints')!).value);
      const auto = Number(row.getCell(cols.get('auto')!).value ?? 0);
      switch (row.getCell(cols.get('method')!).value) {
        case '自动':
          autos += auto;
          break;
        case '自评':
          selfPoints += max;
          // Full-width digits on odd rows, 分 on even ones, as assessors type.
          typed[id] = row.number % 2 ? String.fromCharCode(...[...String(max)].map((c) => c.charCodeAt(0) + 0xfee0)) : `${max}分`;
          break;
        case '加分':
          typed[id] = '３分';
          break;
        case '扣分':
          deduction = auto;
          break;
        case '否决':
          typed[id] = '否';
      }
    });
    await fillSheet(sheet, { [UNIT.office]: typed });
    const run = await report(path.join(dir, 'out-demo'), sheet, [demoDir], null);
    expect(run.results!.dataProblems.filter((p) => p.severity === '错误')).toEqual([]);
    const office = byName(run.results).get(UNIT.office)!;
    expect(office.total).toBeCloseTo(autos + selfPoints + 3 - deduction, 5);
    expect(office).toMatchObject({ bonus: 3, vetoed: false });
    expect(office.indicators.filter((i) => i.method === 'self').every((i) => !i.unreviewed)).toBe(true);
  });
});
