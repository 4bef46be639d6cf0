// `kaohe workbooks --plan P --out DIR`: one prefilled workbook per unit of the plan.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { unitWorkbookContent } from '../../core/blank.ts';
import type { Plan, Unit } from '../../core/types.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../console/exit-codes.ts';
import { unitWorkbookFileName } from '../files/paths.ts';
import { loadCommandPlan } from '../files/plan-file.ts';
import { progress } from '../console/progress.ts';
import { writeUnitWorkbook } from '../xlsx/unit-workbook.ts';

export interface WorkbooksOptions {
  plan?: string;
  strict?: boolean;
  out: string;
  force?: boolean;
}

export interface WrittenWorkbook {
  unit: Unit;
  file: string;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Writes every unit's workbook; a unit that fails is reported and the rest still get theirs. */
export async function writeAllWorkbooks(
  plan: Plan,
  planHash: string,
  outDir: string,
  options: { force?: boolean; createdAt?: string } = {},
): Promise<{ written: WrittenWorkbook[]; failed: { unit: Unit; file: string; message: string }[] }> {
  const createdAt = options.createdAt ?? new Date().toISOString();
  const written: WrittenWorkbook[] = [];
  const failed: { unit: Unit; file: string; message: string }[] = [];
  const bar = progress('生成工作簿', plan.units.length);
  for (const [i, unit] of plan.units.entries()) {
    const file = path.join(outDir, unitWorkbookFileName(i, plan.units.length, unit.name));
    try {
      if (!options.force && (await exists(file))) {
        failed.push({ unit, file, message: `文件已存在，未覆盖（可能已有填报内容；如需重新生成请加 --force）：${file}` });
      } else {
        await writeUnitWorkbook(unitWorkbookContent(plan, unit, createdAt, planHash), file, plan.review?.password);
        written.push({ unit, file });
      }
    } catch (err) {
      failed.push({ unit, file, message: `生成「${unit.name}」的工作簿失败：${err instanceof Error ? err.message : String(err)}` });
    }
    bar.tick(path.basename(file));
  }
  bar.stop();
  return { written, failed };
}

export async function workbooksCommand(options: WorkbooksOptions): Promise<number> {
  const loaded = await loadCommandPlan(options.plan, [], process.stderr, options.strict);
  if (!loaded.ok) return EXIT_USAGE;
  if (options.strict && loaded.placeholders.length > 0) return EXIT_PROBLEMS;
  const { written, failed } = await writeAllWorkbooks(loaded.plan, loaded.hash, options.out, options);
  for (const f of failed) process.stderr.write(`【错误】${f.message}\n`);
  process.stdout.write(
    `已生成 ${written.length} 个单位的填报工作簿，保存在 ${options.out}` +
      (failed.length > 0 ? `；${failed.length} 个未生成（见上方错误）。\n` : '。\n'),
  );
  return failed.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
