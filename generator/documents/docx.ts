// Lays a DocumentTree out as a .docx per GB/T 9704-2012 (党政机关公文格式): A4, fixed margins,
// 3号仿宋 body on a 22 × 28 grid, 一、/（一）/1. headings, `— 1 —` page numbers on the outside edge.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  PageBorderDisplay,
  PageBorderOffsetFrom,
  Paragraph,
  Tab,
  TabStopType,
  TextRun,
  type IParagraphOptions,
  type IRunOptions,
} from 'docx';
import { chineseDate } from '../../core/calendar.ts';
import { chineseNumeral } from './helpers.ts';
import { spliceTables, tableMarker, tableXml, type TableCellXml } from './table-xml.ts';
import type { Block, DocumentTree, Span } from './markdown.ts';

/** docx's convertMillimetersToTwip rounds down; GB/T 9704 margins need the nearest twip. */
export const mmToTwip = (mm: number): number => Math.round((mm * 1440) / 25.4);

export const PAGE = {
  width: 11906,
  height: 16838,
  margin: { top: mmToTwip(37), bottom: mmToTwip(35), left: mmToTwip(28), right: mmToTwip(26) },
  /**
   * Page edge to the page number line's foot, so the number's top sits 7 mm below the text
   * block (GB/T 9704 7.5): 35 − 7 mm less one 4号 line (measured in LibreOffice's PDF).
   */
  footer: mmToTwip(22),
} as const;
export const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;

/** 22 lines in the 225 mm text block (measured in Word and LibreOffice). */
export const LINE_TWIPS = 579;
const BODY_SIZE = 32; // 3号 = 16 pt, in half-points
/** −0.3 pt: 28 characters of 16 pt fit the 156 mm line only with this tightening. */
const CHAR_SPACING = -6;
/** One character's advance in twips: 16 pt plus the character spacing. */
const CHAR_TWIPS = BODY_SIZE * 10 + CHAR_SPACING;
const INDENT_2 = 2 * CHAR_TWIPS;
/** Table cells use ordinary single spacing, not the body's fixed grid. */
const TABLE_TEXT_STYLE = 'KaoheTableText';

export const FONTS = {
  body: '仿宋_GB2312',
  title: '方正小标宋简体',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
  latin: 'Times New Roman',
} as const;

export interface Figure {
  png: Uint8Array;
  /** Display size in pixels at 96 dpi. */
  width: number;
  height: number;
}

export interface RenderOptions {
  title: string;
  figures?: Record<string, Figure>;
  /** Certificates carry no page numbers; every other document does. */
  pageNumbers?: boolean;
  /**
   * Lays each page out as a 荣誉证书 rather than a 公文: a large spaced title a third down the
   * page, the 主送 line as the awardee's name, roomier body lines, the 落款 lower, a page border.
   */
  certificate?: boolean;
}

interface RunStyle {
  font?: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
  color?: string;
  characterSpacing?: number;
}

/** 荣誉证书 measures, in half-points and twips. */
const CERTIFICATE = {
  color: 'C00000',
  titleSize: 80, // 40 pt
  /** One character of space between the title's characters. */
  titleSpacing: 400,
  /** Puts the title's baseline about a third of the way down the A4 page. */
  titleBefore: 2600,
  titleLine: 1100,
  titleAfter: 900,
  nameSize: 44, // 2号
  textSize: 36, // 小二: the citation reads from arm's length
  line: 720,
  signatureBefore: 2 * 720,
  /** Page border, drawn 24 pt in from the paper's edge. */
  border: { style: BorderStyle.DOUBLE, size: 18, color: 'C00000', space: 24 },
} as const;

/** Control characters make Word refuse the file; tabs become spaces. */
export function cleanText(text: string): string {
  return text.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f\ufffe\uffff]/g, '');
}

function run(text: string, style: RunStyle = {}): TextRun {
  const options: IRunOptions = {
    text: cleanText(text),
    font: { eastAsia: style.font ?? FONTS.body, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' },
    size: style.size ?? BODY_SIZE,
    characterSpacing: style.characterSpacing ?? CHAR_SPACING,
    bold: style.bold,
    italics: style.italic,
    color: style.color,
  };
  return new TextRun(options);
}

const runsOf = (spans: Span[], style: RunStyle = {}) =>
  spans.map((s) => run(s.text, { ...style, bold: style.bold || s.bold, italic: s.italic }));
const plain = (spans: Span[]) => spans.map((s) => s.text).join('');

const bodySpacing = { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } as const;

/** Display width in characters: CJK counts 1, Latin letters and digits half. */
function charWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) < 0x2e80 ? 0.5 : 1;
  return w;
}

// ---------- blocks ----------

