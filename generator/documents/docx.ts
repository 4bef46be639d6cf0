// Lays a DocumentTree out as a .docx per GB/T 9704-2012 (党政机关公文格式): A4, fixed margins,
// 3号仿宋 body on a 22 × 28 Word document grid, 版头, 一、/（一）/1. headings, 落款 placed in
// characters, 版记 at the foot of the last (even) page, `— 1 —` page numbers on the outside edge.
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  PageBorderDisplay,
  PageBorderOffsetFrom,
  Paragraph,
  SectionType,
  Tab,
  TabStopType,
  TextRun,
  type IParagraphOptions,
  type IRunOptions,
} from 'docx';
import { chineseDate } from '../../core/calendar.ts';
import { fontTableXml } from './font-table.ts';
import { chineseNumeral } from './helpers.ts';
import { charWidth, titleLines } from './title-lines.ts';
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
export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;
const BODY_SIZE = 32; // 3号 = 16 pt, in half-points
/** −0.3 pt: 28 characters of 16 pt fit the 156 mm line only with this tightening (any CJK font: they are all one em wide). */
const CHAR_SPACING = -6;
/** One character's advance in twips: 16 pt plus the character spacing. */
export const CHAR_TWIPS = BODY_SIZE * 10 + CHAR_SPACING;
/** An indent of n body characters, in twips on the grid. */
const chars = (n: number): number => Math.round(n * CHAR_TWIPS);
const INDENT_2 = chars(2);
/** 2号 title characters per line: the text width over 22 pt. */
const TITLE_SIZE = 44;
const TITLE_PER_LINE = Math.floor(TEXT_WIDTH / (TITLE_SIZE * 10));
/** Red of the 版头 (GB/T 9704 7.2.4, 7.2.6). */
const RED = 'FF0000';
/** Table cells use ordinary single spacing, not the body's fixed grid. */
const TABLE_TEXT_STYLE = 'KaoheTableText';
/**
 * Text not in the body size (titles, the 版头, tables, certificates, page numbers) must not
 * snap to the grid: Word and LibreOffice would give each larger character several grid cells
 * and spread each smaller one to a cell.
 */
const OFF_GRID_STYLE = 'KaoheOffGrid';
/**
 * The 落款's lines: no extra space between Chinese and figures (Word's and LibreOffice's
 * autospace adds about a quarter character at each change), so a date is as wide as its
 * characters and figures and the two-character offset is the only one.
 */
const SIGNATURE_STYLE = 'KaoheSignature';
/** What docx cannot write into these styles' pPr, placed first as the schema orders it (before w:spacing). */
const STYLE_PPR: Record<string, string> = {
  [OFF_GRID_STYLE]: '<w:snapToGrid w:val="0"/>',
  [TABLE_TEXT_STYLE]: '<w:snapToGrid w:val="0"/>',
  [SIGNATURE_STYLE]: '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>',
};

function styleProperties(stylesXml: string): string {
  return Object.entries(STYLE_PPR).reduce(
    (xml, [id, ppr]) => xml.replace(new RegExp(`(w:styleId="${id}">(?:(?!</w:style>).)*?<w:pPr>)`), `$1${ppr}`),
    stylesXml,
  );
}

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
  /** Text the chart could not draw (names with characters its font lacks), printed under it. */
  notes?: string[];
}

export interface RenderOptions {
  title: string;
  figures?: Record<string, Figure>;
  /** Certificates carry no page numbers; every other document does. */
  pageNumbers?: boolean;
  /** Phrases a title line never breaks inside (the organ's name, the activity's). */
  phrases?: readonly string[];
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
  return new TextRun(runOptions(text, style));
}

