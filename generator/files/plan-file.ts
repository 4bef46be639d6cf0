// Loads the plan file the office edits. The default is the packaged templates/plan.yaml.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parsePlan, placeholdersOf } from '../../core/plan.ts';
import type { PlanError } from '../../core/plan.ts';
import type { Plan } from '../../core/types.ts';
import { nodeSha256Hex } from './digest.ts';
import { TEMPLATES_DIR } from './package-root.ts';
import { quickYamlLoad } from './quick-yaml.ts';

export const DEFAULT_PLAN_FILE = path.join(TEMPLATES_DIR, 'plan.yaml');

export type LoadedPlan = { ok: true; plan: Plan; hash: string; file: string } | { ok: false; errors: PlanError[] };

export async function loadPlanFile(file: string = DEFAULT_PLAN_FILE): Promise<LoadedPlan> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return { ok: false, errors: [{ file, line: 0, column: 0, path: '', message: `无法读取方案文件：${file}` }] };
  }
  const parsed = parsePlan(text, file, { quickLoad: quickYamlLoad, sha256Hex: nodeSha256Hex });
  return parsed.ok ? { ok: true, plan: parsed.plan, hash: parsed.hash, file } : parsed;
}

export const PLAN_FILE_NAME = 'plan.yaml';

/** Where the plan came from, said once on stderr so the office knows which rules were applied. */
export type PlanSource = 'given' | 'cwd' | 'beside' | 'builtin';

async function isFile(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * The plan to use: `--plan` when given; else plan.yaml in the current folder; else plan.yaml in
 * or beside the folder of the first input (an office keeps the plan next to the returned
 * workbooks); else the built-in default plan.
 */
export async function findPlanFile(
  explicit: string | undefined,
  inputs: readonly string[] = [],
  cwd: string = process.cwd(),
): Promise<{ file: string; source: PlanSource }> {
  if (explicit !== undefined) return { file: explicit, source: 'given' };
  const here = path.join(cwd, PLAN_FILE_NAME);
  if (await isFile(here)) return { file: here, source: 'cwd' };
  for (const input of inputs) {
    const full = path.resolve(cwd, input);
    const dir = (await fs.stat(full).then((st) => st.isDirectory(), () => false)) ? full : path.dirname(full);
    for (const candidate of [path.join(dir, PLAN_FILE_NAME), path.join(path.dirname(dir), PLAN_FILE_NAME)]) {
      if (await isFile(candidate)) return { file: candidate, source: 'beside' };
    }
  }
  return { file: DEFAULT_PLAN_FILE, source: 'builtin' };
}

/** The line that tells the office which plan was used when it gave no --plan. */
export function planSourceNote(file: string, source: PlanSource): string | null {
  switch (source) {
    case 'cwd':
      return `使用当前文件夹中的考核方案 ${PLAN_FILE_NAME}（可用 --plan 指定其他方案）`;
    case 'beside':
      return `使用工作簿旁的考核方案 ${file}（可用 --plan 指定其他方案）`;
    case 'builtin':
      return '未找到 plan.yaml，使用内置的示例方案（请用 --plan 指定本单位的方案，或把 plan.yaml 放在当前文件夹）';
    default:
      return null;
  }
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

export type CommandPlan = { ok: true; plan: Plan; hash: string; file: string; placeholders: string[] } | { ok: false };

/**
 * The plan a command runs on, found as findPlanFile says. Says on `stderr` which plan was used,
 * lists plan errors (the caller exits 2), and warns about placeholders; with `strict` they are
 * errors and the caller refuses to go on.
 */
export async function loadCommandPlan(
  explicit: string | undefined,
  inputs: readonly string[],
  stderr: NodeJS.WritableStream,
  strict = false,
): Promise<CommandPlan> {
  const { file, source } = await findPlanFile(explicit, inputs);
  const note = planSourceNote(file, source);
  if (note) stderr.write(`${note}\n`);
  const loaded = await loadPlanFile(file);
  if (!loaded.ok) {
    stderr.write(planErrorsText(loaded.errors));
    return { ok: false };
  }
  const placeholders = placeholdersOf(loaded.plan);
  const label = strict ? '【错误】' : '【提醒】';
  for (const p of placeholders) stderr.write(`${label}${p}\n`);
  if (strict && placeholders.length > 0) stderr.write('--strict：方案中还有占位内容，请修改 plan.yaml 后重试。\n');
  return { ...loaded, placeholders };
}