class Layout {
  readonly children: Paragraph[] = [];
  /** Each table's XML, in the order of their markers among the children. */
  readonly tables: Uint8Array[] = [];
  private counters = [0, 0, 0];
  private breakBefore = false;

  constructor(private readonly options: RenderOptions) {}

  add(block: Block): void {
    if (this.options.certificate && this.addCertificate(block)) return;
    switch (block.kind) {
      case 'title':
        this.counters = [0, 0, 0];
        this.push(
          this.paragraph({
            children: runsOf(block.spans, { font: FONTS.title, size: 44 }),
            alignment: AlignmentType.CENTER,
            spacing: { ...bodySpacing, after: LINE_TWIPS },
          }),
        );
        return;
      case 'heading':
        this.push(this.heading(block.level, block.spans));
        return;
      case 'paragraph':
        this.push(this.body(runsOf(block.spans)));
        return;
      case 'list':
        block.items.forEach((item, i) =>
          this.push(this.body([...(block.ordered ? [run(`${i + 1}. `)] : []), ...runsOf(item)])),
        );
        return;
      case 'table':
        this.pushTable(block.header, block.rows);
        return;
      case 'pageBreak':
        this.breakBefore = true;
        return;
      case 'addressee':
        this.push(this.body([run(block.text)], { indent: {}, alignment: AlignmentType.LEFT }));
        return;
      case 'attachmentNote':
        this.attachmentNote(block.items);
        return;
      case 'signature':
        this.signature(block.organ, chineseDate(block.date));
        return;
      case 'colophon':
        this.colophon(block.cc, block.printer, chineseDate(block.date));
        return;
      case 'figure':
        this.figure(block.name);
        return;
      case 'attachment':
        this.counters = [0, 0, 0];
        this.breakBefore = true;
        // The attachment's title then falls on the third line of the page (GB/T 9704 8).
        this.push(
          this.body([run(block.label, { font: FONTS.heading1 })], {
            indent: {},
            alignment: AlignmentType.LEFT,
            spacing: { ...bodySpacing, after: LINE_TWIPS },
          }),
        );
        return;
    }
  }

  /** The blocks a 荣誉证书 lays out its own way; false leaves the block to the 公文 layout. */
  private addCertificate(block: Block): boolean {
    const spacing = { line: CERTIFICATE.line, lineRule: LineRuleType.EXACT };
    switch (block.kind) {
      case 'title': {
        // Spacing between characters but not after the last, so the title stays centred.
        const text = plain(block.spans).replace(/\s+/g, '');
        const style = { font: FONTS.title, size: CERTIFICATE.titleSize, color: CERTIFICATE.color };
        const chars = [...text];
        this.push(
          this.paragraph({
            children: chars.map((ch, i) =>
              run(ch, { ...style, characterSpacing: i < chars.length - 1 ? CERTIFICATE.titleSpacing : 0 }),
            ),
            alignment: AlignmentType.CENTER,
            spacing: {
              line: CERTIFICATE.titleLine,
              lineRule: LineRuleType.EXACT,
              before: CERTIFICATE.titleBefore,
              after: CERTIFICATE.titleAfter,
            },
          }),
        );
        return true;
      }
      case 'addressee':
        this.push(
          this.paragraph({
            children: [run(block.text, { font: FONTS.heading2, size: CERTIFICATE.nameSize, characterSpacing: 0 })],
            alignment: AlignmentType.LEFT,
            spacing: { ...spacing, after: CERTIFICATE.line / 2 },
          }),
        );
        return true;
      case 'paragraph':
        this.push(
          this.body(runsOf(block.spans, { size: CERTIFICATE.textSize }), {
            spacing,
            indent: { firstLine: 2 * CERTIFICATE.textSize * 10 },
          }),
        );
        return true;
      case 'signature': {
        const line = (text: string, before: number) =>
          this.paragraph({
            children: [run(text, { size: CERTIFICATE.textSize })],
            alignment: AlignmentType.RIGHT,
            indent: { right: 2 * CERTIFICATE.textSize * 10 },
            spacing: { ...spacing, before },
            keepNext: true,
          });
        this.push(line(block.organ, CERTIFICATE.signatureBefore));
        this.push(line(chineseDate(block.date), 0));
        return true;
      }
      default:
        return false;
    }
  }

  private push(item: Paragraph): void {
    this.children.push(item);
  }

  /** Every paragraph is made here so a pending page break lands on the next one made. */
  private paragraph(options: IParagraphOptions): Paragraph {
    const pageBreakBefore = this.breakBefore;
    this.breakBefore = false;
    return new Paragraph({ ...options, pageBreakBefore });
  }

  private body(children: IParagraphOptions['children'], extra: Partial<IParagraphOptions> = {}): Paragraph {
    return this.paragraph({
      children,
      alignment: AlignmentType.JUSTIFIED,
      spacing: bodySpacing,
      indent: { firstLine: INDENT_2 },
      ...extra,
    });
  }

