// A worker of the batch pipeline (check-pool.ts): checks the files it is sent, one at a time,
// against the plan sent first; the pool times each file and stops this thread if it overruns.
import { checkFile } from './check-file.ts';
import { serveChecks } from './worker-loop.ts';

serveChecks(checkFile);
