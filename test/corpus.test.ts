// Every bad input of SPEC §7 gets one clear Chinese message naming the file (and the sheet and
// cell where there is one); odd-but-valid files read like the originals; nothing crashes.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkWorkbook } from '../core/check.ts';
import type { YearResults } from '../core/results.ts';
import type { Plan, Submission } from '../core/types.ts';
import { collectWorkbookPaths, unitWorkbookFileName } from '../generator/files/paths.ts';
import { writeFileAtomic } from '../generator/files/atomic-write.ts';
import { ingestFile } from '../generator/batch/ingest.ts';
import { loadPlanFile } from '../generator/files/plan-file.ts';
import { makeCorpus, outcomeCode, runCase } from './corpus/make.ts';
import type { CaseOutcome, CorpusCase } from './corpus/make.ts';

const run = promisify(execFile);
const DIR = path.resolve('test/tmp/corpus-test');
const CLI = path.resolve('generator/cli.ts');
const TSX = path.resolve('node_modules/tsx/dist/cli.mjs');

let plan: Plan;
let planHash: string;
let cases: CorpusCase[];
const outcomes = new Map<string, CaseOutcome>();

/** A stack trace or a raw JS error name in user-facing text is a bug. */
const STACK = /\n\s+at |node:internal|TypeError|ReferenceError|RangeError|Error: /;

beforeAll(async () => {
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('default plan does not load');
  plan = loaded.plan;
  planHash = loaded.hash;
  cases = await makeCorpus(DIR, plan, planHash);
  // Collected above, gone now: the file vanishes between collect and read.
  rmSync(cases.find((c) => c.expect === 'file-missing')!.file);
  for (const c of cases) outcomes.set(c.file, await runCase(c, plan, planHash));
}, 300_000);

describe('bad-input corpus through ingestFile + checkWorkbook', () => {
  it('covers every case of SPEC §7', () => {
    const codes = new Set(cases.map((c) => c.expect));
    for (const code of ['file-not-xlsx', 'file-empty', 'file-truncated', 'file-encrypted', 'file-legacy-xls', 'file-wps-et', 'not-kaohe-workbook', 'file-bomb', 'meta.version', 'sheet.missing', 'header.missing', 'date.invalid', 'cell.error', 'file-missing']) {
      expect(codes, code).toContain(code);
    }
  });

  it('gives each case its expected outcome', () => {
    const got = cases.map((c) => [path.basename(c.file), outcomeCode(outcomes.get(c.file)!)]);
    expect(got).toEqual(cases.map((c) => [path.basename(c.file), c.expect]));
  });

  it('names the file in every problem, and the sheet and cell where the case has one', () => {
    for (const c of cases) {
      for (const p of outcomes.get(c.file)!.problems) {
        expect(p.file, c.title).toBe(c.file);
        expect(p.message, c.title).not.toMatch(STACK);
        expect(p.message, c.title).toMatch(/[\u4e00-\u9fff]/);
      }
      const first = outcomes.get(c.file)!.problems.find((p) => p.severity === '错误');
      if (c.expect.startsWith('file-') || c.expect === 'not-kaohe-workbook') {
        expect(first!.message, c.title).toContain(`「${path.basename(c.file)}」`);
      }
      if (c.located) expect(first!.sheet, c.title).toBeTruthy();
      if (c.located === 'cell') expect(first!.cell, c.title).toMatch(/^[A-Z]+\d+$/);
    }
  });

  it('reads odd-but-valid workbooks (moved column, 1904 dates, LibreOffice, copies) like the originals', async () => {
    const submissionOf = async (file: string): Promise<Omit<Submission, 'file'>> => {
      const read = await ingestFile(file);
      if (!read.ok) throw new Error(read.problem.message);
      const { file: _file, ...rest } = checkWorkbook(read.grid, plan, { planHash }).submission!;
      return rest;
    };
    const odd = cases.filter((c) => c.sameAs);
    expect(odd.length).toBeGreaterThanOrEqual(4);
    for (const c of odd) expect(await submissionOf(c.file), c.title).toEqual(await submissionOf(c.sameAs!));
  });

  it('keeps formula-like, markup, control and non-BMP text as typed, and long text whole', async () => {
    const read = await ingestFile(path.join(DIR, '特殊文本.xlsx'));
    if (!read.ok) throw new Error(read.problem.message);
    const complaints = checkWorkbook(read.grid, plan, { planHash }).submission!.complaints;
    const added = complaints[complaints.length - 1]!;
    expect(added.matter).toBe("=cmd|' /C calc'!A0");
    expect(added.result).toBe('{{#each units}}<w:t>注入</w:t>{{/each}}');
    expect(added.measures).toBe('𠀀𪚥😀 已处理');
    const long = await ingestFile(path.join(DIR, '超长文本.xlsx'));
    if (!long.ok) throw new Error(long.problem.message);
    expect(long.grid.sheets['先进推荐']!.values[1]!.some((v) => typeof v === 'string' && v.length === 40_000)).toBe(true);
  });
});

