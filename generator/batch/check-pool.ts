// The one batch pipeline of `kaohe check` and `kaohe report`: every file is read and checked in a
// worker thread under a time and memory budget, so a file that hangs or exhausts memory costs
// only itself. The worker is stopped, its file reported, a fresh worker takes the next file and
// the batch goes on. Results keep the files' order.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckedWorkbook } from '../../core/aggregate.ts';
import type { Plan, Problem } from '../../core/types.ts';
import { checkFile } from './check-file.ts';

export interface CheckRequest {
  index: number;
  file: string;
}

export type CheckReply = 'ready' | { index: number; checked: CheckedWorkbook };

/** A unit workbook takes milliseconds; a minute means the file is built to stall the reader. */
export const DEFAULT_FILE_BUDGET_MS = 60_000;
/** Heap of one worker: a unit workbook needs a few MB; the cell limits keep legal files far below this. */
export const WORKER_HEAP_MB = 1024;
const MAX_THREADS = 4;
/** A worker that cannot even start twice in a row will not start: its lane stops and this thread finishes the files. */
const MAX_START_FAILURES = 2;

export interface PoolOptions {
  threads?: number;
  /** Wall-clock budget per file, counted from the moment its worker takes it. */
  budgetMs?: number;
  /** Module the workers run (tests pass one that stalls on purpose); defaults to check-worker.ts. */
  workerEntry?: URL;
  /** Heap limit of each worker in MB. */
  heapMb?: number;
}

export function threadsFor(files: number): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS, files));
}

/** Checks every file, in `files` order; never throws for a file, whatever the file does to its worker. */
export async function checkFiles(
  files: readonly string[],
  plan: Plan,
  planHash: string,
  onChecked: (file: string) => void,
  options: PoolOptions = {},
): Promise<CheckedWorkbook[]> {
  const results = new Array<CheckedWorkbook>(files.length);
  let next = 0;
  const queue: Queue = {
    files,
    take: () => (next < files.length ? next++ : -1),
    settle: (index, checked) => {
      results[index] = checked;
      onChecked(files[index]!);
    },
  };
  const lane: LaneConfig = {
    plan,
    planHash,
    budgetMs: options.budgetMs ?? DEFAULT_FILE_BUDGET_MS,
    entry: options.workerEntry ?? DEFAULT_WORKER_ENTRY,
    heapMb: options.heapMb ?? WORKER_HEAP_MB,
  };
  const threads = options.threads ?? threadsFor(files.length);
  await Promise.all(Array.from({ length: threads }, () => runLane(queue, lane)));
  // Only when no worker could start at all: checked here, without a budget, rather than not at all.
  for (let i = queue.take(); i >= 0; i = queue.take()) queue.settle(i, await checkFile(files[i]!, plan, planHash));
  return results;
}

interface Queue {
  files: readonly string[];
  /** The next file's index, or −1 when every file has been handed out. */
  take(): number;
  settle(index: number, checked: CheckedWorkbook): void;
}

interface LaneConfig {
  plan: Plan;
  planHash: string;
  budgetMs: number;
  entry: URL;
  heapMb: number;
}

/**
 * The worker entry beside this module: TypeScript under tsx (tests, `npm run kaohe`), JavaScript
 * in the compiled CLI (dist-cli/, where scripts/build-cli.js puts check-worker.js beside every chunk).
 */
const DEFAULT_WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './check-worker.ts' : './check-worker.js', import.meta.url);

/** Worker threads do not inherit tsx's loader, so each registers it before loading a TypeScript entry. */
function workerSource(entry: URL): string {
  if (!entry.pathname.endsWith('.ts')) return `import(${JSON.stringify(entry.href)});`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
}

type Ending = { kind: 'done' } | { kind: 'timeout' } | { kind: 'died'; reason: string } | { kind: 'unstartable' };

/** One lane: a worker at a time, one file at a time; a worker lost to a file is replaced. */
async function runLane(queue: Queue, config: LaneConfig): Promise<void> {
  let startFailures = 0;
  while (startFailures < MAX_START_FAILURES) {
    const ending = await runWorker(queue, config);
    if (ending.kind === 'done') return;
    startFailures = ending.kind === 'unstartable' ? startFailures + 1 : 0;
  }
}

/**
 * Feeds one worker until the files run out or a file ends it. The file it held is settled here:
 * over budget → file-timeout; worker gone (out of memory, crash) → file-crashed.
 */
function runWorker(queue: Queue, config: LaneConfig): Promise<Ending> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerSource(config.entry), {
        eval: true,
        workerData: { plan: config.plan, planHash: config.planHash },
        resourceLimits: { maxOldGenerationSizeMb: config.heapMb },
      });
    } catch {
      resolve({ kind: 'unstartable' });
      return;
    }
    let held = -1;
    let started = false;
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const end = (ending: Ending) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      if (held >= 0) {
        const file = queue.files[held]!;
        queue.settle(held, ending.kind === 'timeout' ? overBudget(file, config.budgetMs) : workerDied(file, ending.kind === 'died' ? ending.reason : ''));
        held = -1;
      }
      void worker.terminate().finally(() => resolve(started || ending.kind !== 'died' ? ending : { kind: 'unstartable' }));
    };
    const feed = () => {
      held = queue.take();
      if (held < 0) {
        end({ kind: 'done' });
        return;
      }
      worker.postMessage({ index: held, file: queue.files[held]! } satisfies CheckRequest);
      timer = setTimeout(() => end({ kind: 'timeout' }), config.budgetMs);
    };
    worker.on('message', (reply: CheckReply) => {
      if (reply === 'ready') started = true;
      else if (reply.index === held) {
        clearTimeout(timer);
        held = -1;
        queue.settle(reply.index, reply.checked);
      }
      feed();
    });
    worker.on('error', (err) => end({ kind: 'died', reason: reasonOf(err, config.heapMb) }));
    worker.on('exit', () => end({ kind: 'died', reason: '处理线程意外退出' }));
  });
}

function reasonOf(err: unknown, heapMb: number): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return `内存不足（单个文件的处理用尽了 ${heapMb} MB）`;
  return '处理线程意外终止';
}

function fileProblem(file: string, code: string, what: string): CheckedWorkbook {
  const problem: Problem = {
    severity: '错误',
    code,
    file,
    message: `文件「${path.basename(file)}」（${file}）${what}，该文件未计入，其他文件照常处理。请确认报送的是本单位的考核填报工作簿，在 Excel 中打开检查后另存为 .xlsx 重新报送。`,
  };
  return { file, submission: null, unit: null, problems: [problem] };
}

const overBudget = (file: string, budgetMs: number): CheckedWorkbook =>
  fileProblem(file, 'file-timeout', `读取和检查超过 ${Math.round(budgetMs / 1000)} 秒仍未完成，已停止处理`);

const workerDied = (file: string, reason: string): CheckedWorkbook =>
  fileProblem(file, 'file-crashed', `读取时${reason || '处理线程意外终止'}`);
