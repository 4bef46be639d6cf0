// The `kaohe` command line. Each command lives in generator/commands/<name>.ts and registers
// itself here; this file only sets up the shared behaviour (Chinese help, exit codes).
import { Command, CommanderError } from 'commander';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register as registerCheck } from './commands/check.ts';
import { register as registerDemo } from './commands/demo.ts';
import { register as registerInit } from './commands/init.ts';
import { register as registerReport } from './commands/report.ts';
import { register as registerWorkbooks } from './commands/workbooks.ts';
import { EXIT_USAGE } from './exit-codes.ts';
import { UncoveredYearError } from '../core/calendar.ts';

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
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .configureHelp({ styleTitle: (title) => TITLES[title] ?? title })
    .configureOutput({ outputError: (text, write) => write(translateError(text)) })
    .showSuggestionAfterError(false)
    .exitOverride();
  registerInit(program);
  registerWorkbooks(program);
  registerCheck(program);
  registerReport(program);
  registerDemo(program);
  return program;
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
    if (err instanceof UncoveredYearError) {
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
