import { describe, expect, it } from 'vitest';
import { columnWidths, mmToTwip, renderDocx, TEXT_WIDTH } from '../generator/documents/docx.ts';
import type { DocumentTree } from '../generator/documents/markdown.ts';
import { readDocx } from './documents-docx-read.ts';

const tree: DocumentTree = {
  blocks: [
    { kind: 'title', spans: [{ text: '关于表彰先进的决定' }] },
    { kind: 'addressee', text: '各科室：' },
    { kind: 'heading', level: 1, spans: [{ text: '总体情况' }] },
    { kind: 'heading', level: 2, spans: [{ text: '学习动员' }] },
    { kind: 'heading', level: 3, spans: [{ text: '集中学习' }] },
    { kind: 'heading', level: 3, spans: [{ text: '专题报道' }] },
    { kind: 'heading', level: 2, spans: [{ text: '组织实施' }] },
    { kind: 'paragraph', spans: [{ text: '正文\u0007含控制字符\u0000。' }] },
    { kind: 'heading', level: 1, spans: [{ text: '考核结果' }] },
    { kind: 'table', header: [[{ text: '单位' }], [{ text: '总分' }]], rows: [[[{ text: '办公室' }], [{ text: '102.0' }]]] },
    { kind: 'signature', organ: '市广播电影电视局', date: '2012-01-11' },
  ],
};

