// `npm run bench`: builds the bench corpus, times ingest per workbook and the report end to end
// at each N, and writes bench/RESULTS.md. N defaults to 100 and 1000; BENCH_N=100,1000,5000.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchIngest, ingestTable } from './ingest.ts';
import type { IngestBench } from './ingest.ts';
import { benchReport, reportTable } from './report.ts';
import type { ReportBench } from './report.ts';

const MARKER = '<!-- Generated above by `npm run bench`; everything below this line is kept by later runs. -->';
const ns = (process.env.BENCH_N ?? '100,1000').split(',').map(Number);
const sample = Number(process.env.BENCH_SAMPLE ?? 200);

function machine(): string[] {
  const cpu = os.cpus()[0]?.model ?? '未知';
  let nproc = String(os.availableParallelism());
  try {
    nproc = execFileSync('nproc').toString().trim();
  } catch {
    // os.availableParallelism() stands in.
  }
  return [
    `- 日期：${new Date().toISOString()}`,
    `- 机器：nproc = ${nproc}，CPU ${cpu}，内存 ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB，负载均值 ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}（开始时）`,
    `- Node ${process.version}，${os.type()} ${os.release()}`,
    `- 命令：\`BENCH_N=${ns.join(',')} npm run bench\``,
  ];
}

const header = machine();
const ingest: IngestBench[] = [];
const report: ReportBench[] = [];
const phases: string[] = [];
for (const n of ns) {
  console.error(`N=${n}：读取基准…`);
  ingest.push(await benchIngest(n, sample));
  console.error(`N=${n}：kaohe report 全流程…`);
  report.push(await benchReport(n));
  console.error(`N=${n}：分阶段…`);
  // Its own process, with --expose-gc, so heap figures are after collection and RSS is its own.
  phases.push(
    execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(path.dirname(fileURLToPath(import.meta.url)), 'phases.ts'), String(n)], {
      maxBuffer: 16 * 1024 * 1024,
    })
      .toString()
      .trim(),
  );
}

const text = `# Bench results

${header.join('\n')}

## Ingest per workbook (CPU ms)

Same files, same run, methods interleaved and rotated per file; CPU time (user + system) per
call, best of three passes per file, then median / mean over the files. \`floor\` = fflate \`unzipSync\` of
the parts the fast reader needs + one saxes pass collecting only \`<v>\`/\`<t>\` text; \`fast\` =
\`readXlsxGrid\`; \`ingest\` = \`ingestFile\` (stat + checks + fast reader); \`exceljs\` =
\`Workbook.xlsx.readFile\` + \`gridFromWorkbook\`; \`check\` = \`ingestFile\` + \`checkWorkbook\`;
\`check-exceljs\` = \`readWorkbookFile\` + \`checkWorkbook\`. Goal: ingest ≤ 1.5 × floor.

${ingestTable(ingest)}

## kaohe report end to end

\`node --import tsx generator/cli.ts report bench/out/N/workbooks --plan bench/out/N/plan.yaml --out bench/out/N/report\`
Goals: 1,000 units ≤ 10 s on 2 cores; peak memory ≤ 300 MB and flat in N.

${reportTable(report)}

## The report by phase (one process, \`bench/phases.ts\`)

CPU time per phase and memory after it (heap measured after a forced GC when run with
\`--expose-gc\`). Read+check streams: each grid is dropped once its Submission is made.

${phases.join('\n\n')}
`;
const target = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
// Notes written by hand below the marker survive a new run.
const previous = existsSync(target) ? readFileSync(target, 'utf8') : '';
const kept = previous.includes(MARKER) ? previous.slice(previous.indexOf(MARKER) + MARKER.length) : '\n';
writeFileSync(target, `${text}\n${MARKER}${kept}`);
console.log(text);
