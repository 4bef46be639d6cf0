// What the commendation templates (公示, 决定, 证书) see: the results, the computed dates, and the
// awardees in one list in the order they are announced (units, departments, persons).
import type { YearResults } from '../../core/results.ts';
import { documentDates } from './dates.ts';

export function commendationData(results: YearResults) {
  const { units, departments, persons } = results.commendations;
  return {
    ...results,
    dates: documentDates(results.issueDate, results.calendar),
    awardees: [...units, ...departments, ...persons].map((c) => ({ ...c, isPerson: c.category === '先进个人' })),
  };
}
