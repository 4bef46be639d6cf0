// Tables and lists take fast paths (rows and one-line list items read outside remark, XML written
// without docx's object tree); these tests hold them to what remark and docx themselves make.
import {
  AlignmentType,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { describe, expect, it } from 'vitest';
import { columnWidths, renderDocx, TEXT_WIDTH } from '../generator/documents/docx.ts';
import { parseDocument, type Block, type Span } from '../generator/documents/markdown.ts';
import { readDocx } from './documents-docx-read.ts';

const source = { file: 'templates/测试.md.hbs', source: '' };

function tableOf(markdown: string): Extract<Block, { kind: 'table' }> {
  const parsed = parseDocument(markdown, source);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('；'));
  const table = parsed.tree.blocks.find((b) => b.kind === 'table');
  if (table?.kind !== 'table') throw new Error('no table');
  return table;
}

describe('table rows read as GFM reads them', () => {
  const rows = [
    '| 1 | 甲 | 2.0 |',
    '| 1 | 甲 | 2.0',
    '|1|甲|2.0|',
    '| | 甲 | |',
    '| 1 | 甲 |',
    '| 1 | 甲 | 2 | 4 |',
    '| **粗** | a\\|b | c |',
    '| 　全角　 | x  y | z |',
    '| 8:30 | a\\:b | &amp; |',
  ];
  const table = tableOf(`# 题\n\n| 名次 | 单位 | 分 |\n| --- | :-- | --: |\n${rows.join('\n')}\n续行 | x\n\n尾段\n`);

  it('keeps the header and every row in order, a following line without a pipe included', () => {
    expect(table.header).toEqual([[{ text: '名次' }], [{ text: '单位' }], [{ text: '分' }]]);
    expect(table.rows).toHaveLength(rows.length + 1);
    expect(table.rows[rows.length]).toEqual([[{ text: '续行' }], [{ text: 'x' }]]);
  });

  it('splits plain rows at pipes with or without the outer ones and trims only ASCII spaces', () => {
    for (const i of [0, 1, 2]) expect(table.rows[i]).toEqual([[{ text: '1' }], [{ text: '甲' }], [{ text: '2.0' }]]);
    expect(table.rows[3]).toEqual([[], [{ text: '甲' }], []]);
    expect(table.rows[7]).toEqual([[{ text: '　全角　' }], [{ text: 'x  y' }], [{ text: 'z' }]]);
  });

  it('leaves short and long rows as remark leaves them', () => {
    expect(table.rows[4]).toEqual([[{ text: '1' }], [{ text: '甲' }]]);
    expect(table.rows[5]).toEqual([[{ text: '1' }], [{ text: '甲' }], [{ text: '2' }], [{ text: '4' }]]);
  });

  it('reads inline syntax in a row: bold, escaped pipes and colons, entities, a colon that is not a directive', () => {
    expect(table.rows[6]).toEqual([[{ text: '粗', bold: true }], [{ text: 'a|b' }], [{ text: 'c' }]]);
    expect(table.rows[8]).toEqual([[{ text: '8' }, { text: ':30' }], [{ text: 'a:b' }], [{ text: '&' }]]);
  });

  it('reads a table line inside a fenced block as code, not as a table', () => {
    const parsed = parseDocument('```\n| a | b |\n| - | - |\n| 1 | 2 |\n```\n', source);
    expect(parsed.ok && parsed.tree.blocks).toEqual([{ kind: 'paragraph', spans: [{ text: '| a | b |\n| - | - |\n| 1 | 2 |' }] }]);
  });

  it('still names the rendered line of an unsupported construct after a table', () => {
    const parsed = parseDocument('| a |\n| - |\n| 1 |\n| 2 |\n\n> 引用\n', source);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]!.message).toContain('生成文本第 6 行：> 引用');
  });
});

