// Per-workbook read time on the bench corpus, every method on the same files in the same run:
//   floor   fflate unzipSync of the parts the fast reader needs + one saxes pass that only
//           collects the text of <v> and <t> (no types, no grid): the least any reader can do;
//   fast    generator/xlsx/fast-read.ts readXlsxGrid (bytes read from disk included);
//   ingest  generator/batch/ingest.ts ingestFile (stat, size and magic checks, then the fast reader);
//   exceljs Workbook.xlsx.readFile + gridFromWorkbook (the reference reader);
//   check   ingestFile + checkWorkbook, i.e. the `kaohe check` pipeline per file on the fast
//           reader; check-exceljs is the same on readWorkbookFile (exceljs).
// Times are CPU time of this process per call, best of three passes per file.
//   npx tsx bench/ingest.ts [N] [SAMPLE]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { checkWorkbook } from '../core/check.ts';
import { SHEETS } from '../core/layout.ts';
import { parsePlan } from '../core/plan.ts';
import { readXlsxGrid, tryReadXlsx } from '../generator/xlsx/fast-read.ts';
import { ingestFile } from '../generator/batch/ingest.ts';
import { gridFromWorkbook } from '../generator/xlsx/grid.ts';
import { readWorkbookFile } from '../test/helpers/xlsx-read.ts';
import { benchCorpus } from './corpus.ts';
import { floor } from './floor.ts';

const DATA_SHEETS = SHEETS.filter((s) => s.key !== 'guide').map((s) => s.name);
const PASSES = 3;

export const METHODS = ['floor', 'fast', 'ingest', 'exceljs', 'check', 'check-exceljs'] as const;
export type Method = (typeof METHODS)[number];

export interface IngestBench {
  units: number;
  sampled: number;
  meanBytes: number;
  /** CPU milliseconds per workbook (best of PASSES per file). */
  median: Record<Method, number>;
  mean: Record<Method, number>;
}

/** The zip entries the fast reader inflates for this file, found once outside the timing. */
export function partsRead(bytes: Uint8Array): Set<string> {
  const names = new Set<string>(['_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml']);
  const read = tryReadXlsx(bytes, { sheets: [] });
  if (!read.ok) throw new Error(read.failure.detail);
  // Sheet parts follow workbook order in files written by exceljs (sheet1.xml is the first sheet).
  read.sheetNames.forEach((name, i) => {
    if (DATA_SHEETS.includes(name)) names.add(`xl/worksheets/sheet${i + 1}.xml`);
  });
  return names;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchIngest(units: number, sample = 200): Promise<IngestBench> {
  const corpus = await benchCorpus(units);
  const parsed = parsePlan(readFileSync(corpus.planFile, 'utf8'), corpus.planFile);
  if (!parsed.ok) throw new Error('bench plan does not parse');
  const { plan, hash } = parsed;
  const step = Math.max(1, Math.floor(corpus.files.length / sample));
  const files = corpus.files.filter((_, i) => i % step === 0).slice(0, sample);
  const parts = new Map(files.map((f) => [f, partsRead(readFileSync(f))]));
  const run: Record<Method, (file: string) => Promise<unknown>> = {
    floor: async (f) => floor(f, parts.get(f)!),
    fast: async (f) => readXlsxGrid(readFileSync(f), { sheets: DATA_SHEETS }),
    ingest: (f) => ingestFile(f),
    exceljs: async (f) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(f);
      return gridFromWorkbook(wb);
    },
    check: async (f) => {
      const read = await ingestFile(f);
      return read.ok ? checkWorkbook(read.grid, plan, { file: f, planHash: hash }) : read.problem;
    },
    'check-exceljs': async (f) => {
      const read = await readWorkbookFile(f);
      return read.ok ? checkWorkbook(read.grid, plan, { file: f, planHash: hash }) : read.problem;
    },
  };
  // Warm-up: JIT and module caches, not counted.
  for (const f of files.slice(0, 5)) for (const m of METHODS) await run[m](f);
  // CPU time (user + system) of this process per call: on a shared machine wall time mostly
  // measures the neighbours. Best of PASSES per file and method, then the median over files.
  const times = Object.fromEntries(METHODS.map((m) => [m, files.map(() => Infinity)])) as Record<Method, number[]>;
  for (let pass = 0; pass < PASSES; pass++) {
    for (const [i, f] of files.entries()) {
      // Rotated per file, so the garbage one method leaves for the next hits every method alike.
      for (const m of [...METHODS.slice(i % METHODS.length), ...METHODS.slice(0, i % METHODS.length)]) {
        const before = process.cpuUsage();
        await run[m](f);
        const used = process.cpuUsage(before);
        times[m][i] = Math.min(times[m][i]!, (used.user + used.system) / 1000);
      }
    }
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    units,
    sampled: files.length,
    meanBytes: mean(files.map((f) => readFileSync(f).length)),
    median: Object.fromEntries(METHODS.map((m) => [m, median(times[m])])) as Record<Method, number>,
    mean: Object.fromEntries(METHODS.map((m) => [m, mean(times[m])])) as Record<Method, number>,
  };
}

export function ingestTable(rows: readonly IngestBench[]): string {
  const lines = [
    `| N | 抽样 | 平均大小 | ${METHODS.map((m) => `${m} 中位/平均 ms`).join(' | ')} | fast ÷ floor | ingest ÷ floor |`,
    `| --- | --- | --- | ${METHODS.map(() => '---').join(' | ')} | --- | --- |`,
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.units} | ${r.sampled} | ${(r.meanBytes / 1024).toFixed(0)} KB | ${METHODS.map((m) => `${r.median[m].toFixed(2)} / ${r.mean[m].toFixed(2)}`).join(' | ')} | ${(r.median.fast / r.median.floor).toFixed(2)}× | ${(r.median.ingest / r.median.floor).toFixed(2)}× |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const units = Number(process.argv[2] ?? 100);
  const sample = Number(process.argv[3] ?? 200);
  console.log(ingestTable([await benchIngest(units, sample)]));
}
