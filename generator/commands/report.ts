// `kaohe report PATHS… [--plan P] [--templates DIR] --out DIR [--strict]`
import type { Command } from 'commander';
import type { ReportOptions } from '../report.ts';

export function register(program: Command): void {
  program
    .command('report')
    .description('读取各单位报送的工作簿，汇总评分、排名定等次，生成年度考核总结报告、表彰文件、考核结果汇总表和 results.json')
    .argument('<paths...>', '工作簿文件或文件夹（文件夹中的 .xlsx 会被逐个读取）')
    .option('-p, --plan <file>', '考核方案文件（默认依次找当前文件夹、工作簿所在文件夹及其上一级的 plan.yaml，都没有时用内置示例方案）')
    .option('-t, --templates <dir>', '自定义文档模板所在文件夹（缺少的模板使用内置模板）')
    .requiredOption('-o, --out <dir>', '输出文件夹')
    .option('--strict', '任何工作簿有“错误”或方案中还有占位内容时不生成文件，退出码为 1')
    .option('--number <文号>', '表彰决定的发文字号，如 市广电发〔2012〕3号（默认取方案 documents.decision.number）')
    .option('--issue-date <date>', '文件落款日期，如 2011-12-31（默认为考核总结阶段结束日）')
    .action(async (paths: string[], options: ReportOptions) => {
      // Loaded on use: the document stack would slow start-up of every other command.
      const { runReport } = await import('../report.ts');
      process.exitCode = (await runReport(paths, options)).exitCode;
    });
}
