// Loads the plan file the office edits. The default is the packaged templates/plan.yaml.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parsePlan } from '../core/plan.ts';
import type { PlanError } from '../core/plan.ts';
import type { Plan } from '../core/types.ts';
import { TEMPLATES_DIR } from './package-root.ts';

export const DEFAULT_PLAN_FILE = path.join(TEMPLATES_DIR, 'plan.yaml');

export type LoadedPlan = { ok: true; plan: Plan; hash: string; file: string } | { ok: false; errors: PlanError[] };

export async function loadPlanFile(file: string = DEFAULT_PLAN_FILE): Promise<LoadedPlan> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return { ok: false, errors: [{ file, line: 0, column: 0, path: '', message: `无法读取方案文件：${file}` }] };
  }
  const parsed = parsePlan(text, file);
  return parsed.ok ? { ok: true, plan: parsed.plan, hash: parsed.hash, file } : parsed;
}

/** `plan.yaml:12:5 units[3].kind：…` — the place first, so editors can jump to it. */
export function formatPlanError(error: PlanError): string {
  const place = error.line > 0 ? `${error.file}:${error.line}:${error.column}` : error.file;
  const where = error.path ? ` ${error.path}` : '';
  return `${place}${where}：${error.message}`;
}

/** What every command prints when the plan cannot be used: a heading, then one line per error. */
export function planErrorsText(errors: readonly PlanError[]): string {
  return `考核方案有误，请修改后重试：\n${errors.map((e) => `  ${formatPlanError(e)}\n`).join('')}`;
}
