import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkFile } from '../generator/batch/check-file.ts';
import { checkFiles, startCheckPool } from '../generator/batch/check-pool.ts';
import { planHash } from '../core/plan.ts';
import { writeFixtureYear, type FixtureFiles } from './fixtures/workbooks.ts';

let dir: string;
let fixture: FixtureFiles;
let files: string[];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-pool-'));
  fixture = await writeFixtureYear(dir);
  const notXlsx = path.join(dir, '说明.xlsx');
  await fs.writeFile(notXlsx, '这不是工作簿');
  // Each workbook many times, so the threads are running before the files run out; plus one that is not a workbook and one that is missing.
  const copies = Array.from({ length: 20 }, () => fixture.workbooks).flat();
  files = [...fixture.workbooks, notXlsx, path.join(dir, '不存在.xlsx'), ...copies];
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('reading pool', () => {
  it('gives with worker threads exactly what one thread gives, in the order of the files', async () => {
    const hash = planHash(fixture.plan);
    const ticks: string[] = [];
    const sent = vi.spyOn(Worker.prototype, 'postMessage');
    const pooled = await checkFiles(files, fixture.plan, hash, (f) => ticks.push(f), { threads: 2 });
    const alone = await Promise.all(files.map((f) => checkFile(f, fixture.plan, hash)));
    expect(sent.mock.calls.length).toBeGreaterThan(0);
    sent.mockRestore();
    expect(pooled).toEqual(alone);
    expect(pooled.map((w) => w.file)).toEqual(files);
    expect(ticks.sort()).toEqual([...files].sort());
    expect(pooled.filter((w) => w.submission !== null)).toHaveLength(21 * fixture.workbooks.length);
    expect(pooled[fixture.workbooks.length]!.problems[0]!.severity).toBe('错误');
  }, 60_000);
});

describe('a file that stalls or exhausts its worker', () => {
  it('is stopped and reported; every other file is checked as usual and the batch finishes', async () => {
    const hash = planHash(fixture.plan);
    const good = fixture.workbooks.slice(0, 3);
    const stall = path.join(dir, '卡住.xlsx');
    const hog = path.join(dir, '耗尽内存.xlsx');
    await fs.copyFile(good[0]!, stall);
    await fs.copyFile(good[0]!, hog);
    const batch = [good[0]!, stall, good[1]!, hog, good[2]!];
    const checked = await checkFiles(batch, fixture.plan, hash, () => undefined, {
      threads: 1,
      budgetMs: 20_000,
      heapMb: 64,
      workerEntry: new URL('./helpers/stalling-worker.ts', import.meta.url),
    });
    expect(checked.map((w) => w.file)).toEqual(batch);
    expect(checked[1]!.problems.map((p) => p.code)).toEqual(['file-timeout']);
    expect(checked[1]!.problems[0]!.message).toContain('「卡住.xlsx」');
    expect(checked[3]!.problems.map((p) => p.code)).toEqual(['file-crashed']);
    expect(checked[3]!.problems[0]!.message).toContain('内存不足');
    for (const i of [0, 2, 4]) expect(checked[i]).toEqual(await checkFile(batch[i]!, fixture.plan, hash));
  }, 120_000);
});

describe('an unexpected exception while checking one file', () => {
  it('becomes a located Chinese 错误 on that file instead of stopping the batch', async () => {
    // A plan the checks cannot walk stands in for a fault in the code: checkWorkbook throws.
    const broken = { ...fixture.plan, units: null } as unknown as typeof fixture.plan;
    const checked = await checkFile(fixture.workbooks[0]!, broken, 'hash');
    expect(checked.problems).toHaveLength(1);
    const [problem] = checked.problems;
    expect(problem).toMatchObject({ severity: '错误', code: 'internal', file: fixture.workbooks[0] });
    expect(problem!.message).toContain(`「${path.basename(fixture.workbooks[0]!)}」`);
    expect(problem!.message).toMatch(/该文件未计入，其他文件照常处理/);
  });
});

describe('a pool started before the plan is read', () => {
  it('is stopped unused when the plan cannot be read: its workers end and are sent no plan and no file', async () => {
    const sent = vi.spyOn(Worker.prototype, 'postMessage');
    const ended = vi.spyOn(Worker.prototype, 'terminate');
    const pool = startCheckPool(files, { threads: 2 });
    pool.cancel();
    await vi.waitFor(() => expect(ended).toHaveBeenCalledTimes(2), { timeout: 30_000 });
    expect(sent).not.toHaveBeenCalled();
    sent.mockRestore();
    ended.mockRestore();
  }, 60_000);
});
