// The documents an office issues, read back from the demo's real run: 版头 and 文号, 落款 placed
// in characters, titles broken between words, no folders, counts that add up, namesakes told
// apart; and the 22 × 28 grid measured on a LibreOffice rendering (with Noto Serif CJK, not
// the 仿宋_GB2312 the documents name).
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../generator/commands/demo.ts';
import { annualReport } from '../generator/documents/annual-report.ts';
import { decision } from '../generator/documents/decision.ts';
import { chartFontCovers, chartLabels } from '../generator/documents/charts.ts';
import { INDENT_CELL_TWIPS, renderDocx } from '../generator/documents/docx.ts';
import { titleLines } from '../generator/documents/title-lines.ts';
import { OUTPUT_FILES } from '../generator/commands/report.ts';
import { readDocx, type DocxParts } from './documents-docx-read.ts';
import { fixtureResults } from './documents-fixture.ts';

let dir: string;
const docs: Record<string, DocxParts> = {};
const DOCS = [OUTPUT_FILES.decision, OUTPUT_FILES.publicNotice, OUTPUT_FILES.summaryReport, OUTPUT_FILES.certificates];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-issue-'));
  expect(await demoCommand({ out: dir })).toBe(0);
  for (const name of DOCS) docs[name] = await readDocx(await fs.readFile(path.join(dir, name)));
}, 120_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const paragraphs = async (doc: DocxParts) => (await doc.part('word/document.xml')).split('</w:p>');
const textOf = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
const indentOf = (xml: string, side: 'left' | 'right') => Number(new RegExp(`<w:ind [^>]*w:${side}="(\\d+)"`).exec(xml)?.[1] ?? 0);
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const wordEnds = (text: string) => new Set([...segmenter.segment(text)].map((s) => s.index + s.segment.length));

describe('版头', () => {
  it('puts the red 发文机关标志 and the 文号 above the 决定 title, with a red line under the 文号', async () => {
    const ps = await paragraphs(docs[OUTPUT_FILES.decision]!);
    const mark = ps.findIndex((p) => textOf(p) === '市广播电影电视局文件');
    expect(mark).toBe(0);
    expect(ps[mark]).toMatch(/<w:color w:val="FF0000"\/>/);
    expect(textOf(ps[1]!)).toBe('市广电发〔2012〕3号');
    expect(ps[1]).toMatch(/<w:bottom [^>]*w:color="FF0000"/);
    expect(textOf(ps[2]!)).toContain('关于表彰');
  });

  it('is on the 公示 and not on the report by default', async () => {
    expect(textOf((await paragraphs(docs[OUTPUT_FILES.publicNotice]!))[0]!)).toBe('市广播电影电视局文件');
    expect(await docs[OUTPUT_FILES.summaryReport]!.text()).not.toContain('市广播电影电视局文件');
  });
});

describe('落款 in characters of the body', () => {
  it('unsealed (公示): the date starts exactly two characters right of the organ', async () => {
    const ps = await paragraphs(docs[OUTPUT_FILES.publicNotice]!);
    const organ = ps.findLastIndex((p) => textOf(p) === '市广播电影电视局');
    const offset = (indentOf(ps[organ + 1]!, 'left') - indentOf(ps[organ]!, 'left')) / INDENT_CELL_TWIPS;
    expect(textOf(ps[organ + 1]!)).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(offset).toBeCloseTo(2, 2);
    // 右空二字 at most: the organ (8 characters) starts at character 28 − 2 − 8 or further left.
    expect(indentOf(ps[organ]!, 'left') / INDENT_CELL_TWIPS).toBeLessThanOrEqual(18);
  });

  it('sealed (决定): the date 右空四字', async () => {
    const ps = await paragraphs(docs[OUTPUT_FILES.decision]!);
    const date = ps.findIndex((p) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(textOf(p)));
    expect(indentOf(ps[date]!, 'right') / INDENT_CELL_TWIPS).toBeCloseTo(4, 2);
    expect(ps[date]).toMatch(/<w:jc w:val="right"\/>/);
  });
});