describe('hostile cells, tags and parts cost only their own file', () => {
  const outcome = (name: string): CaseOutcome => outcomes.get(path.join(DIR, name))!;

  it('reads a lone cell at XFD1048576 without a dense grid, and the unit as before', async () => {
    expect(outcomeCode(outcome('最后一格.xlsx'))).toBe('valid');
    const read = await ingestFile(path.join(DIR, '最后一格.xlsx'));
    if (!read.ok) throw new Error(read.problem.message);
    const values = read.grid.sheets['问题清单']!.values;
    expect(values.length).toBe(1_048_576);
    // Sparse: the rows that exist, not a million; the last row holds one cell, not 16,384.
    expect(Object.keys(values).length).toBeLessThan(100);
    expect(Object.keys(values[1_048_575]!)).toEqual(['16383']);
    const base = path.join(DIR, '_demo', readdirSync(path.join(DIR, '_demo')).sort()[0]!);
    const submission = async (file: string): Promise<unknown> => {
      const r = await ingestFile(file);
      if (!r.ok) throw new Error(r.problem.message);
      const { file: _f, ...rest } = checkWorkbook(r.grid, plan, { planHash }).submission!;
      return rest;
    };
    expect(await submission(path.join(DIR, '最后一格.xlsx'))).toEqual(await submission(base));
  });

  it('refuses addresses outside Excel, too many cells, attributes and oversized parts, naming the sheet', () => {
    for (const name of ['行号十亿.xlsx', '行号科学计数.xlsx', '列号七个字母.xlsx', '单元格过多.xlsx']) {
      const p = outcome(name).problems[0]!;
      expect(p.code, name).toBe('file-refused');
      expect(p.sheet, name).toBe('问题清单');
      expect(p.message, name).toMatch(/问题清单/);
    }
    expect(outcome('列号七个字母.xlsx').problems[0]!.message).toContain('XFD1048576');
    expect(outcome('属性过多.xlsx').problems[0]!.message).toContain('256 个属性');
    expect(outcome('部件过大.xlsx').problems[0]!.message).toContain('32 MB');
  });

  it('lists at most 100 problems per file and counts the rest', () => {
    const problems = outcome('问题极多.xlsx').problems;
    expect(problems).toHaveLength(101);
    const last = problems[100]!;
    expect(last.code).toBe('problems.more');
    expect(last.severity).toBe('错误');
    expect(last.message).toMatch(/^另有 \d+ 条问题未列出/);
  });
});

describe('links, pipes and long names', () => {
  it('follows a link to a workbook, reports a dangling link and a loop, never opens a FIFO', async () => {
    const links = path.join(DIR, '_links');
    const { files, missing } = await collectWorkbookPaths([links]);
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['链接到工作簿.xlsx']));
    const said = missing.map((m) => [path.basename(m.path), m.code, m.message]);
    expect(said).toContainEqual(['断开的链接.xlsx', 'file-link', expect.stringContaining('已不存在')]);
    expect(said).toContainEqual(['循环链接', 'file-link', expect.stringContaining('循环')]);
  });

  it('caps a unit name in bytes, so a 300-character CJK name still makes a file', async () => {
    const name = unitWorkbookFileName(0, 1, '广'.repeat(300));
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(160);
    const target = path.join(DIR, '_long', name);
    await writeFileAtomic(target, 'x');
    expect(readdirSync(path.dirname(target))).toEqual([name]);
  });
});

