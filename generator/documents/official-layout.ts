// The 公文 layout profile (GB/T 9704-2012): 3号仿宋 body on the 22 × 28 grid, 版头, 一、/（一）/1.
// headings, numbered table captions, 落款 placed in characters, attachments, and the 版记 page.
import {
  AlignmentType,
  BorderStyle,
  ImageRun,
  LineRuleType,
  Paragraph,
  Tab,
  TabStopType,
  TextRun,
  type IParagraphOptions,
} from 'docx';
import { chineseDate } from '../../core/calendar.ts';
import {
  bodySpacing,
  chars,
  CHARS_PER_LINE,
  cleanText,
  FONTS,
  LINE_TWIPS,
  LINES_PER_PAGE,
  mmToTwip,
  plain,
  run,
  runOptions,
  runsOf,
  STYLES,
  TEXT_WIDTH,
  type Figure,
  type Flow,
  type LayoutProfile,
  type ProfileOptions,
  type RunStyle,
  type Visitors,
} from './docx-kit.ts';
import { chineseNumeral } from './helpers.ts';
import { tableXml, type PreparedTable, type TableCellXml, type TableRunStyle } from './table-xml.ts';
import { charWidth, titleLines } from './title-lines.ts';
import type { Span } from './markdown.ts';

/** 2号 title characters per line: the text width over 22 pt. */
const TITLE_SIZE = 44;
const TITLE_PER_LINE = Math.floor(TEXT_WIDTH / (TITLE_SIZE * 10));
/**
 * Tables are off the grid and set 0.3 pt tight, so a long unit name keeps to one line of its
 * column.
 */
const TABLE_CHAR_SPACING = -6;
/** Red of the 版头 (GB/T 9704 7.2.4, 7.2.6). */
const RED = 'FF0000';

/**
 * The 公文 visitors. Heading numbers restart under each title and attachment; captions are
 * numbered 表1, 表2 … through the whole document, attachments included. Both counters belong
 * to this one document.
 */
export function officialProfile(options: ProfileOptions): LayoutProfile {
  let counters = [0, 0, 0];
  let tableCount = 0;

  const heading = (level: 1 | 2 | 3, spans: Span[], flow: Flow): Paragraph => {
    const i = level - 1;
    counters[i]! += 1;
    for (let j = i + 1; j < counters.length; j++) counters[j] = 0;
    const n = counters[i]!;
    const [marker, style]: [string, RunStyle] =
      level === 1
        ? [`${chineseNumeral(n)}、`, { font: FONTS.heading1 }]
        : level === 2
          ? [`（${chineseNumeral(n)}）`, { font: FONTS.heading2 }]
          : [`${n}. `, { font: FONTS.body, bold: true }];
    return flow.body([run(marker, style), ...runsOf(spans, style)], { keepNext: true });
  };

  const visitors: Visitors = {
    title: (block, flow) => {
      counters = [0, 0, 0];
      flow.push(title(block.spans, options.phrases, flow));
    },
    header: (block, flow) => header(block.organ, block.number, flow),
    heading: (block, flow) => flow.push(heading(block.level, block.spans, flow)),
    paragraph: (block, flow) => flow.push(flow.body(runsOf(block.spans))),
    list: (block, flow) =>
      block.items.forEach((item, i) =>
        flow.push(flow.body([...(block.ordered ? [run(`${i + 1}. `)] : []), ...runsOf(item)])),
      ),
    table: (block, flow) => flow.table(table(block.header, block.rows)),
    pageBreak: (_block, flow) => flow.breakPage(),
    addressee: (block, flow) => flow.push(flow.body([run(block.text)], { indent: {}, alignment: AlignmentType.LEFT })),
    attachmentNote: (block, flow) => attachmentNote(block.items, flow),
    signature: (block, flow) =>
      block.sealed
        ? sealedSignature(block.organ, chineseDate(block.date), flow)
        : signature(block.organ, chineseDate(block.date), flow),
    colophon: (block, flow) => {
      flow.colophon = block;
    },
    figure: (block, flow) => figure(options.figures?.[block.name], flow),
    caption: (block, flow) => {
      tableCount += 1;
      flow.push(
        flow.body([run(`表${tableCount}\u3000${block.text}`, { font: FONTS.heading1 })], {
          indent: {},
          alignment: AlignmentType.CENTER,
          keepNext: true,
        }),
      );
    },
    attachment: (block, flow) => {
      counters = [0, 0, 0];
      flow.breakPage();
      // The attachment's title then falls on the third line of the page (GB/T 9704 8).
      flow.push(
        flow.body([run(block.label, { font: FONTS.heading1 })], {
          indent: {},
          alignment: AlignmentType.LEFT,
          spacing: { ...bodySpacing, after: LINE_TWIPS },
        }),
      );
    },
  };
  return { visitors, pageNumbers: true };
}

