// `kaohe report`: read every workbook → check → aggregate → write every output atomically.
// One bad workbook never stops the run (unless --strict); inputs are only ever read.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { aggregateYear } from '../../core/aggregate.ts';
import { UncoveredYearError } from '../../core/calendar.ts';
import type { CheckedWorkbook } from '../../core/aggregate.ts';
import { applyAssessorScores, type UnverifiedUnit } from '../../core/assessment.ts';
import type { YearResults } from '../../core/results.ts';
import { checkScoreSheet, isScoreSheet, SCORESHEET_SHEET, type ScoreSheetData } from '../../core/scoresheet.ts';
import type { Plan, Problem } from '../../core/types.ts';
import { ingestFile } from '../batch/ingest.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../console/exit-codes.ts';
import { collectWorkbookPaths } from '../files/paths.ts';
import { openOutputStage } from '../files/output-set.ts';
import { formatProblem } from '../console/messages.ts';
import { loadCommandPlan } from '../files/plan-file.ts';
import { progress, type ErrStream } from '../console/progress.ts';
import { formatTemplateError } from '../documents/errors.ts';
import type { DocumentOptions } from '../documents/pipeline.ts';
import { documentDates } from '../documents/dates.ts';
import { messageOf, missingPath } from '../batch/check-file.ts';
import { startCheckPool, type CheckPool } from '../batch/check-pool.ts';
import { IN_THIS_THREAD, startDocumentThread, type DocumentThread } from '../batch/render-thread.ts';
import type { OutputKey } from './report-outputs.ts';

