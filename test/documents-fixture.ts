// A real YearResults for the document tests: the aggregate engineer's fixture year (hand-computed
// in test/fixtures/year.ts), plus a missing unit and data problems so the appendix has content.
import { aggregateYear, type CheckedWorkbook } from '../core/aggregate.ts';
import type { YearResults } from '../core/results.ts';
import { fixturePlan, fixtureSubmissions } from './fixtures/year.ts';

export function fixtureResults(): YearResults {
  const plan = fixturePlan();
  const subs = fixtureSubmissions(plan);
  const checked: CheckedWorkbook[] = plan.units
    .filter((u) => subs.has(u.id))
    .map((u) => ({ file: `${u.name}.xlsx`, submission: subs.get(u.id)!, unit: u, problems: [] }));
  checked.push({
    file: '来历不明.xlsx',
    submission: null,
    unit: null,
    problems: [{ severity: '错误', code: 'not-kaohe', file: '来历不明.xlsx', message: '不是考核工作簿：缺少 _meta 工作表' }],
  });
  return aggregateYear(plan, checked, { generatedAt: '2012-01-05T08:00:00.000Z' });
}
