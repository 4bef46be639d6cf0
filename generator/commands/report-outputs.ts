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

/** One output as made: its bytes (or text, whole or in pieces), or the template errors that kept a document from being made. */
export type Made = { ok: true; data: Uint8Array | string | Iterable<string> } | { ok: false; errors: TemplateError[] };

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
  emit('resultsJson', { ok: true, data: jsonText(results) });
  for (const key of HERE_ORDER) if (claim(claims, THREAD_ORDER.indexOf(key))) document(key, await DOCUMENTS[key](results, options));
  await away;
  // Whatever the thread did not deliver (none started, or it was lost part way) is made here.
  for (const key of THREAD_ORDER) if (!done.has(key)) document(key, await DOCUMENTS[key](results, options));
}

/** About how many characters of results.json are handed to the file at a time. */
const JSON_CHUNK = 64 * 1024;

/**
 * `JSON.stringify(value, null, 2)` and a line end, in pieces of about JSON_CHUNK characters made
 * as the file takes them: each top-level property, and each element of a top-level array,
 * stringified on its own and indented as JSON.stringify indents it (its line breaks are all
 * structural; strings escape theirs). Whole, results.json was 15 MB of text in V8's two-byte
 * form and 6.8 MB of UTF-8 at once, ~13 MB of the 1,000-unit report's peak; held equal to
 * JSON.stringify by test/results-json.test.ts (no toJSON in the results reads its key).
 */
export function* jsonText(value: object): Generator<string> {
  let chunk = '';
  for (const piece of jsonPieces(value)) {
    chunk += piece;
    if (chunk.length < JSON_CHUNK) continue;
    yield chunk;
    chunk = '';
  }
  yield chunk;
}

const indented = (json: string, pad: string): string => json.replace(/\n/g, `\n${pad}`);

function* jsonPieces(value: object): Generator<string> {
  let first = true;
  yield '{';
  for (const [key, v] of Object.entries(value)) {
    const name = `${first ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(v) && v.length > 0) {
      first = false;
      yield `${name}[`;
      for (const [i, element] of v.entries()) yield `${i === 0 ? '' : ','}\n    ${indented(JSON.stringify(element, null, 2) ?? 'null', '    ')}`;
      yield '\n  ]';
      continue;
    }
    const json = JSON.stringify(v, null, 2) as string | undefined;
    if (json === undefined) continue;
    first = false;
    yield name + indented(json, '  ');
  }
  yield first ? '}\n' : '\n}\n';
}
