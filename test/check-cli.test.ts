// `kaohe workbooks` → units fill in messy-but-valid ways → `kaohe check`, run as a child process.
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, utimesSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../core/types.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const work = mkdtempSync(path.join(os.tmpdir(), 'kaohe-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const blankDir = path.join(work, 'blank');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function kaohe(...args: string[]): Run {
  const r = spawnSync(process.execPath, [tsx, path.join(root, 'generator', 'cli.ts'), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  files: { file: string; unit: string | null; problems: Problem[] }[];
  summary: { files: number; errors: number; warnings: number };
}

function errorsOf(report: JsonReport, name: string): Problem[] {
  const entry = report.files.find((f) => path.basename(f.file) === name);
  if (!entry) throw new Error(`${name} not in report`);
  return entry.problems.filter((p) => p.severity === '错误');
}

/** Column letter of a header in row 1, so the test follows the layout instead of repeating it. */
function col(ws: ExcelJS.Worksheet, header: string): string {
  let found = '';
  ws.getRow(1).eachCell((cell, n) => {
    if (cell.text === header) found = ws.getColumn(n).letter;
  });
  if (!found) throw new Error(`no header ${header} in ${ws.name}`);
  return found;
}

function dataRows(ws: ExcelJS.Worksheet, header: string): number[] {
  const c = col(ws, header);
  const rows: number[] = [];
  for (let r = 2; r <= ws.rowCount; r++) if (ws.getCell(`${c}${r}`).text.trim() !== '') rows.push(r);
  return rows;
}

const d = (y: number, m: number, day: number): Date => new Date(Date.UTC(y, m - 1, day));

/** Fills a blank workbook the way people really type: every date style, full-width digits, units, rich text, formulas. */
async function fill(source: string, target: string, spoil?: (wb: ExcelJS.Workbook) => void): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(source);
  const info = wb.getWorksheet('单位信息')!;
  info.getCell('B4').value = { richText: [{ text: '王' }, { text: '𠮷明', font: { bold: true } }] };
  info.getCell('B5').value = '李四';
  info.getCell('B6').value = '0791-86801234';
  info.getCell('B7').value = d(2011, 2, 25);
  info.getCell('B8').value = '2011.2.26';
  info.getCell('B9').value = '2011年2月10日';
  info.getCell('B10').value = '８';
  info.getCell('B11').value = { formula: '20+15', result: 35 };
  info.getCell('B12').value = 0;

  const tasks = wb.getWorksheet('重点任务')!;
  const [progress, actual, status] = [col(tasks, '完成进度(%)'), col(tasks, '实际完成日期'), col(tasks, '进展情况')];
  dataRows(tasks, '任务编号').forEach((r, i) => {
    if (i === 0) {
      tasks.getCell(`${progress}${r}`).value = '１００';
      tasks.getCell(`${actual}${r}`).value = '2011-3-31';
    } else {
      tasks.getCell(`${progress}${r}`).value = i % 2 === 0 ? '85%' : { formula: '40+45', result: 85 };
    }
    tasks.getCell(`${status}${r}`).value = { richText: [{ text: '已按计划推进，' }, { text: '形成阶段成果', font: { italic: true } }] };
  });

  const scores = wb.getWorksheet('考核评分')!;
  const [max, method, self] = [col(scores, '分值'), col(scores, '评分方式'), col(scores, '自评分')];
  dataRows(scores, '指标编号').forEach((r, i) => {
    if (scores.getCell(`${method}${r}`).text !== '自评') return;
    const points = Number(scores.getCell(`${max}${r}`).value);
    scores.getCell(`${self}${r}`).value = i % 3 === 0 ? `${points}分` : i % 3 === 1 ? String(points - 1).replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)) : points;
  });

  const complaints = wb.getWorksheet('效能投诉')!;
  const complaint = (row: number, values: Record<string, ExcelJS.CellValue>): void => {
    for (const [header, value] of Object.entries(values)) complaints.getCell(`${col(complaints, header)}${row}`).value = value;
  };
  complaint(2, {
    受理编号: 'TS-001', 受理日期: '2011/03/31', 投诉渠道: '来电', 投诉人: '市民张某', 投诉事项: '有线电视信号不稳定',
    承办责任人: '赵六', 回复日期: d(2011, 4, 6), 办理结果: '已派员检修', 核查结论: '不属实',
  });
  complaint(3, {
    受理编号: 'TS-002', 受理日期: '2011年4月8日', 投诉渠道: '网络', 投诉事项: '办事窗口推诿', 承办责任人: '钱七',
    办结时限: '2011.4.29', 回复日期: '2011-4-20', 办理结果: '已约谈当事人', 核查结论: '查实', 处理措施: '通报批评，扣减当月绩效',
  });

  const problems = wb.getWorksheet('问题清单')!;
  problems.getCell('A2').value = '1';
  problems.getCell('B2').value = '群众提';
  problems.getCell('C2').value = '窗口服务态度生硬';
  problems.mergeCells('C2:C3'); // a merge running into the blank row below
  problems.getCell('E2').value = '开展服务礼仪培训';
  problems.getCell('F2').value = '孙八';
  problems.getCell('G2').value = '2011/6/30';
  problems.getCell('H2').value = '已整改';
  for (let r = 8; r <= 60; r++) problems.getCell(`A${r}`).border = { bottom: { style: 'thin' } };

  const rules = wb.getWorksheet('制度建设')!;
  ['首问负责制', '限时办结制', '责任追究制'].forEach((name, i) => {
    rules.getRow(i + 2).values = [String(i + 1), `本单位${name}实施办法`, name, '新建', '2011年3月31日', `广电字〔2011〕${i + 3}号`];
  });

  spoil?.(wb);
  await wb.xlsx.writeFile(target);
}

