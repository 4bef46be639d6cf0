// What the 报告 says from the year's data alone: the late and unfinished tasks, complaints
// closed late (by unit), 查实 kept apart from 部分属实, problems not fixed, and the 存在问题
// paragraphs built from all of these, the units that did not report and the lowest scores.
import type { YearResults } from '../../core/results.ts';
import { scoreText } from './helpers.ts';

/** 下一步 when the plan gives no `documents.nextSteps`: general, naming no bureau or year. */
export const DEFAULT_NEXT_STEPS = [
  '巩固活动成果，健全长效机制，坚持以制度规范行为、以制度管人管事，推动机关效能建设常态化。',
  '对考核中发现的逾期任务、超期办结的投诉和尚未整改的问题逐项建立台账，明确责任人和完成时限，跟踪督办直至销号。',
  '加强对各单位的督促指导，确保按时报送考核材料，把考核结果作为评先评优的重要依据。',
];

/** 局党组 for a 局; otherwise the organ's own 党组. */
export const defaultAddressee = (organ: string): string => (organ.endsWith('局') ? '局党组' : `${organ}党组`);

const LOWEST_SHOWN = 3;

export function reportFindings(results: YearResults) {
  const lateTasks = results.keyTasks
    .filter((t) => t.late)
    .map((t) => ({ name: t.task.name, lead: t.lead?.unitName ?? '—', status: t.lead?.status ?? '未报送' }));
  const complaintUnits = results.complaints.byUnit
    .filter((u) => u.received > 0)
    .map((u) => ({ ...u, overdue: u.received - u.onTime }));
  const overdueUnits = complaintUnits.filter((u) => u.overdue > 0);
  const t = results.complaints.totals;
  const problems = results.problems;
  const notFixed = problems.total - problems.fixed - problems.fixing;
  const problemSources = Object.entries(problems.bySource).map(([source, c]) => ({
    source,
    ...c,
    notFixed: c.found - c.fixed - c.fixing,
  }));
  const unsourced = problems.total - problemSources.reduce((n, s) => n + s.found, 0);
  const ranked = results.units.filter((u) => !u.vetoed);
  const lowest = ranked.slice(-LOWEST_SHOWN).reverse();
  const issues: string[] = [];
  if (lateTasks.length > 0) {
    issues.push(`部分重点任务推进不及时。${lateTasks.map((x) => `“${x.name}”（牵头单位${x.lead}）${x.status}`).join('；')}。`);
  }
  if (t.received - t.onTime > 0) {
    issues.push(
      `效能投诉办理还不够及时。全年有${t.received - t.onTime}件投诉未在时限内办结，涉及${overdueUnits.map((u) => `${u.unitName}${u.overdue}件`).join('、')}。`,
    );
  }
  if (notFixed + problems.fixing > 0) {
    issues.push(`问题整改还不到位。查找出的${problems.total}个问题中，仍有${problems.fixing}个正在整改、${notFixed}个尚未整改。`);
  }
  if (results.missingUnits.length > 0) {
    issues.push(`个别单位重视不够。${results.missingUnits.map((u) => u.name).join('、')}未按要求报送考核材料。`);
  }
  if (lowest.length > 0) {
    issues.push(`单位之间工作不平衡。得分较低的是${lowest.map((u) => `${u.unitName}（${scoreText(u.total)}分）`).join('、')}。`);
  }
  return {
    lateTasks,
    complaintUnits,
    overdueComplaints: t.received - t.onTime,
    verifiedUnits: complaintUnits.filter((u) => u.verified > 0).map((u) => u.unitName),
    partlyVerifiedUnits: complaintUnits.filter((u) => u.partlyVerified > 0).map((u) => u.unitName),
    problemsNotFixed: notFixed,
    problemSources,
    /** Problems whose 问题来源 was left blank, so the table's rows add up to the total. */
    unsourcedProblems: unsourced,
    commendationCount: results.commendations.units.length + results.commendations.departments.length + results.commendations.persons.length,
    issues,
  };
}