describe('落款 in a rendering', () => {
  it('has the 公示 date two body characters right of the organ, in LibreOffice', async () => {
    execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, OUTPUT_FILES.publicNotice)], {
      stdio: 'ignore',
    });
    const pdf = path.join(dir, OUTPUT_FILES.publicNotice.replace(/\.docx$/, '.pdf'));
    const words = [...execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' }).matchAll(/<word xMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)];
    const organ = words.findLast((w) => w[2] === '市广播电影电视局')!;
    const date = words[words.indexOf(organ) + 1]!;
    expect(date[2]).toMatch(/^\d{4}/);
    const bodyChar = INDENT_CELL_TWIPS / 20; // a cell of the grid, in points
    expect((Number(date[1]) - Number(organ[1])) / bodyChar).toBeCloseTo(2, 1);
  }, 120_000);
});

describe('版记', () => {
  it('closes the 决定 in a section of its own that starts on an even page', async () => {
    const xml = await docs[OUTPUT_FILES.decision]!.part('word/document.xml');
    const last = xml.slice(xml.lastIndexOf('<w:sectPr>'));
    expect(last).toContain('<w:type w:val="evenPage"/>');
    const tail = textOf(xml.slice(xml.lastIndexOf('抄送') - 200));
    expect(tail).toMatch(/抄送：市委效能办，市纪委驻局纪检组。.*市广播电影电视局办公室.*印发/);
  });
});

describe('版记 in a rendering', () => {
  it('lands at the foot of the 决定\'s last page, an even one with no page number', async () => {
    const file = path.join(dir, OUTPUT_FILES.decision);
    execFileSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], {
      stdio: 'ignore',
    });
    const pdf = file.replace(/\.docx$/, '.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    expect(pages % 2).toBe(0);
    const pageText = (n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdf, '-'], { encoding: 'utf8' });
    const last = pageText(pages).split('\n').filter((l) => l.trim());
    expect(last.join('\n')).toMatch(/抄送：/);
    expect(last.at(-1)).toMatch(/印发$/); // the 版记's last line is the page's last
    expect(last.join('')).not.toMatch(/—\s*\d+\s*—/);
    for (let n = 1; n < pages; n++) expect(pageText(n)).not.toMatch(/抄送：/);
    // The 文号 is off the grid: on it LibreOffice padded 2012 to whole cells (〔2012 〕3 号).
    expect(pageText(1)).toContain('市广电发〔2012〕3');
    // Its foot: the 印发 line's baseline within a line of the text block's last line (35 mm up).
    const bbox = execFileSync('pdftotext', ['-bbox', '-f', String(pages), '-l', String(pages), pdf, '-'], { encoding: 'utf8' });
    const words = [...bbox.matchAll(/<word [^>]*yMax="([\d.]+)">([^<]*)<\/word>/g)];
    const foot = Number(words.findLast((w) => w[2]!.endsWith('印发'))![1]);
    expect(Math.abs(foot - (297 - 35) * (72 / 25.4))).toBeLessThan(579 / 20);
  }, 120_000);
});

describe('the results tables in a rendering', () => {
  it('keeps every unit name of 表2 on one line beside its eight scores, the demo\'s longest too', async () => {
    const file = path.join(dir, OUTPUT_FILES.summaryReport);
    execFileSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], {
      stdio: 'ignore',
    });
    const text = execFileSync('pdftotext', ['-layout', file.replace(/\.docx$/, '.pdf'), '-'], { encoding: 'utf8' });
    const table2 = text.slice(text.indexOf('表2'), text.indexOf('名次按总分排列'));
    const rows = table2.split('\n').filter((l) => /\d+\.\d\d\s*$/.test(l));
    // A name is whatever precedes the scores (pdftotext parts 805 from 台 where the font changes).
    const scored = rows.map((l) => /^\s*(\S.*?)((?:\s+\d+\.\d\d){8})\s*$/.exec(l)?.[1]?.replace(/ /g, ''));
    expect(scored).not.toContain(undefined);
    expect(scored).toContain('市广电实业发展有限公司');
    expect(scored).toHaveLength(16); // the demo's 17 units less 石桥县广电局, which handed nothing in
  }, 120_000);
});

