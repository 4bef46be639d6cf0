// The report's outputs land as a set: every file is first written and fsynced into a hidden
// staging folder inside the output folder, a marker says the set is complete, and only then are
// the files renamed over the previous ones. A run killed while staging leaves the old set as it
// was (the next run discards the stage); one killed while renaming leaves a complete stage that
// the next run finishes moving in before anything else. Staged names are dot-prefixed `.tmp`.
// Each output is staged as soon as it is made (openOutputStage), so the set is never held in memory
// at once; `stale` outputs of an earlier run (a template that failed this time) are removed with
// the swap, so the folder never mixes this year's results with an older document.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export type OutputSetResult =
  | { ok: true; written: string[] }
  /** Nothing of this run replaced the previous outputs; `message` says why, in Chinese. */
  | { ok: false; written: string[]; missing: string[]; message: string };

const STAGE = '.kaohe-stage.tmp';
const COMPLETE = '.complete.tmp';
const staged = (name: string): string => `.${name}.tmp`;

/** Writes and fsyncs one file. */
async function writeDurably(file: string, data: Uint8Array | string | Iterable<string>): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await fs.writeFile(handle, data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a folder's entries (renames, new files) durable; some file systems refuse, which loses only durability. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

function folderProblem(outDir: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EEXIST' || code === 'ENOTDIR') return `输出位置“${outDir}”（或其上级）是一个文件，不是文件夹；请用 --out 指定一个文件夹`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `没有权限写入输出文件夹“${outDir}”；请换一个可写的文件夹，或检查权限`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `磁盘空间不足，无法写入“${outDir}”；请清理空间后重新运行`;
  return `无法写入输出文件夹“${outDir}”（${code ?? '未知原因'}）`;
}

/** Moves a complete stage into place; the names come from its marker, so a half-written stage is never moved. */
async function moveStageIn(outDir: string, stage: string): Promise<string[]> {
  const { names, stale } = JSON.parse(await fs.readFile(path.join(stage, COMPLETE), 'utf8')) as { names: string[]; stale: string[] };
  const moved: string[] = [];
  for (const name of names) {
    const from = path.join(stage, staged(name));
    // Already moved by a run that was killed part way: the stage no longer holds it.
    if (!(await fs.stat(from).catch(() => null))) continue;
    await fs.rename(from, path.join(outDir, name));
    moved.push(path.join(outDir, name));
  }
  for (const name of stale) await fs.rm(path.join(outDir, name), { force: true });
  await syncFolder(outDir);
  await fs.rm(stage, { recursive: true, force: true });
  return moved;
}

/** A stage left by a killed run: finished if it was complete, discarded if not. */
async function recoverStage(outDir: string): Promise<void> {
  const stage = path.join(outDir, STAGE);
  if (!(await fs.stat(stage).catch(() => null))) return;
  if (await fs.stat(path.join(stage, COMPLETE)).catch(() => null)) await moveStageIn(outDir, stage);
  else await fs.rm(stage, { recursive: true, force: true });
}

/** A stage open for this run's outputs: each is written as soon as it is made, so none is held in memory until the end. */
export interface OutputStage {
  /** Writes and fsyncs one output into the stage; a failure is kept, later outputs are skipped, and `commit` says why. */
  add(name: string, data: Uint8Array | string | Iterable<string>): Promise<void>;
  /**
   * Marks the stage complete, then moves every added output into place and removes `stale` — or,
   * when an output could not be staged, removes the stage and leaves the previous set as it was.
   */
  commit(stale?: readonly string[]): Promise<OutputSetResult>;
  /** Removes the stage: nothing of this run replaces the previous outputs. */
  discard(): Promise<void>;
}

export type OpenedStage = { ok: true; stage: OutputStage } | { ok: false; message: string };

/** Finishes or discards a stage a killed run left, then opens a fresh one. */
export async function openOutputStage(outDir: string): Promise<OpenedStage> {
  const stage = path.join(outDir, STAGE);
  try {
    await fs.mkdir(outDir, { recursive: true });
    if (!(await fs.stat(outDir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await recoverStage(outDir);
    await fs.mkdir(stage);
  } catch (err) {
    return { ok: false, message: folderProblem(outDir, err) };
  }
  const names: string[] = [];
  let failure: string | null = null;
  // One write at a time, in the order added, whichever thread's output arrives first.
  let queue = Promise.resolve();
  const missing = () => names.map((name) => path.join(outDir, name));
  const discard = async () => {
    await queue;
    await fs.rm(stage, { recursive: true, force: true });
  };
  return {
    ok: true,
    stage: {
      add(name, data) {
        names.push(name);
        queue = queue.then(async () => {
          if (failure) return;
          await writeDurably(path.join(stage, staged(name)), data).catch((err: unknown) => {
            failure = `写入“${name}”时失败：${folderProblem(outDir, err)}；上次的文件保持不变`;
          });
        });
        return queue;
      },
      async commit(stale = []) {
        await queue;
        if (failure) {
          await discard();
          return { ok: false, written: [], missing: missing(), message: failure };
        }
        try {
          await writeDurably(path.join(stage, COMPLETE), JSON.stringify({ names, stale }));
          await syncFolder(stage);
          return { ok: true, written: await moveStageIn(outDir, stage) };
        } catch (err) {
          // The stage is complete and marked: the next run moves it in before doing anything else.
          return { ok: false, written: [], missing: missing(), message: `${folderProblem(outDir, err)}；本次生成的文件已暂存，下次运行时放入` };
        }
      },
      discard,
    },
  };
}
