// The report's second thread for documents (render-thread.ts): renders the documents it is asked
// for from the year's results and sends back each outcome, bytes or template errors.
import { parentPort } from 'node:worker_threads';
import { DOCUMENTS } from '../documents/index.ts';
import type { RenderReply, RenderRequest } from './render-thread.ts';

const port = parentPort!;
port.on('message', ({ results, options, keys }: RenderRequest) => {
  void (async () => {
    const outcomes: RenderReply = {};
    for (const key of keys) outcomes[key] = await DOCUMENTS[key](results, options);
    port.postMessage(outcomes);
  })();
});