describe('list items read as remark reads them', () => {
  /** A private-use character anywhere keeps parseDocument from lifting anything: remark reads it all. */
  const byRemark = (markdown: string) => {
    const parsed = parseDocument(`${markdown}\n\n\uE000\n`, source);
    return parsed.ok ? { ok: true, tree: { blocks: parsed.tree.blocks.slice(0, -1) } } : parsed;
  };
  const measures = Array.from({ length: 40 }, (_, i) => `${i % 3 === 0 ? 1 : i + 1}. 新闻综合频道${i}：对当事人进行诫勉谈话，扣发当月绩效（${i}%）。`);
  const cases: [string, string][] = [
    ['a long run of one-line items', `对查实的投诉采取了以下措施：\n\n${measures.join('\n')}\n\n尾段`],
    ['items straight after a paragraph, from 1. and from 2.', '段落\n1. 甲项\n2. 乙项\n\n段落\n2. 甲项\n3. 乙项'],
    ['delimiters and bullets that change start new lists', '1. 甲\n2) 乙\n3) 丙\n- 丁\n+ 戊\n* 己\n* 庚'],
    ['items with inline syntax, ASCII starts, two spaces, trailing spaces among plain ones', '1. 甲\n2. **粗**体\n3. 丙\n4. abc\n5.  丁\n6. 戊 \n7. 己　\n8. 庚\n9. 辛\x00\n10. 见WWW.example.com\n11. 壬'],
    ['a lazy line, a setext underline, a nested list, a second paragraph', '1. 甲\n2. 乙\n续行\n\n- 丙\n- 丁\n===\n\n1. 戊\n2. 己\n   - 庚\n\n1. 辛\n10. 壬\n\n   癸'],
    ['items in fenced code and in an HTML block', '```\n1. 甲\n2. 乙\n```\n\n<div>\n1. 丙\n2. 丁\n</div>\n\n1. 戊'],
    ['loose items, and one item alone', '1. 甲\n\n2. 乙\n\n3. 丙\n\n段落\n\n- 丁'],
    ['items starting with figures: a unit, a nested list, an empty nested item', '1. 805台：甲\n2. 12) 乙\n3. 2011年\n4. 7. 丙\n5. 12)\n6. 1234567890台'],
  ];
  for (const [name, markdown] of cases) {
    it(`gives remark's tree: ${name}`, () => {
      expect(parseDocument(markdown, source)).toEqual(byRemark(markdown));
    });
  }

  it('reads the long run as one list of every item', () => {
    const parsed = parseDocument(cases[0]![1], source);
    const list = parsed.ok ? parsed.tree.blocks.find((b) => b.kind === 'list') : undefined;
    expect(list?.kind === 'list' && list.items.map((item) => item.map((s) => s.text).join(''))).toEqual(measures.map((m) => m.replace(/^\d+\. /, '')));
  });
});

/** The table as docx builds it from its own objects: the reference for the XML written directly. */
async function docxTableXml(header: Span[][], rows: Span[][][]): Promise<string> {
  const columns = Math.max(header.length, ...rows.map((r) => r.length));
  const size = columns <= 6 ? 24 : 21;
  const widths = columnWidths(header, rows, columns, size);
  const font = (eastAsia: string) => ({ eastAsia, ascii: 'Times New Roman', hAnsi: 'Times New Roman', hint: 'eastAsia' as const });
  const width = (spans: Span[]) => [...spans.map((s) => s.text).join('')].reduce((w, c) => w + (c.charCodeAt(0) < 0x2e80 ? 0.5 : 1), 0);
  const centred = Array.from({ length: columns }, (_, col) => rows.every((r) => width(r[col] ?? []) <= 6));
  const row = (cells: Span[][], isHeader: boolean) =>
    new TableRow({
      tableHeader: isHeader,
      cantSplit: true,
      children: Array.from({ length: columns }, (_, col) => {
        const spans = cells[col] ?? [];
        return new TableCell({
          width: { size: widths[col]!, type: WidthType.DXA },
          verticalAlign: VerticalAlignTable.CENTER,
          children: [
            new Paragraph({
              alignment: isHeader || centred[col] ? AlignmentType.CENTER : AlignmentType.LEFT,
              style: 'KaoheTableText',
              children: isHeader
                ? [new TextRun({ text: spans.map((s) => s.text).join(''), font: font('黑体'), size, characterSpacing: -6 })]
                : spans.map(
                    (s) =>
                      new TextRun({ text: s.text, font: font('仿宋_GB2312'), size, characterSpacing: -6, bold: s.bold, italics: s.italic }),
                  ),
            }),
          ],
        });
      }),
    });
  const table = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    margins: { left: 60, right: 60, top: 20, bottom: 20 },
    alignment: AlignmentType.CENTER,
    rows: [row(header, true), ...rows.map((r) => row(r, false))],
  });
  const docx = await readDocx(await Packer.toBuffer(new Document({ sections: [{ children: [table] }] })));
  return /<w:tbl>.*<\/w:tbl>/.exec(await docx.part('word/document.xml'))![0];
}

