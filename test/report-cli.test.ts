import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { YearResults } from '../core/results.ts';
import { runCli } from '../generator/cli.ts';
import { OUTPUT_FILES, runReport } from '../generator/commands/report.ts';
import { aggregateYear } from '../core/aggregate.ts';
import { summaryWorkbookBuffer } from '../generator/xlsx/summary.ts';
import { fixturePlan, fixtureSubmissions } from './fixtures/year.ts';
import { EXPECTED, UNIT } from './fixtures/year.ts';
import { writeFixtureYear } from './fixtures/workbooks.ts';
import type { FixtureFiles } from './fixtures/workbooks.ts';
import { sink } from './helpers/sink.ts';
import { docxText, sheetRows } from './helpers/read-back.ts';

const FORMULA_TEXT = "=cmd|' /C calc'!A0";

async function sha(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

let dir: string;
let fixture: FixtureFiles;
let badFile: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-report-'));
  // 办公室's nominee is typed as formula-like text: it must reach the summary as text.
  fixture = await writeFixtureYear(dir, (unitId, sub) =>
    unitId === 'office'
      ? { ...sub, nominations: sub.nominations.map((n) => (n.category === '先进个人' ? { ...n, nominee: FORMULA_TEXT } : n)) }
      : sub,
  );
  badFile = path.join(dir, 'workbooks', '99-损坏的文件.xlsx');
  await fs.writeFile(badFile, '这不是压缩包，只是改了扩展名的文本文件');
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('kaohe report on the fixture year with one bad file', () => {
  let out: string;
  let exitCode: number;
  let stdout: string;
  const before = new Map<string, string>();

  beforeAll(async () => {
    for (const f of [...fixture.workbooks, badFile, fixture.planFile]) before.set(f, await sha(f));
    out = path.join(dir, 'out');
    const so = sink();
    const se = sink();
    const outcome = await runReport([path.join(dir, 'workbooks')], {
      plan: fixture.planFile,
      out,
      generatedAt: '2012-01-05T08:00:00.000Z',
      stdout: so,
      stderr: se,
    });
    exitCode = outcome.exitCode;
    stdout = so.text();
  });

  it('goes past the bad file, prints a summary and exits 1 because an input had a 错误', () => {
    expect(exitCode).toBe(1);
    expect(stdout).toContain('计入 5 个单位');
    expect(stdout).toContain(`未报送：${UNIT.xishan}`);
    expect(stdout).toContain('优秀 3 个');
  });

  it('writes every output', async () => {
    for (const name of Object.values(OUTPUT_FILES)) {
      expect((await fs.stat(path.join(out, name))).size, name).toBeGreaterThan(0);
    }
    const leftovers = (await fs.readdir(out)).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('leaves every input byte-identical', async () => {
    for (const [file, hash] of before) expect(await sha(file), file).toBe(hash);
  });

  it('fills 考核结果 with the hand-computed ranking, then the 未报送 unit', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, OUTPUT_FILES.summaryWorkbook));
    const rows = sheetRows(wb.getWorksheet('考核结果')!);
    const header = rows[0] as string[];
    expect(header).toEqual([
      '名次', '单位名称', '单位类别', '组织领导', '学习动员', '重点任务', '效能投诉', '作风建设', '政务公开', '制度建设', '问题整改',
      '加分', '扣分', '总分', '等次', '一票否决', '是否表彰', '考核组核对',
    ]);
    const col = (name: string) => header.indexOf(name);
    const body = rows.slice(1);
    expect(body.map((r) => [r[0], r[1], r[col('加分')], r[col('扣分')], r[col('总分')], r[col('等次')], r[col('一票否决')]])).toEqual([
      ...EXPECTED.ranking.map((e, i) => [e.vetoed ? '—' : String(i + 1), e.name, e.bonus, e.deduction, e.total, e.grade, e.vetoed ? '是' : '否']),
      ['—', UNIT.xishan, undefined, undefined, undefined, '未报送', undefined],
    ]);
    const supervision = body.find((r) => r[1] === UNIT.supervision)!;
    for (const [category, points] of Object.entries(EXPECTED.supervisionByCategory)) {
      expect(supervision[col(category)], category).toBeCloseTo(points, 5);
    }
    expect(body.map((r) => r[col('是否表彰')])).toEqual(['是', '是', '否', '否', '否', '否']);
  });

  it('fills 投诉统计, 表彰名单 and lists the bad file under 数据问题', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, OUTPUT_FILES.summaryWorkbook));
    expect(sheetRows(wb.getWorksheet('投诉统计')!).slice(1)).toEqual(EXPECTED.complaints);
    const awards = sheetRows(wb.getWorksheet('表彰名单')!).slice(1);
    expect(awards).toEqual(
      EXPECTED.commendations.map((c) => [c.category, c.name === '王建国' ? FORMULA_TEXT : c.name, c.unitName, c.total, c.total === 97 ? '3' : c.total === 98 ? '2' : '1']),
    );
    const problems = sheetRows(wb.getWorksheet('数据问题')!).slice(1);
    const bad = problems.filter((r) => String(r[0]).endsWith('99-损坏的文件.xlsx'));
    expect(bad).toHaveLength(1);
    expect(String(bad[0]![3])).toContain('不是');
  });

  it('stores formula-like text as a plain string, never as a formula', async () => {
    const zip = await JSZip.loadAsync(await fs.readFile(path.join(out, OUTPUT_FILES.summaryWorkbook)));
    const sheets = Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/sheet'));
    expect(sheets.length).toBe(6);
    for (const name of sheets) expect(await zip.file(name)!.async('string'), name).not.toContain('<f>');
    const shared = await zip.file('xl/sharedStrings.xml')!.async('string');
    const text = shared.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(text).toContain(FORMULA_TEXT);
  });

  it('names the commended in the decision and the 未报送 unit in the annual report', async () => {
    const decision = await docxText(path.join(out, OUTPUT_FILES.decision));
    expect(decision).toContain(UNIT.donghu);
    expect(decision).toContain(UNIT.office);
    expect(decision).toContain('张秀英');
    expect(decision).not.toContain('陈文华');
    const report = await docxText(path.join(out, OUTPUT_FILES.summaryReport));
    expect(report).toContain(UNIT.xishan);
    expect(report).toContain(UNIT.supervision);
  });

  it('writes results.json as the YearResults of the fixture', async () => {
    const results = JSON.parse(await fs.readFile(path.join(out, OUTPUT_FILES.resultsJson), 'utf8')) as YearResults;
    expect(results.units.map((u) => [u.unitName, u.total, u.grade])).toEqual(EXPECTED.ranking.map((e) => [e.name, e.total, e.grade]));
    expect(results.missingUnits.map((u) => u.name)).toEqual([UNIT.xishan]);
    expect(results.counts).toMatchObject({ files: 6, reported: 5, unusable: 1 });
    expect(results.generatedAt).toBe('2012-01-05T08:00:00.000Z');
  });
});

