import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PaneController, isoToSerial } from '../addin/ui/controller.ts';
import { createGateway } from '../addin/excel/gateway.ts';
import { stepOfProblem } from '../addin/ui/steps.ts';
import { COMPLAINTS_SHEET, INFO_SHEET, KEY_TASKS_SHEET, RULES_SHEET, SCORES_SHEET, SHEETS, THREE_RULES, columnLetter } from '../core/layout.ts';
import { parsePlan } from '../core/plan.ts';
import type { Plan } from '../core/types.ts';
import { FakeExcel } from './addin-fake.ts';
import { checkWorkbook } from '../core/check.ts';
import { reviewStampOf } from '../core/review.ts';

let plan: Plan;
let planHash: string;

beforeAll(() => {
  const parsed = parsePlan(readFileSync(resolve(import.meta.dirname, '../templates/plan.yaml'), 'utf8'), 'plan.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  plan = parsed.plan;
  planHash = parsed.hash;
});

const NOW = new Date('2011-12-20T08:00:00Z');

async function laidOut(unitId = 'office', fake = new FakeExcel()): Promise<{ fake: FakeExcel; controller: PaneController }> {
  const controller = new PaneController(createGateway(fake), { plan, planHash, file: '当前工作簿' }, () => NOW);
  const made = await controller.createWorkbook(unitId, NOW);
  if (!made.ok) throw new Error(made.error);
  return { fake, controller };
}

const col = (sheet: { columns: readonly { key: string }[] }, key: string): string => columnLetter(sheet.columns.findIndex((c) => c.key === key));

function rowCount(fake: FakeExcel, sheet: string): number {
  let max = 0;
  for (const [k, cell] of fake.sheet(sheet)!.cells) if (cell.value !== '') max = Math.max(max, Number(k.split(',')[0]));
  return max + 1;
}

/** What a diligent 办公室 types: every required field, as people type it. */
async function fillEverything(fake: FakeExcel): Promise<void> {
  const info: Record<string, string | number> = {
    head: '王局长', filler: '李明', phone: '0931-8888888', planHandedIn: '2011-2-25', standardHandedIn: '2011/2/26',
    mobilisationMeeting: '2011年2月15日', studySessions: 6, participants: 32, reports: 0,
  };
  for (const [i, field] of INFO_SHEET.fields.entries()) {
    if (info[field.key] !== undefined) await fake.userEdit(INFO_SHEET.name, `B${i + 2}`, [[info[field.key]!]]);
  }
  for (let r = 2; r <= rowCount(fake, KEY_TASKS_SHEET.name); r++) {
    await fake.userEdit(KEY_TASKS_SHEET.name, `${col(KEY_TASKS_SHEET, 'actual')}${r}`, [['2011-3-20']]);
    await fake.userEdit(KEY_TASKS_SHEET.name, `${col(KEY_TASKS_SHEET, 'progress')}${r}`, [[100, '已按计划完成']]);
  }
  for (let r = 2; r <= rowCount(fake, SCORES_SHEET.name); r++) {
    const max = fake.cell(SCORES_SHEET.name, `${col(SCORES_SHEET, 'maxPoints')}${r}`);
    if (fake.cell(SCORES_SHEET.name, `${col(SCORES_SHEET, 'method')}${r}`) === '自评' && typeof max === 'number') {
      await fake.userEdit(SCORES_SHEET.name, `${col(SCORES_SHEET, 'self')}${r}`, [[max, '对照标准逐项落实']]);
    }
  }
  await fake.userEdit(RULES_SHEET.name, 'A2', THREE_RULES.map((name, i) => [String(i + 1), `${name}实施办法`, name, '完善', '2011-4-1', `广电办〔2011〕${i + 3}号`]));
}

describe('controller on a workbook without _meta', () => {
  it('offers the start screen with the plan units', async () => {
    const fake = new FakeExcel();
    const controller = new PaneController(createGateway(fake), { plan, planHash, file: 'x' });
    const state = await controller.validate();
    expect(state).toEqual({ ok: true, value: { kind: 'start', units: plan.units, interrupted: false } });
  });

  it('takes contract sheets without `_meta` for an unfinished layout (`kaohe check` still reports a lost `_meta`)', async () => {
    const { fake, controller } = await laidOut();
    fake.sheets.splice(fake.sheets.findIndex((s) => s.name === '_meta'), 1);
    const state = await controller.validate();
    expect(state.ok && state.value).toMatchObject({ kind: 'start', interrupted: true });
  });

  it('lays out every sheet of core/layout.ts with the unit prefilled and dates as Excel dates', async () => {
    const { fake } = await laidOut('office');
    expect(fake.sheets.map((s) => s.name)).toEqual(SHEETS.map((s) => s.name));
    expect(fake.cell(INFO_SHEET.name, 'B2')).toBe('办公室');
    expect(fake.cell('_meta', 'A4')).toBe('unitId');
    expect(fake.cell('_meta', 'B4')).toBe('office');
    expect(fake.cell('_meta', 'B5')).toBe(NOW.toISOString());
    const planned = fake.cell(KEY_TASKS_SHEET.name, `${col(KEY_TASKS_SHEET, 'planned')}2`);
    expect(typeof planned).toBe('number');
    expect(isoToSerial('2011-03-31')).toBe(40633);
    expect(isoToSerial('1900-03-01')).toBe(61);
  });
});

describe('a validation pass', () => {
  it('costs one round trip whether a sheet holds 10 rows or 5,000', async () => {
    const syncs: number[] = [];
    for (const n of [10, 5000]) {
      const { fake, controller } = await laidOut();
      const rows = Array.from({ length: n }, (_, i) => [`TS-${i + 1}`, '2011-5-6', '来电', '张三', '窗口推诿', '李四', '', '2011-5-9', '已答复', '不属实', '']);
      await fake.userEdit(COMPLAINTS_SHEET.name, 'A2', rows);
      const before = fake.syncCount;
      const state = await controller.validate();
      expect(state.ok && state.value.kind).toBe('workbook');
      syncs.push(fake.syncCount - before);
    }
    expect(syncs).toEqual([1, 1]);
  });

  it('finds a bad date in 单位信息 under 学习动员, and scores the unit', async () => {
    const { fake, controller } = await laidOut();
    await fake.userEdit(INFO_SHEET.name, 'B7', [['2011-13-45']]);
    const state = await controller.validate();
    if (!state.ok || state.value.kind !== 'workbook') throw new Error('not a workbook');
    const bad = state.value.problems.find((p) => p.sheet === INFO_SHEET.name && p.cell === 'B7');
    expect(bad?.severity).toBe('错误');
    expect(bad?.message).toContain('无法识别的日期“2011-13-45”');
    expect(state.value.steps.find((s) => s.id === 'mobilisation')?.state).toBe('problem');
    expect(state.value.unit?.id).toBe('office');
    expect(state.value.result?.indicators.length).toBeGreaterThan(0);
    expect(state.value.submission).toEqual({ kind: 'none' });
  });

  it('maps problems to the step of their sheet or 单位信息 row', async () => {
    const { controller, fake } = await laidOut();
    await controller.validate();
    const read = await createGateway(fake).readSheets([INFO_SHEET.name]);
    if (!read.ok) throw new Error(read.error);
    const grid = read.value;
    const at = (sheet: string, cell?: string) => stepOfProblem({ severity: '错误', code: 'x', message: 'x', sheet, ...(cell ? { cell } : {}) }, grid);
    expect(at(INFO_SHEET.name, 'B4')).toBe('info'); // 主要负责人
    expect(at(INFO_SHEET.name, 'B9')).toBe('mobilisation'); // 动员会日期
    expect(at(COMPLAINTS_SHEET.name, 'B3')).toBe('complaints');
    expect(at(SCORES_SHEET.name, 'G2')).toBe('selfScore');
    expect(at('_meta')).toBe('final');
  });
});

describe('an interrupted layout', () => {
  it('completes on retry, equal to one laid out in one go', async () => {
    const fake = new FakeExcel();
    const controller = new PaneController(createGateway(fake), { plan, planHash, file: '当前工作簿' }, () => NOW);
    fake.failOnAdd = 4; // Excel gives up while adding the fourth sheet (考核评分)
    const first = await controller.createWorkbook('office', NOW);
    expect(first.ok).toBe(false);
    if (!first.ok) expect(first.error.replace(/Excel/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    expect(fake.sheet('_meta')).toBeUndefined();
    expect(fake.sheet(KEY_TASKS_SHEET.name)).toBeDefined();
    const state = await controller.validate();
    expect(state.ok && state.value).toMatchObject({ kind: 'start', interrupted: true });

    const retry = await controller.createWorkbook('office', NOW);
    expect(retry.ok).toBe(true);
    const { fake: clean } = await laidOut('office');
    const picture = (f: FakeExcel) =>
      f.sheets.map((s) => ({
        name: s.name,
        visibility: s.visibility,
        cells: [...s.cells].sort(),
        protected: s.protected,
        validations: [...s.validations].sort(),
        formats: [...s.formats].sort(),
        frozenRows: s.frozenRows,
      }));
    expect(picture(fake)).toEqual(picture(clean));
    const after = await controller.validate();
    expect(after.ok && after.value.kind).toBe('workbook');
  });

  it('never takes over a sheet of that name holding anything else, and says how to go on', async () => {
    const { fake } = await laidOut('office', new FakeExcel({}));
    fake.sheets.splice(fake.sheets.findIndex((s) => s.name === '_meta'), 1);
    fake.sheet(INFO_SHEET.name)!.protected = false;
    await fake.userEdit(INFO_SHEET.name, 'B4', [['王局长']]);
    const controller = new PaneController(createGateway(fake), { plan, planHash, file: '当前工作簿' }, () => NOW);
    const result = await controller.createWorkbook('office', NOW);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('已有名为“单位信息”的工作表，且其中有其他内容') });
    expect(fake.cell(INFO_SHEET.name, 'B4')).toBe('王局长');
  });
});

describe('submission', () => {
  it('is refused while a 错误 remains, and leaves _meta alone', async () => {
    const { fake, controller } = await laidOut();
    const result = await controller.submit(NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^还有 \d+ 个错误/);
    // Blank (text-formatted) cells, as the layout left them.
    expect(fake.cell('_meta', 'B6')).toBe('');
    expect(fake.cell('_meta', 'B7')).toBe('');
  });

  it('stamps submittedAt and the content hash in one write once no 错误 remains', async () => {
    const { fake, controller } = await laidOut();
    await fillEverything(fake);
    const state = await controller.validate();
    if (!state.ok || state.value.kind !== 'workbook') throw new Error('not a workbook');
    expect(state.value.problems.filter((p) => p.severity === '错误')).toEqual([]);
    const syncsBefore = fake.syncCount;
    const result = await controller.submit(NOW);
    expect(result).toEqual({ ok: true, value: { submittedAt: NOW.toISOString(), contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    // validate (1) + stamp write (1) + re-validate (1).
    expect(fake.syncCount - syncsBefore).toBe(3);
    expect(fake.cell('_meta', 'A6')).toBe('submittedAt');
    expect(fake.cell('_meta', 'B6')).toBe(NOW.toISOString());
    expect(fake.cell('_meta', 'B7')).toBe(result.ok ? result.value.contentHash : '');
    const after = controller.state;
    expect(after?.kind === 'workbook' && after.submission).toEqual({ kind: 'submitted', at: NOW.toISOString() });
    expect(after?.kind === 'workbook' && after.steps.find((s) => s.id === 'final')?.state).toBe('done');
    // Any later edit: no longer submitted, 提交前检查 no longer done; said at the top, not as a 提醒.
    await fake.userEdit(INFO_SHEET.name, 'B4', [['赵局长']]);
    const edited = await controller.validate();
    if (!edited.ok || edited.value.kind !== 'workbook') throw new Error('not a workbook');
    expect(edited.value.submission).toEqual({ kind: 'modified', at: NOW.toISOString() });
    expect(edited.value.steps.find((s) => s.id === 'final')?.state).toBe('todo');
    expect(edited.value.problems.some((p) => p.code === 'meta.modifiedAfterSubmit')).toBe(false);
    // Putting the value back makes it the submitted workbook again.
    await fake.userEdit(INFO_SHEET.name, 'B4', [['王局长']]);
    const back = await controller.validate();
    expect(back.ok && back.value.kind === 'workbook' && back.value.submission.kind).toBe('submitted');
  });

  it('on a protected _meta gives the Chinese message', async () => {
    const { fake, controller } = await laidOut();
    await fillEverything(fake);
    fake.sheet('_meta')!.protected = true;
    const result = await controller.submit(NOW);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('工作表已保护'), host: true });
  });
});

describe('review mode', () => {
  const PASSWORD = '考核办2011';

  async function stampOf(fake: FakeExcel): Promise<ReturnType<typeof reviewStampOf>> {
    const read = await createGateway(fake).readSheets(SHEETS.map((s) => s.name));
    if (!read.ok) throw new Error(read.error);
    const { submission } = checkWorkbook(read.value, plan, { file: 'x', planHash });
    return reviewStampOf(submission?.meta ?? null, submission?.scores ?? [], PASSWORD);
  }

  it('a unit cannot type into 考核组评分: the locked cell refuses the write', async () => {
    const { fake } = await laidOut();
    const review = `${col(SCORES_SHEET, 'review')}2`;
    await expect(fake.userEdit(SCORES_SHEET.name, review, [[8]])).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(fake.cell(SCORES_SHEET.name, review)).toBeNull();
    await fake.userEdit(SCORES_SHEET.name, `${col(SCORES_SHEET, 'self')}2`, [[7]]); // the unit's own column is open
  });

  it('opens 考核评分 at the first 考核组评分 cell, stamps a seal the report accepts on finishing, and locks it with the password', async () => {
    const { fake, controller } = await laidOut();
    await fillEverything(fake);
    expect((await controller.submit(NOW)).ok).toBe(true);
    // A pane-made workbook has no password yet: nothing to check the typed one against.
    expect(await controller.startReview(PASSWORD)).toEqual({ ok: true, value: { checked: false } });
    const review = `${col(SCORES_SHEET, 'review')}2`;
    expect(fake.selection).toEqual({ sheet: SCORES_SHEET.name, address: review });
    await fake.userEdit(SCORES_SHEET.name, review, [[8, '材料齐全']]);
    const later = new Date('2011-12-28T02:00:00Z');
    expect(await controller.finishReview(PASSWORD, '张组长', later)).toEqual({ ok: true, value: { reviewedAt: later.toISOString() } });
    expect(fake.cell('_meta', 'B8')).toBe('张组长');
    expect(fake.cell('_meta', 'B9')).toBe(later.toISOString());
    expect(await stampOf(fake)).toBe('sealed');
    // The assessors' scores are not an edit of the unit's submission.
    expect(controller.state?.kind === 'workbook' && controller.state.submission.kind).toBe('submitted');
    // Locked again, now with the office's password: the unit cannot change the score …
    expect(fake.sheet(SCORES_SHEET.name)!.protected).toBe(true);
    await expect(fake.userEdit(SCORES_SHEET.name, review, [[10]])).rejects.toMatchObject({ code: 'AccessDenied' });
    // … nor open the sheet with a guess; Excel checks the password, the pane stores none.
    expect(await controller.startReview('123456')).toEqual({ ok: false, error: expect.stringContaining('审核密码不正确') });
    expect(fake.sheet(SCORES_SHEET.name)!.protected).toBe(true);
    expect(JSON.stringify([...fake.sheets.flatMap((s) => [...s.cells.values()])])).not.toContain(PASSWORD);
    expect(await controller.startReview(PASSWORD)).toEqual({ ok: true, value: { checked: true } });
    // A score changed after the stamp breaks the seal.
    await fake.userEdit(SCORES_SHEET.name, review, [[6]]);
    expect(await stampOf(fake)).toBe('broken');
  });
});
