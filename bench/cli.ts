// `npm run bench:cli`: every figure of the performance goals (issue 12) in one run, the compiled
// `kaohe` as whole processes, each against a floor measured in the same run (the machine is
// shared, so ratios to a same-run floor mean more than seconds):
//   start-up   `kaohe --help` / `--version` against `node -e 0`;
//   check      `kaohe check` of one workbook (on a plan of the seed's size), and of all N
//              (on the N-unit plan) against the unzip + XML floor
//              (bench/floor.ts, bundled like the CLI) over the same files;
//   report     `kaohe report` of the N-unit year to all documents: wall, CPU and peak RSS.
// Every row records the load average at its start and end. Writes the section between the
// bench:cli markers of bench/RESULTS.md, with each goal marked met or not.
//   npx tsx bench/cli.ts [N] [--runs R]   (N defaults to 1000, R to 3 for the long commands;
//                                          hyperfine when installed, else GNU time)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BENCH_OUT, benchCorpus } from './corpus.ts';
import { partsRead } from './ingest.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const START = '<!-- bench:cli start (written by `npm run bench:cli`) -->';
const END = '<!-- bench:cli end -->';
const { positionals, values } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string' } } });
const units = Number(positionals[0] ?? 1000);
/** Runs of each long command (check of N, report of N); start-up and one workbook take 10. */
const longRuns = Number(values.runs ?? 3);

