// A worker of the batch pipeline (check-pool.ts): checks the one file it is sent at a time against
// the plan it was started with; the pool times each file and stops this thread if it overruns.
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from '../../core/types.ts';
import { checkFile } from './check-file.ts';
import type { CheckReply, CheckRequest } from './check-pool.ts';

const { plan, planHash } = workerData as { plan: Plan; planHash: string };
const port = parentPort!;
port.on('message', (request: CheckRequest) => {
  void checkFile(request.file, plan, planHash).then((checked) => port.postMessage({ index: request.index, checked } satisfies CheckReply));
});
port.postMessage('ready' satisfies CheckReply);