let files: string[] = [];
const goodDir = path.join(work, 'good');
const badDir = path.join(work, 'bad');

beforeAll(async () => {
  const run = kaohe('workbooks', '--out', blankDir);
  expect(run.stderr).not.toContain('错误');
  expect(run.status).toBe(0);
  files = readdirSync(blankDir).sort();
  mkdirSync(goodDir);
  mkdirSync(badDir);
  await fill(path.join(blankDir, files[4]!), path.join(goodDir, files[4]!));
  await fill(path.join(blankDir, files[13]!), path.join(goodDir, files[13]!));
});

describe('kaohe workbooks', () => {
  it('writes one workbook per unit with numbered safe names and a summary line', () => {
    expect(files).toHaveLength(17);
    expect(files[0]).toBe('01-办公室.xlsx');
    expect(files[4]).toBe('05-项目办.xlsx');
  });

  it('turns unit names that are not safe file names into safe ones', () => {
    const plan = path.join(work, 'unsafe-plan.yaml');
    const text = readFileSync(path.join(root, 'templates', 'plan.yaml'), 'utf8');
    writeFileSync(plan, text.replace('name: 社管科,', 'name: "社管科/综合股:CON*",'));
    const out = path.join(work, 'unsafe');
    const run = kaohe('workbooks', '--plan', plan, '--out', out);
    expect(run.status).toBe(0);
    expect(readdirSync(out)).toContain('03-社管科_综合股_CON_.xlsx');
  });

  it('refuses to overwrite workbooks that already exist', () => {
    const again = kaohe('workbooks', '--out', blankDir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('文件已存在');
  });
});

describe('kaohe check', () => {
  it('passes messy but valid entries with exit code 0', () => {
    const run = kaohe('check', goodDir);
    expect(run.stdout).toContain('05-项目办.xlsx（项目办）');
    expect(run.stdout).not.toContain('【错误】');
    expect(run.stdout).toMatch(/共检查 2 个文件：2 个通过，0 个有错误；错误 0 条/);
    expect(run.status).toBe(0);
  });

  it('reports each seeded mistake at its sheet and cell, with exit code 1', async () => {
    const source = (i: number): string => path.join(blankDir, files[i]!);
    const spoilt: [string, number, (wb: ExcelJS.Workbook) => void][] = [
      ['日期.xlsx', 0, (wb) => void (wb.getWorksheet('效能投诉')!.getCell('B2').value = '2011年13月45日')],
      ['分值.xlsx', 1, (wb) => {
        const ws = wb.getWorksheet('考核评分')!;
        const r = dataRows(ws, '指标编号').find((row) => ws.getCell(`F${row}`).text === '自评')!;
        ws.getCell(`G${r}`).value = Number(ws.getCell(`E${r}`).value) + 5;
      }],
      ['必填.xlsx', 2, (wb) => void (wb.getWorksheet('单位信息')!.getCell('B6').value = null)],
      ['列表.xlsx', 3, (wb) => void (wb.getWorksheet('效能投诉')!.getCell('C2').value = '微信')],
      ['缺表.xlsx', 5, (wb) => wb.removeWorksheet(wb.getWorksheet('问题清单')!.id)],
      ['表头.xlsx', 6, (wb) => void (wb.getWorksheet('重点任务')!.getCell('H1').value = '进度')],
    ];
    for (const [name, unit, spoil] of spoilt) await fill(source(unit), path.join(badDir, name), spoil);
    const run = kaohe('check', badDir, '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary.files).toBe(6);

    const at = (name: string): string[] => errorsOf(report, name).map((p) => `${p.sheet}!${p.cell ?? ''}`);
    expect(at('日期.xlsx')).toEqual(['效能投诉!B2']);
    const scoreErrors = errorsOf(report, '分值.xlsx');
    expect(scoreErrors).toHaveLength(1);
    expect(scoreErrors[0]).toMatchObject({ sheet: '考核评分' });
    expect(scoreErrors[0]!.cell).toMatch(/^G\d+$/);
    expect(at('必填.xlsx')).toEqual(['单位信息!B6']);
    expect(errorsOf(report, '必填.xlsx')[0]!.message).toContain('联系电话');
    expect(at('列表.xlsx')).toEqual(['效能投诉!C2']);
    expect(errorsOf(report, '缺表.xlsx').map((p) => p.sheet)).toEqual(['问题清单']);
    const header = errorsOf(report, '表头.xlsx');
    expect(header.length).toBeGreaterThan(0);
    expect(header.every((p) => p.sheet === '重点任务')).toBe(true);
    expect(header.map((p) => p.message).join('')).toContain('完成进度(%)');
  });

  it('prints problems grouped by file with sheet!cell and a summary', async () => {
    const one = path.join(work, 'one');
    mkdirSync(one);
    await fill(path.join(blankDir, files[7]!), path.join(one, files[7]!), (wb) => {
      wb.getWorksheet('单位信息')!.getCell('B6').value = null;
    });
    const run = kaohe('check', path.join(one, files[7]!));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${files[7]}（市广电传媒有限公司）\n  【错误】单位信息!B6 请填写“联系电话”`);
    expect(run.stdout).toContain('共检查 1 个文件：0 个通过，1 个有错误；错误 1 条');
  });

  it('tells both copies of one unit which one counts and why, by the rule the report uses', () => {
    const dup = path.join(work, 'dup');
    mkdirSync(dup);
    copyFileSync(path.join(goodDir, files[4]!), path.join(dup, '项目办-第一版.xlsx'));
    copyFileSync(path.join(goodDir, files[4]!), path.join(dup, '项目办-第二版.xlsx'));
    // Neither is stamped as submitted: the later modified copy counts.
    utimesSync(path.join(dup, '项目办-第一版.xlsx'), new Date('2011-12-01'), new Date('2011-12-01'));
    utimesSync(path.join(dup, '项目办-第二版.xlsx'), new Date('2011-12-05'), new Date('2011-12-05'));
    const run = kaohe('check', dup, '--json');
    const report = JSON.parse(run.stdout) as JsonReport;
    const duplicateOf = (name: string): string =>
      report.files.find((f) => path.basename(f.file) === name)!.problems.find((p) => p.code === 'duplicate-unit')!.message;
    expect(duplicateOf('项目办-第一版.xlsx')).toMatch(/以「项目办-第二版.xlsx」为准，本文件未计入：.*修改时间较晚/);
    expect(duplicateOf('项目办-第二版.xlsx')).toMatch(/本文件计入汇总，「项目办-第一版.xlsx」未计入/);
  });

  it('goes on past unreadable files and names each', () => {
    const mixed = path.join(work, 'mixed');
    mkdirSync(mixed);
    copyFileSync(path.join(goodDir, files[4]!), path.join(mixed, files[4]!));
    writeFileSync(path.join(mixed, '损坏.xlsx'), 'not a workbook');
    writeFileSync(path.join(mixed, '~$05-项目办.xlsx'), 'Excel lock file'); // ignored
    const run = kaohe('check', mixed, '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.files.map((f) => path.basename(f.file)).sort()).toEqual([files[4], '损坏.xlsx'].sort());
    expect(errorsOf(report, '损坏.xlsx')[0]!.message).toContain('损坏.xlsx');
    expect(errorsOf(report, files[4]!)).toEqual([]);
  });

  it('exits 2 when no path is given or an option is unknown', () => {
    const none = kaohe('check');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('缺少参数');
    const unknown = kaohe('check', goodDir, '--jsn');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('未知选项 --jsn');
  });

  it('exits 2 on a bad plan file, naming file:line:column', () => {
    const plan = path.join(work, 'bad-plan.yaml');
    writeFileSync(plan, readFileSync(path.join(root, 'templates', 'plan.yaml'), 'utf8').replace('kind: department', 'kind: bureau'));
    const bad = kaohe('check', goodDir, '--plan', plan);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad-plan\.yaml:\d+:\d+/);
  });

  it('exits 2 on a path that does not exist, still checking the others', () => {
    const typo = kaohe('check', goodDir, path.join(work, '不存在'));
    expect(typo.status).toBe(2);
    expect(typo.stdout).toContain('找不到文件或文件夹');
    expect(typo.stdout).toContain('14-东湖区广电局.xlsx（东湖区广电局）\n  通过');
  });

  it('still passes a workbook saved again by LibreOffice', (ctx) => {
    const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
    if (soffice.status !== 0) ctx.skip('LibreOffice (soffice) is not installed; CI installs it');
    const lo = path.join(work, 'lo');
    const profile = path.join(work, 'lo-profile');
    const convert = spawnSync(
      'soffice',
      [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'xlsx', '--outdir', lo, path.join(goodDir, files[4]!)],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(convert.status).toBe(0);
    expect(existsSync(path.join(lo, files[4]!))).toBe(true);
    const run = kaohe('check', lo);
    expect(run.stdout).not.toContain('【错误】');
    expect(run.status).toBe(0);
    rmSync(profile, { recursive: true, force: true });
  });
});

describe('kaohe init and help', () => {
  it('copies the plan and templates, refusing to overwrite without --force', () => {
    const dir = path.join(work, 'init');
    expect(kaohe('init', dir).status).toBe(0);
    expect(readFileSync(path.join(dir, 'plan.yaml'), 'utf8')).toBe(readFileSync(path.join(root, 'templates', 'plan.yaml'), 'utf8'));
    writeFileSync(path.join(dir, 'plan.yaml'), '# 已修改');
    const again = kaohe('init', dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('plan.yaml');
    expect(readFileSync(path.join(dir, 'plan.yaml'), 'utf8')).toBe('# 已修改');
    expect(kaohe('init', dir, '--force').status).toBe(0);
    expect(readFileSync(path.join(dir, 'plan.yaml'), 'utf8')).not.toBe('# 已修改');
  });

  it('answers --help in Chinese for the program and each command', () => {
    const top = kaohe('--help');
    expect(top.status).toBe(0);
    expect(top.stdout).toContain('用法：');
    expect(top.stdout).toContain('workbooks');
    const check = kaohe('check', '--help');
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('以 JSON 输出检查结果');
  });
});
