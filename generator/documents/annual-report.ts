// 年度考核总结报告: the year's work per phase, every unit's result, tasks, complaints, problems,
// rules, two charts, and an appendix of workbook problems and units that handed nothing in.
import type { YearResults } from '../../core/results.ts';
import { CHART_NAMES, reportCharts } from './charts.ts';
import { documentDates } from './dates.ts';
import type { DocumentOutcome } from './errors.ts';
import { issueData } from './issue.ts';
import { buildDocument, type DocumentOptions } from './pipeline.ts';
import { fileNameOf, peopleText, placeOf } from './places.ts';
import { DEFAULT_NEXT_STEPS, defaultAddressee, reportFindings } from './report-findings.ts';

export const ANNUAL_REPORT_TEMPLATE = '年度考核总结报告';

export interface CategoryStat {
  category: string;
  /** The category's points in the plan (from the indicators every unit is scored on). */
  maxPoints: number;
  average: number;
}

/** What the template sees: the results as they are, plus a few figures the prose needs. */
export function annualReportData(results: YearResults) {
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  const indicators = results.units[0]?.indicators ?? [];
  const categoryStats: CategoryStat[] = results.categories.map((category) => ({
    category,
    maxPoints: indicators.filter((i) => i.category === category).reduce((sum, i) => sum + i.maxPoints, 0),
    average: mean(results.units.map((u) => u.byCategory[category] ?? 0)),
  }));
  return {
    ...results,
    dates: documentDates(results.issueDate, results.calendar),
    /** The office as a signature: its name without the bracketed note (e.g. （设局机关党委）). */
    officeName: results.activity.office.replace(/[（(][^（）()]*[）)]\s*$/, ''),
    averageTotal: mean(results.units.map((u) => u.total)),
    categoryStats,
    vetoedUnits: results.units.filter((u) => u.vetoed),
    tasksDone: results.keyTasks.filter((t) => t.done).length,
    tasksOnTime: results.keyTasks.filter((t) => t.done && !t.late).length,
    // Files by name, places in words, dates in Chinese: the appendix is read by people.
    dataProblems: results.dataProblems.map((p) => ({
      file: fileNameOf(p.file),
      place: placeOf(p.sheet, p.cell),
      kind: p.severity === '错误' ? '须更正' : '请核实',
      message: peopleText(p.message),
      unitName: p.unitName ?? null,
    })),
    ...reportFindings(results),
    addressee: `${results.documents.report?.addressee ?? defaultAddressee(results.activity.organ)}：`,
    issue: issueData('report', results),
    nextSteps: results.documents.nextSteps ?? DEFAULT_NEXT_STEPS,
  };
}

export async function annualReport(results: YearResults, options: DocumentOptions = {}): Promise<DocumentOutcome> {
  return buildDocument(ANNUAL_REPORT_TEMPLATE, annualReportData(results), options, {
    names: CHART_NAMES,
    draw: () => reportCharts(results),
  });
}
