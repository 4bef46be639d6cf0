// A worker of the batch pipeline (check-pool.ts): reads the files it is sent, one at a time, and
// checks them against the plan once it comes; the pool times each file and stops this thread if it overruns.
import { checkRead, readFile } from './check-file.ts';
import { serveChecks } from './worker-loop.ts';

serveChecks({ read: readFile, check: checkRead });
