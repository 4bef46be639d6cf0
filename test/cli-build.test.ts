// The compiled CLI (scripts/build-cli.js → dist-cli/) that bin/kaohe.js runs: what `--help`
// loads, the worker threads the reading pool and the report start by file path, and a packed tarball installed
// outside the checkout finding its templates and plan.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planHash } from '../core/plan.ts';
import { checkFile } from '../generator/batch/check-file.ts';
import type { CheckReply, PoolMessage } from '../generator/batch/check-pool.ts';
import { jobClaims } from '../generator/batch/job-claims.ts';
import type { RenderMessage, RenderRequest } from '../generator/batch/render-thread.ts';
import { decision } from '../generator/documents/index.ts';
import { aggregateYear } from '../core/aggregate.ts';
import { fixturePlan, fixtureSubmissions } from './fixtures/year.ts';
import { writeFixtureYear, type FixtureFiles } from './fixtures/workbooks.ts';

const root = path.resolve(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
// Inside the package, as dist-cli/ is: the compiled code finds templates/ by walking up.
const outdir = path.join(root, 'test', 'tmp', `cli-build-${process.pid}`);
let tmp: string;
let fixture: FixtureFiles;

interface Metafile {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown> }>;
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-cli.js'), '--outdir', outdir, '--metafile']);
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-cli-build-'));
  fixture = await writeFixtureYear(path.join(tmp, 'year'));
}, 180_000);

