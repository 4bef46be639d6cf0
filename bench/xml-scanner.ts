// The hand-written XML scanner (generator/xlsx/fast-read-xml.ts) against saxes, on the check goal:
// `kaohe check` of N workbooks as a whole process, against the unzip + XML floor (bench/floor.ts)
// in the same hyperfine run. `kaohe` is built twice by scripts/build-cli.js from two copies of the
// sources, one as it is and one whose readers import bench/xml-saxes.ts instead of the scanner;
// both must print the same report.
//   npx tsx bench/xml-scanner.ts [N] [RUNS]      (N defaults to 1000, RUNS to 3)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BENCH_OUT, benchCorpus } from './corpus.ts';
import { partsRead } from './ingest.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const units = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);

/** The files of the copy whose `from` import is rewritten to `to` (paths inside the copy). */
type Rewrite = { file: string; from: string; to: string }[];

const SAXES: Rewrite = [
  { file: 'generator/xlsx/fast-read-parts.ts', from: "'./fast-read-xml.ts'", to: "'./xml-saxes.ts'" },
  { file: 'generator/xlsx/fast-read-sheet.ts', from: "'./fast-read-xml.ts'", to: "'./xml-saxes.ts'" },
  { file: 'generator/xlsx/xml-saxes.ts', from: "'../generator/xlsx/", to: "'./" },
];

/** Builds `kaohe` with scripts/build-cli.js from a copy of the sources under bench/out/NAME. */
function buildCli(name: string, rewrite: Rewrite): string {
  const copy = path.join(BENCH_OUT, name);
  rmSync(copy, { recursive: true, force: true });
  for (const entry of ['core', 'generator', 'scripts', 'package.json']) cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  cpSync(path.join(ROOT, 'bench', 'xml-saxes.ts'), path.join(copy, 'generator', 'xlsx', 'xml-saxes.ts'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  for (const { file, from, to } of rewrite) {
    const text = readFileSync(path.join(copy, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file} no longer imports ${from}`);
    writeFileSync(path.join(copy, file), text.replaceAll(from, to));
  }
  execFileSync(process.execPath, [path.join(copy, 'scripts', 'build-cli.js')], { stdio: 'inherit' });
  return path.join(copy, 'dist-cli', 'kaohe.js');
}

const RUN_CLI = 'const { runCli } = await import(process.argv[1]); process.exitCode = await runCli(process.argv.slice(2));';

async function main(): Promise<void> {
  const corpus = await benchCorpus(units);
  const floorJs = path.join(BENCH_OUT, 'floor.mjs');
  await build({ entryPoints: [path.join(ROOT, 'bench', 'floor.ts')], outfile: floorJs, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  const hand = buildCli('cli-xml-hand', []);
  const saxes = buildCli('cli-xml-saxes', SAXES);
  const check = (cli: string): string[] => [process.execPath, '--input-type=module', '-e', RUN_CLI, cli, 'check', '--plan', corpus.planFile, corpus.workbookDir];
  const outputs = [hand, saxes].map((cli) => {
    const [node, ...args] = check(cli);
    const r = spawnSync(node!, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return `${r.status}\n${r.stdout}`;
  });
  if (outputs[0] !== outputs[1]) throw new Error('saxes and the hand scanner report differently');
  const parts = JSON.stringify([...partsRead(readFileSync(corpus.files[0]!))]);
  const commands = [
    { label: `unzip + XML floor (bench/floor.ts, ${corpus.files.length} files)`, argv: [process.execPath, floorJs, parts, ...corpus.files] },
    { label: '`kaohe check`, hand-written scanner', argv: check(hand) },
    { label: '`kaohe check`, saxes', argv: check(saxes) },
  ];
  const quote = (s: string): string => (/^[\w./=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const json = path.join(BENCH_OUT, 'xml-scanner.json');
  const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const before = load();
  execFileSync('hyperfine', ['-N', '--warmup', '1', '--runs', String(runs), '--export-json', json, ...commands.map((c) => c.argv.map(quote).join(' '))], { stdio: ['ignore', 'ignore', 'inherit'] });
  const after = load();
  const results = (JSON.parse(readFileSync(json, 'utf8')) as { results: { mean: number; user: number; system: number }[] }).results;
  const [floorWall, floorCpu] = [results[0]!.mean, results[0]!.user + results[0]!.system];
  const n = corpus.files.length;
  console.log(`${new Date().toISOString()}; load average ${before} → ${after}; nproc ${os.availableParallelism()}; Node ${process.version}; hyperfine -N, ${runs} runs of each command in turn\n`);
  console.log('| command | wall s | CPU s | CPU ms per file | ÷ floor (wall / CPU) |');
  console.log('| --- | --- | --- | --- | --- |');
  results.forEach((r, i) => {
    const cpu = r.user + r.system;
    console.log(`| ${commands[i]!.label} | ${r.mean.toFixed(2)} | ${cpu.toFixed(2)} | ${((cpu / n) * 1000).toFixed(2)} | ${(r.mean / floorWall).toFixed(2)}× / ${(cpu / floorCpu).toFixed(2)}× |`);
  });
}

await main();
