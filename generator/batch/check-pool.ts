// The one batch pipeline of `kaohe check` and `kaohe report`: every file is read and checked in a
// worker thread under a time and memory budget, so a file that hangs or exhausts memory costs
// only itself. The worker is stopped, its file reported, a fresh worker takes the next file and
// the batch goes on. Results keep the files' order. The workers start before the plan is read.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckedWorkbook } from '../../core/aggregate.ts';
import type { Plan, Problem } from '../../core/types.ts';
import { checkFile, keptOf } from './check-file.ts';

export interface CheckRequest {
  index: number;
  file: string;
}

/**
 * What comes back of each workbook: `whole` for the report, which scores the submissions;
 * `head` for `kaohe check`, which prints problems: the submission's rows stay in the worker (headOf).
 */
export type Keep = 'whole' | 'head';

/** Sent to each worker once, before any file: the plan every file is checked against. */
export interface PlanMessage {
  plan: Plan;
  planHash: string;
  keep: Keep;
}

export type PoolMessage = PlanMessage | CheckRequest;

export type CheckReply = 'ready' | { index: number; checked: CheckedWorkbook };

/** A unit workbook takes milliseconds; a minute means the file is built to stall the reader. */
export const DEFAULT_FILE_BUDGET_MS = 60_000;
/** Heap of one worker: a unit workbook needs a few MB; the cell limits keep legal files far below this. */
export const WORKER_HEAP_MB = 1024;
/**
 * Young generation of a worker: V8's default let each of the two workers grow its nursery to
 * ~40 MB of resident memory for garbage that dies within one file; at 12 MB the reading phase of
 * 1,000 workbooks peaks ~35 MB lower at no measurable CPU cost (bench/RESULTS.md).
 */
const WORKER_YOUNG_MB = 12;
const MAX_THREADS = 4;
/** A worker that cannot even start twice in a row will not start: its lane stops and this thread finishes the files. */
const MAX_START_FAILURES = 2;
/**
 * Files sent to a worker ahead of its replies: with one, each worker sat idle for a round trip
 * through this thread after every file (up to a fifth of its time on 2 busy cores).
 */
const AHEAD = 2;

export interface PoolOptions {
  threads?: number;
  /** Wall-clock budget per file, counted from the moment its worker takes it. */
  budgetMs?: number;
  /** Module the workers run (tests pass one that stalls on purpose); defaults to check-worker.ts. */
  workerEntry?: URL;
  /** Heap limit of each worker in MB. */
  heapMb?: number;
  /** What comes back of each workbook; `whole` unless said. */
  keep?: Keep;
}

export function threadsFor(files: number): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS, files));
}

export interface CheckPool {
  /** Checks every file against the plan, in `files` order; never throws for a file, whatever the file does to its worker. */
  check(plan: Plan, planHash: string, onChecked: (file: string) => void): Promise<CheckedWorkbook[]>;
  /** Stops the workers unused (the plan could not be read). */
  cancel(): void;
}

/**
 * Starts the workers for these files now, so they load their code while this thread reads the
 * plan (half a second for a plan of 1,000 units); `check` hands them the plan and the files.
 */
export function startCheckPool(files: readonly string[], options: PoolOptions = {}): CheckPool {
  const results = new Array<CheckedWorkbook>(files.length);
  let onChecked: (file: string) => void = () => undefined;
  let next = 0;
  const returned: number[] = [];
  const queue: Queue = {
    files,
    take: () => returned.pop() ?? (next < files.length ? next++ : -1),
    putBack: (index) => returned.push(index),
    settle: (index, checked) => {
      results[index] = checked;
      onChecked(files[index]!);
    },
  };
  let provide: (job: PlanMessage | null) => void = () => undefined;
  const keep = options.keep ?? 'whole';
  const lane: LaneConfig = {
    planned: new Promise((resolve) => (provide = resolve)),
    budgetMs: options.budgetMs ?? DEFAULT_FILE_BUDGET_MS,
    entry: options.workerEntry ?? DEFAULT_WORKER_ENTRY,
    heapMb: options.heapMb ?? WORKER_HEAP_MB,
  };
  const threads = Math.min(options.threads ?? threadsFor(files.length), files.length);
  const lanes = Promise.all(Array.from({ length: threads }, () => runLane(queue, lane)));
  return {
    async check(plan, planHash, tick) {
      onChecked = tick;
      provide({ plan, planHash, keep });
      await lanes;
      // Only when no worker could start at all: checked here, without a budget, rather than not at all.
      for (let i = queue.take(); i >= 0; i = queue.take()) queue.settle(i, keptOf(await checkFile(files[i]!, plan, planHash), plan, keep));
      return results;
    },
    cancel: () => provide(null),
  };
}

