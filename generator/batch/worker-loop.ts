// The worker's side of the reading pool (check-pool.ts): the plan arrives once, then files; they
// are checked one at a time in the order sent, so the pool knows which file the worker is on.
import { parentPort } from 'node:worker_threads';
import type { CheckedWorkbook } from '../../core/aggregate.ts';
import type { Plan } from '../../core/types.ts';
import type { CheckReply, CheckRequest, PlanMessage, PoolMessage } from './check-pool.ts';
import { keptOf } from './check-file.ts';

export type CheckOne = (file: string, plan: Plan, planHash: string) => Promise<CheckedWorkbook>;

export function serveChecks(check: CheckOne): void {
  const port = parentPort!;
  let job: PlanMessage | null = null;
  const waiting: CheckRequest[] = [];
  let busy = false;
  const drain = async (): Promise<void> => {
    busy = true;
    while (job && waiting.length > 0) {
      const { index, file } = waiting.shift()!;
      port.postMessage({ index, checked: keptOf(await check(file, job.plan, job.planHash), job.plan, job.keep) } satisfies CheckReply);
    }
    busy = false;
  };
  port.on('message', (message: PoolMessage) => {
    if ('plan' in message) job = message;
    else waiting.push(message);
    if (!busy) void drain();
  });
  port.postMessage('ready' satisfies CheckReply);
}
