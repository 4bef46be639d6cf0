// `kaohe demo [--out DIR]`: a whole demo year on the default plan — filled workbooks for the
// seed's units, then the report on them.
import type { Command } from 'commander';
import path from 'node:path';
import { EXIT_USAGE } from '../exit-codes.ts';
import { DEFAULT_PLAN_FILE, formatPlanError, loadPlanFile } from '../plan-file.ts';

const DEFAULT_OUT = 'out/demo';

export interface DemoOptions {
  out: string;
  seed?: string;
}

export async function demoCommand(options: DemoOptions): Promise<number> {
  const loaded = await loadPlanFile();
  if (!loaded.ok) {
    for (const error of loaded.errors) process.stderr.write(`${formatPlanError(error)}\n`);
    return EXIT_USAGE;
  }
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    process.stderr.write(`错误：--seed 应为整数，得到“${options.seed}”。\n`);
    return EXIT_USAGE;
  }
  // Loaded here, not at start-up: the document stack (docx, charts, fonts) would slow every other command.
  const { writeDemoWorkbooks } = await import('../demo-data.ts');
  const { OUTPUT_FILES, runReport } = await import('../report.ts');
  const workbooks = path.join(options.out, 'workbooks');
  const demo = await writeDemoWorkbooks(loaded.plan, loaded.hash, workbooks, seed);
  process.stdout.write(
    `已生成 ${demo.files.length} 个单位的演示工作簿：${path.resolve(workbooks)}` +
      (demo.missing.length > 0 ? `（${demo.missing.map((u) => u.name).join('、')} 按未报送处理）` : '') +
      '\n',
  );
  // The demo is the built-in plan's year, whatever plan.yaml lies in the current folder.
  const report = await runReport([workbooks], { out: options.out, plan: DEFAULT_PLAN_FILE });
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

export function register(program: Command): void {
  program
    .command('demo')
    .description('演示：为内置方案的各单位生成填好的工作簿，并据此生成全部年终文件')
    // The default goes into the Chinese description: commander would print it as "(default: …)".
    .option('-o, --out <dir>', `输出文件夹（默认 ${DEFAULT_OUT}）`)
    .option('--seed <n>', '随机数种子（相同种子得到相同的演示数据）')
    .action(async (options: Partial<DemoOptions>) => {
      process.exitCode = await demoCommand({ ...options, out: options.out ?? DEFAULT_OUT });
    });
}
