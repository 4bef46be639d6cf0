// The report's outputs land as a set: all of this run's files or none, fsynced before the swap,
// no stray stage left behind, and a clear Chinese message naming what is missing when they cannot.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openOutputStage, type OutputSetResult } from '../generator/files/output-set.ts';

const DIR = path.resolve('test/tmp/output-set');

/** Stages each file as the report does, then commits the set. */
async function writeOutputSet(outDir: string, outputs: { name: string; data: string }[], stale: string[] = []): Promise<OutputSetResult> {
  const opened = await openOutputStage(outDir);
  if (!opened.ok) return { ok: false, written: [], missing: [], message: opened.message };
  for (const o of outputs) await opened.stage.add(o.name, o.data);
  return opened.stage.commit(stale);
}

beforeEach(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
});

describe('the output set', () => {
  it('replaces the previous set, removes what this run did not produce, and leaves nothing else', async () => {
    const out = path.join(DIR, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'a.txt'), 'old a');
    writeFileSync(path.join(out, 'b.txt'), 'old b');
    writeFileSync(path.join(out, '用户的笔记.txt'), 'not ours');
    const result = await writeOutputSet(out, [{ name: 'a.txt', data: 'new a' }], ['b.txt']);
    expect(result.ok).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['a.txt', '用户的笔记.txt']);
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('new a');
  });

  it('keeps the whole previous set when one file cannot be written, and names the missing ones', async () => {
    const out = path.join(DIR, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'a.txt'), 'old a');
    const result = await writeOutputSet(out, [
      { name: 'a.txt', data: 'new a' },
      { name: '子目录/b.txt', data: 'cannot land' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.missing.map((f) => path.basename(f))).toEqual(['a.txt', 'b.txt']);
    expect(result.message).toContain('上次的文件保持不变');
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('old a');
    expect(readdirSync(out)).toEqual(['a.txt']);
  });

  it('replaces nothing while outputs are being staged, and nothing at all when the stage is discarded', async () => {
    const out = path.join(DIR, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'a.txt'), 'old a');
    const opened = await openOutputStage(out);
    if (!opened.ok) throw new Error(opened.message);
    await opened.stage.add('a.txt', 'new a');
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('old a');
    await opened.stage.discard();
    expect(readdirSync(out)).toEqual(['a.txt']);
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('old a');
  });

  it('finishes a complete stage a killed run left, and discards an incomplete one', async () => {
    const out = path.join(DIR, 'out');
    const stage = path.join(out, '.kaohe-stage.tmp');
    mkdirSync(stage, { recursive: true });
    writeFileSync(path.join(out, 'a.txt'), 'old a');
    writeFileSync(path.join(stage, '.b.txt.tmp'), 'staged b');
    writeFileSync(path.join(stage, '.complete.tmp'), JSON.stringify({ names: ['a.txt', 'b.txt'], stale: [] }));
    // a.txt was already moved in by the killed run; b.txt was not.
    const result = await writeOutputSet(out, [{ name: 'c.txt', data: 'c' }]);
    expect(result.ok).toBe(true);
    expect(readFileSync(path.join(out, 'b.txt'), 'utf8')).toBe('staged b');
    expect(existsSync(stage)).toBe(false);

    mkdirSync(stage);
    writeFileSync(path.join(stage, '.d.txt.tmp'), 'half');
    await writeOutputSet(out, [{ name: 'c.txt', data: 'c2' }]);
    expect(existsSync(path.join(out, 'd.txt'))).toBe(false);
    expect(readdirSync(out).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('says in one Chinese line that --out is a file, or not writable', async () => {
    const file = path.join(DIR, '不是文件夹');
    writeFileSync(file, 'x');
    const result = await writeOutputSet(file, [{ name: 'a.txt', data: 'a' }]);
    expect(result.ok ? '' : result.message).toMatch(/是一个文件，不是文件夹/);
    if (process.getuid?.() === 0) return; // root writes anywhere; the permission case needs a normal user
    const locked = path.join(DIR, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const denied = await writeOutputSet(locked, [{ name: 'a.txt', data: 'a' }]);
    chmodSync(locked, 0o755);
    expect(denied.ok ? '' : denied.message).toMatch(/没有权限写入/);
  });
});
