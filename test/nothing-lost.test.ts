// Nothing lost: `check` and `report` never change an input, and a report killed at any moment
// leaves every previous output either untouched or replaced by a complete new one.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';

const DIR = path.resolve('test/tmp/nothing-lost');
const INPUT = path.join(DIR, 'in');
const CLI = path.resolve('generator/cli.ts');

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every file under `dir` (relative path → sha256), temp files included so none goes unnoticed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), sha256(full));
    }
  };
  walk(dir);
  return out;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  ms: number;
}

/** Runs the CLI in one process (tsx as an import hook) so SIGKILL reaches the process that writes. */
function kaohe(args: string[], killAfterMs?: number): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, ms: performance.now() - started });
    });
  });
}

/** A complete output: zips have their central directory, JSON parses, nothing is empty. */
function isComplete(file: string): boolean {
  const bytes = readFileSync(file);
  if (bytes.length === 0) return false;
  try {
    if (/\.(xlsx|docx)$/.test(file)) unzipSync(bytes);
    if (file.endsWith('.json')) JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('default plan does not load');
  await writeDemoWorkbooks(loaded.plan, loaded.hash, INPUT);
}, 120_000);

describe('inputs are never modified', () => {
  it('leaves every input byte-identical after check and report', async () => {
    const before = snapshot(INPUT);
    expect(before.size).toBeGreaterThan(10);
    const check = await kaohe(['check', INPUT]);
    expect(check.signal).toBeNull();
    const report = await kaohe(['report', INPUT, '--out', path.join(DIR, 'out-inputs')]);
    expect(report.code, report.output).toBe(0);
    expect(snapshot(INPUT)).toEqual(before);
  }, 300_000);
});

describe('an interrupted report leaves the previous outputs intact', () => {
  it('after SIGKILL at several moments, each output is the old file or a complete new one', async () => {
    const out = path.join(DIR, 'out');
    const first = await kaohe(['report', INPUT, '--out', out]);
    expect(first.code, first.output).toBe(0);
    const previous = snapshot(out);
    const outputs = [...previous.keys()].filter((f) => !f.endsWith('.tmp'));
    expect(outputs.length).toBeGreaterThanOrEqual(2);
    // Kills spread over the run, weighted to its end where the outputs are written.
    for (const fraction of [0.5, 0.8, 0.9, 0.97, 1.05]) {
      const killed = await kaohe(['report', INPUT, '--out', out], Math.round(first.ms * fraction));
      const now = snapshot(out);
      for (const name of outputs) {
        expect(now.has(name), `${name} missing after kill at ${fraction}`).toBe(true);
        const unchanged = now.get(name) === previous.get(name);
        expect(unchanged || isComplete(path.join(out, name)), `${name} after kill at ${fraction} (${killed.signal ?? killed.code})`).toBe(true);
      }
      for (const name of outputs) previous.set(name, now.get(name)!);
    }
    // Temp files a kill may leave are hidden (dot-prefixed) and never take an output's name.
    for (const name of snapshot(out).keys()) {
      if (!outputs.includes(name)) expect(path.basename(name)).toMatch(/^\..*\.tmp$/);
    }
    expect(statSync(out).isDirectory()).toBe(true);
  }, 600_000);
});
