// SPEC §9: the calendar never guesses, the plan follows the work, placeholders are flagged, and a
// plan for another agency and year leaves no trace of the seed in the documents.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UncoveredYearError, WorkCalendar } from '../core/calendar.ts';
import { parsePlan, placeholdersOf, planHash } from '../core/plan.ts';
import { checkPaths } from '../generator/commands/check.ts';
import { runCli } from '../generator/cli.ts';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { documentDates } from '../generator/documents/dates.ts';
import { findPlanFile } from '../generator/files/plan-file.ts';
import { OUTPUT_FILES, runReport } from '../generator/commands/report.ts';
import { writeFixtureYear } from './fixtures/workbooks.ts';
import { sink } from './helpers/sink.ts';
import { docxText } from './helpers/read-back.ts';

const DEFAULT_PLAN_TEXT = await fs.readFile(new URL('../templates/plan.yaml', import.meta.url), 'utf8');

/** Another bureau's 2026 campaign, with the 2027 holidays it needs for a 公示期 running into January. */
const OTHER_PLAN_TEXT =
  DEFAULT_PLAN_TEXT.replaceAll('市广播电影电视局', '市文化和旅游局').replaceAll('广电', '文旅').replaceAll('2011', '2026') +
  '\ncalendar:\n  2027:\n    holidays: [2027-01-01, 2027-01-02, 2027-01-03]\n    workdays: []\n';

