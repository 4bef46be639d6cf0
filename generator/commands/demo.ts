// `kaohe demo [--out DIR]`: a whole demo year on the default plan — filled workbooks for the
// seed's units, then the report on them.
import path from 'node:path';
import { EXIT_USAGE } from '../console/exit-codes.ts';
import { writeDemoScoreSheet, writeDemoWorkbooks } from './demo-data.ts';
import { DEFAULT_PLAN_FILE, loadPlanFile, planErrorsText } from '../files/plan-file.ts';
import { OUTPUT_FILES, runReport } from './report.ts';

export const DEMO_SCORESHEET = '考核组评分表.xlsx';

export interface DemoOptions {
  out: string;
  seed?: string;
}

export async function demoCommand(options: DemoOptions): Promise<number> {
  const loaded = await loadPlanFile();
  if (!loaded.ok) {
    process.stderr.write(planErrorsText(loaded.errors));
    return EXIT_USAGE;
  }
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    process.stderr.write(`错误：--seed 应为整数，得到“${options.seed}”。\n`);
    return EXIT_USAGE;
  }
  const workbooks = path.join(options.out, 'workbooks');
  const demo = await writeDemoWorkbooks(loaded.plan, loaded.hash, workbooks, seed);
  process.stdout.write(
    `已生成 ${demo.files.length} 个单位的演示工作簿：${path.resolve(workbooks)}` +
      (demo.missing.length > 0 ? `（${demo.missing.map((u) => u.name).join('、')} 按未报送处理）` : '') +
      '\n',
  );
  // The 考核组 scores in the score sheet, as in a real year; the report takes its scores from it.
  const scores = path.join(options.out, DEMO_SCORESHEET);
  await writeDemoScoreSheet(loaded.plan, loaded.hash, demo, scores);
  process.stdout.write(`已生成考核组填好的评分表：${path.resolve(scores)}\n`);
  // The demo is the built-in plan's year, whatever plan.yaml lies in the current folder.
  const report = await runReport([workbooks], { out: options.out, plan: DEFAULT_PLAN_FILE, scores });
  if (report.written.length > 0) {
    process.stdout.write('\n生成的文件：\n');
    for (const file of report.written) process.stdout.write(`  ${file}\n`);
    const first = [OUTPUT_FILES.summaryReport, OUTPUT_FILES.summaryWorkbook]
      .map((name) => path.join(options.out, name))
      .filter((file) => report.written.includes(file));
    if (first.length > 0) process.stdout.write(`\n可先打开 ${first.join(' 和 ')} 查看。\n`);
  }
  return report.exitCode;
}
