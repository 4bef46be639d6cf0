import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentDates } from '../generator/documents/dates.ts';
import { renderDocx } from '../generator/documents/docx.ts';
import { annualReport, certificates, decision, formatTemplateError, publicNotice, renderDocuments } from '../generator/documents/index.ts';
import { readDocx } from './documents-docx-read.ts';
import { fixtureResults } from './documents-fixture.ts';

const results = fixtureResults();

async function textOf(outcome: Awaited<ReturnType<typeof annualReport>>): Promise<string> {
  return (await docxOf(outcome)).text();
}

async function docxOf(outcome: Awaited<ReturnType<typeof annualReport>>) {
  if (!outcome.ok) throw new Error(outcome.errors.map(formatTemplateError).join('\n'));
  return readDocx(outcome.docx);
}

function hasTool(tool: string): boolean {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function toPdf(dir: string, file: string): void {
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, file], {
    stdio: 'ignore',
    timeout: 120_000,
  });
}

describe('document dates', () => {
  it('runs the 公示 over the five working days after issue, skipping the 2012 New Year holiday', () => {
    // 2011-12-31 is a make-up workday (Saturday); 2012-01-01..03 are holidays; 7th/8th a weekend.
    expect(documentDates('2011-12-31')).toEqual({
      notice: '2011-12-31',
      publicStart: '2012-01-04',
      publicEnd: '2012-01-10',
      decision: '2012-01-11',
    });
  });
});

