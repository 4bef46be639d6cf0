// A worker for the pool's budget test: the real check-worker, except that a file named …卡住…
// spins forever and one named …耗尽内存… allocates until its heap limit, as a crafted file
// might make a reader do. The pool must stop it, report that file and go on.
import { checkFile } from '../../generator/batch/check-file.ts';
import { serveChecks } from '../../generator/batch/worker-loop.ts';

const hoard: number[][] = [];
serveChecks((file, plan, planHash) => {
  if (file.includes('卡住')) for (;;);
  if (file.includes('耗尽内存')) for (;;) hoard.push(Array.from({ length: 1e5 }, (_, i) => i + hoard.length + 0.5));
  return checkFile(file, plan, planHash);
});
