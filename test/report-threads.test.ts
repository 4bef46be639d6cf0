// The report's document thread (generator/batch/render-thread.ts) is a speed shortcut: the
// documents it renders must be the bytes this thread would have rendered.
import JSZip from 'jszip';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aggregateYear } from '../core/aggregate.ts';
import { claim } from '../generator/batch/job-claims.ts';
import type { DocumentThread } from '../generator/batch/render-thread.ts';
import { renderOutputs, type Made, type OutputKey } from '../generator/commands/report-outputs.ts';
import { OUTPUT_FILES, runReport } from '../generator/commands/report.ts';
import { DOCUMENTS, type DocumentKey } from '../generator/documents/index.ts';
import { fixturePlan, fixtureSubmissions } from './fixtures/year.ts';
import { writeFixtureYear, type FixtureFiles } from './fixtures/workbooks.ts';
import { sink } from './helpers/sink.ts';

let dir: string;
let fixture: FixtureFiles;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-threads-'));
  fixture = await writeFixtureYear(dir);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Every part of a zip (docx, xlsx) but the one with the time of writing. */
async function parts(file: string): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(await fs.readFile(file));
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir && name !== 'docProps/core.xml') out[name] = await entry.async('string');
  return out;
}

describe('kaohe report with the largest document on a second thread', () => {
  it('writes the same documents, summary workbook and results as with one thread', async () => {
    const run = async (documentThread: boolean) => {
      const out = path.join(dir, documentThread ? 'threaded' : 'single');
      const outcome = await runReport([path.join(dir, 'workbooks')], {
        plan: fixture.planFile,
        out,
        generatedAt: '2012-01-05T08:00:00.000Z',
        documentThread,
        stdout: sink(),
        stderr: sink(),
      });
      return { out, outcome };
    };
    // The threaded run must not have fallen back to rendering the report here.
    const here = vi.spyOn(DOCUMENTS, 'summaryReport');
    const threaded = await run(true);
    expect(here).not.toHaveBeenCalled();
    const single = await run(false);
    expect(here).toHaveBeenCalledTimes(1);
    here.mockRestore();
    expect(threaded.outcome.exitCode).toBe(single.outcome.exitCode);
    expect(threaded.outcome.written.map((f) => path.basename(f))).toEqual(single.outcome.written.map((f) => path.basename(f)));
    expect(threaded.outcome.written.length).toBe(Object.keys(OUTPUT_FILES).length);
    for (const name of Object.values(OUTPUT_FILES)) {
      const [a, b] = [path.join(threaded.out, name), path.join(single.out, name)];
      if (name.endsWith('.json')) expect(await fs.readFile(a, 'utf8'), name).toBe(await fs.readFile(b, 'utf8'));
      else expect(await parts(a), name).toEqual(await parts(b));
    }
    const xml = (await parts(path.join(threaded.out, OUTPUT_FILES.summaryReport)))['word/document.xml']!;
    expect(xml).toContain('考核');
  }, 120_000);
});

describe('the documents shared between this thread and the document thread', () => {
  const results = () => {
    const plan = fixturePlan();
    const subs = fixtureSubmissions(plan);
    const checked = plan.units.filter((u) => subs.has(u.id)).map((u) => ({ file: `${u.name}.xlsx`, submission: subs.get(u.id)!, unit: u, problems: [] }));
    return aggregateYear(plan, checked, { generatedAt: '2012-01-05T08:00:00.000Z' });
  };
  // The stand-in renders with the functions as they were, so a spy on DOCUMENTS sees only this thread's calls.
  const elsewhere = { ...DOCUMENTS };
  /** A stand-in thread: claims the documents `takes` names before this thread can, delivers those `delivers` names, then is done (or lost). */
  const standIn = (takes: readonly DocumentKey[], delivers: readonly DocumentKey[]): DocumentThread => ({
    stop: () => undefined,
    render: async ({ results, options, keys, claims }, onOutcome) => {
      const mine = keys.filter((key, job) => takes.includes(key) && claim(claims, job));
      for (const key of mine) if (delivers.includes(key)) onOutcome(key, await elsewhere[key](results, options));
    },
  });
  const run = async (thread: DocumentThread) => {
    const made = new Map<OutputKey, Made>();
    await renderOutputs(results(), {}, thread, (key, m) => {
      expect(made.has(key), `${key} made twice`).toBe(false);
      made.set(key, m);
    });
    return made;
  };

  it('makes every output once when the thread takes the small documents too', async () => {
    const here = vi.spyOn(DOCUMENTS, 'certificates');
    const all: DocumentKey[] = ['summaryReport', 'certificates', 'publicNotice', 'decision'];
    const made = await run(standIn(all, all));
    expect(here).not.toHaveBeenCalled();
    here.mockRestore();
    expect([...made.keys()].sort()).toEqual(Object.keys(OUTPUT_FILES).sort());
    expect([...made.values()].every((m) => m.ok)).toBe(true);
  });

  it('makes here what a lost thread claimed but never delivered', async () => {
    const here = vi.spyOn(DOCUMENTS, 'summaryReport');
    const made = await run(standIn(['summaryReport', 'certificates'], []));
    expect(here).toHaveBeenCalledTimes(1);
    here.mockRestore();
    expect([...made.keys()].sort()).toEqual(Object.keys(OUTPUT_FILES).sort());
    expect([...made.values()].every((m) => m.ok)).toBe(true);
  });
});
