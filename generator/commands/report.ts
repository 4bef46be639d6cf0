// `kaohe report PATHS… [--plan P] [--templates DIR] [--scores FILE] --out DIR [--strict]`
import type { Command } from 'commander';
import type { ReportOptions } from '../report.ts';

export function register(program: Command): void {
  program
    .command('report')
    .description('读取各单位报送的工作簿，汇总评分、排名定等次，生成年度考核总结报告、表彰文件、考核结果汇总表和 results.json')
    .argument('<paths...>', '工作簿文件或文件夹（文件夹中的 .xlsx 会被逐个读取）')
    .option('-p, --plan <file>', '考核方案文件（默认使用内置的 templates/plan.yaml）')
    .option('-t, --templates <dir>', '自定义文档模板所在文件夹（缺少的模板使用内置模板）')
    .requiredOption('-o, --out <dir>', '输出文件夹')
    .option('-s, --scores <file>', '考核组评分表（kaohe scoresheet 生成、考核组填写）：其中的评分即考核组评分，单位工作簿中的考核组评分不再采用')
    .option('--strict', '任何工作簿有“错误”时不生成文件，退出码为 1')
    .option('--number <文号>', '表彰决定的发文字号，如 市广电发〔2012〕3号（默认取方案 documents.decision.number）')
    .option('--issue-date <date>', '文件落款日期，如 2011-12-31（默认为考核总结阶段结束日）')
    .action(async (paths: string[], options: ReportOptions) => {
      // Loaded on use: the document stack would slow start-up of every other command.
      const { runReport } = await import('../report.ts');
      process.exitCode = (await runReport(paths, options)).exitCode;
    });
}