describe('docx layout per GB/T 9704', async () => {
  const docx = await readDocx(await renderDocx(tree, { title: '测试' }));
  const document = await docx.part('word/document.xml');

  it('is A4 with the standard margins in exact twips', () => {
    // 37/35/28/26 mm rounded to the nearest twip, not down.
    expect([mmToTwip(37), mmToTwip(35), mmToTwip(28), mmToTwip(26)]).toEqual([2098, 1984, 1587, 1474]);
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
    expect(document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(TEXT_WIDTH).toBe(8845);
  });

  it('sets body text in 3号 仿宋_GB2312 on a grid of 22 lines of 28 characters, drawn 98 % wide', async () => {
    const styles = await docx.part('word/styles.xml');
    expect(styles).toMatch(/<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"[^>]*\/><w:sz w:val="32"\/>/);
    expect(styles).toContain('<w:spacing w:line="579" w:lineRule="exact"/>');
    // 28 cells of 16 pt − 842/4096 pt = 442.2 pt, the 156 mm line; LibreOffice reads the 16 pt from Normal.
    expect(document).toContain('<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/>');
    expect(28 * (16 - 842 / 4096) * 20).toBeLessThanOrEqual(TEXT_WIDTH);
    expect(styles).toMatch(/w:styleId="Normal"(?:(?!<\/w:style>).)*<w:w w:val="98"\/><w:sz w:val="32"\/>/);
    expect(styles).toMatch(/w:styleId="KaoheOffGrid"(?:(?!<\/w:style>).)*<w:w w:val="100"\/>/);
    const body = /<w:p>(?:(?!<\/w:p>).)*正文(?:(?!<\/w:p>).)*<\/w:p>/.exec(document)![0];
    expect(body).toContain('<w:spacing w:line="579" w:lineRule="exact"/>');
    expect(body).toContain('<w:ind w:firstLine="629"/>'); // two cells as LibreOffice counts them (15.73 pt)
    expect(body).toContain('w:eastAsia="仿宋_GB2312"');
    expect(body).not.toContain('<w:spacing w:val=');
  });

  it('names an East Asian font on every run', () => {
    const runs = document.match(/<w:r>.*?<\/w:r>/g)!;
    expect(runs.length).toBeGreaterThan(10);
    for (const r of runs.filter((x) => x.includes('<w:t'))) expect(r).toMatch(/w:eastAsia="[^"]+"/);
  });

  it('uses 方正小标宋简体 2号 for the title and 黑体/楷体/仿宋 bold for the heading levels', () => {
    expect(document).toMatch(/w:eastAsia="方正小标宋简体"[^>]*\/><w:sz w:val="44"\/>/);
    expect(document).toMatch(/w:eastAsia="黑体"[^/]*\/><w:sz w:val="32"\/><w:szCs w:val="32"\/><\/w:rPr><w:t xml:space="preserve">一、<\/w:t>/);
    expect(document).toMatch(/w:eastAsia="楷体_GB2312"[^/]*\/><w:sz w:val="32"\/><w:szCs w:val="32"\/><\/w:rPr><w:t xml:space="preserve">（一）<\/w:t>/);
    expect(document).toMatch(/<w:b\/><w:bCs\/>(?:(?!<\/w:r>).)*<w:t xml:space="preserve">1\. <\/w:t>/);
  });

  it('numbers headings 一、（一）1. and restarts lower levels under a new parent', async () => {
    const lines = (await docx.text()).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining(['一、总体情况', '（一）学习动员', '1. 集中学习', '2. 专题报道', '（二）组织实施', '二、考核结果']),
    );
  });

  it('strips control characters from text', async () => {
    expect(await docx.text()).toContain('正文含控制字符。');
  });

  it('repeats table headers and fixes column widths that fill the text width', () => {
    expect(document).toContain('<w:tblHeader/>');
    const cols = [...document.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(cols.reduce((a, b) => a + b, 0)).toBe(8845);
  });

  it('puts the page number as — N — on the outside edge of odd and even pages', async () => {
    expect(await docx.part('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    expect(document).toMatch(/<w:footerReference w:type="default" r:id="(\w+)"\/><w:footerReference w:type="even"/);
    const footers = await Promise.all(['word/footer1.xml', 'word/footer2.xml'].map((f) => docx.part(f)));
    const odd = footers.find((f) => f.includes('<w:jc w:val="right"/>'))!;
    const even = footers.find((f) => f.includes('<w:jc w:val="left"/>'))!;
    for (const footer of [odd, even]) {
      expect(footer).toContain('<w:t xml:space="preserve">— </w:t>');
      expect(footer).toContain('<w:t xml:space="preserve"> —</w:t>');
      expect(footer).toMatch(/<w:instrText xml:space="preserve">PAGE<\/w:instrText>/);
      expect(footer).toContain('w:eastAsia="宋体"');
      expect(footer).toContain('<w:sz w:val="28"/>');
    }
    expect(odd).toContain('<w:ind w:right="280"/>');
    expect(even).toContain('<w:ind w:left="280"/>');
  });

  it('puts the organ 右空二字 and starts the date two characters further right, in grid characters', () => {
    // 2012年1月11日 may take 3 + 7 × 0.65 + 5 × 0.25 = 8.8 characters, more than the organ's 8:
    // the date ends 右空二字 (starts at 28 − 2 − 8.8 = 17.2) and the organ starts two before it.
    expect(document).toMatch(/<w:ind w:left="4782" w:firstLine="0"\/><w:jc w:val="left"\/>(?:(?!<\/w:p>).)*市广播电影电视局/);
    expect(document).toMatch(/<w:ind w:left="5411" w:firstLine="0"\/><w:jc w:val="left"\/>(?:(?!<\/w:p>).)*2012年1月11日/);
  });
});

describe('版记', () => {
  it('prints 抄送 and 印发 between rules, 4号, with the date in Chinese', async () => {
    const buffer = await renderDocx(
      { blocks: [{ kind: 'colophon', cc: '市委宣传部', printer: '市广播电影电视局办公室', date: '2012-01-11' }] },
      { title: '版记' },
    );
    const docx = await readDocx(buffer);
    const lines = (await docx.text()).split('\n');
    // A leading ideographic space keeps the text a character in while the rules run full width.
    expect(lines).toContain('\u3000抄送：市委宣传部。');
    expect(lines).toContain('\u3000市广播电影电视局办公室2012年1月11日印发');
    const xml = await docx.part('word/document.xml');
    expect(xml).toContain('<w:type w:val="evenPage"/>');
    expect(xml).toMatch(/<w:pBdr><w:top w:val="single"[^>]*w:sz="8"/);
    expect(xml).toContain('<w:sz w:val="28"/>');
  });
});

describe('column widths', () => {
  it('gives short columns room not to wrap and the rest to long text, summing to the text width', () => {
    const cell = (text: string) => [{ text }];
    const widths = columnWidths(
      [cell('序号'), cell('重点任务'), cell('完成情况')],
      [[cell('1'), cell('完善项目建设预案，拿出可行性方案并报局党组审定后组织实施'), cell('按期完成')]],
      3,
      24,
    );
    expect(widths.reduce((a, b) => a + b, 0)).toBe(8845);
    // 序号: header may wrap to one character per line, so 1 × 240 + 160 padding at least.
    expect(widths[0]).toBeGreaterThanOrEqual(400);
    expect(widths[2]).toBeGreaterThanOrEqual(4 * 240 + 160);
    expect(widths[1]).toBeGreaterThan(widths[2]!);
  });

  it('keeps a long name to one line beside eight score columns, their headers on two lines', () => {
    const cell = (text: string) => [{ text }];
    const header = ['单位', '组织领导', '学习动员', '重点任务', '效能投诉', '作风建设', '政务公开', '制度建设', '问题整改'].map(cell);
    const rows = [['市广电实业发展有限公司', ...Array(8).fill('30.00')].map(cell), ['办公室', ...Array(8).fill('5.00')].map(cell)];
    const widths = columnWidths(header, rows, 9, 21);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(8845);
    expect(widths[0]).toBeGreaterThanOrEqual(11 * 210 + 160);
    // 30.00 at 0.6 a figure: 3 characters, and 组织领导 in two lines of 2.
    for (const w of widths.slice(1)) expect(w).toBeGreaterThanOrEqual(3 * 210 + 160);
  });
});