const load = (): string => os.loadavg()[0]!.toFixed(1);
const sh = (s: string): string => (/^[\w./=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const cmd = (...args: string[]): string => args.map(sh).join(' ');

interface Timing {
  label: string;
  wall: number;
  cpu: number;
  load: string;
}

const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;

/** Mean wall and CPU seconds of each command, interleaved by hyperfine (or run in turn under GNU time). */
function time(commands: { label: string; command: string }[], runs: number): Timing[] {
  const before = load();
  if (hasHyperfine) {
    const json = path.join(BENCH_OUT, 'hyperfine.json');
    execFileSync('hyperfine', ['-N', '--warmup', '1', '--runs', String(runs), '--export-json', json, ...commands.map((c) => c.command)], { stdio: ['ignore', 'ignore', 'inherit'] });
    const results = (JSON.parse(readFileSync(json, 'utf8')) as { results: { mean: number; user: number; system: number }[] }).results;
    return results.map((r, i) => ({ label: commands[i]!.label, wall: r.mean, cpu: r.user + r.system, load: `${before}→${load()}` }));
  }
  return commands.map(({ label, command }) => {
    const samples = Array.from({ length: runs }, () => gnuTime(command.split(' ')));
    const mean = (f: (s: GnuTime) => number) => samples.reduce((a, s) => a + f(s), 0) / runs;
    return { label, wall: mean((s) => s.wall), cpu: mean((s) => s.cpu), load: `${before}→${load()}` };
  });
}

interface GnuTime {
  wall: number;
  cpu: number;
  peakMb: number;
  status: number;
}

function gnuTime(argv: string[]): GnuTime {
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const field = (label: string) => r.stderr.split('\n').find((l) => l.trim().startsWith(label))!.split(': ').pop()!.trim();
  const clock = field('Elapsed (wall clock) time').split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return {
    wall: clock,
    cpu: Number(field('User time (seconds)')) + Number(field('System time (seconds)')),
    peakMb: Number(field('Maximum resident set size (kbytes)')) / 1024,
    status: Number(field('Exit status')),
  };
}

interface Measured extends Timing {
  bestWall: number;
  peakMb: number;
  status: number;
}

/** Each command `runs` times under GNU time, the commands interleaved: mean wall and CPU, best wall, highest peak RSS. */
function timeInterleaved(commands: { label: string; argv: string[] }[], runs: number): Measured[] {
  const before = load();
  const samples = commands.map(() => [] as GnuTime[]);
  for (let r = 0; r < runs; r++) commands.forEach((c, i) => samples[i]!.push(gnuTime(c.argv)));
  const after = load();
  return commands.map(({ label }, i) => {
    const xs = samples[i]!;
    const mean = (f: (t: GnuTime) => number) => xs.reduce((a, t) => a + f(t), 0) / xs.length;
    return {
      label,
      wall: mean((t) => t.wall),
      cpu: mean((t) => t.cpu),
      bestWall: Math.min(...xs.map((t) => t.wall)),
      peakMb: Math.max(...xs.map((t) => t.peakMb)),
      status: Math.max(...xs.map((t) => t.status)),
      load: `${before}→${after}`,
    };
  });
}

const s = (x: number): string => x.toFixed(2);

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.js')]);
  const floorJs = path.join(BENCH_OUT, 'floor.mjs');
  await build({ entryPoints: [path.join(ROOT, 'bench', 'floor.ts')], outfile: floorJs, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  const corpus = await benchCorpus(units);
  // One unit's workbook checked against a plan of the seed's size, as an office checks a return.
  const seed = await loadPlanFile();
  if (!seed.ok) throw new Error('默认方案无法读取');
  const small = await benchCorpus(seed.plan.units.length);
  const one = small.files[0]!;
  const kaohe = [process.execPath, path.join(ROOT, 'bin', 'kaohe.js')];
  const started = `${new Date().toISOString()}，负载均值 ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`;

  const startup = time(
    [
      { label: '`node -e 0`（下限）', command: cmd(process.execPath, '-e', '0') },
      { label: '`kaohe --version`', command: cmd(...kaohe, '--version') },
      { label: '`kaohe --help`', command: cmd(...kaohe, '--help') },
    ],
    10,
  );
  const checkOne = time(
    [
      { label: '`node -e 0`（下限）', command: cmd(process.execPath, '-e', '0') },
      { label: '`kaohe check` 一个工作簿', command: cmd(...kaohe, 'check', '--plan', small.planFile, one) },
    ],
    10,
  );
  const parts = JSON.stringify([...partsRead(readFileSync(corpus.files[0]!))]);
  const checkAll = timeInterleaved(
    [
      { label: `解压 + XML 下限（bench/floor.ts，${corpus.files.length} 个文件）`, argv: [process.execPath, floorJs, parts, ...corpus.files] },
      { label: `\`kaohe check\` ${corpus.files.length} 个工作簿`, argv: [...kaohe, 'check', '--plan', corpus.planFile, corpus.workbookDir] },
    ],
    longRuns,
  );
  const out = path.join(BENCH_OUT, String(units), 'report');
  const [report] = timeInterleaved([{ label: '`kaohe report`', argv: [...kaohe, 'report', corpus.workbookDir, '--plan', corpus.planFile, '--out', out] }], longRuns);

  const over = (t: Timing, base: Timing) => `+${s(t.wall - base.wall)} s 墙钟 / +${s(t.cpu - base.cpu)} s CPU`;
  const rows = (ts: Timing[], extra: (t: Timing) => string) => ts.map((t) => `| ${t.label} | ${s(t.wall)} | ${s(t.cpu)} | ${extra(t)} | ${t.load} |`);
  const [floorRow, checkRow] = [checkAll[0]!, checkAll[1]!];
  const help = startup[2]!;
  const checked = checkOne[1]!;
  const yes = (ok: boolean) => (ok ? '达到' : '未达到');
  const goals = [
    ['`kaohe --help` ≤ `node -e 0` + 0.2 s', over(help, startup[0]!), `墙钟${yes(help.wall - startup[0]!.wall <= 0.2)}，CPU ${yes(help.cpu - startup[0]!.cpu <= 0.2)}`],
    ['`kaohe check` 一个工作簿 ≤ `node -e 0` + 0.5 s', over(checked, checkOne[0]!), `墙钟${yes(checked.wall - checkOne[0]!.wall <= 0.5)}，CPU ${yes(checked.cpu - checkOne[0]!.cpu <= 0.5)}`],
    [
      `\`kaohe check\` ${corpus.files.length} 个工作簿 ≤ 1.2 × 解压 + XML 下限`,
      `墙钟 ${(checkRow.wall / floorRow.wall).toFixed(2)}×（最好一次 ${(checkRow.bestWall / floorRow.bestWall).toFixed(2)}×），CPU ${(checkRow.cpu / floorRow.cpu).toFixed(2)}×`,
      `墙钟${yes(checkRow.wall / floorRow.wall <= 1.2)}`,
    ],
    [
      `${units} 个单位从工作簿到全部文件 ≤ 5 s、≤ 250 MB`,
      `墙钟 ${s(report!.wall)} s（最好一次 ${s(report!.bestWall)} s），CPU ${s(report!.cpu)} s，峰值 ${report!.peakMb.toFixed(0)} MB`,
      `时间${yes(report!.wall <= 5)}，内存${yes(report!.peakMb <= 250)}`,
    ],
  ];
  const text = [
    START,
    '## Whole processes (`npm run bench:cli`)',
    '',
    `- ${started}（开始时）；nproc = ${os.availableParallelism()}；Node ${process.version}；启动和一个工作簿：${hasHyperfine ? 'hyperfine -N，交替运行 10 次取平均' : 'GNU time，依次运行 10 次取平均'}；${corpus.files.length} 个工作簿和年终文件：GNU time（\`/usr/bin/time -v\`），交替运行 ${longRuns} 次取平均，峰值内存取最高一次`,
    '- `kaohe` = `node bin/kaohe.js`（编译后的 dist-cli/）；“负载”是该组开始→结束时的 1 分钟负载均值（2 核机器，其他人的测试也在跑）。',
    '- 下限在同一组里交替测量。墙钟受同机负载影响最大；负载高时以 CPU（user + sys）和比值为准。',
    '',
    '| 目标 | 本次结果 | 是否达到 |',
    '| --- | --- | --- |',
    ...goals.map((g) => `| ${g.join(' | ')} |`),
    '',
    '| 命令 | 墙钟 s | CPU s | 与下限之差 | 负载 |',
    '| --- | --- | --- | --- | --- |',
    ...rows(startup, (t) => (t === startup[0] ? '—' : over(t, startup[0]!))),
    ...rows(checkOne, (t) => (t === checkOne[0] ? '—' : over(t, checkOne[0]!))),
    '',
    '| 命令 | 退出码 | 墙钟 s（最好） | CPU s | ÷ 下限（墙钟 / CPU） | 峰值内存 MB | 负载 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...checkAll.map(
      (t) => `| ${t.label} | ${t.status} | ${s(t.wall)}（${s(t.bestWall)}） | ${s(t.cpu)} | ${(t.wall / floorRow.wall).toFixed(2)}× / ${(t.cpu / floorRow.cpu).toFixed(2)}× | ${t.peakMb.toFixed(0)} | ${t.load} |`,
    ),
    `| ${report!.label}（${units} 个单位，全部文件） | ${report!.status} | ${s(report!.wall)}（${s(report!.bestWall)}） | ${s(report!.cpu)} | — | ${report!.peakMb.toFixed(0)} | ${report!.load} |`,
    END,
  ].join('\n');
  const previous = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
  // Below `npm run bench`'s marker, which keeps what follows it.
  const marker = '<!-- Generated above by `npm run bench`; everything below this line is kept by later runs. -->';
  const next = previous.includes(START)
    ? previous.slice(0, previous.indexOf(START)) + text + previous.slice(previous.indexOf(END) + END.length)
    : previous.includes(marker)
      ? previous.replace(marker, `${marker}\n\n${text}`)
      : `${text}\n\n${previous}`;
  writeFileSync(RESULTS, next);
  console.log(text);
}

await main();
