// 表彰决定: preamble, the three lists as attachments, closing exhortation, organ and date.
import type { YearResults } from '../../core/results.ts';
import { commendationData } from './commendation-data.ts';
import type { DocumentOutcome } from './errors.ts';
import { issueData } from './issue.ts';
import { buildDocument, type DocumentOptions } from './pipeline.ts';

export const DECISION_TEMPLATE = '表彰决定';

export async function decision(results: YearResults, options: DocumentOptions = {}): Promise<DocumentOutcome> {
  return buildDocument(DECISION_TEMPLATE, commendationData(results, issueData('decision', results, options.number)), options);
}
