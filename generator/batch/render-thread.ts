// A second thread for the report's documents. At 1,000 units the 年度考核总结报告 (a 1,000-row
// table and two charts) costs as much CPU as the other three documents, 考核结果汇总.xlsx and
// results.json together, so a worker renders it while this thread makes the rest. The worker is
// started before the year is aggregated and loads its modules meanwhile. If it cannot start or
// dies, the caller renders those documents itself: the thread saves time, never a document.
import { Worker } from 'node:worker_threads';
import type { YearResults } from '../../core/results.ts';
import type { DocumentKey, DocumentOptions, DocumentOutcome } from '../documents/index.ts';
import { workerSource } from './check-pool.ts';

export interface RenderRequest {
  results: YearResults;
  options: DocumentOptions;
  keys: DocumentKey[];
}

export type RenderReply = Partial<Record<DocumentKey, DocumentOutcome>>;

export interface DocumentThread {
  /** The outcomes of `keys`, or null when the thread failed and the caller must render them. */
  render(request: RenderRequest): Promise<RenderReply | null>;
  stop(): void;
}

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js', import.meta.url);

/** No second thread: the caller renders every document itself (small years, where starting one costs more than it saves). */
export const IN_THIS_THREAD: DocumentThread = { render: () => Promise.resolve(null), stop: () => undefined };

export function startDocumentThread(): DocumentThread {
  let worker: Worker | null = null;
  let failed = false;
  try {
    worker = new Worker(workerSource(ENTRY), { eval: true });
    // Unused (the report stopped early), it must not keep the process alive.
    worker.unref();
    worker.on('error', () => (failed = true));
  } catch {
    failed = true;
  }
  const stop = () => void worker?.terminate();
  return {
    stop,
    render: (request) =>
      new Promise((resolve) => {
        if (!worker || failed) return resolve(null);
        worker.ref();
        worker.once('message', (reply: RenderReply) => resolve(asBuffers(reply)));
        worker.once('error', () => resolve(null));
        worker.once('exit', () => resolve(null));
        worker.postMessage(request);
      }).finally(stop) as Promise<RenderReply | null>,
  };
}

/** Bytes come back from a thread as a plain Uint8Array; the outcome promises a Buffer. */
function asBuffers(reply: RenderReply): RenderReply {
  const out: RenderReply = {};
  for (const [key, outcome] of Object.entries(reply) as [DocumentKey, DocumentOutcome][]) {
    out[key] = outcome.ok ? { ok: true, docx: Buffer.from(outcome.docx.buffer, outcome.docx.byteOffset, outcome.docx.byteLength) } : outcome;
  }
  return out;
}
