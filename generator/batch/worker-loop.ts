// The worker's side of the reading pool (check-pool.ts): requests are taken one at a time in the
// order sent, so the pool knows which file the worker is on. Files given before the plan are read
// and held (within a bound); the plan comes once; then each file is checked, from its held read if any.
import { parentPort } from 'node:worker_threads';
import type { CheckedWorkbook } from '../../core/aggregate.ts';
import type { Plan } from '../../core/types.ts';
import type { FileRead } from './check-file.ts';
import type { CheckReply, PoolMessage } from './check-pool.ts';

export interface FileWork {
  read(file: string): Promise<FileRead>;
  check(read: FileRead, plan: Plan, planHash: string): CheckedWorkbook;
}

/**
 * Reads held, in inflated XML: unit workbooks hold ~80 KB of grid each; large files (legal, below
 * the reader's limits) are left to be read when checked, far from the heap limit.
 */
const HOLD_INFLATED_BYTES = 64 * 1024 * 1024;

const weightOf = (read: FileRead): number => (read.ingested.ok ? read.ingested.inflatedBytes : 0);

export function serveChecks(work: FileWork): void {
  const port = parentPort!;
  const waiting: PoolMessage[] = [];
  const held = new Map<number, FileRead>();
  let plan: Plan | null = null;
  let planHash = '';
  let heldBytes = 0;
  let busy = false;
  const take = async (message: PoolMessage): Promise<void> => {
    if ('plan' in message) {
      ({ plan, planHash } = message);
      return;
    }
    const { index, file } = message;
    if (message.hold) {
      // Holds come only before the plan, so the sum only grows.
      if (heldBytes < HOLD_INFLATED_BYTES) {
        const read = await work.read(file);
        held.set(index, read);
        heldBytes += weightOf(read);
      }
      port.postMessage({ index, taken: true } satisfies CheckReply);
      return;
    }
    const read = held.get(index) ?? (await work.read(file));
    held.delete(index);
    // The pool sends a file to be checked only after the plan.
    port.postMessage({ index, checked: work.check(read, plan!, planHash) } satisfies CheckReply);
  };
  const drain = async (): Promise<void> => {
    busy = true;
    while (waiting.length > 0) await take(waiting.shift()!);
    busy = false;
  };
  port.on('message', (message: PoolMessage) => {
    waiting.push(message);
    if (!busy) void drain();
  });
  port.postMessage('ready' satisfies CheckReply);
}