describe('year-end documents from the fixture year', () => {
  it('年度考核总结报告 carries every unit result, the totals and the appendix', async () => {
    const docx = await docxOf(await annualReport(results));
    const text = await docx.text();
    const rows = await docx.rows();
    expect(text).toContain('关于2011年机关效能、项目建设年活动考核情况的报告\n局党组：');
    // Hand-computed in test/fixtures/year.ts: 办公室 102, 监察室 71.13; 3 优秀, 1 合格, 1 不合格 (vetoed: no rank, listed after the ranked units).
    expect(rows[0]).toEqual(['名次', '单位', '类别', '加分', '扣分', '总分', '等次']);
    expect(rows).toContainEqual(['1', '办公室', '机关科室', '2.00', '0.00', '102.00', '优秀']);
    expect(rows).toContainEqual(['4', '监察室', '机关科室', '0.00', '2.00', '71.13', '合格']);
    expect(rows).toContainEqual(['—', '市广电网络有限公司', '局属单位', '0.00', '0.00', '100.00', '不合格']);
    // The unit without a workbook: no rank, listed last.
    expect(rows).toContainEqual(['—', '西山区广电局', '县区局', '—', '—', '—', '未报送']);
    expect(rows).toContainEqual(['单位', ...results.categories]);
    expect(rows).toContainEqual(['办公室', '15.00', '10.00', '30.00', '15.00', '10.00', '5.00', '10.00', '5.00']);
    expect(rows).toContainEqual(['监察室', '13.00', '7.50', '18.00', '12.50', '8.00', '4.00', '7.00', '3.13']);
    expect(text.split('\n')).toContain('表1\u3000各单位考核结果');
    expect(text.split('\n')).toContain('表2\u3000各单位分项得分');
    expect(text).toContain('其中评为优秀的3个，良好0个，合格1个，不合格1个（其中市广电网络有限公司因一票否决事项定为不合格）');
    expect(text).toContain('全年共受理效能投诉3件，已回复3件，已办结3件，其中按时办结2件，按时办结率66.7%，未在时限内办结1件');
    expect(rows).toContainEqual(['合计', '3', '3', '3', '2', '1', '1', '0']);
    expect(text).toContain('附件：报送材料数据问题、未报送单位及表彰资格');
    expect(text).toContain('西山区广电局。');
    expect(rows).toContainEqual(['1', '来历不明.xlsx', '—', '须更正', '不是考核工作簿：缺少 _meta 工作表']);
    expect(text.split('\n')).toContain('局机关效能、项目建设年活动领导小组办公室');
    expect(text.split('\n')).toContain('2011年12月31日');
  });

  it('年度考核总结报告 embeds the two charts as PNG images', async () => {
    const outcome = await annualReport(results);
    if (!outcome.ok) throw new Error('report failed');
    const docx = await readDocx(outcome.docx);
    const media = docx.files.filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(2);
    expect(await docx.part('word/document.xml')).toMatch(/<pic:pic[^>]*>/);
  });

  it('拟表彰名单公示 lists the proposed awardees, the 公示期 and how to object', async () => {
    const docx = await docxOf(await publicNotice(results));
    const text = await docx.text();
    expect(text).toContain('拟对1个先进单位、1个先进科室和2名先进个人予以表彰');
    expect(text).toContain('东湖区广电局');
    expect(await docx.rows()).toContainEqual(['1', '王建国', '办公室科员']);
    expect(text).toContain('2012年1月4日至2012年1月10日（5个工作日）');
    expect(text).toContain(`联系人：${results.activity.contact}`);
  });

  it('表彰决定 grants the titles, attaches the three lists and is dated after the 公示', async () => {
    const outcome = await decision(results);
    const text = await textOf(outcome);
    expect(text).toContain('授予东湖区广电局“先进单位”称号；授予办公室“先进科室”称号；授予王建国（办公室）、张秀英（805台）等2名同志“先进个人”称号');
    expect(text).toContain('附件：1. 2011年机关效能、项目建设年活动先进单位名单');
    for (const label of ['附件1', '附件2', '附件3']) expect(text.split('\n')).toContain(label);
    expect(text).toContain('2012年1月11日');
    if (outcome.ok) expect((await readDocx(outcome.docx)).files.some((f) => f.includes('footer'))).toBe(true);
  });

  it('荣誉证书 gives each awardee a page of its own and has no page numbers', async () => {
    const outcome = await certificates(results);
    if (!outcome.ok) throw new Error('certificates failed');
    const docx = await readDocx(outcome.docx);
    const xml = await docx.part('word/document.xml');
    expect(xml.match(/<w:pageBreakBefore\/>/g)).toHaveLength(3);
    expect(docx.files.some((f) => f.includes('footer'))).toBe(false);
    const text = await docx.text();
    for (const name of ['东湖区广电局：', '办公室：', '办公室王建国同志：', '805台张秀英同志：']) expect(text.split('\n')).toContain(name);
  });

  it('荣誉证书 has a large spaced title a third down the page, the awardee in 2号 and a double page border', async () => {
    const xml = await (await docxOf(await certificates(results))).part('word/document.xml');
    const title = xml.match(/<w:p>(?:(?!<\/w:p>).)*?w:before="2600"(?:(?!<\/w:p>).)*<\/w:p>/)?.[0] ?? '';
    // 荣誉证书 in four runs of 40 pt 方正小标宋简体, spaced 20 pt apart except after the last.
    const runs = [...title.matchAll(/<w:r>(.*?)<\/w:r>/g)].map((m) => m[1]!);
    expect(runs.map((r) => r.match(/<w:t[^>]*>(.*?)<\/w:t>/)?.[1])).toEqual(['荣', '誉', '证', '书']);
    for (const r of runs) expect(r).toMatch(/w:eastAsia="方正小标宋简体".*<w:sz w:val="80"\/>/);
    expect(runs.map((r) => r.match(/<w:spacing w:val="(-?\d+)"/)?.[1])).toEqual(['400', '400', '400', undefined]);
    expect(xml).toMatch(/<w:sz w:val="44"\/>(?:(?!<\/w:r>).)*<w:t xml:space="preserve">办公室王建国同志：<\/w:t>/);
    expect(xml.match(/<w:pgBorders w:display="allPages" w:offsetFrom="page">(.*?)<\/w:pgBorders>/)?.[1]?.match(/w:val="double"/g)).toHaveLength(4);
    const decisionXml = await (await docxOf(await decision(results))).part('word/document.xml');
    expect(decisionXml).not.toContain('pgBorders');
  });

  it.skipIf(!hasTool('soffice'))('lays every 荣誉证书 out on one page, title to 落款', async () => {
    const outcome = await certificates(results);
    if (!outcome.ok) throw new Error('certificates failed');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-certificates-'));
    const file = path.join(dir, 'certificates.docx');
    writeFileSync(file, outcome.docx);
    toPdf(dir, file);
    const pdf = path.join(dir, 'certificates.pdf');
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+4\n/);
    for (let page = 1; page <= 4; page++) {
      const text = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' });
      expect(text.replace(/\s+/g, '')).toMatch(/^荣誉证书.*特发此证，以资鼓励。.*2012年1月11日$/);
    }
  });

  it('a broken user template spoils only its own document and says where', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-templates-'));
    writeFileSync(path.join(dir, '表彰决定.md.hbs'), '# 决定\n\n{{#each commendations.units}}\n{{name}}\n');
    const all = await renderDocuments(results, { templatesDir: dir });
    expect(all.summaryReport.ok && all.publicNotice.ok && all.certificates.ok).toBe(true);
    expect(all.decision.ok).toBe(false);
    if (!all.decision.ok) {
      expect(all.decision.errors.map(formatTemplateError)).toEqual([
        `${path.join(dir, '表彰决定.md.hbs')}:3:1 “{{#each}}”没有对应的“{{/each}}”`,
      ]);
    }
  });

  it('still produces every document for a year with no usable workbook', async () => {
    const empty = {
      ...results,
      units: [],
      keyTasks: [],
      complaints: { ...results.complaints, byUnit: [], measures: [] },
      commendations: { units: [], departments: [], persons: [] },
      dataProblems: [],
    };
    const all = await renderDocuments(empty);
    expect(Object.values(all).every((o) => o.ok)).toBe(true);
    expect(await textOf(all.certificates)).toContain('本年度无受表彰对象。');
    expect(await textOf(all.decision)).toContain('本年度无。');
  });

  it('names a chart the document does not have', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-templates-'));
    writeFileSync(path.join(dir, '表彰决定.md.hbs'), '# 决定\n\n::图{name="grades"}\n');
    const outcome = await decision(results, { templatesDir: dir });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(formatTemplateError(outcome.errors[0]!)).toBe(`${path.join(dir, '表彰决定.md.hbs')}:3:11 未知图表“grades”（可用：本文件不插入图表）`);
  });

  it.skipIf(!hasTool('soffice'))('fills a page with 22 lines of 28 characters', async () => {
    const text = '机关效能项目建设年活动考核总结表彰先进'.repeat(60);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-grid-'));
    const file = path.join(dir, 'grid.docx');
    writeFileSync(file, await renderDocx({ blocks: [{ kind: 'paragraph', spans: [{ text }] }] }, { title: 'grid' }));
    toPdf(dir, file);
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', path.join(dir, 'grid.pdf'), '-'], { encoding: 'utf8' });
    const lines = page1.split('\n').map((l) => l.trim()).filter((l) => l && !l.includes('—'));
    // The first line is indented by two characters.
    expect(lines.map((l) => [...l].length)).toEqual([26, ...Array(21).fill(28)]);
    // The page number's top is 7 mm (19.8 pt) below the text block, which ends 35 mm (99.2 pt) above
    // the page foot; on an odd page its right edge is one 4号 character (14 pt) in from the text's.
    const bbox = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-bbox', path.join(dir, 'grid.pdf'), '-'], { encoding: 'utf8' });
    const dashes = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>—<\/word>/g)];
    expect(dashes).toHaveLength(2);
    expect(Number(dashes[0]![2])).toBeCloseTo(841.89 - 99.21 + 19.84, -0.5);
    expect(595.28 - 73.7 - Number(dashes[1]![3])).toBeCloseTo(14, -0.5);
  });

  it.skipIf(!hasTool('soffice'))('converts to an A4 PDF that LibreOffice reads with the expected text', async () => {
    const outcome = await decision(results);
    if (!outcome.ok) throw new Error('decision failed');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-pdf-'));
    const file = path.join(dir, 'decision.docx');
    writeFileSync(file, outcome.docx);
    toPdf(dir, file);
    const pdf = path.join(dir, 'decision.pdf');
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('先进单位');
    expect(text).toContain('东湖区广电局');
    expect(text).toMatch(/—\s*1\s*—/);
  });
});