/** Runs the CLI in-process and returns its exit code and what it wrote to stderr. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const before = process.exitCode;
  try {
    const code = await runCli(args);
    return { code, stderr: chunks.join('') };
  } finally {
    process.exitCode = before;
    spy.mockRestore();
    out.mockRestore();
  }
}

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-plan-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('calendar (SPEC §9)', () => {
  it('uses the plan’s own 2027 holidays: 元旦 is skipped in the 公示期', () => {
    const dates = documentDates('2026-12-31', { '2027': { holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] } });
    // Thu 12-31 → 01-01 holiday, 02/03 weekend: the five working days are Mon 01-04 … Fri 01-08.
    expect(dates).toEqual({ notice: '2026-12-31', publicStart: '2027-01-04', publicEnd: '2027-01-08', decision: '2027-01-11' });
  });

  it('refuses a year neither the package nor the plan covers instead of counting weekends', () => {
    expect(() => documentDates('2026-12-31')).toThrow(UncoveredYearError);
    expect(() => new WorkCalendar().isWorkday('2030-10-01')).toThrow(/2030年/);
  });

  it('exits 2 naming the year and the fix for a 2030 plan without its calendar', async () => {
    const file = path.join(dir, 'plan-2030.yaml');
    await fs.writeFile(file, DEFAULT_PLAN_TEXT.replaceAll('2011', '2030'));
    const { code, stderr } = await cli(['check', dir, '--plan', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('没有2030年的节假日安排');
    expect(stderr).toContain('calendar:');
  });
});

describe('a plan for another agency and year', () => {
  let out: string;
  let texts: Record<string, string>;

  beforeAll(async () => {
    const parsed = parsePlan(OTHER_PLAN_TEXT);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const base = path.join(dir, 'other');
    await fs.mkdir(base, { recursive: true });
    await fs.writeFile(path.join(base, 'plan.yaml'), OTHER_PLAN_TEXT);
    await writeDemoWorkbooks(parsed.plan, parsed.hash, path.join(base, 'workbooks'));
    out = path.join(base, 'out');
    // No --plan: the plan.yaml beside the workbooks folder is found.
    const stderr = sink();
    const outcome = await runReport([path.join(base, 'workbooks')], { out, issueDate: '2026-12-31', stdout: sink(), stderr });
    expect(outcome.exitCode, stderr.text()).toBe(0);
    expect(stderr.text()).toContain('使用工作簿旁的考核方案');
    texts = {};
    for (const name of [OUTPUT_FILES.summaryReport, OUTPUT_FILES.publicNotice, OUTPUT_FILES.decision, OUTPUT_FILES.certificates]) {
      texts[name] = await docxText(path.join(out, name));
    }
  }, 180_000);

  it('leaves no trace of the seed’s bureau or year in any document', () => {
    for (const [name, text] of Object.entries(texts)) expect(text, name).not.toMatch(/广电|广播电影电视|2011/);
    // The organ signs the decision and the notice.
    expect(texts[OUTPUT_FILES.decision]).toContain('市文化和旅游局');
    expect(texts[OUTPUT_FILES.publicNotice]).toContain('市文化和旅游局');
  });

  it('counts the 公示期 with the plan’s 2027 holidays', () => {
    expect(texts[OUTPUT_FILES.publicNotice]).toContain('2027年1月4日');
    expect(texts[OUTPUT_FILES.publicNotice]).toContain('2027年1月8日');
  });
});

describe('the plan follows the work (SPEC §9)', () => {
  it('reports a workbook of another activity with exactly one error and the fix', async () => {
    const fixture = await writeFixtureYear(path.join(dir, 'fixture'));
    const other = parsePlan(OTHER_PLAN_TEXT);
    if (!other.ok) throw new Error('other plan');
    const [file] = await checkPaths([fixture.workbooks[1]!], other.plan, other.hash);
    expect(file!.problems).toHaveLength(1);
    expect(file!.problems[0]).toMatchObject({ severity: '错误', code: 'meta.plan' });
    expect(file!.problems[0]!.message).toContain('--plan');
    // With its own plan the same workbook has no 错误.
    const [own] = await checkPaths([fixture.workbooks[1]!], fixture.plan, planHash(fixture.plan));
    expect(own!.problems.filter((p) => p.severity === '错误')).toEqual([]);
  });

  it('finds plan.yaml in the current folder first, then in or beside the input folder', async () => {
    const root = path.join(dir, 'office');
    const returned = path.join(root, '收回的工作簿');
    const elsewhere = path.join(dir, 'elsewhere');
    await fs.mkdir(returned, { recursive: true });
    await fs.mkdir(elsewhere, { recursive: true });
    expect(await findPlanFile(undefined, [returned], elsewhere)).toMatchObject({ source: 'builtin' });
    await fs.writeFile(path.join(root, 'plan.yaml'), DEFAULT_PLAN_TEXT);
    expect(await findPlanFile(undefined, [returned], elsewhere)).toEqual({ file: path.join(root, 'plan.yaml'), source: 'beside' });
    await fs.writeFile(path.join(elsewhere, 'plan.yaml'), DEFAULT_PLAN_TEXT);
    expect(await findPlanFile(undefined, [returned], elsewhere)).toEqual({ file: path.join(elsewhere, 'plan.yaml'), source: 'cwd' });
    expect(await findPlanFile('given.yaml', [returned], elsewhere)).toEqual({ file: 'given.yaml', source: 'given' });
  });
});

describe('placeholders (SPEC §9)', () => {
  it('names the placeholder contacts and example units of the default plan', () => {
    const parsed = parsePlan(DEFAULT_PLAN_TEXT);
    if (!parsed.ok) throw new Error('default plan');
    const found = placeholdersOf(parsed.plan);
    expect(found).toHaveLength(5);
    expect(found.join('\n')).toMatch(/（联系人）“张同志（占位/);
    expect(found.join('\n')).toMatch(/0000-0000000/);
    expect(found.join('\n')).toMatch(/11个单位的名称是示例（example: true）/);
  });

  it('warns in workbooks and refuses with --strict', async () => {
    const plan = path.join(dir, 'placeholder-plan.yaml');
    await fs.writeFile(plan, DEFAULT_PLAN_TEXT);
    const strictOut = path.join(dir, 'strict-out');
    const strict = await cli(['workbooks', '--plan', plan, '--out', strictOut, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('【错误】方案 activity.contact');
    await expect(fs.readdir(strictOut)).rejects.toThrow();
  });
});
