// Times `kaohe demo`: making the demo year's workbooks, then the report on them (goal < 3 s).
// Usage: npm run bench:demo [-- OUT_DIR]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { writeDemoWorkbooks } from '../generator/commands/demo-data.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { runReport } from '../generator/commands/report.ts';

const quiet = new Writable({ write: (_c, _e, done) => done() });
const out = process.argv[2] ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-bench-demo-')));
const loaded = await loadPlanFile();
if (!loaded.ok) throw new Error('default plan does not load');

const t0 = performance.now();
const demo = await writeDemoWorkbooks(loaded.plan, loaded.hash, path.join(out, 'workbooks'));
const t1 = performance.now();
// CPU time too: on a shared machine wall time mostly measures the neighbours.
const cpu = process.cpuUsage();
const report = await runReport([path.join(out, 'workbooks')], { out, stdout: quiet, stderr: quiet });
const t2 = performance.now();
const cpuUsed = process.cpuUsage(cpu);

const ms = (x: number) => `${Math.round(x)} ms`;
console.log(`workbooks: ${demo.files.length} written in ${ms(t1 - t0)}`);
console.log(`report:    ${report.written.length} outputs in ${ms(t2 - t1)} wall, ${ms((cpuUsed.user + cpuUsed.system) / 1000)} CPU (exit ${report.exitCode})`);
console.log(`total:     ${ms(t2 - t0)}; peak RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
console.log(`output:    ${out}`);