describe('kaohe report refusals', () => {
  it('--strict exits 1 and writes nothing when a workbook has an error', async () => {
    const out = path.join(dir, 'strict-out');
    const se = sink();
    const outcome = await runReport([path.join(dir, 'workbooks')], { plan: fixture.planFile, out, strict: true, stdout: sink(), stderr: se });
    expect(outcome.exitCode).toBe(1);
    expect(se.text()).toContain('99-损坏的文件.xlsx');
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('exits 1 when nothing is readable', async () => {
    const outcome = await runReport([badFile], { plan: fixture.planFile, out: path.join(dir, 'none-out'), stdout: sink(), stderr: sink() });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.written).toEqual([]);
  });

  it('writes the other outputs and exits 1 when one template is broken, naming its file and line', async () => {
    const templates = path.join(dir, 'templates');
    await fs.mkdir(templates, { recursive: true });
    await fs.writeFile(path.join(templates, '表彰决定.md.hbs'), '# 表彰决定\n\n{{#each 没有这个字段}}\n{{/each}}\n');
    const out = path.join(dir, 'broken-template-out');
    const se = sink();
    const outcome = await runReport([path.join(dir, 'workbooks')], { plan: fixture.planFile, templates, out, stdout: sink(), stderr: se });
    expect(outcome.exitCode).toBe(1);
    expect(se.text()).toMatch(/表彰决定\.md\.hbs:3:/);
    await expect(fs.stat(path.join(out, OUTPUT_FILES.decision))).rejects.toThrow();
    for (const name of [OUTPUT_FILES.summaryReport, OUTPUT_FILES.summaryWorkbook, OUTPUT_FILES.resultsJson]) {
      expect((await fs.stat(path.join(out, name))).size, name).toBeGreaterThan(0);
    }
  });

  it('does not read its own summary workbook back when --out is an input folder', async () => {
    const folder = path.join(dir, 'same-folder');
    await fs.cp(path.join(dir, 'workbooks'), folder, { recursive: true });
    const run = () => runReport([folder], { plan: fixture.planFile, out: folder, stdout: sink(), stderr: sink() });
    const first = await run();
    const second = await run();
    expect(second.exitCode).toBe(first.exitCode);
    expect(second.results!.counts).toEqual(first.results!.counts);
  });

  it('exits 2 on a bad issue date or a missing templates folder', async () => {
    const base = { plan: fixture.planFile, out: path.join(dir, 'y'), stdout: sink(), stderr: sink() };
    expect((await runReport([badFile], { ...base, issueDate: '2011-02-30' })).exitCode).toBe(2);
    expect((await runReport([badFile], { ...base, templates: path.join(dir, 'nope') })).exitCode).toBe(2);
  });

  it('exits 2 on a bad plan file', async () => {
    const planFile = path.join(dir, 'bad-plan.yaml');
    await fs.writeFile(planFile, 'activity: [');
    const outcome = await runReport([badFile], { plan: planFile, out: path.join(dir, 'x'), stdout: sink(), stderr: sink() });
    expect(outcome.exitCode).toBe(2);
  });
});

describe('kaohe report through the command line', () => {
  afterEach(() => {
    // runCli reports through process.exitCode; leave the test process's own exit code alone.
    process.exitCode = 0;
  });

  it('exits 1 with --strict and 2 without --out', async () => {
    const strict = await runCli(['report', path.join(dir, 'workbooks'), '--plan', fixture.planFile, '--out', path.join(dir, 'cli-out'), '--strict']);
    expect(strict).toBe(1);
    process.exitCode = 0;
    expect(await runCli(['report', path.join(dir, 'workbooks')])).toBe(2);
  });
});

describe('考核结果汇总.xlsx text limits', () => {
  it('drops control characters and cuts text at Excel’s 32,767-character cell limit', async () => {
    const plan = fixturePlan();
    const subs = fixtureSubmissions(plan);
    const checked = plan.units.filter((u) => subs.has(u.id)).map((u) => ({ file: `${u.name}.xlsx`, submission: subs.get(u.id)!, unit: u, problems: [] }));
    const results = aggregateYear(plan, checked, { generatedAt: '2012-01-05T08:00:00.000Z' });
    results.commendations.persons[0]!.name = '王\u0007建\u0000国';
    results.dataProblems.push({ file: 'x.xlsx', severity: '提醒', code: 'long', message: '长'.repeat(40_000) });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(summaryWorkbookBuffer(results) as unknown as ArrayBuffer);
    const awards = sheetRows(wb.getWorksheet('表彰名单')!);
    expect(awards.map((r) => r[1])).toContain('王建国');
    const message = String(sheetRows(wb.getWorksheet('数据问题')!).at(-1)![3]);
    expect(message).toHaveLength(32_767);
  });
});
