// `npm run bench:cli`: the compiled `kaohe` as whole processes, each against a floor measured in
// the same run (the machine is shared, so ratios to a same-run floor mean more than seconds):
//   start-up   `kaohe --help` / `--version` against `node -e 0`;
//   check      `kaohe check` of one workbook (on a plan of the seed's size), and of all N
//              (on the N-unit plan) against the unzip + XML floor
//              (bench/floor.ts, bundled like the CLI) over the same files;
//   report     `kaohe report` of the N-unit year to all documents: wall time and peak RSS.
// The TypeScript CLI under tsx is measured beside the compiled one, to show what compiling made.
// Writes the section between the bench:cli markers of bench/RESULTS.md.
//   npx tsx bench/cli.ts [N]        (N defaults to 1000; hyperfine when installed, else GNU time)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BENCH_OUT, benchCorpus } from './corpus.ts';
import { partsRead } from './ingest.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const START = '<!-- bench:cli start (written by `npm run bench:cli`) -->';
const END = '<!-- bench:cli end -->';
const units = Number(process.argv[2] ?? 1000);

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
  const tsx = [process.execPath, '--import', 'tsx', path.join(ROOT, 'generator', 'cli.ts')];
  const started = `${new Date().toISOString()}，负载均值 ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`;

  const startup = time(
    [
      { label: '`node -e 0`（下限）', command: cmd(process.execPath, '-e', '0') },
      { label: '`kaohe --version`', command: cmd(...kaohe, '--version') },
      { label: '`kaohe --help`', command: cmd(...kaohe, '--help') },
      { label: '`kaohe --help`（tsx，改前的运行方式）', command: cmd(...tsx, '--help') },
    ],
    10,
  );
  const checkOne = time(
    [
      { label: '`node -e 0`（下限）', command: cmd(process.execPath, '-e', '0') },
      { label: '`kaohe check` 一个工作簿', command: cmd(...kaohe, 'check', '--plan', small.planFile, one) },
      { label: '`kaohe check` 一个工作簿（tsx）', command: cmd(...tsx, 'check', '--plan', small.planFile, one) },
    ],
    10,
  );
  const parts = JSON.stringify([...partsRead(readFileSync(corpus.files[0]!))]);
  const checkAll = time(
    [
      { label: `解压 + XML 下限（bench/floor.ts，${corpus.files.length} 个文件）`, command: cmd(process.execPath, floorJs, parts, ...corpus.files) },
      { label: `\`kaohe check\` ${corpus.files.length} 个工作簿`, command: cmd(...kaohe, 'check', '--plan', corpus.planFile, corpus.workbookDir) },
      { label: `\`kaohe check\` ${corpus.files.length} 个工作簿（tsx）`, command: cmd(...tsx, 'check', '--plan', corpus.planFile, corpus.workbookDir) },
    ],
    3,
  );
  const out = path.join(BENCH_OUT, String(units), 'report');
  const report = [
    { label: '`kaohe report`', argv: kaohe },
    { label: '`kaohe report`（tsx）', argv: tsx },
  ].map(({ label, argv }) => {
    const before = load();
    const t = gnuTime([...argv, 'report', corpus.workbookDir, '--plan', corpus.planFile, '--out', out]);
    return { label, ...t, load: `${before}→${load()}` };
  });

  const over = (t: Timing, base: Timing) => `+${s(t.wall - base.wall)} s 墙钟 / +${s(t.cpu - base.cpu)} s CPU`;
  const rows = (ts: Timing[], extra: (t: Timing) => string) => ts.map((t) => `| ${t.label} | ${s(t.wall)} | ${s(t.cpu)} | ${extra(t)} | ${t.load} |`);
  const floorRow = checkAll[0]!;
  const text = [
    START,
    '## Whole processes (`npm run bench:cli`)',
    '',
    `- ${started}（开始时）；nproc = ${os.availableParallelism()}；Node ${process.version}；${hasHyperfine ? 'hyperfine -N（交替运行，取平均）' : 'GNU time，依次运行取平均'}`,
    `- \`kaohe\` = \`node bin/kaohe.js\`（编译后的 dist-cli/）；“tsx” = \`node --import tsx generator/cli.ts\`，即改前 bin/kaohe.js 的运行方式。`,
    '- 每组的下限在同一组里交替测量；“负载”是该组开始→结束时的 1 分钟负载均值（2 核机器上其他人同时在跑测试）。',
    '',
    '| 命令 | 墙钟 s | CPU s | 与下限之差 | 负载 |',
    '| --- | --- | --- | --- | --- |',
    ...rows(startup, (t) => (t === startup[0] ? '—' : over(t, startup[0]!))),
    ...rows(checkOne, (t) => (t === checkOne[0] ? '—' : over(t, checkOne[0]!))),
    '',
    '| 命令 | 墙钟 s | CPU s | ÷ 下限（墙钟 / CPU） | 负载 |',
    '| --- | --- | --- | --- | --- |',
    ...rows(checkAll, (t) => `${(t.wall / floorRow.wall).toFixed(2)}× / ${(t.cpu / floorRow.cpu).toFixed(2)}×`),
    '',
    `${units} 个单位的年度，从工作簿到全部文件（\`/usr/bin/time -v\`，各一次）：`,
    '',
    '| 命令 | 退出码 | 墙钟 s | CPU s | 峰值内存 MB | 负载 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.map((r) => `| ${r.label} | ${r.status} | ${s(r.wall)} | ${s(r.cpu)} | ${r.peakMb.toFixed(0)} | ${r.load} |`),
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
