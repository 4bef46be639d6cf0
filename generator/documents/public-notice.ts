// 拟表彰名单公示: the proposed lists put up for comment for five working days before the decision.
import type { YearResults } from '../../core/results.ts';
import { commendationData } from './commendation-data.ts';
import type { DocumentOutcome } from './errors.ts';
import { issueData } from './issue.ts';
import { buildDocument, type DocumentOptions } from './pipeline.ts';

export const PUBLIC_NOTICE_TEMPLATE = '拟表彰名单公示';

export async function publicNotice(results: YearResults, options: DocumentOptions = {}): Promise<DocumentOutcome> {
  return buildDocument(PUBLIC_NOTICE_TEMPLATE, commendationData(results, issueData('notice', results, options.number)), options);
}