describe('ingestFile on what is not a readable file', () => {
  const code = async (file: string, opts = {}): Promise<string> => {
    const read = await ingestFile(file, opts);
    return read.ok ? 'ok' : read.problem.code;
  };

  it('refuses a folder, an oversized file and a path that never existed, naming each', async () => {
    expect(await code(DIR)).toBe('file-not-regular');
    expect(await code(path.join(DIR, '工资表.xlsx'), { maxFileBytes: 1000 })).toBe('file-too-large');
    expect(await code(path.join(DIR, '从未存在.xlsx'))).toBe('file-missing');
    const read = await ingestFile(path.join(DIR, '从未存在.xlsx'));
    expect(read.ok ? '' : read.problem.message).toContain('「从未存在.xlsx」');
  });
});

describe('a folder of 3,000 unrelated files', () => {
  it('reads only its spreadsheets, counts the rest as skipped and names a stray .xls', async () => {
    const dir = path.join(DIR, '_many');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 3000; i++) writeFileSync(path.join(dir, `附件${i}.${['txt', 'docx', 'pdf', 'png', 'xls.bak'][i % 5]}`), `附件 ${i}`);
    writeFileSync(path.join(dir, '~$锁文件.xlsx'), 'lock');
    const legacy = path.join(dir, '旧格式.xls');
    writeFileSync(legacy, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array<number>(504).fill(0)]));
    const { files, skipped } = await collectWorkbookPaths([dir]);
    expect(files).toEqual([legacy]);
    expect(skipped).toBe(3001);
    const read = await ingestFile(legacy);
    expect(read.ok ? '' : read.problem.message).toContain('「旧格式.xls」');
  });
});

describe('the CLI over the whole corpus', () => {
  const inputs = (): string[] => [DIR, ...cases.filter((c) => /\.(xls|et)$/.test(c.file)).map((c) => c.file)];

  it('kaohe check lists every bad file with its reason, flags the duplicate unit, exits 1, no stack trace', async () => {
    const result = await run(process.execPath, [TSX, CLI, 'check', ...inputs()], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect((result as { code?: number }).code).toBe(1);
    expect(output).not.toMatch(STACK);
    for (const c of cases.filter((x) => x.expect.startsWith('file-') && x.expect !== 'file-missing' && !x.ingest)) {
      expect(output, c.title).toContain(path.basename(c.file));
    }
    expect(output).toContain('同一单位');
  }, 300_000);

  it('kaohe report goes past the bad files and writes its documents, no stack trace', async () => {
    const out = path.join(DIR, '_report');
    const result = await run(process.execPath, [TSX, CLI, 'report', ...inputs(), '--out', out], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(STACK);
    const written = await collectWorkbookPaths([out]);
    expect(written.files.map((f) => path.basename(f))).toContain('考核结果汇总.xlsx');
    // Every good unit graded exactly as from the demo workbooks alone: no hostile file, copy or
    // crafted duplicate changes a score, a grade, a rank or a commendation.
    const alone = path.join(DIR, '_report-demo-only');
    await run(process.execPath, [TSX, CLI, 'report', path.join(DIR, '_demo'), '--out', alone], { maxBuffer: 64 * 1024 * 1024 });
    const results = (dir: string): YearResults => JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as YearResults;
    const withHostile = results(out);
    const demoOnly = results(alone);
    expect(demoOnly.units.length).toBeGreaterThan(5);
    expect(withHostile.units).toEqual(demoOnly.units);
    expect(withHostile.commendations).toEqual(demoOnly.commendations);
    expect(withHostile.missingUnits).toEqual(demoOnly.missingUnits);
  }, 600_000);
});
