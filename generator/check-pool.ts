// Reading and checking spread over the machine's cores: this thread checks files itself and
// worker threads join in once they have loaded. Each file is one task; results keep the files' order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CheckedWorkbook } from '../core/aggregate.ts';
import type { Plan } from '../core/types.ts';
import { checkFile, internalFailure } from './check-file.ts';

export interface CheckRequest {
  index: number;
  file: string;
}

export type CheckReply = 'ready' | { index: number; checked: CheckedWorkbook };

/** Below this many files a thread costs more to start than it saves. */
const FILES_PER_EXTRA_THREAD = 40;
const MAX_EXTRA_THREADS = 3;

export function extraThreadsFor(files: number): number {
  return Math.max(0, Math.min(availableParallelism() - 1, MAX_EXTRA_THREADS, Math.floor(files / FILES_PER_EXTRA_THREAD)));
}

interface Queue {
  files: readonly string[];
  /** The next file's index, or −1 when every file has been handed out. */
  take(): number;
  settle(index: number, checked: CheckedWorkbook): void;
}

/**
 * Checks every file, in `files` order. A thread that cannot start leaves the work to the others;
 * one that dies turns the files it held into problems on those files and the rest go on.
 */
export async function checkFiles(
  files: readonly string[],
  plan: Plan,
  planHash: string,
  onChecked: (file: string) => void,
  extraThreads = extraThreadsFor(files.length),
  /** False leaves all checking to the threads (this one only takes what none could): proves the thread path. */
  thisThreadChecks = true,
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
  const helpers = Array.from({ length: extraThreads }, () => helpInThread(queue, plan, planHash));
  const drain = async () => {
    for (let i = queue.take(); i >= 0; i = queue.take()) queue.settle(i, await checkFile(files[i]!, plan, planHash));
  };
  if (thisThreadChecks) await drain();
  else await Promise.all(helpers.map((h) => h.done));
  // Whatever no thread took (one that could not start) is checked here.
  await drain();
  // A thread still loading when the files run out is not waited for.
  for (const helper of helpers) helper.stopIfIdle();
  await Promise.all(helpers.map((h) => h.done));
  return results;
}

/**
 * The compiled CLI (dist-cli/) has a JavaScript worker entry beside this code. Under tsx (tests,
 * `npm run kaohe`) the entry is TypeScript and threads do not inherit tsx's loader, so each
 * registers it before loading the entry.
 */
function startWorker(workerData: { plan: Plan; planHash: string }): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./check-worker.js', import.meta.url), { workerData });
  const entry = new URL('./check-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(source, { eval: true, workerData });
}

interface Helper {
  done: Promise<void>;
  stopIfIdle(): void;
}

/**
 * Files a thread holds at once: this thread hands out files only between its own, so a thread
 * holding just one would wait idle for most of a file's time after each one.
 */
const FILES_IN_FLIGHT = 2;

function helpInThread(queue: Queue, plan: Plan, planHash: string): Helper {
  let stopIfIdle = () => {};
  const done = new Promise<void>((resolve) => {
    let worker: Worker;
    try {
      worker = startWorker({ plan, planHash });
    } catch {
      resolve();
      return;
    }
    const held = new Set<number>();
    let exhausted = false;
    const stop = () => void worker.terminate().then(() => resolve());
    stopIfIdle = () => {
      if (held.size === 0) stop();
    };
    const feed = () => {
      while (!exhausted && held.size < FILES_IN_FLIGHT) {
        const index = queue.take();
        if (index < 0) exhausted = true;
        else {
          held.add(index);
          worker.postMessage({ index, file: queue.files[index]! } satisfies CheckRequest);
        }
      }
      if (held.size === 0) stop();
    };
    const fail = (err: unknown) => {
      for (const index of held) queue.settle(index, internalFailure(queue.files[index]!, err));
      held.clear();
      resolve();
    };
    worker.on('message', (reply: CheckReply) => {
      if (reply !== 'ready') {
        held.delete(reply.index);
        queue.settle(reply.index, reply.checked);
      }
      feed();
    });
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('读取线程意外退出')));
  });
  return { done, stopIfIdle: () => stopIfIdle() };
}
