// The report's second thread for documents (render-thread.ts): renders its own document, then
// each further one it claims before the main thread does, and sends back each outcome (bytes or
// template errors) as soon as it is made.
import { parentPort } from 'node:worker_threads';
import { DOCUMENTS } from '../documents/index.ts';
import { claim } from './job-claims.ts';
import type { RenderMessage, RenderRequest } from './render-thread.ts';

const port = parentPort!;
port.on('message', ({ results, options, keys, claims }: RenderRequest) => {
  void (async () => {
    for (const [job, key] of keys.entries()) {
      if (!claim(claims, job)) continue;
      port.postMessage({ key, outcome: await DOCUMENTS[key](results, options) } satisfies RenderMessage);
    }
    port.postMessage('done' satisfies RenderMessage);
  })();
});
