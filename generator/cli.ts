// The `kaohe` command line. This file declares every command — its name, arguments, options and
// help, all a user sees before a command runs — and loads the command's module
// (generator/commands/<name>.ts) only when it runs, so `kaohe --help` and
// `kaohe --version` load nothing but commander (test/cli-build.test.ts holds that).
import { Command, CommanderError } from 'commander';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckOptions } from './commands/check.ts';
import type { DemoOptions } from './commands/demo.ts';
import type { ScoreSheetOptions } from './commands/scoresheet.ts';
import type { WorkbooksOptions } from './commands/workbooks.ts';
import { EXIT_USAGE } from './console/exit-codes.ts';
import { packageVersion } from './files/package-root.ts';
import type { ReportOptions } from './commands/report.ts';

const PLAN_OPTION = ['-p, --plan <file>', '考核方案文件（默认依次找当前文件夹、工作簿所在文件夹及其上一级的 plan.yaml，都没有时用内置示例方案）'] as const;
const STRICT_PLAN = ['--strict', '方案中还有占位内容（联系人“占位”、示例单位 example: true）时不执行，退出码为 1'] as const;
const DEMO_OUT = 'out/demo';

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Arguments:': '参数：',
  'Global Options:': '全局选项：',
};

/** Commander's own error texts are English; the users read Chinese. */
const ERRORS: [RegExp, (...m: string[]) => string][] = [
  [/unknown option '([^']*)'/, (o) => `未知选项 ${o}`],
  [/unknown command '([^']*)'/, (c) => `未知命令 ${c}`],
  [/missing required argument '([^']*)'/, (a) => `缺少参数 ${a}`],
  [/option '([^']*)' argument missing/, (o) => `选项 ${o} 缺少取值`],
  [/required option '([^']*)' not specified/, (o) => `缺少必需的选项 ${o}`],
  [/too many arguments(?: for '([^']*)')?/, () => '参数过多'],
];

function translateError(text: string): string {
  for (const [pattern, make] of ERRORS) {
    const m = pattern.exec(text);
    if (m) return `错误：${make(...m.slice(1).map((s) => s ?? ''))}。使用 --help 查看用法。\n`;
  }
  return text;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('kaohe')
    .description('机关效能、项目建设年活动考核工具：生成填报工作簿、检查报送文件、生成年终文档')
    .version(packageVersion(), '-V, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .configureHelp({ styleTitle: (title) => TITLES[title] ?? title })
    .configureOutput({ outputError: (text, write) => write(translateError(text)) })
    .showSuggestionAfterError(false)
    .exitOverride();
  declareCommands(program);
  return program;
}

function declareCommands(program: Command): void {
  program
    .command('init')
    .description('写出一份可编辑的默认考核方案（plan.yaml）和文档模板')
    .argument('[dir]', '目标文件夹（默认当前文件夹）')
    .option('-f, --force', '覆盖目标文件夹中已有的同名文件')
    .action(async (dir: string | undefined, options: { force?: boolean }) => {
      const { initCommand } = await import('./commands/init.ts');
      process.exitCode = await initCommand(dir ?? '.', options);
    });
  program
    .command('workbooks')
    .description('按考核方案为每个填报单位生成一份预填好的填报工作簿')
    .option(...PLAN_OPTION)
    .requiredOption('-o, --out <dir>', '输出文件夹')
    .option('-f, --force', '覆盖输出文件夹中已有的同名工作簿')
    .option(...STRICT_PLAN)
    .action(async (options: WorkbooksOptions) => {
      const { workbooksCommand } = await import('./commands/workbooks.ts');
      process.exitCode = await workbooksCommand(options);
    });
  program
    .command('check')
    .description('检查各单位报送的填报工作簿，按文件列出错误和提醒')
    .argument('<paths...>', '工作簿文件或文件夹（文件夹内的 .xlsx 会逐级查找）')
    .option(...PLAN_OPTION)
    .option('--json', '以 JSON 输出检查结果')
    .option(...STRICT_PLAN)
    .action(async (paths: string[], options: CheckOptions) => {
      const { checkCommand } = await import('./commands/check.ts');
      process.exitCode = await checkCommand(paths, options);
    });
  program
    .command('scoresheet')
    .description('根据各单位报送的工作簿生成考核组评分表（每个已报送单位逐项列出自评分、自动得分和得分依据，供考核组评分）')
    .argument('<paths...>', '收回的工作簿文件或文件夹')
    .option(...PLAN_OPTION)
    .requiredOption('-o, --out <file>', '评分表文件，如 考核组评分表.xlsx')
    .option('-u, --update', '更新已有的评分表：保留考核组已填的评分和意见，加入新报送的单位，重新计算各单位合计')
    .option('-f, --force', '覆盖已有的评分表（已填的评分会丢失）')
    .action(async (paths: string[], options: ScoreSheetOptions) => {
      const { scoreSheetCommand } = await import('./commands/scoresheet.ts');
      process.exitCode = await scoreSheetCommand(paths, options);
    });
  program
    .command('report')
    .description('读取各单位报送的工作簿，汇总评分、排名定等次，生成年度考核总结报告、表彰文件、考核结果汇总表和 results.json')
    .argument('<paths...>', '工作簿文件或文件夹（文件夹中的 .xlsx 会被逐个读取）')
    .option(...PLAN_OPTION)
    .option('-t, --templates <dir>', '自定义文档模板所在文件夹（缺少的模板使用内置模板）')
    .requiredOption('-o, --out <dir>', '输出文件夹')
    .option('-s, --scores <file>', '考核组评分表（kaohe scoresheet 生成、考核组填写）：其中的评分即考核组评分，单位工作簿中的考核组评分不再采用')
    .option('--strict', '任何工作簿有“错误”或方案中还有占位内容时不生成文件，退出码为 1')
    .option('--number <文号>', '表彰决定的发文字号，如 市广电发〔2012〕3号（默认取方案 documents.decision.number）')
    .option('--issue-date <date>', '文件落款日期，如 2011-12-31（默认为考核总结阶段结束日）')
    .action(async (paths: string[], options: ReportOptions) => {
      const { runReport } = await import('./commands/report.ts');
      process.exitCode = (await runReport(paths, options)).exitCode;
    });
  program
    .command('demo')
    .description('演示：为内置方案的各单位生成填好的工作簿，并据此生成全部年终文件')
    // The default goes into the Chinese description: commander would print it as "(default: …)".
    .option('-o, --out <dir>', `输出文件夹（默认 ${DEMO_OUT}）`)
    .option('--seed <n>', '随机数种子（相同种子得到相同的演示数据）')
    .action(async (options: Partial<DemoOptions>) => {
      const { demoCommand } = await import('./commands/demo.ts');
      process.exitCode = await demoCommand({ ...options, out: options.out ?? DEMO_OUT });
    });
}

/** Runs the CLI and returns the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
      return EXIT_USAGE;
    }
    // A working-day question in a year no calendar covers: the plan needs that year's holidays.
    // Told by name, not instanceof: importing core/calendar.ts here would load the calendar data
    // into every start-up, `--help` included.
    if (err instanceof Error && err.name === 'UncoveredYearError') {
      process.stderr.write(`错误：${err.message}\n`);
      return EXIT_USAGE;
    }
    // A bug, not a user mistake: say so briefly, without a stack trace.
    process.stderr.write(`内部错误：${err instanceof Error ? err.message : String(err)}\n`);
    return 70;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) process.exitCode = await runCli(process.argv.slice(2));