afterAll(async () => {
  await fs.rm(outdir, { recursive: true, force: true });
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Source files an output loads before running: its own and those of the chunks it imports statically. */
function loadedAtStart(meta: Metafile, output: string, seen = new Set<string>()): Set<string> {
  if (seen.has(output)) return new Set();
  seen.add(output);
  const inputs = new Set(Object.keys(meta.outputs[output]!.inputs));
  for (const imp of meta.outputs[output]!.imports) {
    if (imp.kind === 'import-statement' && !imp.external) for (const input of loadedAtStart(meta, imp.path, seen)) inputs.add(input);
  }
  return inputs;
}

describe('compiled CLI', () => {
  it('loads only commander and its own declarations before a command runs (--help, --version)', () => {
    const meta = JSON.parse(readFileSync(path.join(outdir, 'meta.json'), 'utf8')) as Metafile;
    const entry = Object.keys(meta.outputs).find((o) => o.endsWith('/kaohe.js'))!;
    const loaded = [...loadedAtStart(meta, entry)].filter((f) => !/(^|\/)node_modules\/commander\//.test(f));
    expect(loaded.sort()).toEqual(['generator/cli.ts', 'generator/console/exit-codes.ts', 'generator/files/package-root.ts']);
    // The commands themselves are there, loaded on use.
    const lazy = meta.outputs[entry]!.imports.filter((i) => i.kind === 'dynamic-import').length;
    expect(lazy).toBeGreaterThanOrEqual(5);
  });

  it('starts each reading worker without the plan parser: the plan comes parsed, so neither yaml nor zod is loaded', () => {
    const meta = JSON.parse(readFileSync(path.join(outdir, 'meta.json'), 'utf8')) as Metafile;
    const entry = Object.keys(meta.outputs).find((o) => o.endsWith('/check-worker.js'))!;
    const loaded = [...loadedAtStart(meta, entry)];
    expect(loaded).toContain('generator/batch/check-file.ts');
    expect(loaded.filter((f) => /(^|\/)node_modules\/(yaml|zod)\/|core\/plan\.ts$/.test(f))).toEqual([]);
  });

  it('starts the report’s reading pool before loading the document engine or exceljs, which load while the workbooks are read', () => {
    const meta = JSON.parse(readFileSync(path.join(outdir, 'meta.json'), 'utf8')) as Metafile;
    const report = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.inputs['generator/commands/report.ts'])!;
    const heavy = (files: Iterable<string>) => [...files].filter((f) => /(^|\/)node_modules\/(exceljs|docx|handlebars)\//.test(f));
    const loaded = loadedAtStart(meta, report);
    expect(loaded).toContain('generator/batch/check-pool.ts');
    expect(heavy(loaded)).toEqual([]);
    const later = meta.outputs[report]!.imports.filter((i) => i.kind === 'dynamic-import').flatMap((i) => [...loadedAtStart(meta, i.path)]);
    expect(heavy(later).length).toBeGreaterThan(0);
  });

  it('runs the reading pool’s worker from its compiled file, checking a workbook as the source does', async () => {
    // Flat output: the pool's `./check-worker.js` is beside whichever chunk holds the pool.
    const pool = (await fs.readdir(outdir)).filter((f) => f.endsWith('.js') && readFileSync(path.join(outdir, f), 'utf8').includes('"./check-worker.js"'));
    expect(pool.length).toBe(1);
    const hash = planHash(fixture.plan);
    const file = fixture.workbooks[0]!;
    const worker = new Worker(path.join(outdir, 'check-worker.js'));
    const replies: CheckReply[] = [];
    await new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (reply: CheckReply) => {
        replies.push(reply);
        if (reply !== 'ready') return resolve();
        worker.postMessage({ plan: fixture.plan, planHash: hash, keep: 'whole' } satisfies PoolMessage);
        worker.postMessage({ index: 7, file } satisfies PoolMessage);
      });
    });
    await worker.terminate();
    expect(replies[0]).toBe('ready');
    expect(replies[1]).toEqual({ index: 7, checked: await checkFile(file, fixture.plan, hash) });
  });

  it('runs the report’s document thread from its compiled file, rendering a document as this thread does', async () => {
    expect((await fs.readdir(outdir)).filter((f) => readFileSync(path.join(outdir, f), 'utf8').includes('"./render-worker.js"'))).toHaveLength(1);
    const plan = fixturePlan();
    const subs = fixtureSubmissions(plan);
    const checked = plan.units.filter((u) => subs.has(u.id)).map((u) => ({ file: `${u.name}.xlsx`, submission: subs.get(u.id)!, unit: u, problems: [] }));
    const results = aggregateYear(plan, checked, { generatedAt: '2012-01-05T08:00:00.000Z' });
    const worker = new Worker(path.join(outdir, 'render-worker.js'));
    const messages: RenderMessage[] = [];
    await new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (message: RenderMessage) => {
        messages.push(message);
        if (message === 'done') resolve();
      });
      worker.postMessage({ results, options: {}, keys: ['decision'], claims: jobClaims(1) } satisfies RenderRequest);
    });
    await worker.terminate();
    const here = await decision(results);
    const [reply] = messages;
    expect(messages.length).toBe(2);
    if (typeof reply !== 'object' || reply.key !== 'decision' || !reply.outcome.ok || !here.ok) throw new Error('表彰决定未生成');
    const xml = async (bytes: Uint8Array) => (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    expect(await xml(reply.outcome.docx)).toBe(await xml(here.docx));
  });

  it('packs into a tarball that, installed outside the checkout, runs kaohe --version, check and report', async () => {
    // `npm pack` runs `prepare` (the build), as publishing would. Installing the tarball's
    // dependencies would need the network: the project's node_modules stand in for them.
    const packed = execFileSync('npm', ['pack', '--pack-destination', tmp, '--silent'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
    const prefix = path.join(tmp, 'prefix');
    const pkg = path.join(prefix, 'lib', 'node_modules', 'kaohe');
    await fs.mkdir(pkg, { recursive: true });
    execFileSync('tar', ['xzf', path.join(tmp, packed), '-C', pkg, '--strip-components=1']);
    await fs.symlink(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'));
    await fs.mkdir(path.join(prefix, 'bin'));
    const bin = path.join(prefix, 'bin', 'kaohe');
    await fs.symlink('../lib/node_modules/kaohe/bin/kaohe.js', bin);
    // Only what the CLI needs is packed: no TypeScript sources, tests or add-in.
    expect(existsSync(path.join(pkg, 'generator'))).toBe(false);
    expect(existsSync(path.join(pkg, 'templates', 'plan.yaml'))).toBe(true);

    const work = path.join(tmp, 'work');
    await fs.mkdir(work);
    const kaohe = (...args: string[]) => spawnSync(bin, args, { cwd: work, encoding: 'utf8' });
    const v = kaohe('--version');
    expect([v.status, v.stdout.trim()]).toEqual([0, version]);
    const checked = kaohe('check', '--plan', fixture.planFile, fixture.workbooks[0]!);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('共检查 1 个文件：1 个通过');
    // The built-in plan and templates are found from the installed folder.
    const init = kaohe('init', 'plan');
    expect(init.status, init.stderr).toBe(0);
    expect(readFileSync(path.join(work, 'plan', 'plan.yaml'), 'utf8')).toBe(readFileSync(path.join(root, 'templates', 'plan.yaml'), 'utf8'));
    const report = kaohe('report', '--plan', fixture.planFile, '--out', 'docs', path.dirname(fixture.workbooks[0]!));
    expect(report.status, report.stderr).toBe(0);
    expect(existsSync(path.join(work, 'docs', '年度考核总结报告.docx'))).toBe(true);
  }, 180_000);
});
