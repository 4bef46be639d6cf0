// Bench corpus: the default plan grown to N units and one realistic filled workbook per unit,
// made by the project's own workbook code (the demo's filler). Cached under bench/out/N/.
//   npx tsx bench/corpus.ts 100 1000
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { parsePlan } from '../core/plan.ts';
import type { Plan } from '../core/types.ts';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';

export const BENCH_OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'out');

export interface BenchCorpus {
  units: number;
  planFile: string;
  workbookDir: string;
  files: string[];
}

/**
 * Adds copies of the seed's units until there are `n`. Every ten added units get a key task of
 * their own (a copy of a seed task: one leads, two cooperate), so each workbook stays the size
 * a real unit's is while the plan, the tables and the documents grow with N.
 */
export function growPlan(plan: Plan, n: number): Plan {
  const units = [...plan.units];
  const keyTasks = [...plan.keyTasks];
  for (let i = units.length; i < n; i++) {
    const model = plan.units[i % plan.units.length]!;
    units.push({ id: `${model.id}-${i}`, name: `${model.name}${i}`, kind: model.kind });
  }
  for (let first = plan.units.length, k = 0; first < n; first += TASK_GROUP, k++) {
    const model = plan.keyTasks[k % plan.keyTasks.length]!;
    const group = units.slice(first, Math.min(first + 3, n)).map((u) => u.id);
    keyTasks.push({ ...model, id: `${model.id}-${k}`, name: `${model.name}（${k}）`, lead: group[0]!, cooperating: group.slice(1) });
  }
  return { ...plan, units, keyTasks };
}

const TASK_GROUP = 10;

const workbooksIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.xlsx'))
    .sort()
    .map((f) => path.join(dir, f));

export async function benchCorpus(n: number): Promise<BenchCorpus> {
  const dir = path.join(BENCH_OUT, String(n));
  const planFile = path.join(dir, 'plan.yaml');
  const workbookDir = path.join(dir, 'workbooks');
  const done = path.join(dir, '.complete');
  if (existsSync(done)) return { units: n, planFile, workbookDir, files: workbooksIn(workbookDir) };
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('默认方案无法读取');
  mkdirSync(workbookDir, { recursive: true });
  writeFileSync(planFile, stringify(growPlan(loaded.plan, n)));
  // Read back through the parser so the hash stamped in the workbooks is the one `report` computes.
  const parsed = parsePlan(readFileSync(planFile, 'utf8'), planFile);
  if (!parsed.ok) throw new Error(`扩展方案无效：${parsed.errors.map((e) => e.message).join('；')}`);
  const started = performance.now();
  await writeDemoWorkbooks(parsed.plan, parsed.hash, workbookDir);
  writeFileSync(done, `${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return { units: n, planFile, workbookDir, files: workbooksIn(workbookDir) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const arg of process.argv.slice(2)) {
    const corpus = await benchCorpus(Number(arg));
    console.log(`N=${arg}: ${corpus.files.length} 个工作簿，${corpus.workbookDir}`);
  }
}