describe('titles', () => {
  it('end no line inside a word, in every document of the demo', async () => {
    for (const name of DOCS) {
      for (const p of await paragraphs(docs[name]!)) {
        if (!p.includes('w:eastAsia="方正小标宋简体"') || !p.includes('<w:br/>')) continue;
        const lines = p.split('<w:br/>').map(textOf);
        const ends = wordEnds(lines.join(''));
        let at = 0;
        for (const line of lines.slice(0, -1)) {
          at += line.length;
          expect(ends.has(at), `${name}: “${line}|”`).toBe(true);
        }
      }
    }
  });

  it('break a long custom title between words, 梯形 or 菱形, and keep forced breaks', () => {
    const title = '关于进一步加强和改进全市广播电视系统机关作风建设切实提高行政审批服务效能的实施意见';
    const lines = titleLines(title, 20);
    expect(lines.join('')).toBe(title);
    const ends = wordEnds(title);
    let at = 0;
    for (const line of lines.slice(0, -1)) expect(ends.has((at += line.length))).toBe(true);
    expect(titleLines('市广播电影电视局\n关于表彰先进的决定', 20)).toEqual(['市广播电影电视局', '关于表彰先进的决定']);
  });
});

describe('the content', () => {
  it('names no folder, cell code, ISO date or 提醒 anywhere', async () => {
    for (const name of DOCS) {
      const text = await docs[name]!.text();
      expect(text, name).not.toContain(dir);
      expect(text, name).not.toMatch(/[\\/]\S*[\\/]/);
      expect(text, name).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      // No cell codes (G2) and no check severity word: places and actions are in words.
      expect(text, name).not.toMatch(/(?<![A-Za-z])[A-Z]{1,2}\d+(?![\d.])/);
      expect(text, name).not.toContain('提醒');
    }
  });

  it('adds the problems up: found = fixed + in progress + not fixed, in the text and the table', async () => {
    const doc = docs[OUTPUT_FILES.summaryReport]!;
    const text = await doc.text();
    const [, found, fixed, fixing, notFixed] = /查找问题(\d+)个，已整改(\d+)个，正在整改(\d+)个，尚未整改(\d+)个/.exec(text)!.map(Number);
    expect(found).toBe(fixed! + fixing! + notFixed!);
    const total = (await doc.rows()).find((r) => r[0] === '合计' && r.length === 5)!;
    expect(total.slice(1).map(Number)).toEqual([found, fixed, fixing, notFixed]);
  });

  it('keeps 查实 apart from 部分属实 in the complaints table', async () => {
    const rows = await docs[OUTPUT_FILES.summaryReport]!.rows();
    const header = rows.find((r) => r[0] === '单位' && r.includes('部分属实'))!;
    expect(header).toContain('查实');
  });

  it('tells the two 吴志强 apart by unit in the 决定 and on their certificates', async () => {
    const decision = await docs[OUTPUT_FILES.decision]!.text();
    expect(decision).toContain('吴志强（西山区广电局）');
    expect(decision).toContain('吴志强（青山县广电局）');
    const certificates = await docs[OUTPUT_FILES.certificates]!.text();
    expect(certificates).toContain('西山区广电局吴志强同志：');
    expect(certificates).toContain('青山县广电局吴志强同志：');
  });
});