  private heading(level: 1 | 2 | 3, spans: Span[]): Paragraph {
    const i = level - 1;
    this.counters[i]! += 1;
    for (let j = i + 1; j < this.counters.length; j++) this.counters[j] = 0;
    const n = this.counters[i]!;
    const [marker, style]: [string, RunStyle] =
      level === 1
        ? [`${chineseNumeral(n)}、`, { font: FONTS.heading1 }]
        : level === 2
          ? [`（${chineseNumeral(n)}）`, { font: FONTS.heading2 }]
          : [`${n}. `, { font: FONTS.body, bold: true }];
    return this.body([run(marker, style), ...runsOf(spans, style)], { keepNext: true });
  }

  private pushTable(header: Span[][], rows: Span[][][]): void {
    const columns = Math.max(header.length, ...rows.map((r) => r.length));
    const size = columns <= 6 ? 24 : 21; // 小四, or 五号 for wide tables
    const widths = columnWidths(header, rows, columns, size);
    // A column of short entries (numbers, grades) is centred; one with any longer text reads from the left.
    const centred = Array.from({ length: columns }, (_, col) => rows.every((r) => charWidth(plain(r[col] ?? [])) <= 6));
    const runStyle = { latin: FONTS.latin, size, characterSpacing: CHAR_SPACING };
    const row = (cells: Span[][], isHeader: boolean): TableCellXml[] =>
      Array.from({ length: columns }, (_, col) => {
        const spans = cells[col] ?? [];
        return {
          width: widths[col]!,
          alignment: isHeader || centred[col] ? 'center' : 'left',
          runs: isHeader
            ? [{ ...runStyle, text: cleanText(plain(spans)), font: FONTS.heading1 }]
            : spans.map((s) => ({ ...runStyle, text: cleanText(s.text), font: FONTS.body, bold: s.bold, italic: s.italic })),
        };
      });
    this.pushTableXml(
      tableXml({
        width: TEXT_WIDTH,
        columnWidths: widths,
        style: TABLE_TEXT_STYLE,
        rows: [row(header, true), ...rows.map((r) => row(r, false))],
      }),
    );
  }

  /** The table goes in as a marker paragraph; renderDocx swaps its XML in after packing. */
  private pushTableXml(xml: Uint8Array): void {
    if (this.breakBefore) {
      // A table cannot carry the break itself: a hairline paragraph starts the new page.
      this.children.push(this.paragraph({ spacing: { line: 20, lineRule: LineRuleType.EXACT } }));
    }
    this.children.push(new Paragraph({ children: [new TextRun(tableMarker(this.tables.length))] }));
    this.tables.push(xml);
  }

  /** 附件：1. … with later items aligned under the first name (GB/T 9704 7.3.6). */
  private attachmentNote(items: string[]): void {
    const numbered = items.length > 1;
    items.forEach((item, i) => {
      const text = numbered ? `${i + 1}. ${item}` : item;
      if (i === 0) {
        this.push(this.body([run(`附件：${text}`)], { spacing: { ...bodySpacing, before: LINE_TWIPS } }));
      } else {
        this.push(this.body([run(text)], { indent: { left: INDENT_2 + 3 * CHAR_TWIPS } }));
      }
    });
  }

  /**
   * Organ right-aligned two characters in; the date on the next line starts two characters to
   * the right of the organ's first character, unless it is longer, when the date stays two in
   * and the organ moves left (GB/T 9704 7.3.5.2).
   */
  private signature(organ: string, date: string): void {
    const organWidth = charWidth(organ);
    const dateWidth = charWidth(date);
    let organRight = 2;
    let dateRight = organRight + organWidth - dateWidth - 2;
    if (dateRight < 2) {
      dateRight = 2;
      organRight = dateRight + dateWidth + 2 - organWidth;
    }
    const line = (text: string, right: number, before = 0) =>
      this.body([run(text)], {
        alignment: AlignmentType.RIGHT,
        indent: { right: Math.round(right * CHAR_TWIPS) },
        spacing: { ...bodySpacing, before },
        keepNext: true,
      });
    this.push(line(organ, organRight, LINE_TWIPS));
    this.push(line(date, dateRight));
  }

