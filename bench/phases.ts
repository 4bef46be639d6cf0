// Where `kaohe report` spends its time and memory at N units, phase by phase, in one process:
// read+check (ingestFile + checkWorkbook per file, results kept as the report keeps them),
// aggregate, documents, summary workbook, results.json. CPU ms and heap/RSS after each phase.
//   node --expose-gc --import tsx bench/phases.ts [N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregateYear } from '../core/aggregate.ts';
import type { CheckedWorkbook } from '../core/aggregate.ts';
import { checkWorkbook } from '../core/check.ts';
import { parsePlan } from '../core/plan.ts';
import { renderDocuments } from '../generator/documents/index.ts';
import { ingestFile } from '../generator/batch/ingest.ts';
import { summaryWorkbookBuffer } from '../generator/xlsx/summary.ts';
import { benchCorpus } from './corpus.ts';

export interface Phase {
  name: string;
  cpuMs: number;
  heapMb: number;
  rssMb: number;
}

const collect = (): void => (globalThis as { gc?: () => void }).gc?.();

export async function benchPhases(units: number): Promise<{ phases: Phase[]; peakRssMb: number }> {
  const corpus = await benchCorpus(units);
  const phases: Phase[] = [];
  let cpu = process.cpuUsage();
  const mark = (name: string): void => {
    const used = process.cpuUsage(cpu);
    collect();
    const m = process.memoryUsage();
    phases.push({ name, cpuMs: (used.user + used.system) / 1000, heapMb: m.heapUsed / 1048576, rssMb: m.rss / 1048576 });
    cpu = process.cpuUsage();
  };
  const parsed = parsePlan(readFileSync(corpus.planFile, 'utf8'), corpus.planFile);
  if (!parsed.ok) throw new Error('bench plan does not parse');
  mark('方案解析');
  const checked: CheckedWorkbook[] = [];
  for (const file of corpus.files) {
    const read = await ingestFile(file);
    if (!read.ok) continue;
    const c = checkWorkbook(read.grid, parsed.plan, { file, planHash: parsed.hash });
    checked.push({ file, submission: c.submission, unit: c.unit, problems: c.problems });
  }
  mark(`读取+检查 ${corpus.files.length} 个工作簿`);
  const results = aggregateYear(parsed.plan, checked, { generatedAt: '2011-12-31T00:00:00.000Z', planHash: parsed.hash });
  mark('汇总评分');
  const documents = await renderDocuments(results);
  mark(`文档（${Object.keys(documents).length} 份）`);
  const summary = summaryWorkbookBuffer(results);
  mark(`考核结果汇总.xlsx（${(summary.length / 1024).toFixed(0)} KB）`);
  const json = JSON.stringify(results, null, 2);
  mark(`results.json（${(json.length / 1048576).toFixed(1)} MB）`);
  return { phases, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

export function phasesTable(units: number, r: { phases: Phase[]; peakRssMb: number }): string {
  const lines = [`N = ${units}，峰值 RSS ${r.peakRssMb.toFixed(0)} MB`, '', '| 阶段 | CPU ms | 堆（GC 后）MB | RSS MB |', '| --- | --- | --- | --- |'];
  for (const p of r.phases) lines.push(`| ${p.name} | ${p.cpuMs.toFixed(0)} | ${p.heapMb.toFixed(0)} | ${p.rssMb.toFixed(0)} |`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const units = Number(process.argv[2] ?? 100);
  console.log(phasesTable(units, await benchPhases(units)));
}
