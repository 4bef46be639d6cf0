// A second thread for the report's documents. At 1,000 units the 年度考核总结报告 (a 1,000-row
// table and two charts) costs more CPU than everything else the report makes, so a worker renders
// it while this thread makes 考核结果汇总.xlsx, results.json and the smaller documents; whichever
// thread is free first takes the next of those (job-claims.ts), so both finish together however
// the documents' costs change. The worker is started while the workbooks are read and loads its
// modules meanwhile. If it cannot start or dies, the caller renders what it did not deliver: the
// thread saves time, never a document.
import { Worker } from 'node:worker_threads';
import type { YearResults } from '../../core/results.ts';
import type { DocumentKey, DocumentOptions, DocumentOutcome } from '../documents/index.ts';
import { workerSource } from './check-pool.ts';

export interface RenderRequest {
  results: YearResults;
  options: DocumentOptions;
  /** The thread's documents in the order it takes them: the first is its own, each other one only if it claims it first. */
  keys: DocumentKey[];
  /** One slot per key (job-claims.ts), shared with the caller. */
  claims: Int32Array;
}

/** One message per document the thread rendered, then `done`. */
export type RenderMessage = { key: DocumentKey; outcome: DocumentOutcome } | 'done';

export interface DocumentThread {
  /** Renders on the thread, handing each outcome to `onOutcome` as it comes; resolves when the thread is done or lost. */
  render(request: RenderRequest, onOutcome: (key: DocumentKey, outcome: DocumentOutcome) => void): Promise<void>;
  stop(): void;
}

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js', import.meta.url);

/**
 * Young generation of the thread: V8's default let it grow to ~48 MB of resident memory for
 * garbage that dies within one document part; at 16 MB the 1,000-unit report peaks ~15 MB lower
 * at no measurable CPU cost (the reading pool's workers do the same, check-pool.ts).
 */
const YOUNG_MB = 16;

/** No second thread: the caller renders every document itself (small years, where starting one costs more than it saves). */
export const IN_THIS_THREAD: DocumentThread = { render: () => Promise.resolve(), stop: () => undefined };

export function startDocumentThread(): DocumentThread {
  let worker: Worker | null = null;
  let failed = false;
  try {
    worker = new Worker(workerSource(ENTRY), { eval: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    // Unused (the report stopped early), it must not keep the process alive.
    worker.unref();
    worker.on('error', () => (failed = true));
  } catch {
    failed = true;
  }
  // As soon as it has answered: its heap (a copy of the results) is freed while this thread writes.
  const stop = () => void worker?.terminate();
  return {
    stop,
    render: (request, onOutcome) =>
      new Promise<void>((resolve) => {
        if (!worker || failed) return resolve();
        worker.ref();
        worker.on('message', (message: RenderMessage) => (message === 'done' ? resolve() : onOutcome(message.key, asBuffer(message.outcome))));
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
        worker.postMessage(request);
      }).finally(stop),
  };
}

/** Bytes come back from a thread as a plain Uint8Array; the outcome promises a Buffer. */
function asBuffer(outcome: DocumentOutcome): DocumentOutcome {
  return outcome.ok ? { ok: true, docx: Buffer.from(outcome.docx.buffer, outcome.docx.byteOffset, outcome.docx.byteLength) } : outcome;
}