describe('table XML written directly', () => {
  const cases: [string, Span[][], Span[][][]][] = [
    [
      'narrow, with bold, italic, markup characters, empty cells and a short row',
      [[{ text: '序号' }], [{ text: '单位' }], [{ text: '说明' }]],
      [
        [[{ text: '1' }], [{ text: '办公室<总>' }], [{ text: '甲' }, { text: '"乙"', bold: true }, { text: "丙'&", italic: true }]],
        [[], [{ text: '人事科' }]],
        [[{ text: '3' }], [{ text: '很长很长很长很长的单位名称' }], [{ text: '', bold: true, italic: true }]],
        [[{ text: '4', bold: true }], [{ text: '𠮷田乡' }], [{ text: '粗', bold: true }, { text: '斜', italic: true }, { text: '粗斜', bold: true, italic: true }, { text: '常' }]],
      ],
    ],
    [
      'every run style in every column, a header of markup characters, rows past the first sharing cached openings',
      [[{ text: 'A&B' }], [{ text: '<甲>' }, { text: '乙', bold: true }], [{ text: "'丙'" }]],
      Array.from({ length: 12 }, (_, i) =>
        Array.from({ length: 3 }, (_, col) => [{ text: `${i}-${col}${i % 5 === 0 ? '很长的说明文字' : ''}`, bold: (i + col) % 2 === 0 || undefined, italic: i % 3 === col || undefined }]),
      ),
    ],
    [
      'wide (五号), with an empty header cell',
      Array.from({ length: 8 }, (_, i) => (i === 7 ? [] : [{ text: `列${i + 1}` }])),
      [Array.from({ length: 8 }, (_, i) => [{ text: String(i * 1.5) }])],
    ],
    [
      'long, its XML written in several 64 KB chunks, a chunk ending after any row',
      [[{ text: '序号' }], [{ text: '单位' }], [{ text: '说明' }]],
      Array.from({ length: 400 }, (_, i) => [[{ text: String(i + 1) }], [{ text: `第${i + 1}单位` }], [{ text: '说明'.repeat(i % 7), bold: i % 2 === 0 || undefined }]]),
    ],
  ];

  for (const [name, header, rows] of cases) {
    it(`is what docx writes for the same table: ${name}`, async () => {
      const docx = await readDocx(await renderDocx({ blocks: [{ kind: 'table', header, rows }] }, { title: '表' }));
      const written = /<w:tbl>.*<\/w:tbl>/.exec(await docx.part('word/document.xml'))![0];
      expect(written).toBe(await docxTableXml(header, rows));
    });
  }

  it('puts each table in its place among the paragraphs, a page break before one included', async () => {
    const table = (t: string): Block => ({ kind: 'table', header: [[{ text: t }]], rows: [[[{ text: `${t}1` }]]] });
    const tree = {
      blocks: [
        { kind: 'paragraph', spans: [{ text: '前' }] },
        table('甲'),
        { kind: 'paragraph', spans: [{ text: '中' }] },
        { kind: 'pageBreak' },
        table('乙'),
        { kind: 'paragraph', spans: [{ text: '后' }] },
      ] satisfies Block[],
    };
    const docx = await readDocx(await renderDocx(tree, { title: '表' }));
    expect((await docx.text()).split('\n').filter(Boolean)).toEqual(['前', '甲', '甲1', '中', '乙', '乙1', '后']);
    const xml = await docx.part('word/document.xml');
    expect(xml).not.toContain('\uE000');
    // The hairline paragraph carrying the break sits right before the second table.
    expect(xml).toMatch(/<w:pageBreakBefore\/><w:spacing w:line="20" w:lineRule="exact"\/><\/w:pPr><\/w:p><w:tbl>(?:(?!<\/w:tbl>).)*乙1/);
  });
});