describe('the 22 × 28 grid in a rendering', () => {
  it('holds in LibreOffice with a CJK font other than the demo\'s: 22 lines of 28 characters, one to a cell', async () => {
    // A page of nothing but body text, drawn in Noto Serif CJK (the demo falls back to Noto Sans
    // CJK for 仿宋_GB2312): fontconfig is told to take it for the body font, in a LibreOffice of
    // its own so the setting cannot go to an instance already running.
    const text = '机关效能建设是一项长期任务各单位要把工作抓紧抓实抓出成效'.repeat(30);
    const docx = await renderDocx({ blocks: [{ kind: 'paragraph', spans: [{ text }] }] }, { title: '网格' });
    const file = path.join(dir, '网格.docx');
    await fs.writeFile(file, docx);
    const fontsConf = path.join(dir, 'fonts.conf');
    await fs.writeFile(
      fontsConf,
      `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
        <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
        <alias binding="strong"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
      </fontconfig>`,
    );
    const profile = `file://${path.join(dir, 'lo-profile')}`;
    execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], {
      stdio: 'ignore',
      env: { ...process.env, FONTCONFIG_FILE: fontsConf },
    });
    const pdf = path.join(dir, '网格.pdf');
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSerifCJK/);
    expect(fonts).not.toMatch(/NotoSansCJK|FangSong|仿宋/);
    const words = [...execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' }).matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<\/word>/g,
    )].map((m) => ({ x0: Number(m[1]), y: Number(m[2]), x1: Number(m[3]), text: m[4]! }));
    const body = words.filter((w) => /\p{Script=Han}/u.test(w.text)); // not the page number
    const byLine = new Map<number, typeof body>();
    for (const w of body) byLine.set(Math.round(w.y), [...(byLine.get(Math.round(w.y)) ?? []), w]);
    const rows = [...byLine.values()];
    expect(rows.length).toBe(22);
    expect((rows[21]![0]!.y - rows[0]![0]!.y) / 21).toBeCloseTo(579 / 20, 1);
    const count = (row: typeof body) => row.reduce((n, w) => n + [...w.text].length, 0);
    expect(count(rows[0]!)).toBe(26); // two cells of first-line indent
    for (const row of rows.slice(1)) expect(count(row)).toBe(28);
    // One character a cell: 28 cells of LibreOffice's 15.73 pt fill the line from the left margin.
    const left = Math.min(...rows[1]!.map((w) => w.x0));
    const right = Math.max(...rows[1]!.map((w) => w.x1));
    expect(Math.abs(left - (28 * 72) / 25.4)).toBeLessThan(1); // the 28 mm margin, less a glyph's side bearing
    expect((right - left) / 28).toBeCloseTo(INDENT_CELL_TWIPS / 20, 1);
  }, 120_000);
});

describe('a unit name the chart font cannot draw', () => {
  it('is drawn in the chart as 注1 and printed by the document as text under it', async () => {
    const results = fixtureResults();
    const rare = '𠮷田乡自然资源所';
    results.units[1] = { ...results.units[1]!, unitName: rare };
    expect(chartFontCovers(rare)).toBe(false);
    expect(chartFontCovers(results.units[0]!.unitName)).toBe(true);
    expect(chartLabels(results.units.map((u) => u.unitName))).toEqual({
      labels: results.units.map((u, i) => (i === 1 ? '注1' : u.unitName)),
      notes: [`注1：${rare}`],
    });
    const outcome = await annualReport(results);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const lines = (await (await readDocx(outcome.docx)).text()).split('\n');
    expect(lines).toContain(`注1：${rare}`);
  }, 60_000);
});

describe('文号 from the command line', () => {
  it('wins over the plan for the 决定, and a plan without documents: gets the defaults', async () => {
    const results = fixtureResults();
    const withNumber = await decision(results, { number: '市广电发〔2012〕9号' });
    if (!withNumber.ok) throw new Error(JSON.stringify(withNumber.errors));
    expect((await (await readDocx(withNumber.docx)).text()).split('\n')).toContain('市广电发〔2012〕9号');
    const bare = await decision({ ...results, documents: {} });
    if (!bare.ok) throw new Error(JSON.stringify(bare.errors));
    const text = await (await readDocx(bare.docx)).text();
    expect(text.split('\n')[0]).toBe('市广播电影电视局文件');
    expect(text).toContain('市广播电影电视局办公室');
  });
});
