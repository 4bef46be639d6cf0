// Lookups in a parsed plan that checking, scoring and both front ends share: units by id and by
// name, a unit's key tasks, the indicators a unit's workbook shows, score-method labels.
import type { Indicator, IndicatorMethod, KeyTask, Plan, ScoreMethodLabel, TaskRole, Unit } from './types.ts';

// Indexes built once per units/tasks array: checking a workbook looks units and tasks up several
// times, and with a plan of 1,000 units linear scans made checking 1,000 workbooks quadratic.
// Plans are not changed in place once parsed; a plan built with new arrays gets new indexes.

interface UnitIndex {
  byId: Map<string, Unit>;
  byName: Map<string, Unit>;
}

type TaskRef = { task: KeyTask; role: TaskRole };

const unitIndexes = new WeakMap<readonly Unit[], UnitIndex>();
const taskIndexes = new WeakMap<readonly KeyTask[], Map<string, TaskRef[]>>();

const nameKey = (name: string): string => name.replace(/\s+/g, '');

function unitIndex(units: readonly Unit[]): UnitIndex {
  let index = unitIndexes.get(units);
  if (!index) {
    index = { byId: new Map(), byName: new Map() };
    // The first unit wins, as a scan from the start would find it.
    for (const u of units) {
      if (!index.byId.has(u.id)) index.byId.set(u.id, u);
      const key = nameKey(u.name);
      if (!index.byName.has(key)) index.byName.set(key, u);
    }
    unitIndexes.set(units, index);
  }
  return index;
}

export function unitById(plan: Plan, unitId: string): Unit | undefined {
  return unitIndex(plan.units).byId.get(unitId);
}

/** Names as typed in workbooks may carry stray spaces. */
export function unitByName(plan: Plan, name: string): Unit | undefined {
  return unitIndex(plan.units).byName.get(nameKey(name));
}

export function tasksOfUnit(plan: Plan, unitId: string): TaskRef[] {
  let index = taskIndexes.get(plan.keyTasks);
  if (!index) {
    const byUnit = new Map<string, TaskRef[]>();
    const add = (id: string, ref: TaskRef): void => {
      const refs = byUnit.get(id);
      if (refs) refs.push(ref);
      else byUnit.set(id, [ref]);
    };
    for (const task of plan.keyTasks) {
      // One role per unit and task; leading wins over cooperating.
      add(task.lead, { task, role: '牵头' });
      for (const id of new Set(task.cooperating)) if (id !== task.lead) add(id, { task, role: '配合' });
    }
    taskIndexes.set(plan.keyTasks, byUnit);
    index = byUnit;
  }
  return (index.get(unitId) ?? []).slice();
}

/**
 * The indicators as a unit's workbook shows them. Given a unit that has no key task, the
 * key-task indicator turns into a self-scored one, since there is no task data to compute it from.
 */
export function indicatorsFor(plan: Plan, unitId?: string): Indicator[] {
  const noTasks = unitId !== undefined && tasksOfUnit(plan, unitId).length === 0;
  return plan.indicators.map(({ auto, ...rest }) =>
    noTasks && rest.method === 'auto' && auto === 'keyTasks'
      ? {
          ...rest,
          method: 'self',
          standard: `本单位无重点任务，由单位自评、考核组评定：结合本单位承担的年度重点工作完成情况计分，最高 ${rest.maxPoints} 分`,
        }
      : { ...rest, ...(auto ? { auto } : {}) },
  );
}

const METHOD_LABEL: Record<IndicatorMethod, ScoreMethodLabel> = {
  auto: '自动',
  self: '自评',
  bonus: '加分',
  deduction: '扣分',
  veto: '否决',
};

export function methodLabel(method: IndicatorMethod): ScoreMethodLabel {
  return METHOD_LABEL[method];
}

const METHOD_BY_LABEL: Record<ScoreMethodLabel, IndicatorMethod> = {
  自动: 'auto',
  自评: 'self',
  加分: 'bonus',
  扣分: 'deduction',
  否决: 'veto',
};

export function methodFromLabel(label: ScoreMethodLabel): IndicatorMethod {
  return METHOD_BY_LABEL[label];
}
