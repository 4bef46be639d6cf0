// `kaohe report` end to end on the bench corpus at N units, in a child process so its peak
// memory is its own: wall time, CPU time (user + system; on a shared machine wall time also
// measures the neighbours) and peak RSS, from GNU time when installed, else from the child's
// own process.resourceUsage().
//   npx tsx bench/report.ts [N…]
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BENCH_OUT, benchCorpus } from './corpus.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'generator/cli.ts');
const GNU_TIME = '/usr/bin/time';

export interface ReportBench {
  units: number;
  workbooks: number;
  exitCode: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakMegabytes: number;
  measuredBy: string;
}

const field = (text: string, label: string): string => {
  const line = text.split('\n').find((l) => l.trim().startsWith(label));
  if (!line) throw new Error(`GNU time output has no "${label}"`);
  return line.slice(line.lastIndexOf(': ') + 2).trim();
};

/** `h:mm:ss` or `m:ss.ss` → seconds. */
const clock = (s: string): number => s.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);

export async function benchReport(units: number): Promise<ReportBench> {
  const corpus = await benchCorpus(units);
  const out = path.join(BENCH_OUT, String(units), 'report');
  rmSync(out, { recursive: true, force: true });
  const args = ['--import', 'tsx', CLI, 'report', corpus.workbookDir, '--plan', corpus.planFile, '--out', out];
  const settle = <T extends object>(p: Promise<T>): Promise<T & { code?: number }> =>
    p.catch((e: T & { code?: number }) => e);
  if (existsSync(GNU_TIME)) {
    const r = await settle(run(GNU_TIME, ['-v', process.execPath, ...args], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 }));
    const stderr = String((r as { stderr?: string }).stderr ?? '');
    return {
      units,
      workbooks: corpus.files.length,
      exitCode: r.code ?? 0,
      wallSeconds: clock(field(stderr, 'Elapsed (wall clock) time')),
      cpuSeconds: Number(field(stderr, 'User time (seconds)')) + Number(field(stderr, 'System time (seconds)')),
      peakMegabytes: Number(field(stderr, 'Maximum resident set size (kbytes)')) / 1024,
      measuredBy: '/usr/bin/time -v',
    };
  }
  // Fallback: the child reports its own usage when it exits.
  const probe = `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nBENCH ' + JSON.stringify({ maxRSS: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }) + '\\n'); });`;
  const started = performance.now();
  const r = await settle(run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(probe)}`, ...args], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 }));
  const wallSeconds = (performance.now() - started) / 1000;
  const line = String((r as { stderr?: string }).stderr ?? '').split('\n').find((l) => l.startsWith('BENCH '));
  const usage = JSON.parse(line?.slice(6) ?? '{"maxRSS":0,"cpu":0}') as { maxRSS: number; cpu: number };
  return { units, workbooks: corpus.files.length, exitCode: r.code ?? 0, wallSeconds, cpuSeconds: usage.cpu, peakMegabytes: usage.maxRSS / 1024, measuredBy: 'process.resourceUsage()' };
}

export function reportTable(rows: readonly ReportBench[]): string {
  const lines = ['| N（单位） | 工作簿 | 退出码 | 墙钟 s | CPU s | 峰值内存 MB | 测量方式 |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    lines.push(`| ${r.units} | ${r.workbooks} | ${r.exitCode} | ${r.wallSeconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.peakMegabytes.toFixed(0)} | ${r.measuredBy} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ns = process.argv.slice(2).map(Number);
  const rows: ReportBench[] = [];
  for (const n of ns.length ? ns : [100]) rows.push(await benchReport(n));
  console.log(reportTable(rows));
}