export interface ReportOptions {
  plan?: string;
  templates?: string;
  out: string;
  strict?: boolean;
  /** The 考核组评分表 whose values are the assessors' scores (SPEC §11). */
  scores?: string;
  /** Date printed on the documents (YYYY-MM-DD); defaults to the end of the 考核总结 phase. */
  issueDate?: string;
  /** 发文字号 of the 表彰决定, over the plan's documents.decision.number. */
  number?: string;
  /** Render the largest document on a second thread; defaults to on from DOCUMENT_THREAD_FROM workbooks. */
  documentThread?: boolean;
  /** Fixed run time for reproducible output (tests, demo); defaults to now. */
  generatedAt?: string;
  /** Progress and messages; defaults to the process's streams. */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface ReportOutcome {
  exitCode: number;
  results: YearResults | null;
  /** Output files written, in order. */
  written: string[];
}

export const OUTPUT_FILES = {
  summaryReport: '年度考核总结报告.docx',
  publicNotice: '拟表彰名单公示.docx',
  decision: '表彰决定.docx',
  certificates: '荣誉证书.docx',
  summaryWorkbook: '考核结果汇总.xlsx',
  resultsJson: 'results.json',
} as const satisfies Record<OutputKey, string>;

function summaryLines(results: YearResults, outDir: string, written: readonly string[]): string[] {
  const g = results.gradeCounts;
  const c = results.commendations;
  const lines = [
    `读取工作簿 ${results.counts.files} 个，计入 ${results.counts.reported} 个单位（方案共 ${results.counts.planned} 个单位）。`,
  ];
  if (results.missingUnits.length > 0) lines.push(`未报送：${results.missingUnits.map((u) => u.name).join('、')}。`);
  if (results.duplicates.length > 0) lines.push(`重复报送：${results.duplicates.map((d) => d.unitName).join('、')}（以哪一份为准及原因见数据问题）。`);
  const warnings = results.dataProblems.length - results.counts.errors;
  lines.push(`数据问题：错误 ${results.counts.errors} 条，提醒 ${warnings} 条（详见 考核结果汇总.xlsx 的“数据问题”表）。`);
  lines.push(`等次：优秀 ${g.优秀} 个，良好 ${g.良好} 个，合格 ${g.合格} 个，不合格 ${g.不合格} 个。`);
  lines.push(`拟表彰：先进单位 ${c.units.length} 个，先进科室 ${c.departments.length} 个，先进个人 ${c.persons.length} 名。`);
  // A quota that left someone out or was exceeded by a tie, and every decision, for the leading group to see.
  for (const q of results.quotas) if (q.over.length > 0 || q.cut.length > 0) lines.push(q.text);
  for (const d of results.decisions) lines.push(d.text);
  // The saved line only when the set landed; otherwise stderr has said what is missing and why.
  if (written.length > 0) lines.push(`文件已保存在：${path.resolve(outDir)}（${written.map((f) => path.basename(f)).join('、')}）`);
  else lines.push('本次没有写出任何文件（原因见上）。');
  return lines;
}

/** Where the assessors' scores came from, so the office sees at once whether the score sheet was used. */
function assessorLine(results: YearResults, scores: string | undefined): string {
  const source = scores ? `考核组评分取自 ${path.basename(scores)}` : '未指定考核组评分表（--scores），仅采用带有效评审印记的工作簿中的考核组评分';
  const unverified = results.unverified.length > 0 ? `；${results.unverified.map((u) => u.unitName).join('、')} 有未经考核组核对的评分，未计入` : '';
  return `${source}${unverified}。`;
}

/** Options that cannot work, caught before any file is read. */
async function usageProblem(options: ReportOptions): Promise<string | null> {
  if (options.issueDate !== undefined) {
    const t = Date.parse(`${options.issueDate}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.issueDate) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== options.issueDate)
      return `--issue-date 应为有效日期，如 2011-12-31，得到“${options.issueDate}”。`;
  }
  if (options.templates !== undefined) {
    const isDir = await fs.stat(options.templates).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) return `找不到模板文件夹：${options.templates}`;
  }
  return null;
}

interface ReadScoreSheet {
  data: ScoreSheetData | null;
  problems: Problem[];
}

/**
 * The score sheet given with --scores, checked against the plan and the units that handed in.
 * `data` is null when it cannot be used at all (unreadable, not a score sheet, another activity).
 */
async function readScoreSheet(file: string, plan: Plan, planHash: string, checked: readonly CheckedWorkbook[]): Promise<ReadScoreSheet> {
  const read = await ingestFile(file);
  if (!read.ok) return { data: null, problems: [read.problem] };
  if (!isScoreSheet(read.grid)) {
    const message = `「${path.basename(file)}」不是${SCORESHEET_SHEET.name}（没有评分表的标记）；请指定 kaohe scoresheet 生成、考核组填写的评分表`;
    return { data: null, problems: [{ severity: '错误', code: 'scoresheet.unrecognised', file, message }] };
  }
  const expected = checked.flatMap((w) => (w.unit && w.submission ? [w.unit.id] : []));
  return checkScoreSheet(read.grid, plan, { file, planHash, expected });
}

/** Problems found in the score sheet join the workbooks' data problems (the sheet's own missing-unit note is said per unit). */
function withScoreSheetProblems(results: YearResults, problems: readonly Problem[]): YearResults {
  const extra = problems
    .filter((p) => p.code !== 'scoresheet.unitMissing')
    .map((p) => ({ file: p.file ?? '', ...(p.sheet ? { sheet: p.sheet } : {}), ...(p.cell ? { cell: p.cell } : {}), severity: p.severity, code: p.code, message: p.message }));
  const dataProblems = [...extra, ...results.dataProblems];
  return { ...results, dataProblems, counts: { ...results.counts, errors: dataProblems.filter((p) => p.severity === '错误').length } };
}

/** Reads every file with progress, on every core when there are many; a path that does not exist is listed like an unreadable file. */
async function readAll(
  pool: CheckPool,
  count: number,
  missing: readonly { path: string; message: string }[],
  { plan, hash }: { plan: Plan; hash: string },
  stderr: ErrStream,
): Promise<CheckedWorkbook[]> {
  const checked: CheckedWorkbook[] = missing.map(missingPath);
  const bar = progress('读取工作簿', count, { stream: stderr });
  checked.push(...(await pool.check(plan, hash, (file) => bar.tick(path.basename(file)))));
  bar.stop();
  return checked;
}

/** --strict: lists every workbook with a 错误 and says whether the run must stop. */
function refusedStrictly(checked: readonly CheckedWorkbook[], stderr: ErrStream): boolean {
  const withErrors = checked.filter((w) => w.problems.some((p) => p.severity === '错误'));
  if (withErrors.length === 0) return false;
  stderr.write(`--strict：${withErrors.length} 个工作簿有错误，未生成任何文件：\n`);
  for (const w of withErrors) {
    stderr.write(`${w.file}\n`);
    for (const p of w.problems.filter((x) => x.severity === '错误')) stderr.write(`  ${formatProblem(p)}\n`);
  }
  return true;
}

/** The renderer (report-outputs.ts) with the document engine, loaded while the workbooks are read. */
type Renderer = typeof import('./report-outputs.ts');

/**
 * Makes every output and stages each as soon as it is made (output-set.ts), then lands them as
 * one set. A document whose template failed is left out and its older copy removed, so the
 * folder never mixes two runs' results.
 */
async function writeOutputs(
  results: YearResults,
  options: ReportOptions,
  rendering: { renderer: Promise<Renderer>; thread: DocumentThread },
  stderr: ErrStream,
): Promise<{ written: string[]; failed: boolean }> {
  const opened = await openOutputStage(options.out);
  if (!opened.ok) {
    stderr.write(`【错误】${opened.message}\n`);
    stderr.write(`未写出：${Object.values(OUTPUT_FILES).join('、')}\n`);
    return { written: [], failed: true };
  }
  const { stage } = opened;
  const produced = new Set<OutputKey>();
  const errors = new Map<OutputKey, string[]>();
  const documentOptions: DocumentOptions = {
    ...(options.templates ? { templatesDir: options.templates } : {}),
    ...(options.number ? { number: options.number } : {}),
  };
  try {
    const { renderOutputs } = await rendering.renderer;
    await renderOutputs(results, documentOptions, rendering.thread, (key, made) => {
      if (!made.ok) return void errors.set(key, made.errors.map((e) => `${OUTPUT_FILES[key]} 未生成：${formatTemplateError(e)}`));
      produced.add(key);
      void stage.add(OUTPUT_FILES[key], made.data);
    });
  } catch (err) {
    await stage.discard();
    stderr.write(`【错误】生成文件失败，未写出任何文件：${messageOf(err)}\n`);
    return { written: [], failed: true };
  }
  const keys = Object.keys(OUTPUT_FILES) as OutputKey[];
  for (const key of keys) for (const message of errors.get(key) ?? []) stderr.write(`【错误】${message}\n`);
  const stale = keys.filter((key) => !produced.has(key)).map((key) => OUTPUT_FILES[key]);
  const set = await stage.commit(stale);
  if (!set.ok) {
    stderr.write(`【错误】${set.message}\n`);
    stderr.write(`未写出：${set.missing.map((f) => path.basename(f)).join('、')}\n`);
    return { written: [], failed: true };
  }
  // Staged as each was made; said in the fixed order of OUTPUT_FILES.
  const order = Object.values(OUTPUT_FILES) as string[];
  const written = set.written.sort((x, y) => order.indexOf(path.basename(x)) - order.indexOf(path.basename(y)));
  return { written, failed: errors.size > 0 };
}

/** From this many workbooks the largest document is rendered on a thread of its own (render-thread.ts); below, starting it costs more than it saves. */
const DOCUMENT_THREAD_FROM = 200;

/** What the reading hands on: the year's results, and the rendering already under way. */
interface ReadYear {
  results: YearResults;
  renderer: Promise<Renderer>;
  thread: DocumentThread;
}

export async function runReport(inputs: readonly string[], options: ReportOptions): Promise<ReportOutcome> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const year = await readYear(inputs, options, stderr);
  // The checked workbooks died with readYear's frame: only the results are held while rendering.
  if (!('results' in year)) return { exitCode: year.exitCode, results: null, written: [] };
  const { results } = year;
  try {
    const { written, failed } = await writeOutputs(results, options, year, stderr);
    const lines = summaryLines(results, options.out, written);
    lines.splice(1, 0, assessorLine(results, options.scores));
    stdout.write(lines.join('\n') + '\n');
    // 1 as for check: an input had a 错误 (the documents are still written), or an output is missing.
    return { exitCode: failed || results.counts.errors > 0 ? EXIT_PROBLEMS : EXIT_OK, results, written };
  } finally {
    year.thread.stop();
  }
}

/**
 * Reads and checks every workbook and aggregates the year. The reading pool starts before
 * anything else, the document thread beside it; the renderer loads while the workbooks are read.
 */
async function readYear(inputs: readonly string[], options: ReportOptions, stderr: ErrStream): Promise<ReadYear | { exitCode: number }> {
  const collected = await collectWorkbookPaths(inputs);
  const { missing } = collected;
  // A previous run's 考核结果汇总.xlsx in a folder being read is an output, not a unit's workbook.
  const ownSummary = path.resolve(options.out, OUTPUT_FILES.summaryWorkbook);
  // The score sheet may sit in the folder of returned workbooks; it is read once, as the score sheet.
  const scoresFile = options.scores ? path.resolve(options.scores) : null;
  const files = collected.files.filter((f) => path.resolve(f) !== ownSummary && path.resolve(f) !== scoresFile);
  // The workers load while this thread reads the plan; every early return below stops them.
  const pool = startCheckPool(files);
  // So does the document thread: while the plan is parsed, a core would otherwise wait for it.
  const count = files.length + missing.length;
  const thread = (options.documentThread ?? count >= DOCUMENT_THREAD_FROM) ? startDocumentThread() : IN_THIS_THREAD;
  const stop = (exitCode: number) => {
    pool.cancel();
    thread.stop();
    return { exitCode };
  };

  const loaded = await loadCommandPlan(options.plan, inputs, stderr, options.strict);
  if (!loaded.ok) return stop(EXIT_USAGE);
  if (options.strict && loaded.placeholders.length > 0) return stop(EXIT_PROBLEMS);
  const usage = await usageProblem(options);
  if (usage) {
    stderr.write(`错误：${usage}\n`);
    return stop(EXIT_USAGE);
  }
  for (const m of missing) stderr.write(`【错误】${m.message}\n`);
  if (collected.skipped > 0) stderr.write(`文件夹中有 ${collected.skipped} 个不是电子表格的文件，已跳过。\n`);
  if (files.length === 0) {
    stderr.write('没有找到可读取的工作簿（.xlsx），未生成任何文件。\n');
    return stop(EXIT_PROBLEMS);
  }

  // Loaded now, not before the pool starts: the document engine takes a quarter of a second to load.
  const renderer = import('./report-outputs.ts');
  // A report that stops before rendering never awaits it.
  void renderer.catch(() => undefined);
  try {
    const read = await readAll(pool, files.length, missing, loaded, stderr);
    const results = await yearResults(loaded, read, options, stderr);
    if (typeof results === 'number') return stop(results);
    return { results, renderer, thread };
  } catch (err) {
    thread.stop();
    // Working days in a year no calendar covers (e.g. a 公示期 running into next January).
    if (!(err instanceof UncoveredYearError)) throw err;
    stderr.write(`错误：${err.message}\n`);
    return { exitCode: EXIT_USAGE };
  }
}

/** The year from the checked workbooks and the score sheet, or the exit code of a report that must not write anything. */
async function yearResults(
  { plan, hash }: { plan: Plan; hash: string },
  read: CheckedWorkbook[],
  options: ReportOptions,
  stderr: ErrStream,
): Promise<YearResults | number> {
  const sheet = options.scores ? await readScoreSheet(options.scores, plan, hash, read) : null;
  if (sheet && !sheet.data) {
    // Documents without the assessors' scores the office asked for would carry wrong grades.
    for (const p of sheet.problems) stderr.write(`${options.scores}：${formatProblem(p)}\n`);
    stderr.write('考核组评分表无法使用，未生成任何文件。\n');
    return EXIT_PROBLEMS;
  }
  const { checked, unverified } = applyAssessorScores(plan, read, sheet?.data ?? null);

  const sheetErrors = sheet?.problems.filter((p) => p.severity === '错误') ?? [];
  if (options.strict && sheetErrors.length > 0) {
    stderr.write(`--strict：考核组评分表有 ${sheetErrors.length} 条错误，未生成任何文件：\n`);
    for (const p of sheetErrors) stderr.write(`  ${formatProblem(p)}\n`);
    return EXIT_PROBLEMS;
  }
  if (options.strict && refusedStrictly(checked, stderr)) return EXIT_PROBLEMS;
  return aggregate(plan, hash, checked, options, { unverified, sheetProblems: sheet?.problems ?? null }, stderr);
}

/** What the assessors' score sheet left to say: units not reviewed, and the sheet's own problems. */
interface Assessment {
  unverified: UnverifiedUnit[];
  sheetProblems: readonly Problem[] | null;
}

function aggregate(plan: Plan, hash: string, checked: CheckedWorkbook[], options: ReportOptions, assessment: Assessment, stderr: ErrStream): YearResults | number {
  const aggregated = aggregateYear(plan, checked, {
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    planHash: hash,
    unverified: assessment.unverified,
    ...(options.issueDate ? { issueDate: options.issueDate } : {}),
  });
  const results = assessment.sheetProblems ? withScoreSheetProblems(aggregated, assessment.sheetProblems) : aggregated;

  // The documents' dates (公示期, decision) are working days too: refuse before writing anything.
  documentDates(results.issueDate, results.calendar);

  if (results.counts.reported === 0) {
    stderr.write('没有一个工作簿可以计入汇总，未生成任何文件：\n');
    for (const w of checked) for (const p of w.problems) stderr.write(`  ${path.basename(w.file)} ${formatProblem(p)}\n`);
    return EXIT_PROBLEMS;
  }
  return results;
}
