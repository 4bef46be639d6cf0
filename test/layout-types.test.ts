// The parsed model's row types are derived from core/layout.ts. The type assertions below stop
// `npm run typecheck` (and so `npm test`) if a layout column ever lacks its row field or gets the
// wrong type; the runtime assertions hold the parser to the same keys.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { COMPLAINTS_SHEET, INFO_SHEET, KEY_TASKS_SHEET, NOMINATIONS_SHEET, PROBLEMS_SHEET, RULES_SHEET, SCORES_SHEET, TABLE_SHEETS } from '../core/layout.ts';
import type { RowOf, TableSheet } from '../core/layout.ts';
import { parseWorkbook } from '../core/parse.ts';
import type { Complaint, Nomination, ProblemItem, RuleItem, ScoreRow, Submission, TaskReport, UnitInfo } from '../core/types.ts';
import { filledOfficeGrid } from './helpers/unit-grid.ts';

type ColumnKeys<S extends TableSheet> = S['columns'][number]['key'] | 'row';

describe('row types derived from the layout', () => {
  it('give every table row one field per layout column, and 单位信息 one per form field', () => {
    expectTypeOf<keyof TaskReport>().toEqualTypeOf<ColumnKeys<typeof KEY_TASKS_SHEET>>();
    expectTypeOf<keyof ScoreRow>().toEqualTypeOf<ColumnKeys<typeof SCORES_SHEET>>();
    expectTypeOf<keyof Complaint>().toEqualTypeOf<ColumnKeys<typeof COMPLAINTS_SHEET>>();
    expectTypeOf<keyof ProblemItem>().toEqualTypeOf<ColumnKeys<typeof PROBLEMS_SHEET>>();
    expectTypeOf<keyof RuleItem>().toEqualTypeOf<ColumnKeys<typeof RULES_SHEET>>();
    expectTypeOf<keyof Nomination>().toEqualTypeOf<ColumnKeys<typeof NOMINATIONS_SHEET>>();
    expectTypeOf<keyof UnitInfo>().toEqualTypeOf<(typeof INFO_SHEET.fields)[number]['key']>();
  });

  it('type each field by its column type and dropdown list', () => {
    expectTypeOf<TaskReport['progress']>().toEqualTypeOf<number | null>();
    expectTypeOf<TaskReport['actual']>().toEqualTypeOf<string | null>();
    expectTypeOf<TaskReport['status']>().toEqualTypeOf<string>();
    expectTypeOf<TaskReport['role']>().toEqualTypeOf<'牵头' | '配合' | null>();
    expectTypeOf<Complaint['verification']>().toEqualTypeOf<'查实' | '部分属实' | '不属实' | '核查中' | null>();
    expectTypeOf<UnitInfo['studySessions']>().toEqualTypeOf<number | null>();
    expectTypeOf<UnitInfo['unitKind']>().toEqualTypeOf<'机关科室' | '局属单位' | '县区局' | null>();
    // 否决 rows hold 是/否 in the score columns marked yesNoOnVeto.
    expectTypeOf<ScoreRow['self']>().toEqualTypeOf<number | boolean | null>();
    expectTypeOf<ScoreRow['maxPoints']>().toEqualTypeOf<number | null>();
  });

  it('grow a field when a column is added to the layout, with no other edit', () => {
    const withBudget = {
      ...RULES_SHEET,
      columns: [...RULES_SHEET.columns, { key: 'budget', header: '经费（万元）', type: 'number', width: 10, editor: 'unit' }],
    } as const satisfies TableSheet;
    expectTypeOf(withBudget).toExtend<TableSheet>();
    expectTypeOf<RowOf<typeof withBudget>['budget']>().toEqualTypeOf<number | null>();
    expectTypeOf<RowOf<typeof withBudget>>().toExtend<RuleItem>();
  });

  it('are what the parser hands on, field for field', () => {
    expectTypeOf<Submission['keyTasks'][number]>().toEqualTypeOf<TaskReport>();
    const { submission } = parseWorkbook(filledOfficeGrid().grid);
    const sorted = (keys: readonly string[]): string[] => [...keys].sort();
    for (const spec of TABLE_SHEETS) {
      const rows = submission![spec.key as Exclude<keyof Submission, 'file' | 'meta' | 'info'>];
      expect(rows.length, spec.name).toBeGreaterThan(0);
      for (const row of rows) expect(sorted(Object.keys(row)), spec.name).toEqual(sorted(['row', ...spec.columns.map((c) => c.key)]));
    }
    expect(sorted(Object.keys(submission!.info))).toEqual(sorted(INFO_SHEET.fields.map((f) => f.key)));
  });
});
