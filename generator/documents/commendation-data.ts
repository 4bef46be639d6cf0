// What the commendation templates (公示, 决定, 证书) see: the results, the computed dates, and the
// awardees in one list in the order they are announced (units, departments, persons).
import type { YearResults } from '../../core/results.ts';
import { documentDates } from './dates.ts';
import type { IssueData } from './issue.ts';

export function commendationData(results: YearResults, issue: IssueData) {
  const { units, departments, persons } = results.commendations;
  return {
    ...results,
    dates: documentDates(results.issueDate, results.calendar),
    issue,
    /** Where objections to the 公示 go besides the contact (plan: documents.notice). */
    objection: { address: results.documents?.notice?.objectionAddress ?? '', email: results.documents?.notice?.objectionEmail ?? '' },
    /** Persons also as `who`: the name with the unit, so two people of one name are told apart. */
    commendations: { units, departments, persons: persons.map((p) => ({ ...p, who: `${p.name}（${p.unitName}）` })) },
    awardees: [...units, ...departments, ...persons].map((c) => ({ ...c, isPerson: c.category === '先进个人' })),
  };
}
