// What `kaohe report` makes from the year's results — the four documents, 考核结果汇总.xlsx and
// results.json — and on which thread. This module brings the document engine (docx, handlebars,
// remark…), so report.ts loads it only once the workbooks are being read, never before the
// reading pool starts.
import type { YearResults } from '../../core/results.ts';
import { claim, jobClaims } from '../batch/job-claims.ts';
import type { DocumentThread } from '../batch/render-thread.ts';
import { DOCUMENTS, type DocumentKey, type DocumentOptions, type DocumentOutcome, type TemplateError } from '../documents/index.ts';
import { summaryWorkbookBuffer } from '../xlsx/summary.ts';

export type OutputKey = DocumentKey | 'summaryWorkbook' | 'resultsJson';

/** One output as made: its bytes, or the template errors that kept a document from being made. */
export type Made = { ok: true; data: Uint8Array | string } | { ok: false; errors: TemplateError[] };

/**
 * The document thread's order, largest first: the 年度考核总结报告 is always its own (at 1,000
 * units it costs more than all the rest); the others it takes only when it gets to them first.
 */
const THREAD_ORDER: DocumentKey[] = ['summaryReport', 'certificates', 'publicNotice', 'decision'];
/** This thread's documents, after what only it makes: smallest first, so the two orders meet in the middle. */
const HERE_ORDER: DocumentKey[] = ['decision', 'publicNotice', 'certificates'];

const made = (outcome: DocumentOutcome): Made => (outcome.ok ? { ok: true, data: outcome.docx } : outcome);

/**
 * Makes every output, handing each to `emit` as soon as it is made (in no fixed order), so none
 * waits in memory for the others. A broken template spoils only its own document.
 */
export async function renderOutputs(results: YearResults, options: DocumentOptions, thread: DocumentThread, emit: (key: OutputKey, made: Made) => void): Promise<void> {
  const claims = jobClaims(THREAD_ORDER.length);
  const done = new Set<DocumentKey>();
  const document = (key: DocumentKey, outcome: DocumentOutcome) => {
    if (done.has(key)) return;
    done.add(key);
    emit(key, made(outcome));
  };
  const away = thread.render({ results, options, keys: THREAD_ORDER, claims }, document);
  emit('summaryWorkbook', { ok: true, data: summaryWorkbookBuffer(results) });
  // As UTF-8 bytes at once, so the text (15 MB in V8's two-byte form) is never held beside the documents.
  emit('resultsJson', { ok: true, data: Buffer.from(JSON.stringify(results, null, 2) + '\n') });
  for (const key of HERE_ORDER) if (claim(claims, THREAD_ORDER.indexOf(key))) document(key, await DOCUMENTS[key](results, options));
  await away;
  // Whatever the thread did not deliver (none started, or it was lost part way) is made here.
  for (const key of THREAD_ORDER) if (!done.has(key)) document(key, await DOCUMENTS[key](results, options));
}
