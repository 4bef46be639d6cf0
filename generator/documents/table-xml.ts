// Tables written straight to WordprocessingML. The docx package builds and formats an object
// tree per cell, paragraph and run, which for a 1,000-unit year (14,000 cells) took longer than
// everything else together; the XML here is byte for byte what docx writes for the same table
// (test/documents-tables.test.ts holds docx's own rendering as the reference).

export interface TableRun {
  text: string;
  font: string;
  latin: string;
  size: number;
  characterSpacing: number;
  bold?: boolean;
  italic?: boolean;
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

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
/** As docx escapes text: markup characters as entities, the control characters XML forbids dropped. */
const escapeXml = (text: string): string =>
  text.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ESCAPES[c] ?? '');

const BORDER = 'w:val="single" w:color="auto" w:sz="4"';
const TABLE_BORDERS = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((side) => `<w:${side} ${BORDER}/>`).join('')}</w:tblBorders>`;
const CELL_MARGINS =
  '<w:tblCellMar><w:top w:type="dxa" w:w="20"/><w:left w:type="dxa" w:w="60"/><w:bottom w:type="dxa" w:w="20"/><w:right w:type="dxa" w:w="60"/></w:tblCellMar>';

function runXml(run: TableRun, properties: Map<string, string>): string {
  const key = `${run.font}\u0000${run.latin}\u0000${run.size}\u0000${run.characterSpacing}\u0000${run.bold ? 1 : 0}${run.italic ? 1 : 0}`;
  let rPr = properties.get(key);
  if (rPr === undefined) {
    const latin = escapeXml(run.latin);
    rPr =
      `<w:r><w:rPr><w:rFonts w:ascii="${latin}" w:eastAsia="${escapeXml(run.font)}" w:hAnsi="${latin}" w:hint="eastAsia"/>` +
      (run.bold ? '<w:b/><w:bCs/>' : '') +
      (run.italic ? '<w:i/><w:iCs/>' : '') +
      `<w:spacing w:val="${run.characterSpacing}"/><w:sz w:val="${run.size}"/><w:szCs w:val="${run.size}"/></w:rPr><w:t xml:space="preserve">`;
    properties.set(key, rPr);
  }
  return `${rPr}${escapeXml(run.text)}</w:t></w:r>`;
}

/** Grows as UTF-8 is appended, so a large table is never one long string. */
class Utf8Buffer {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private readonly encoder = new TextEncoder();

  append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const need = this.length + text.length * 3;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.length += this.encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** One `<w:tbl>` as UTF-8: fixed layout, centred, single borders, 20/60-twip cell margins, rows kept whole. */
export function tableXml(table: TableXml): Uint8Array {
  const out = new Utf8Buffer();
  const properties = new Map<string, string>();
  const cellStarts = new Map<string, string>();
  const style = escapeXml(table.style);
  out.append(
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${table.width}"/><w:jc w:val="center"/>${TABLE_BORDERS}<w:tblLayout w:type="fixed"/>${CELL_MARGINS}</w:tblPr>` +
      `<w:tblGrid>${table.columnWidths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`,
  );
  table.rows.forEach((row, i) => {
    const parts = [`<w:tr><w:trPr><w:cantSplit/>${i === 0 ? '<w:tblHeader/>' : '<w:tblHeader w:val="off"/>'}</w:trPr>`];
    for (const cell of row) {
      const key = `${cell.width}${cell.alignment}`;
      let start = cellStarts.get(key);
      if (start === undefined) {
        start = `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${cell.width}"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="${style}"/><w:jc w:val="${cell.alignment}"/></w:pPr>`;
        cellStarts.set(key, start);
      }
      parts.push(start);
      for (const run of cell.runs) parts.push(runXml(run, properties));
      parts.push('</w:p></w:tc>');
    }
    parts.push('</w:tr>');
    out.append(parts.join(''));
  });
  out.append('</w:tbl>');
  return out.result();
}

/** Text no template or data can produce: tables are written as a paragraph holding it, then swapped in. */
export const tableMarker = (index: number): string => `\uE000kaohe-table-${index}\uE000`;

/**
 * word/document.xml as docx wrote it (a marker paragraph where each table goes) with each
 * table's XML in its marker's place, joined as bytes: the tables are never one long string.
 */
export function spliceTables(xml: string, tables: readonly Uint8Array[]): Uint8Array {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let from = 0;
  tables.forEach((table, i) => {
    const at = xml.indexOf(tableMarker(i), from);
    const start = xml.lastIndexOf('<w:p>', at);
    const end = xml.indexOf('</w:p>', at);
    if (at < 0 || start < from || end < 0) throw new Error(`表格 ${i + 1} 未能写入文档`);
    pieces.push(encoder.encode(xml.slice(from, start)), table);
    from = end + '</w:p>'.length;
  });
  pieces.push(encoder.encode(xml.slice(from)));
  return Buffer.concat(pieces);
}