  /** 版记: 抄送 and 印发 lines between a thick rule above and below, 4号 (GB/T 9704 7.4). */
  private colophon(cc: string, printer: string, date: string): void {
    const size = 28;
    const thick = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 1 };
    const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 1 };
    const spacing = { line: LINE_TWIPS, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
    const charIn = size * 10;
    if (cc) {
      this.push(
        this.paragraph({
          children: [run(`抄送：${cc}。`, { size })],
          indent: { left: charIn, right: charIn, hanging: 0 },
          spacing: { ...spacing, before: LINE_TWIPS * 2 },
          border: { top: thick, bottom: thin },
          keepNext: true,
        }),
      );
    }
    this.push(
      this.paragraph({
        children: [run(printer, { size }), new TextRun({ children: [new Tab()] }), run(`${date}印发`, { size })],
        indent: { left: charIn, right: charIn },
        tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - 2 * charIn }],
        spacing: cc ? spacing : { ...spacing, before: LINE_TWIPS * 2 },
        border: cc ? { bottom: thick } : { top: thick, bottom: thick },
      }),
    );
  }

  private figure(name: string): void {
    const figure = this.options.figures?.[name];
    if (!figure) return;
    this.push(
      this.paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 120, after: 120 },
        children: [
          new ImageRun({ type: 'png', data: figure.png, transformation: { width: figure.width, height: figure.height } }),
        ],
      }),
    );
  }
}

/**
 * Fixed widths in twips that add up to the text width exactly (WPS ignores auto widths).
 * Short cells (numbers, grades) get room never to wrap and headers may wrap onto two lines;
 * what is left goes to the columns of long text, in proportion to how much they would need.
 */
export function columnWidths(header: Span[][], rows: Span[][][], columns: number, size: number): number[] {
  const perChar = size * 10;
  const padding = 160;
  const natural: number[] = [];
  const minimum: number[] = [];
  for (let col = 0; col < columns; col++) {
    const longest = Math.max(0, ...rows.map((r) => charWidth(plain(r[col] ?? []))));
    const head = charWidth(plain(header[col] ?? []));
    natural.push(Math.max(longest, head, 1) * perChar + padding);
    minimum.push(Math.max(Math.min(longest, 6), Math.ceil(head / 2), 1) * perChar + padding);
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let widths: number[];
  if (sum(natural) <= TEXT_WIDTH) {
    widths = natural.map((w) => (w * TEXT_WIDTH) / sum(natural));
  } else if (sum(minimum) >= TEXT_WIDTH) {
    widths = minimum.map((w) => (w * TEXT_WIDTH) / sum(minimum));
  } else {
    const slack = TEXT_WIDTH - sum(minimum);
    const excess = natural.map((w, i) => w - minimum[i]!);
    widths = minimum.map((w, i) => w + (slack * excess[i]!) / sum(excess));
  }
  const whole = widths.map(Math.floor);
  whole[whole.length - 1]! += TEXT_WIDTH - sum(whole);
  return whole;
}

function pageNumberFooter(alignment: 'left' | 'right'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: alignment === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        spacing: { line: 240, lineRule: LineRuleType.AUTO },
        indent: alignment === 'right' ? { right: 280 } : { left: 280 },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            size: 28,
            font: { eastAsia: FONTS.pageNumber, ascii: FONTS.pageNumber, hAnsi: FONTS.pageNumber, hint: 'eastAsia' },
          }),
        ],
      }),
    ],
  });
}

function certificateBorders() {
  const edge = CERTIFICATE.border;
  return {
    pageBorders: { display: PageBorderDisplay.ALL_PAGES, offsetFrom: PageBorderOffsetFrom.PAGE },
    pageBorderTop: edge,
    pageBorderRight: edge,
    pageBorderBottom: edge,
    pageBorderLeft: edge,
  };
}

export async function renderDocx(tree: DocumentTree, options: RenderOptions): Promise<Buffer> {
  const layout = new Layout(options);
  for (const block of tree.blocks) layout.add(block);
  const bodyFont = { eastAsia: FONTS.body, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' };
  const document = new Document({
    title: cleanText(options.title),
    creator: 'Kaohe',
    evenAndOddHeaderAndFooters: true,
    // WPS reports theme fonts it lacks as missing, so the theme names the same fonts as the styles.
    theme: { fonts: { headings: { latin: FONTS.latin, eastAsia: FONTS.heading1 }, body: { latin: FONTS.latin, eastAsia: FONTS.body } } },
    styles: {
      paragraphStyles: [
        { id: TABLE_TEXT_STYLE, name: '表格文字', basedOn: 'Normal', paragraph: { spacing: { line: 300, lineRule: LineRuleType.AUTO } } },
      ],
      default: {
        document: {
          run: { font: bodyFont, size: BODY_SIZE },
          paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { ...PAGE.margin, header: mmToTwip(15), footer: PAGE.footer, gutter: 0 },
            borders: options.certificate ? certificateBorders() : undefined,
          },
        },
        footers:
          options.pageNumbers === false ? undefined : { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        children: layout.children.length > 0 ? layout.children : [new Paragraph({})],
      },
    ],
  });
  const packed = spliceTables(await Packer.toBuffer(document), layout.tables);
  return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
}
