// A worker for the pool's budget test: the real check-worker, except that a file named …卡住…
// spins forever and one named …耗尽内存… allocates until its heap limit, as a crafted file
// might make a reader do. The pool must stop it, report that file and go on.
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from '../../core/types.ts';
import { checkFile } from '../../generator/batch/check-file.ts';
import type { CheckReply, CheckRequest } from '../../generator/batch/check-pool.ts';

const { plan, planHash } = workerData as { plan: Plan; planHash: string };
const port = parentPort!;
const hoard: number[][] = [];
port.on('message', (request: CheckRequest) => {
  if (request.file.includes('卡住')) for (;;);
  if (request.file.includes('耗尽内存')) for (;;) hoard.push(Array.from({ length: 1e5 }, (_, i) => i + hoard.length + 0.5));
  void checkFile(request.file, plan, planHash).then((checked) => port.postMessage({ index: request.index, checked } satisfies CheckReply));
});
port.postMessage('ready' satisfies CheckReply);
