// 荣誉证书: one page per awardee, all in one file for printing.
import type { YearResults } from '../../core/results.ts';
import { commendationData } from './commendation-data.ts';
import type { DocumentOutcome } from './errors.ts';
import { issueData } from './issue.ts';
import { buildDocument, type DocumentOptions } from './pipeline.ts';

export const CERTIFICATES_TEMPLATE = '荣誉证书';

export async function certificates(results: YearResults, options: DocumentOptions = {}): Promise<DocumentOutcome> {
  return buildDocument(CERTIFICATES_TEMPLATE, commendationData(results, issueData('decision', results, options.number)), options, undefined, { profile: 'certificate' });
}