/** Lines broken between words in a 梯形 or 菱形 shape (title-lines.ts), each ended by a line break. */
function title(spans: Span[], phrases: readonly string[] | undefined, flow: Flow): Paragraph {
  const lines = titleLines(plain(spans), TITLE_PER_LINE, phrases);
  const style = { font: FONTS.title, size: TITLE_SIZE };
  return flow.paragraph({
    children: lines.map((line, i) => new TextRun({ ...runOptions(line, style), break: i > 0 ? 1 : 0 })),
    style: STYLES.offGrid,
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
function header(organ: string, number: string, flow: Flow): void {
  const mark = `${organ}文件`;
  // As large as fits on one line, at most 初号 scaled up a little (50 pt), as offices print it.
  const size = Math.min(100, 2 * Math.floor(TEXT_WIDTH / 20 / charWidth(mark)));
  const markLine = size * 12;
  flow.push(
    flow.paragraph({
      children: [run(mark, { font: FONTS.title, size, color: RED })],
      style: STYLES.offGrid,
      alignment: AlignmentType.CENTER,
      spacing: { line: markLine, lineRule: LineRuleType.EXACT, before: Math.max(0, mmToTwip(35) - markLine / 6), after: 2 * LINE_TWIPS },
      keepNext: true,
    }),
  );
  flow.push(
    flow.paragraph({
      children: [run(number || ' ')],
      style: STYLES.docNumber,
      alignment: AlignmentType.CENTER,
      spacing: { ...bodySpacing, after: 2 * LINE_TWIPS },
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 8 } },
      keepNext: true,
    }),
  );
}

function table(header: Span[][], rows: Span[][][]): PreparedTable {
  const columns = Math.max(header.length, ...rows.map((r) => r.length));
  const size = columns <= 6 ? 24 : 21; // 小四, or 五号 for wide tables
  const widths = columnWidths(header, rows, columns, size);
  // A column of short entries (numbers, grades) is centred; one with any longer text reads from the left.
  const centred = Array.from({ length: columns }, (_, col) => rows.every((r) => charWidth(plain(r[col] ?? [])) <= 6));
  const style = (font: string, bold?: boolean, italic?: boolean): TableRunStyle => ({
    font,
    latin: FONTS.latin,
    size,
    characterSpacing: TABLE_CHAR_SPACING,
    bold,
    italic,
  });
  const headerStyle = style(FONTS.heading1);
  // Body runs in each of the four bold/italic combinations, shared by every cell.
  const bodyStyles = [style(FONTS.body), style(FONTS.body, true), style(FONTS.body, undefined, true), style(FONTS.body, true, true)];
  const bodyStyle = (span: Span) => bodyStyles[(span.bold ? 1 : 0) + (span.italic ? 2 : 0)]!;
  const headerRow = Array.from({ length: columns }, (_, col): TableCellXml => ({
    width: widths[col]!,
    alignment: 'center',
    runs: [{ text: cleanText(plain(header[col] ?? [])), style: headerStyle }],
  }));
  const bodyRow = (cells: Span[][]): TableCellXml[] =>
    Array.from({ length: columns }, (_, col) => ({
      width: widths[col]!,
      alignment: centred[col] ? 'center' : 'left',
      runs: (cells[col] ?? []).map((s) => ({ text: cleanText(s.text), style: bodyStyle(s) })),
    }));
  return tableXml({ width: TEXT_WIDTH, columnWidths: widths, style: STYLES.tableText, rows: [headerRow, ...rows.map(bodyRow)] });
}

/** 附件：1. … with later items aligned under the first name, five characters in (GB/T 9704 7.3.6). */
function attachmentNote(items: string[], flow: Flow): void {
  const numbered = items.length > 1;
  items.forEach((item, i) => {
    const text = numbered ? `${i + 1}. ${item}` : item;
    if (i === 0) {
      flow.push(flow.body([run(`附件：${text}`)], { spacing: { ...bodySpacing, before: LINE_TWIPS } }));
    } else {
      flow.push(flow.body([run(text)], { indent: { left: chars(5) } }));
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
function signature(organ: string, date: string, flow: Flow): void {
  const dateWidth = dateAllowance(date);
  const start = dateWidth <= charWidth(organ) ? CHARS_PER_LINE - 2 - charWidth(organ) : CHARS_PER_LINE - 2 - dateWidth - 2;
  flow.push(signatureLine(organ, { left: chars(start) }, flow, LINE_TWIPS));
  flow.push(signatureLine(date, { left: chars(start) + chars(2) }, flow));
}

/**
 * Sealed (GB/T 9704 7.3.5.1): the date 右空四字 and the organ centred over it, two lines under
 * the text so the seal's top stays within a line of it. Centring is done by the paragraph
 * (both lines share one right-aligned box four characters in, the organ's box as wide as the
 * date), so only the date's digits are measured, in the half-width of Times New Roman figures.
 */
function sealedSignature(organ: string, date: string, flow: Flow): void {
  const dateWidth = charWidth(date);
  const organRight = 4 + (dateWidth - charWidth(organ)) / 2;
  flow.push(signatureLine(organ, { right: chars(Math.max(organRight, 2)) }, flow, 2 * LINE_TWIPS, AlignmentType.RIGHT));
  flow.push(signatureLine(date, { right: chars(4) }, flow, 0, AlignmentType.RIGHT));
}

function signatureLine(
  text: string,
  indent: { left?: number; right?: number },
  flow: Flow,
  before = 0,
  alignment: IParagraphOptions['alignment'] = AlignmentType.LEFT,
): Paragraph {
  return flow.body([run(text)], {
    style: STYLES.signature,
    alignment,
    indent: { firstLine: 0, ...indent },
    spacing: { ...bodySpacing, before },
    keepNext: true,
  });
}

function figure(figure: Figure | undefined, flow: Flow): void {
  if (!figure) return;
  flow.push(
    flow.paragraph({
      style: STYLES.offGrid,
      alignment: AlignmentType.CENTER,
      spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 120, after: 120 },
      children: [
        new ImageRun({ type: 'png', data: figure.png, transformation: { width: figure.width, height: figure.height } }),
      ],
    }),
  );
  for (const note of figure.notes ?? []) {
    flow.push(flow.paragraph({ style: STYLES.offGrid, alignment: AlignmentType.CENTER, children: [run(note, { size: 24 })] }));
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

export function colophonPage(cc: string, printer: string, date: string): Paragraph[] {
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
    (_, i) => new Paragraph({ style: STYLES.offGrid, spacing: { line: i === 0 ? LINE_TWIPS - RULES_TWIPS : LINE_TWIPS, lineRule: LineRuleType.EXACT } }),
  );
  if (cc) {
    out.push(
      new Paragraph({
        children: [run(`\u3000${ccText}`, { size })],
        style: STYLES.offGrid,
        spacing,
        border: { top: thick, bottom: thin },
      }),
    );
  }
  out.push(
    new Paragraph({
      children: [run(`\u3000${printer}`, { size }), new TextRun({ children: [new Tab()] }), run(`${date}印发`, { size })],
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - charIn }],
      style: STYLES.offGrid,
      spacing,
      border: cc ? { bottom: thick } : { top: thick, bottom: thick },
    }),
  );
  return out;
}

const cellWidth = (text: string): number => charWidth(text) + 0.1 * (text.match(/[\x21-\x7e]/g)?.length ?? 0);

/**
 * Fixed widths in twips that add up to the text width exactly (WPS ignores auto widths). In
 * order of preference: nothing wraps; no cell wraps and headers take at most two lines (a
 * long unit name keeps to one line beside eight score columns); short cells (numbers, grades)
 * never wrap and what is left goes to the columns of long text, in proportion to their need.
 */
export function columnWidths(header: Span[][], rows: Span[][][], columns: number, size: number): number[] {
  const perChar = size * 10;
  const padding = 160;
  const natural: number[] = [];
  const unwrapped: number[] = [];
  const minimum: number[] = [];
  for (let col = 0; col < columns; col++) {
    // Figures at 0.6 of a character: LibreOffice may draw them in the CJK font, wider than Times.
    const longest = Math.max(0, ...rows.map((r) => cellWidth(plain(r[col] ?? []))));
    const head = charWidth(plain(header[col] ?? []));
    natural.push(Math.max(longest, head, 1) * perChar + padding);
    // Two characters at least, so 10–99 (a rank, a count) never wraps whatever the font.
    minimum.push(Math.max(Math.min(longest, 6), Math.ceil(head / 2), 2) * perChar + padding);
    unwrapped.push(Math.max(longest, Math.ceil(head / 2), 2) * perChar + padding);
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  /** From `low` towards `high`, sharing the slack in proportion to what each column lacks. */
  const between = (low: number[], high: number[]) => {
    const excess = high.map((w, i) => w - low[i]!);
    const slack = TEXT_WIDTH - sum(low);
    return low.map((w, i) => w + (sum(excess) > 0 ? (slack * excess[i]!) / sum(excess) : slack / columns));
  };
  let widths: number[];
  if (sum(natural) <= TEXT_WIDTH) {
    widths = natural.map((w) => (w * TEXT_WIDTH) / sum(natural));
  } else if (sum(unwrapped) <= TEXT_WIDTH) {
    widths = between(unwrapped, natural);
  } else if (sum(minimum) >= TEXT_WIDTH) {
    widths = minimum.map((w) => (w * TEXT_WIDTH) / sum(minimum));
  } else {
    widths = between(minimum, unwrapped);
  }
  const whole = widths.map(Math.floor);
  whole[whole.length - 1]! += TEXT_WIDTH - sum(whole);
  return whole;
}