function runOptions(text: string, style: RunStyle = {}): IRunOptions {
  return {
    text: cleanText(text),
    font: { eastAsia: style.font ?? FONTS.body, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' },
    size: style.size ?? BODY_SIZE,
    characterSpacing: style.characterSpacing ?? CHAR_SPACING,
    bold: style.bold,
    italics: style.italic,
    color: style.color,
  };
}

const runsOf = (spans: Span[], style: RunStyle = {}) =>
  spans.map((s) => run(s.text, { ...style, bold: style.bold || s.bold, italic: s.italic }));
const plain = (spans: Span[]) => spans.map((s) => s.text).join('');

const bodySpacing = { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } as const;

// ---------- blocks ----------

class Layout {
  readonly children: Paragraph[] = [];
  /** Each table's XML, in the order of their markers among the children. */
  readonly tables: Uint8Array[] = [];
  /** The 版记, laid out by renderDocx on the last page, after everything else. */
  colophonBlock: Extract<Block, { kind: 'colophon' }> | null = null;
  private counters = [0, 0, 0];
  /** Captions are numbered 表1, 表2 … through the whole document, attachments included. */
  private tableCount = 0;
  private breakBefore = false;

  constructor(private readonly options: RenderOptions) {}

  add(block: Block): void {
    if (this.options.certificate && this.addCertificate(block)) return;
    switch (block.kind) {
      case 'title':
        this.counters = [0, 0, 0];
        this.push(this.title(block.spans));
        return;
      case 'header':
        this.header(block.organ, block.number);
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
        if (block.sealed) this.sealedSignature(block.organ, chineseDate(block.date));
        else this.signature(block.organ, chineseDate(block.date));
        return;
      case 'colophon':
        this.colophonBlock = block;
        return;
      case 'figure':
        this.figure(block.name);
        return;
      case 'caption':
        this.tableCount += 1;
        this.push(
          this.body([run(`表${this.tableCount}\u3000${block.text}`, { font: FONTS.heading1 })], {
            indent: {},
            alignment: AlignmentType.CENTER,
            keepNext: true,
          }),
        );
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

  /** Lines broken between words in a 梯形 or 菱形 shape (title-lines.ts), each ended by a line break. */
  private title(spans: Span[]): Paragraph {
    const lines = titleLines(plain(spans), TITLE_PER_LINE, this.options.phrases);
    const style = { font: FONTS.title, size: TITLE_SIZE };
    return this.paragraph({
      children: lines.map((line, i) => new TextRun({ ...runOptions(line, style), break: i > 0 ? 1 : 0 })),
      style: OFF_GRID_STYLE,
      alignment: AlignmentType.CENTER,
      spacing: { ...bodySpacing, after: LINE_TWIPS },
      keepNext: true,
    });
  }

  /**
   * 版头 (GB/T 9704 7.2): the 发文机关标志 in red 小标宋 centred, its top 35 mm below the text
   * block's; two lines under it the 发文字号 centred; 4 mm under that a red line the text
   * block's width; the title two lines below the line.
   */
  private header(organ: string, number: string): void {
    const mark = `${organ}文件`;
    // As large as fits on one line, at most 初号 scaled up a little (50 pt), as offices print it.
    const size = Math.min(100, 2 * Math.floor(TEXT_WIDTH / 20 / charWidth(mark)));
    const markLine = size * 12;
    this.push(
      this.paragraph({
        children: [run(mark, { font: FONTS.title, size, color: RED })],
        style: OFF_GRID_STYLE,
        alignment: AlignmentType.CENTER,
        spacing: { line: markLine, lineRule: LineRuleType.EXACT, before: Math.max(0, mmToTwip(35) - markLine / 6), after: 2 * LINE_TWIPS },
        keepNext: true,
      }),
    );
    this.push(
      this.paragraph({
        children: [run(number || ' ')],
        alignment: AlignmentType.CENTER,
        spacing: { ...bodySpacing, after: 2 * LINE_TWIPS },
        border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 8 } },
        keepNext: true,
      }),
    );
  }

  private push(item: Paragraph): void {
    this.children.push(item);
  }

  /** Every paragraph is made here so a pending page break lands on the next one made. */
  private paragraph(options: IParagraphOptions): Paragraph {
    const pageBreakBefore = this.breakBefore;
    this.breakBefore = false;
    const style = this.options.certificate ? OFF_GRID_STYLE : options.style;
    return new Paragraph({ ...options, pageBreakBefore, style });
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
   * Unsealed (GB/T 9704 7.3.5.2): one line under the text, the organ 右空二字; the date on the
   * next line starts two characters to the right of the organ's first character. Both lines
   * start at a left indent counted in body characters, so the offset is exactly two characters
   * whatever the fonts. A date that may be longer than the organ (its figures' width depends on
   * the reader's fonts, so it is allowed for generously) ends 右空二字 and the organ moves left
   * by as much, keeping the offset; so the date never wraps.
   */
  private signature(organ: string, date: string): void {
    const dateWidth = dateAllowance(date);
    const start = dateWidth <= charWidth(organ) ? CHARS_PER_LINE - 2 - charWidth(organ) : CHARS_PER_LINE - 2 - dateWidth - 2;
    this.push(this.signatureLine(organ, { left: chars(start) }, LINE_TWIPS));
    this.push(this.signatureLine(date, { left: chars(start + 2) }));
  }

  /**
   * Sealed (GB/T 9704 7.3.5.1): the date 右空四字 and the organ centred over it, two lines under
   * the text so the seal's top stays within a line of it. Centring is done by the paragraph
   * (both lines share one right-aligned box four characters in, the organ's box as wide as the
   * date), so only the date's digits are measured, in the half-width of Times New Roman figures.
   */
  private sealedSignature(organ: string, date: string): void {
    const dateWidth = charWidth(date);
    const organRight = 4 + (dateWidth - charWidth(organ)) / 2;
    this.push(this.signatureLine(organ, { right: chars(Math.max(organRight, 2)) }, 2 * LINE_TWIPS, AlignmentType.RIGHT));
    this.push(this.signatureLine(date, { right: chars(4) }, 0, AlignmentType.RIGHT));
  }

  private signatureLine(
    text: string,
    indent: { left?: number; right?: number },
    before = 0,
    alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT,
  ): Paragraph {
    return this.body([run(text)], {
      style: SIGNATURE_STYLE,
      alignment,
      indent: { firstLine: 0, ...indent },
      spacing: { ...bodySpacing, before },
      keepNext: true,
    });
  }

  private figure(name: string): void {
    const figure = this.options.figures?.[name];
    if (!figure) return;
    this.push(
      this.paragraph({
        style: OFF_GRID_STYLE,
        alignment: AlignmentType.CENTER,
        spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 120, after: 120 },
        children: [
          new ImageRun({ type: 'png', data: figure.png, transformation: { width: figure.width, height: figure.height } }),
        ],
      }),
    );
    for (const note of figure.notes ?? []) {
      this.push(this.paragraph({ style: OFF_GRID_STYLE, alignment: AlignmentType.CENTER, children: [run(note, { size: 24 })] }));
    }
  }
}

/**
 * Room a date may take, in body characters: Chinese characters one each; figures up to 0.65
 * (Times New Roman's are 0.5, the CJK fonts LibreOffice falls back to up to 0.625) and a
 * quarter at each change between figures and Chinese, where a renderer may add space.
 */
function dateAllowance(date: string): number {
  const figures = date.match(/[0-9]/g)?.length ?? 0;
  const changes = date.match(/[0-9](?=[^0-9])|[^0-9](?=[0-9])/g)?.length ?? 0;
  return [...date].length - figures + figures * 0.65 + changes * 0.25;
}

/**
 * 版记 (GB/T 9704 7.4) on a page of its own at the foot: 抄送 and 印发机关/印发日期 in 4号, one
 * character in from each side, between full-width rules (thick outside, thin between). An
 * empty line of exact height above puts the last line of the 版记 on the page's last line.
 */
const RULES_TWIPS = 300;

function colophonPage(cc: string, printer: string, date: string): Paragraph[] {
  const size = 28;
  const charIn = size * 10;
  const perLine = Math.floor((TEXT_WIDTH - 2 * charIn) / charIn);
  const thick = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 1 };
  const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 1 };
  const spacing = { line: LINE_TWIPS, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
  const ccText = cc ? `抄送：${cc}。` : '';
  const ccLines = cc ? Math.ceil((charWidth(ccText) + 1) / perLine) : 0;
  // The rules span the whole text width, so the one-character margins are kept by the
  // paragraphs' text (a leading ideographic space, a right tab one character short). Empty
  // grid lines fill the page above (LibreOffice caps a single line's exact height).
  const out: Paragraph[] = Array.from(
    { length: LINES_PER_PAGE - ccLines - 1 },
    // The first is shorter by what the rules and their spacing take (about 15 pt in LibreOffice).
    (_, i) => new Paragraph({ style: OFF_GRID_STYLE, spacing: { line: i === 0 ? LINE_TWIPS - RULES_TWIPS : LINE_TWIPS, lineRule: LineRuleType.EXACT } }),
  );
  if (cc) {
    out.push(
      new Paragraph({
        children: [run(`\u3000${ccText}`, { size })],
        style: OFF_GRID_STYLE,
        spacing,
        border: { top: thick, bottom: thin },
      }),
    );
  }
  out.push(
    new Paragraph({
      children: [run(`\u3000${printer}`, { size }), new TextRun({ children: [new Tab()] }), run(`${date}印发`, { size })],
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - charIn }],
      style: OFF_GRID_STYLE,
      spacing,
      border: cc ? { bottom: thick } : { top: thick, bottom: thick },
    }),
  );
  return out;
}