/** Checks every file, in `files` order, on workers started now. */
export function checkFiles(
  files: readonly string[],
  plan: Plan,
  planHash: string,
  onChecked: (file: string) => void,
  options: PoolOptions = {},
): Promise<CheckedWorkbook[]> {
  return startCheckPool(files, options).check(plan, planHash, onChecked);
}

interface Queue {
  files: readonly string[];
  /** The next file's index (one a lost worker had not begun comes first), or −1 when every file has been handed out. */
  take(): number;
  putBack(index: number): void;
  settle(index: number, checked: CheckedWorkbook): void;
}

interface LaneConfig {
  /** The plan, once this thread has read it; null when nothing is to be checked. */
  planned: Promise<PlanMessage | null>;
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
export function workerSource(entry: URL): string {
  if (!entry.pathname.endsWith('.ts')) return `import(${JSON.stringify(entry.href)});`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
}

type Ending = { kind: 'done' } | { kind: 'timeout' } | { kind: 'died'; reason: string } | { kind: 'unstartable' };

/** One lane: a worker at a time; a worker lost to a file is replaced. */
async function runLane(queue: Queue, config: LaneConfig): Promise<void> {
  let startFailures = 0;
  while (startFailures < MAX_START_FAILURES) {
    const ending = await runWorker(queue, config);
    if (ending.kind === 'done') return;
    startFailures = ending.kind === 'unstartable' ? startFailures + 1 : 0;
  }
}

/**
 * Feeds one worker until the files run out or a file ends it. The worker checks the files sent
 * in order, so the first unanswered one is the file it is on: over budget → file-timeout; worker
 * gone (out of memory, crash) → file-crashed. Files sent after it go back to the queue.
 */
function runWorker(queue: Queue, config: LaneConfig): Promise<Ending> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerSource(config.entry), { eval: true, resourceLimits: { maxOldGenerationSizeMb: config.heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    } catch {
      resolve({ kind: 'unstartable' });
      return;
    }
    // Until the plan comes, a pool that is never used must not keep the process alive.
    worker.unref();
    const sent: number[] = [];
    let started = false;
    let planned = false;
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const end = (ending: Ending) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      const held = sent.shift();
      if (held !== undefined) {
        const file = queue.files[held]!;
        queue.settle(held, ending.kind === 'timeout' ? overBudget(file, config.budgetMs) : workerDied(file, ending.kind === 'died' ? ending.reason : ''));
      }
      for (const waiting of sent.reverse()) queue.putBack(waiting);
      void worker.terminate().finally(() => resolve(started || ending.kind !== 'died' ? ending : { kind: 'unstartable' }));
    };
    // The file at the head has its budget from the moment the worker turns to it.
    const timeHead = () => {
      clearTimeout(timer);
      if (sent.length > 0) timer = setTimeout(() => end({ kind: 'timeout' }), config.budgetMs);
    };
    const fill = () => {
      if (!started || !planned || ended) return;
      while (sent.length < AHEAD) {
        const index = queue.take();
        if (index < 0) break;
        sent.push(index);
        worker.postMessage({ index, file: queue.files[index]! } satisfies CheckRequest);
        if (sent.length === 1) timeHead();
      }
      if (sent.length === 0) end({ kind: 'done' });
    };
    void config.planned.then((job) => {
      if (job === null) return end({ kind: 'done' });
      planned = true;
      worker.ref();
      worker.postMessage(job satisfies PlanMessage);
      fill();
    });
    worker.on('message', (reply: CheckReply) => {
      if (reply === 'ready') started = true;
      else if (reply.index === sent[0]) {
        sent.shift();
        timeHead();
        queue.settle(reply.index, reply.checked);
      }
      fill();
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
