// Tables written straight to WordprocessingML. The docx package builds and formats an object
// tree per cell, paragraph and run, which for a 1,000-unit year (14,000 cells) took longer than
// everything else together; the XML here is byte for byte what docx writes for the same table
// (test/documents-tables.test.ts holds docx's own rendering as the reference).
import { xmlTextEscaper } from '../ooxml/xml-text.ts';

/** How a run looks; runs share these objects, so each is formatted once per table. */
export interface TableRunStyle {
  font: string;
  latin: string;
  size: number;
  characterSpacing: number;
  bold?: boolean;
  italic?: boolean;
}

export interface TableRun {
  text: string;
  style: TableRunStyle;
}

export interface TableCellXml {
  width: number;
  alignment: 'center' | 'left';
  runs: readonly TableRun[];
}

export interface TableXml {
  width: number;
  columnWidths: readonly number[];
  /** The paragraph style every cell's paragraph carries. */
  style: string;
  /** The first row repeats on every page; the others do not. */
  rows: readonly (readonly TableCellXml[])[];
}

/** As docx escapes text: markup characters as entities, the control characters XML forbids dropped. */
const escapeXml = xmlTextEscaper('\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F');

const BORDER = 'w:val="single" w:color="auto" w:sz="4"';
const TABLE_BORDERS = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((side) => `<w:${side} ${BORDER}/>`).join('')}</w:tblBorders>`;
const CELL_MARGINS =
  '<w:tblCellMar><w:top w:type="dxa" w:w="20"/><w:left w:type="dxa" w:w="60"/><w:bottom w:type="dxa" w:w="20"/><w:right w:type="dxa" w:w="60"/></w:tblCellMar>';

const utf8 = (xml: string): Buffer => Buffer.from(xml, 'utf8');
const HEADER_ROW = utf8('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>');
const BODY_ROW = utf8('<w:tr><w:trPr><w:cantSplit/><w:tblHeader w:val="off"/></w:trPr>');
const ROW_END = utf8('</w:tr>');
const RUN_END = utf8('</w:t></w:r>');
const CELL_END = utf8('</w:p></w:tc>');

/** A run's opening up to its text. */
function runStart(style: TableRunStyle): Buffer {
  const latin = escapeXml(style.latin);
  return utf8(
    `<w:r><w:rPr><w:rFonts w:ascii="${latin}" w:eastAsia="${escapeXml(style.font)}" w:hAnsi="${latin}" w:hint="eastAsia"/>` +
      (style.bold ? '<w:b/><w:bCs/>' : '') +
      (style.italic ? '<w:i/><w:iCs/>' : '') +
      `<w:spacing w:val="${style.characterSpacing}"/><w:sz w:val="${style.size}"/><w:szCs w:val="${style.size}"/></w:rPr><w:t xml:space="preserve">`,
  );
}

/** About how many bytes of XML are handed on at a time. */
const CHUNK = 64 * 1024;

/**
 * UTF-8 written in chunks of about CHUNK bytes into one buffer: the XML that repeats (row, cell
 * and run openings) is encoded once and copied, only the cells' text is encoded, no row is ever
 * a string, and the document is never whole in memory.
 */
export class Utf8Writer {
  private bytes = Buffer.allocUnsafe(2 * CHUNK);
  private length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.length + n, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  raw(chunk: Uint8Array): void {
    this.room(chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }

  text(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.room(text.length * 3);
    this.length += this.bytes.write(text, this.length);
  }

  /**
   * The bytes written since the last chunk once there are CHUNK of them (or any, at the end).
   * The buffer is written over next: the chunk is good until the writer is written to again.
   */
  take(end = false): Uint8Array | null {
    if (this.length < (end ? 1 : CHUNK)) return null;
    const chunk = this.bytes.subarray(0, this.length);
    this.length = 0;
    return chunk;
  }
}

/** A table's XML, written as the document around it is: yields each chunk the writer fills (good until the next is asked for). */
export type PreparedTable = (out: Utf8Writer) => Generator<Uint8Array>;

/** One `<w:tbl>` as UTF-8: fixed layout, centred, single borders, 20/60-twip cell margins, rows kept whole. */
export function tableXml(table: TableXml): PreparedTable {
  const runStarts = new Map<TableRunStyle, Buffer>();
  const cellStarts = new Map<number, Partial<Record<TableCellXml['alignment'], Buffer>>>();
  const style = escapeXml(table.style);
  const runStartOf = (run: TableRun): Buffer => {
    let opening = runStarts.get(run.style);
    if (opening === undefined) runStarts.set(run.style, (opening = runStart(run.style)));
    return opening;
  };
  const cellStartOf = (cell: TableCellXml): Buffer => {
    let starts = cellStarts.get(cell.width);
    if (starts === undefined) cellStarts.set(cell.width, (starts = {}));
    return (starts[cell.alignment] ??= utf8(
      `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${cell.width}"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="${style}"/><w:jc w:val="${cell.alignment}"/></w:pPr>`,
    ));
  };
  const opening =
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${table.width}"/><w:jc w:val="center"/>${TABLE_BORDERS}<w:tblLayout w:type="fixed"/>${CELL_MARGINS}</w:tblPr>` +
    `<w:tblGrid>${table.columnWidths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  return function* write(out) {
    out.text(opening);
    for (const [i, row] of table.rows.entries()) {
      out.raw(i === 0 ? HEADER_ROW : BODY_ROW);
      for (const cell of row) {
        out.raw(cellStartOf(cell));
        for (const run of cell.runs) {
          out.raw(runStartOf(run));
          out.text(escapeXml(run.text));
          out.raw(RUN_END);
        }
        out.raw(CELL_END);
      }
      out.raw(ROW_END);
      const chunk = out.take();
      if (chunk) yield chunk;
    }
    out.text('</w:tbl>');
  };
}

/** Text no template or data can produce: tables are written as a paragraph holding it, then swapped in. */
export const tableMarker = (index: number): string => `\uE000kaohe-table-${index}\uE000`;

/**
 * word/document.xml as docx wrote it (a marker paragraph where each table goes) with each
 * table's XML in its marker's place, as UTF-8 chunks of about 64 KB, each good until the next is
 * asked for, to be deflated as they come (zip.ts): at 1,000 units the document is 15 MB of XML,
 * never whole in memory.
 */
export function* documentXmlChunks(xml: string, tables: readonly PreparedTable[]): Generator<Uint8Array> {
  const pieces: string[] = [];
  let from = 0;
  tables.forEach((_, i) => {
    const at = xml.indexOf(tableMarker(i), from);
    const start = xml.lastIndexOf('<w:p>', at);
    const end = xml.indexOf('</w:p>', at);
    if (at < 0 || start < from || end < 0) throw new Error(`表格 ${i + 1} 未能写入文档`);
    pieces.push(xml.slice(from, start));
    from = end + '</w:p>'.length;
  });
  pieces.push(xml.slice(from));
  const out = new Utf8Writer();
  for (const [i, piece] of pieces.entries()) {
    out.text(piece);
    const chunk = out.take();
    if (chunk) yield chunk;
    const table = tables[i];
    if (table) yield* table(out);
  }
  const last = out.take(true);
  if (last) yield last;
}
