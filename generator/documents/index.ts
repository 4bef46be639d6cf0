// The documents engine's public face: every year-end document from one YearResults.
import type { YearResults } from '../../core/results.ts';
import { annualReport } from './annual-report.ts';
import { certificates } from './certificates.ts';
import { decision } from './decision.ts';
import type { DocumentOutcome } from './errors.ts';
import type { DocumentOptions } from './pipeline.ts';
import { publicNotice } from './public-notice.ts';

export { annualReport, certificates, decision, publicNotice };
export { formatTemplateError, type DocumentOutcome, type TemplateError } from './errors.ts';
export type { DocumentOptions } from './pipeline.ts';
export { BUILTIN_TEMPLATE_DIR } from './templates.ts';

/** Keys match the report's output names; each document succeeds or fails on its own. */
export const DOCUMENTS = {
  summaryReport: annualReport,
  publicNotice,
  decision,
  certificates,
} as const;

export type DocumentKey = keyof typeof DOCUMENTS;

/** All documents; a broken template spoils only its own document. Rendered one after another to bound memory. */
export async function renderDocuments(
  results: YearResults,
  options: DocumentOptions = {},
): Promise<Record<DocumentKey, DocumentOutcome>> {
  const out = {} as Record<DocumentKey, DocumentOutcome>;
  for (const key of Object.keys(DOCUMENTS) as DocumentKey[]) out[key] = await DOCUMENTS[key](results, options);
  return out;
}
