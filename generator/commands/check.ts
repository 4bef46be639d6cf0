// `kaohe check PATHS… [--plan P] [--json]`: validate the workbooks units handed in.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import path from 'node:path';
import { checkWorkbook } from '../../core/check.ts';
import type { Plan, Problem, Submission, Unit } from '../../core/types.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../exit-codes.ts';
import { collectWorkbookPaths } from '../files.ts';
import { displayPath, formatFileReport, formatSummary, summarize } from '../messages.ts';
import type { FileReport } from '../messages.ts';
import { ingestFile } from '../ingest.ts';
import { loadCommandPlan } from '../plan-file.ts';

export interface CheckOptions {
  plan?: string;
  json?: boolean;
  strict?: boolean;
}

/** One checked file: what the report needs as well as what `check` prints. */
export interface CheckedFile extends FileReport {
  unitId: string | null;
  submission: Submission | null;
}

async function checkOne(file: string, plan: Plan, planHash: string): Promise<CheckedFile> {
  // The same reader as `kaohe report`, so both give every file the same verdict.
  const read = await ingestFile(file);
  if (!read.ok) return { file, unit: null, unitId: null, submission: null, problems: [read.problem] };
  const checked = checkWorkbook(read.grid, plan, { file, planHash });
  const unit: Unit | null = checked.unit ?? null;
  const problems = checked.problems.map((p: Problem) => ({ ...p, file: p.file ?? file }));
  return { file, unit: unit?.name ?? null, unitId: unit?.id ?? null, submission: checked.submission ?? null, problems };
}

/** Two workbooks claiming one unit: neither can be trusted over the other, so both get a 错误. */
function markDuplicateUnits(files: CheckedFile[]): void {
  const byUnit = new Map<string, CheckedFile[]>();
  for (const f of files) {
    if (f.unitId === null) continue;
    byUnit.set(f.unitId, [...(byUnit.get(f.unitId) ?? []), f]);
  }
  for (const group of byUnit.values()) {
    if (group.length < 2) continue;
    for (const f of group) {
      // Copies often share a file name in different folders; then only the full path tells them apart.
      const others = group
        .filter((o) => o !== f)
        .map((o) => `「${path.basename(o.file) === path.basename(f.file) ? displayPath(o.file) : path.basename(o.file)}」`);
      f.problems.push({
        severity: '错误',
        code: 'duplicate-unit',
        file: f.file,
        message: `与${others.join('、')}是同一单位（${f.unit ?? f.unitId}）的工作簿，请确认以哪一份为准，只保留一份。`,
      });
    }
  }
}

function progressBar(total: number): { tick(): void; stop(): void } {
  if (!process.stderr.isTTY || total < 5) return { tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '检查工作簿 [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}

/** Checks every workbook under the given paths; a bad file is reported and the batch goes on. */
export async function checkPaths(inputs: readonly string[], plan: Plan, planHash: string): Promise<CheckedFile[]> {
  const { files, missing, skipped } = await collectWorkbookPaths(inputs);
  if (skipped > 0) process.stderr.write(`文件夹中有 ${skipped} 个不是电子表格的文件，已跳过。\n`);
  const results: CheckedFile[] = missing.map((m) => ({
    file: m.path,
    unit: null,
    unitId: null,
    submission: null,
    problems: [{ severity: '错误', code: 'path-missing', message: m.message, file: m.path }],
  }));
  const bar = progressBar(files.length);
  for (const file of files) {
    results.push(await checkOne(file, plan, planHash));
    bar.tick();
  }
  bar.stop();
  markDuplicateUnits(results);
  return results;
}

export async function checkCommand(inputs: readonly string[], options: CheckOptions): Promise<number> {
  const loaded = await loadCommandPlan(options.plan, inputs, process.stderr, options.strict);
  if (!loaded.ok) return EXIT_USAGE;
  if (options.strict && loaded.placeholders.length > 0) return EXIT_PROBLEMS;
  const results = await checkPaths(inputs, loaded.plan, loaded.hash);
  if (results.length === 0) {
    process.stderr.write(`在 ${inputs.join('、')} 中没有找到 .xlsx 工作簿。\n`);
    return EXIT_USAGE;
  }
  const summary = summarize(results);
  if (options.json) {
    const files = results.map(({ file, unit, problems }) => ({ file, unit, problems }));
    process.stdout.write(`${JSON.stringify({ files, summary }, null, 2)}\n`);
  } else {
    process.stdout.write(`${results.map((r) => formatFileReport(r)).join('\n\n')}\n\n${formatSummary(summary)}\n`);
  }
  // A path that does not exist is a mistyped command line: the rest is still checked, but it is a usage error.
  if (results.some((r) => r.problems.some((p) => p.code === 'path-missing'))) return EXIT_USAGE;
  return summary.errors > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

export function register(program: Command): void {
  program
    .command('check')
    .description('检查各单位报送的填报工作簿，按文件列出错误和提醒')
    .argument('<paths...>', '工作簿文件或文件夹（文件夹内的 .xlsx 会逐级查找）')
    .option('-p, --plan <file>', '考核方案文件（默认依次找当前文件夹、工作簿所在文件夹及其上一级的 plan.yaml，都没有时用内置示例方案）')
    .option('--json', '以 JSON 输出检查结果')
    .option('--strict', '方案中还有占位内容（联系人“占位”、示例单位 example: true）时不执行，退出码为 1')
    .action(async (paths: string[], options: CheckOptions) => {
      process.exitCode = await checkCommand(paths, options);
    });
}
