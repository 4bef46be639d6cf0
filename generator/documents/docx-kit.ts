// What every layout profile shares: the GB/T 9704 page, fonts and sizes, runs, and the Flow a
// profile's visitors write their paragraphs and tables into, one block at a time.
import {
  AlignmentType,
  LineRuleType,
  Paragraph,
  TextRun,
  type IParagraphOptions,
  type IRunOptions,
  type ISectionPropertiesOptions,
} from 'docx';
import { tableMarker, type PreparedTable } from './table-xml.ts';
import type { Block, Span } from './markdown.ts';

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
export const BODY_SIZE = 32; // 3号 = 16 pt, in half-points
/**
 * One cell of the lines-and-characters grid, in twips: the text width over 28 (15.79 pt), as
 * Word's 公文 templates set it.
 */
const CHAR_TWIPS = TEXT_WIDTH / CHARS_PER_LINE;
/**
 * w:charSpace, how much a grid cell differs from the Normal style's 16 pt, in 1/4096 pt
 * (ECMA-376 17.6.5), rounded down so that 28 cells never overrun the line: −842.
 */
export const GRID_CHAR_SPACE = Math.floor((CHAR_TWIPS / 20 - BODY_SIZE / 2) * 4096);
/**
 * Text on the grid is drawn 98 % wide. A cell (15.79 pt) is narrower than a 16 pt character, and
 * LibreOffice gives a character wider than a cell two cells (measured: 14 a line); at 98 % every
 * CJK font's characters (one em, 15.68 pt) fit one cell, and LibreOffice too sets 28 a line.
 */
export const GRID_SCALE = 98;
/**
 * The cell indents count in. LibreOffice keeps the grid's cell in whole 1/100 mm and from −842
 * makes it 5.55 mm (15.73 pt, 1.2 twips short of Word's; measured: 28 cells span 440.5 pt of
 * its PDF), and starts text that would begin past a cell's edge at the next cell, so an indent
 * of exactly n Word cells became n + 1 there. Counted in LibreOffice's cell, an indent is n
 * cells in both (Word sees 0.06 pt a cell less).
 */
export const INDENT_CELL_TWIPS = Math.min(CHAR_TWIPS, (555 * 1440) / 2540);
/** An indent of n body characters. */
export const chars = (n: number): number => Math.floor(n * INDENT_CELL_TWIPS);
const INDENT_2 = chars(2);

/** Paragraph styles the layouts name (their pPr in docx.ts). */
export const STYLES = {
  /** Table cells use ordinary single spacing, not the body's fixed grid. */
  tableText: 'KaoheTableText',
  /**
   * Text not in the body size (titles, the 版头, tables, certificates, page numbers) must not
   * snap to the grid: Word and LibreOffice would give each larger character several grid cells
   * and spread each smaller one to a cell.
   */
  offGrid: 'KaoheOffGrid',
  /**
   * The 落款's lines: placed by their indents, counted in cells, and then off the grid and with
   * no extra space between Chinese and figures (LibreOffice's grid pads a run of figures to
   * whole cells, and Word's and LibreOffice's autospace adds about a quarter character at each
   * change), so a date is as wide as its characters and figures and the two-character offset
   * is the only one.
   */
  signature: 'KaoheSignature',
  /** The 版头's 发文字号 (〔2012〕3号): off the grid and tight for the same reasons as the 落款. */
  docNumber: 'KaoheDocNumber',
} as const;

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

export interface RunStyle {
  font?: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
  color?: string;
  /** Added between characters, in twips (none unless asked for). */
  characterSpacing?: number;
}

/** Control characters make Word refuse the file; tabs become spaces. */
export function cleanText(text: string): string {
  return text.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f\ufffe\uffff]/g, '');
}

export function run(text: string, style: RunStyle = {}): TextRun {
  return new TextRun(runOptions(text, style));
}

export function runOptions(text: string, style: RunStyle = {}): IRunOptions {
  return {
    text: cleanText(text),
    font: { eastAsia: style.font ?? FONTS.body, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' },
    size: style.size ?? BODY_SIZE,
    characterSpacing: style.characterSpacing,
    bold: style.bold,
    italics: style.italic,
    color: style.color,
  };
}

export const runsOf = (spans: Span[], style: RunStyle = {}) =>
  spans.map((s) => run(s.text, { ...style, bold: style.bold || s.bold, italic: s.italic }));
export const plain = (spans: Span[]) => spans.map((s) => s.text).join('');

export const bodySpacing = { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } as const;

export type ColophonBlock = Extract<Block, { kind: 'colophon' }>;

/**
 * One document's paragraphs and tables in order, as the visitors write them. A page break asked
 * for by one block lands on the next paragraph made, whichever visitor makes it.
 */
export class Flow {
  readonly children: Paragraph[] = [];
  /** Each table, in the order of their markers among the children. */
  readonly tables: PreparedTable[] = [];
  /** The 版记, laid out by renderDocx on the last page, after everything else. */
  colophon: ColophonBlock | null = null;
  private breakBefore = false;

  /** `style`: the paragraph style every paragraph takes whatever it asks for (a certificate's). */
  constructor(private readonly style?: string) {}

  breakPage(): void {
    this.breakBefore = true;
  }

  push(item: Paragraph): void {
    this.children.push(item);
  }

  /** Every paragraph is made here so a pending page break lands on the next one made. */
  paragraph(options: IParagraphOptions): Paragraph {
    const pageBreakBefore = this.breakBefore;
    this.breakBefore = false;
    return new Paragraph({ ...options, pageBreakBefore, style: this.style ?? options.style });
  }

  /** A body paragraph: justified, on the body's lines, first line in two characters. */
  body(children: IParagraphOptions['children'], extra: Partial<IParagraphOptions> = {}): Paragraph {
    return this.paragraph({
      children,
      alignment: AlignmentType.JUSTIFIED,
      spacing: bodySpacing,
      indent: { firstLine: INDENT_2 },
      ...extra,
    });
  }

  /** The table goes in as a marker paragraph; renderDocx writes its XML there after compiling. */
  table(table: PreparedTable): void {
    if (this.breakBefore) {
      // A table cannot carry the break itself: a hairline paragraph starts the new page.
      this.children.push(this.paragraph({ spacing: { line: 20, lineRule: LineRuleType.EXACT } }));
    }
    this.children.push(new Paragraph({ children: [new TextRun(tableMarker(this.tables.length))] }));
    this.tables.push(table);
  }
}

/** One visitor per block kind, as remark-stringify has one per node. */
export type Visitors = { [K in Block['kind']]: (block: Extract<Block, { kind: K }>, flow: Flow) => void };

/** How one kind of document lays its blocks out and what its pages carry. */
export interface LayoutProfile {
  visitors: Visitors;
  /** Set on every paragraph (a certificate's are all off the grid). */
  paragraphStyle?: string;
  pageNumbers: boolean;
  /** A border round every page (a certificate's). */
  borders?: NonNullable<ISectionPropertiesOptions['page']>['borders'];
}

export interface ProfileOptions {
  figures?: Record<string, Figure>;
  /** Phrases a title line never breaks inside (the organ's name, the activity's). */
  phrases?: readonly string[];
}

/** Hands a block to its visitor (TypeScript cannot tie the block's kind to the visitor's type). */
export function visit(visitors: Visitors, block: Block, flow: Flow): void {
  (visitors[block.kind] as (b: Block, f: Flow) => void)(block, flow);
}
