import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metaRows, unitWorkbookContent, type SheetContent } from '../core/blank.ts';
import { checkWorkbook } from '../core/check.ts';
import { KEY_TASKS_SHEET, META_KEYS, SCORES_SHEET, TEMPLATE_VERSION } from '../core/layout.ts';
import { readWorkbookFile } from './helpers/xlsx-read.ts';
import { writeUnitWorkbook } from '../generator/xlsx/unit-workbook.ts';
import { defaultPlan, planUnit } from './helpers/unit-grid.ts';

const { plan, hash } = defaultPlan();
const CREATED = '2011-01-20T08:00:00Z';

function sheet(unitId: string, name: string): SheetContent {
  const content = unitWorkbookContent(plan, planUnit(plan, unitId), CREATED, hash);
  const s = content.sheets.find((x) => x.sheet.name === name);
  if (!s) throw new Error(name);
  return s;
}

describe('unitWorkbookContent', () => {
  it('lays out every data sheet in workbook order with its header row first', () => {
    const content = unitWorkbookContent(plan, planUnit(plan, 'office'), CREATED, hash);
    expect(content.sheets.map((s) => s.sheet.name)).toEqual([
      '单位信息',
      '重点任务',
      '考核评分',
      '效能投诉',
      '问题清单',
      '制度建设',
      '先进推荐',
    ]);
    expect(content.sheets.find((s) => s.sheet.name === '效能投诉')?.rows).toEqual([
      [
        '受理编号',
        '受理日期',
        '投诉渠道',
        '投诉人',
        '投诉事项',
        '承办责任人',
        '办结时限',
        '回复日期',
        '办理结果',
        '核查结论',
        '处理措施',
      ],
    ]);
  });

  it('prefills the unit name and kind in 单位信息 and leaves the rest blank', () => {
    const rows = sheet('station-805', '单位信息').rows;
    expect(rows.slice(0, 4)).toEqual([
      ['项目', '内容'],
      ['单位名称', '805台'],
      ['单位类别', '局属单位'],
      ['主要负责人', null],
    ]);
    expect(rows.map((r) => r[0])).toContain('专题报道篇数');
    expect(rows).toHaveLength(12);
  });

  it('lists the tasks a unit leads or cooperates in, with unit names and the planned date', () => {
    const rows = sheet('project-office', KEY_TASKS_SHEET.name).rows;
    expect(rows).toEqual([
      KEY_TASKS_SHEET.columns.map((c) => c.header),
      [
        '1',
        '完善项目建设预案，拿出可行性方案',
        '牵头',
        '项目办',
        '市广电网络有限公司、市广电传媒有限公司、市广电实业发展有限公司、805台',
        '2011-03-31',
        null,
        null,
        null,
        null,
      ],
      expect.arrayContaining(['5', '配合', '办公室', '2011-10-31']),
    ]);
    expect(
      sheet('station-805', KEY_TASKS_SHEET.name)
        .rows.slice(1)
        .map((r) => [r[0], r[2]]),
    ).toEqual([['1', '配合']]);
  });

  it('lists one 考核评分 row per plan indicator with its method label and points', () => {
    const rows = sheet('office', SCORES_SHEET.name).rows;
    expect(rows).toHaveLength(plan.indicators.length + 1);
    expect(rows[1]?.slice(0, 6)).toEqual([
      '1.1',
      '组织领导',
      plan.indicators[0]!.content,
      plan.indicators[0]!.standard,
      8,
      '自评',
    ]);
    expect(rows.slice(1).map((r) => r[5])).toEqual(
      expect.arrayContaining(['自评', '自动', '加分', '扣分', '否决']),
    );
  });

  it('turns the key-task indicator into 自评 for a unit with no key task', () => {
    expect(sheet('county-donghu', KEY_TASKS_SHEET.name).rows).toHaveLength(1);
    const row = sheet('county-donghu', SCORES_SHEET.name).rows.find((r) => r[0] === '3.1');
    expect(row?.[5]).toBe('自评');
  });

  it('writes a clerk-readable guide with the phases, the hand-in deadline and the contact', () => {
    const guide = unitWorkbookContent(plan, planUnit(plan, 'office'), CREATED, hash).guide.map((r) => r[0] ?? '');
    expect(guide[0]).toBe('市广播电影电视局2011年机关效能、项目建设年活动填报说明');
    expect(guide).toContain('填报单位：办公室（机关科室）');
    const text = guide.join('\n');
    expect(text).toContain('学习动员阶段（2011年2月1日至2011年2月28日）');
    expect(text).toContain('组织实施阶段（2011年3月1日至2011年10月31日）');
    expect(text).toContain(`须于2011年2月28日前报送${plan.activity.office}`);
    expect(text).toContain('受理后15个工作日');
    expect(text).toContain(plan.activity.phone);
    // The steps of the add-in, in its order, each under its title and (where it differs) its sheet.
    const steps = guide.slice(guide.indexOf('二、填报步骤（与“考核填报”加载项中的步骤相同）') + 1, guide.indexOf('三、注意事项'));
    expect(steps.map((l) => /^\d+\. ([^：]+)：/.exec(l)?.[1])).toEqual([
      '单位信息',
      '学习动员（“单位信息”表）',
      '重点任务',
      '效能投诉',
      '问题清单',
      '制度建设',
      '自评打分（“考核评分”表）',
      '先进推荐',
      '提交前检查',
    ]);
  });

  it('stamps _meta with template version, plan, unit and creation time', () => {
    const { meta } = unitWorkbookContent(plan, planUnit(plan, 'office'), CREATED, hash);
    expect(meta).toEqual({
      templateVersion: TEMPLATE_VERSION,
      planId: 'xiaoneng-2011',
      planHash: hash,
      unitId: 'office',
      createdAt: CREATED,
    });
    expect(metaRows(meta)).toEqual([
      ['templateVersion', TEMPLATE_VERSION],
      ['planId', 'xiaoneng-2011'],
      ['planHash', hash],
      ['unitId', 'office'],
      ['createdAt', CREATED],
      ['submittedAt', ''],
      ['contentHash', ''],
      ['reviewedBy', ''],
      ['reviewedAt', ''],
      ['reviewSeal', ''],
    ]);
    expect(metaRows(meta).map((r) => r[0])).toEqual([...META_KEYS]);
  });
});

describe('a blank workbook written to .xlsx and read back', () => {
  it('parses without read errors and asks only for what the unit must fill in', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-blank-'));
    const file = path.join(dir, '项目办.xlsx');
    const unit = planUnit(plan, 'project-office');
    await writeUnitWorkbook(unitWorkbookContent(plan, unit, CREATED, hash), file);
    const read = await readWorkbookFile(file);
    if (!read.ok) throw new Error(read.problem.message);
    const r = checkWorkbook(read.grid, plan, { file, planHash: hash });
    expect(r.unit?.id).toBe('project-office');
    expect(r.submission?.keyTasks.map((t) => [t.taskId, t.role, t.planned])).toEqual([
      ['1', '牵头', '2011-03-31'],
      ['5', '配合', '2011-10-31'],
    ]);
    expect(r.submission?.scores).toHaveLength(plan.indicators.length);
    const codes = new Set(r.problems.map((p) => p.code));
    expect([...codes].sort()).toEqual(['required.missing', 'rules.threeMissing', 'score.selfMissing']);
    expect(r.problems.filter((p) => p.severity === '错误').every((p) => p.cell)).toBe(true);
  });
});
