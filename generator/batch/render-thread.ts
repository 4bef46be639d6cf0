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
 * The thread's heap. The report's peak is at the end of this thread's work, so its heap is kept
 * close to what is alive. Young generation: V8's default let it grow to ~48 MB of resident
 * memory for garbage that dies within one document part; at 16 MB the 1,000-unit report peaked
 * ~15 MB lower, at 8 MB another ~8 MB lower, at 4 MB another ~7 MB lower, and the report took
 * the thread as long at 4, 8 or 16 MB (~1.3 s each; the reading pool's workers do the same,
 * check-pool.ts). Old generation: with a limit of 256 MB or less V8 grows it
 * by a small factor over what its last full collection left alive (up to 4 × on a large limit),
 * a few MB less at the peak; the 1,000-unit year holds ~30 MB, and a year that outgrows the limit
 * loses the thread, not a document (the caller renders what the thread did not deliver).
 */
const YOUNG_MB = 4;
const OLD_MB = 256;

/**
 * resvg (the charts) brings its own allocator, mimalloc, which gives freed pages back to the
 * system 10 ms later and only when the same thread allocates again; this thread never does once
 * the charts are drawn, so ~6 MB stayed resident to the end. At 0 it gives them back at once.
 * Set on this thread, before resvg loads: a worker's process.env is a copy native code never
 * reads. A value the user set is kept.
 */
const RESVG_ALLOCATOR = { MIMALLOC_PURGE_DELAY: '0' };

/** No second thread: the caller renders every document itself (small years, where starting one costs more than it saves). */
export const IN_THIS_THREAD: DocumentThread = { render: () => Promise.resolve(), stop: () => undefined };

export function startDocumentThread(): DocumentThread {
  let worker: Worker | null = null;
  let failed = false;
  for (const [name, value] of Object.entries(RESVG_ALLOCATOR)) process.env[name] ??= value;
  try {
    worker = new Worker(workerSource(ENTRY), { eval: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB } });
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