const hairline = () => new Paragraph({ spacing: { line: 20, lineRule: LineRuleType.EXACT } });

const cellWidth = (text: string): number => charWidth(text) + 0.1 * (text.match(/[\x21-\x7e]/g)?.length ?? 0);

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
    // Figures at 0.6 of a character: LibreOffice may draw them in the CJK font, wider than Times.
    const longest = Math.max(0, ...rows.map((r) => cellWidth(plain(r[col] ?? []))));
    const head = charWidth(plain(header[col] ?? []));
    natural.push(Math.max(longest, head, 1) * perChar + padding);
    // Two characters at least, so 10–99 (a rank, a count) never wraps whatever the font.
    minimum.push(Math.max(Math.min(longest, 6), Math.ceil(head / 2), 2) * perChar + padding);
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
        style: OFF_GRID_STYLE,
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
  const page = {
    size: { width: PAGE.width, height: PAGE.height },
    margin: { ...PAGE.margin, header: mmToTwip(15), footer: PAGE.footer, gutter: 0 },
  };
  // Word's line grid holds 22 lines whatever font the reader has; 28 characters a line hold
  // because every CJK font draws its characters one em wide (CHAR_SPACING). A lines-and-
  // characters grid (charSpace −842, 28 a line) is what Word's 公文 templates use, but
  // LibreOffice 7 gives each 16 pt character two cells of it and sets 14 a line.
  const grid = { type: DocumentGridType.LINES, linePitch: LINE_TWIPS };
  const colophon = layout.colophonBlock;
  const blank = () => new Footer({ children: [new Paragraph({})] });
  const bodyFont = { eastAsia: FONTS.body, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' };
  const document = new Document({
    title: cleanText(options.title),
    creator: 'Kaohe',
    evenAndOddHeaderAndFooters: true,
    // WPS reports theme fonts it lacks as missing, so the theme names the same fonts as the styles.
    theme: { fonts: { headings: { latin: FONTS.latin, eastAsia: FONTS.heading1 }, body: { latin: FONTS.latin, eastAsia: FONTS.body } } },
    styles: {
      paragraphStyles: [
        // LibreOffice sizes the grid's characters from Normal's font size, not the defaults'.
        { id: 'Normal', name: 'Normal', run: { font: bodyFont, size: BODY_SIZE }, paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } } },
        { id: OFF_GRID_STYLE, name: '不对齐网格', basedOn: 'Normal', paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } } },
        { id: SIGNATURE_STYLE, name: '落款', basedOn: 'Normal', paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } } },
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
          page: { ...page, borders: options.certificate ? certificateBorders() : undefined },
          grid,
        },
        footers:
          options.pageNumbers === false ? undefined : { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        // The section's properties ride on its last paragraph, which must not be a table's
        // marker (spliceTables replaces that whole paragraph): a hairline paragraph ends it.
        children: colophon || layout.children.length === 0 ? [...layout.children, hairline()] : layout.children,
      },
      // The 版记 is the last page and an even one (封四); 版记页 carries no page number (7.5).
      ...(colophon
        ? [
            {
              properties: { type: SectionType.EVEN_PAGE, page, grid },
              footers: { default: blank(), even: blank() },
              children: colophonPage(colophon.cc, colophon.printer, chineseDate(colophon.date)),
            },
          ]
        : []),
    ],
  });
  const packed = spliceTables(await Packer.toBuffer(document), layout.tables, {
    'word/fontTable.xml': fontTableXml,
    'word/styles.xml': styleProperties,
  });
  return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
}
