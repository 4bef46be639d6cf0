import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkFile } from '../generator/check-file.ts';
import { checkFiles } from '../generator/check-pool.ts';
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
    // This thread only coordinates, so the worker path is taken however loaded the machine is.
    const pooled = await checkFiles(files, fixture.plan, hash, (f) => ticks.push(f), 2, false);
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
