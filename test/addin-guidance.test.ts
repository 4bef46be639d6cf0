// The step guidance is written once (core/steps.ts): the 填报说明 sheet of a workbook the CLI
// writes and the pane's guidance for each step carry the same words, taken from the plan.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepGuidance, stepPlace } from '../addin/ui/steps.ts';
import { unitWorkbookContent } from '../core/blank.ts';
import { GUIDE_SHEET, INFO_SHEET } from '../core/layout.ts';
import { STEPS } from '../core/steps.ts';
import type { Plan } from '../core/types.ts';
import { writeUnitWorkbook } from '../generator/xlsx/unit-workbook.ts';
import { defaultPlan, planUnit } from './helpers/unit-grid.ts';
import { readWorkbookFile } from './helpers/xlsx-read.ts';

const { plan, hash } = defaultPlan();

async function guideSheetOf(p: Plan): Promise<string[]> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kaohe-guidance-')), 'u.xlsx');
  await writeUnitWorkbook(unitWorkbookContent(p, planUnit(p, 'office'), '2011-01-20T08:00:00Z', hash), file);
  const read = await readWorkbookFile(file);
  if (!read.ok) throw new Error(read.problem.message);
  return (read.grid.sheets[GUIDE_SHEET.name]?.values ?? []).map((r) => String(r[0] ?? ''));
}

describe('step guidance, one text for the 填报说明 sheet and the pane', () => {
  it('writes each pane step’s guidance, word for word, as that step’s line of the sheet', async () => {
    const lines = await guideSheetOf(plan);
    STEPS.forEach((step, i) => {
      const pane = stepGuidance(step.id, plan);
      expect(lines.filter((l) => l.startsWith(`${i + 1}. ${step.title}`) && l.endsWith(`：${pane}`))).toHaveLength(1);
    });
    // Two steps spelled out, so a change of wording on both sides at once still shows here.
    expect(stepGuidance('complaints', plan)).toBe(
      '组织实施阶段（2011年3月1日至2011年10月31日），每受理一件效能投诉填一行：受理编号、受理日期、投诉渠道、投诉事项、承办责任人必填；回复后填写回复日期和办理结果，核查后选择核查结论。办结时限空白的，按受理后15个工作日计（节假日、调休按国务院安排）。核查结论为“查实”的须写明处理措施。',
    );
    expect(lines).toContain(`2. 学习动员（“单位信息”表）：${stepGuidance('mobilisation', plan)}`);
    expect(stepGuidance('mobilisation', plan)).toContain(`须于2011年2月28日前报送${plan.activity.office}`);
  });

  it('takes the agency’s words and dates from the plan, none from the 2011 campaign', async () => {
    const other: Plan = {
      ...plan,
      activity: { ...plan.activity, year: 2030, office: '县教育局效能建设办公室', handInDeadline: '2030-03-15' },
      phases: plan.phases.map((p) => ({ ...p, start: p.start.replace('2011', '2030'), end: p.end.replace('2011', '2030') })),
      scoring: { ...plan.scoring, complaintDefaultWorkingDays: 10 },
      commendation: { ...plan.commendation, personPerUnit: 3 },
    };
    const panes = STEPS.map((s) => stepGuidance(s.id, other)).join('\n');
    expect(panes).not.toMatch(/2011|广电|领导小组/);
    expect(panes).toContain('须于2030年3月15日前报送县教育局效能建设办公室');
    expect(panes).toContain('受理后10个工作日');
    expect(panes).toContain('最多推荐3名');
    const lines = await guideSheetOf(other);
    for (const s of STEPS) expect(lines.some((l) => l.endsWith(`：${stepGuidance(s.id, other)}`))).toBe(true);
  });

  it('opens 学习动员 on its first row of 单位信息 and 提交前检查 on 填报说明', () => {
    const row = INFO_SHEET.fields.findIndex((f) => f.label === '实施方案上报日期') + 2;
    expect(stepPlace('mobilisation')).toEqual({ sheet: INFO_SHEET.name, cell: `B${row}` });
    expect(stepPlace('final')).toEqual({ sheet: GUIDE_SHEET.name });
    expect(stepPlace('selfScore')).toEqual({ sheet: '考核评分' });
  });
});
