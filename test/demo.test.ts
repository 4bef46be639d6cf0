import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { YearResults } from '../core/results.ts';
import { checkPaths } from '../generator/commands/check.ts';
import { DEMO_SCORESHEET, demoCommand } from '../generator/commands/demo.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { OUTPUT_FILES } from '../generator/commands/report.ts';

let dir: string;
let exitCode: number;
let results: YearResults;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-demo-'));
  exitCode = await demoCommand({ out: dir });
  results = JSON.parse(await fs.readFile(path.join(dir, OUTPUT_FILES.resultsJson), 'utf8')) as YearResults;
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('kaohe demo', () => {
  it('writes a workbook for every unit but one, and every output', async () => {
    expect(exitCode).toBe(0);
    const workbooks = await fs.readdir(path.join(dir, 'workbooks'));
    expect(workbooks.filter((f) => f.endsWith('.xlsx'))).toHaveLength(results.counts.planned - 1);
    for (const name of Object.values(OUTPUT_FILES)) {
      expect((await fs.stat(path.join(dir, name))).size, name).toBeGreaterThan(0);
    }
  });

  it('shows a veto, a verified complaint, a late key task and a unit that did not hand in', () => {
    expect(results.units.filter((u) => u.vetoed)).toHaveLength(1);
    expect(results.units.find((u) => u.vetoed)!.grade).toBe('不合格');
    expect(results.complaints.totals.verified).toBeGreaterThanOrEqual(1);
    expect(results.complaints.measures.length).toBeGreaterThanOrEqual(1);
    expect(results.keyTasks.some((t) => t.lead?.status === '逾期完成')).toBe(true);
    expect(results.missingUnits).toHaveLength(1);
  });

  it('gives a spread of grades, mostly reviewed units and commended persons', () => {
    expect(results.gradeCounts.优秀).toBeGreaterThanOrEqual(2);
    expect(results.gradeCounts.良好 + results.gradeCounts.合格).toBeGreaterThanOrEqual(5);
    const unreviewed = results.units.filter((u) => u.indicators.some((i) => i.unreviewed));
    expect(unreviewed.length).toBeLessThanOrEqual(2);
    expect(results.commendations.persons.length).toBeGreaterThanOrEqual(3);
    expect(results.commendations.units.length + results.commendations.departments.length).toBeGreaterThanOrEqual(2);
  });

  it('reads its own workbooks without errors', () => {
    expect(results.dataProblems.filter((p) => p.severity === '错误')).toEqual([]);
    expect(results.counts.unusable).toBe(0);
    // Stamped like the add-in stamps a submission: the content hash matches what is read back.
    expect(results.dataProblems.filter((p) => p.code === 'meta.modifiedAfterSubmit')).toEqual([]);
  });

  it('takes the assessors’ scores from a filled score sheet that checks clean', async () => {
    const loaded = await loadPlanFile();
    if (!loaded.ok) throw new Error('default plan');
    const [sheet] = await checkPaths([path.join(dir, DEMO_SCORESHEET)], loaded.plan, loaded.hash);
    expect(sheet!.problems).toEqual([]);
    // The units' own workbooks carry no assessor cells, so nothing is ignored or left unverified.
    expect(results.dataProblems.filter((p) => p.code.startsWith('review.') || p.code.startsWith('scoresheet.'))).toEqual([]);
    expect(results.unverified).toEqual([]);
    // Reviewed units have the 考核组's scores; the one unit the 考核组 left blank is flagged.
    const reviewed = results.units.filter((u) => u.indicators.some((i) => i.method === 'self' && i.review !== null));
    expect(reviewed).toHaveLength(results.units.length - 1);
    expect(results.units.filter((u) => u.flags.some((f) => f.startsWith('未经考核组评定')))).toHaveLength(1);
  });

  it('is reproducible: the same seed gives the same year', async () => {
    const again = path.join(dir, 'again');
    await demoCommand({ out: again });
    const second = JSON.parse(await fs.readFile(path.join(again, OUTPUT_FILES.resultsJson), 'utf8')) as YearResults;
    const strip = (r: YearResults) => ({ ...r, generatedAt: '', dataProblems: r.dataProblems.map((p) => ({ ...p, file: path.basename(p.file) })) });
    expect(strip(second).units).toEqual(strip(results).units);
    expect(strip(second).commendations).toEqual(strip(results).commendations);
  });
});
