// Hand-made xlsx packages: the raw XML a third-party writer (WPS, LibreOffice, a script) might
// produce, for cases exceljs cannot write (inline strings, phonetic runs, lying zip headers).
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

export interface HandSheet {
  name: string;
  /** The children of `<sheetData>`. */
  rows: string;
  /** Extra XML after `</sheetData>`, e.g. `<mergeCells>`. */
  tail?: string;
}

export interface HandWorkbook {
  sheets: HandSheet[];
  /** The children of `<sst>`, one `<si>` per string. */
  sharedStrings?: string;
  /** `<numFmts>` children. */
  numFmts?: string;
  /** numFmtId of each cellXfs entry (index = style `s`). */
  cellXfs?: number[];
  date1904?: boolean;
}

export function handXlsxParts(wb: HandWorkbook): Record<string, Uint8Array> {
  const xfs = wb.cellXfs ?? [0];
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
      `<Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
      wb.sheets
        .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
        .join('') +
      `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
      `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
      `</Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml':
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr${wb.date1904 ? ' date1904="1"' : ''}/><sheets>` +
      wb.sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      `</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}">` +
      wb.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
      `<Relationship Id="rIdS" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rIdT" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/styles.xml':
      `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${MAIN}">${wb.numFmts ? `<numFmts>${wb.numFmts}</numFmts>` : ''}` +
      `<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
      `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
      `<cellXfs count="${xfs.length}">${xfs.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}/>`).join('')}</cellXfs></styleSheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}">${wb.sharedStrings ?? ''}</sst>`,
  };
  wb.sheets.forEach((s, i) => {
    parts[`xl/worksheets/sheet${i + 1}.xml`] =
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>${s.rows}</sheetData>${s.tail ?? ''}</worksheet>`;
  });
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)]));
}

export function handXlsx(wb: HandWorkbook): Uint8Array {
  return zipSync(handXlsxParts(wb));
}

/**
 * Rewrites the declared uncompressed size of `entry` in both the local header and the central
 * directory, as a zip bomb does to slip past a size check that trusts the directory.
 */
export function lieAboutSize(zip: Uint8Array, entry: string, declared: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const name = strToU8(entry);
  const nameAt = (p: number, len: number): boolean => len === name.length && name.every((b, i) => out[p + i] === b);
  for (let p = 0; p + 4 <= out.length; p++) {
    const sig = view.getUint32(p, true);
    if (sig === 0x04034b50 && nameAt(p + 30, view.getUint16(p + 26, true))) view.setUint32(p + 22, declared, true);
    if (sig === 0x02014b50 && nameAt(p + 46, view.getUint16(p + 28, true))) view.setUint32(p + 24, declared, true);
  }
  return out;
}

/** The part of sheet `name` in a package (workbook.xml → its rels), as exceljs and Excel write it. */
function sheetPart(parts: Record<string, Uint8Array>, name: string): string {
  const workbook = strFromU8(parts['xl/workbook.xml']!);
  const id = new RegExp(`<sheet [^>]*name="${name}"[^>]*r:id="([^"]+)"`).exec(workbook)?.[1];
  const rels = strFromU8(parts['xl/_rels/workbook.xml.rels']!);
  const target = id && new RegExp(`<Relationship [^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
  const alt = id && new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
  const found = target || alt;
  if (!found) throw new Error(`no sheet ${name}`);
  return found.startsWith('/') ? found.slice(1) : `xl/${found}`;
}

/** A real workbook with one sheet's XML rewritten: a unit's file with one crafted change. */
export function patchSheetXml(xlsx: Uint8Array, sheet: string, edit: (xml: string) => string): Uint8Array {
  const parts = unzipSync(xlsx);
  const part = sheetPart(parts, sheet);
  parts[part] = strToU8(edit(strFromU8(parts[part]!)));
  return zipSync(parts);
}

/** Adds rows (raw `<row>` XML) at the end of a sheet's `<sheetData>`. */
export function appendRows(xlsx: Uint8Array, sheet: string, rows: string): Uint8Array {
  return patchSheetXml(xlsx, sheet, (xml) => xml.replace('</sheetData>', `${rows}</sheetData>`));
}

/** The zip with a comment after its end record (the comment length field set to match). */
export function withZipComment(zip: Uint8Array, comment: string): Uint8Array {
  const text = new TextEncoder().encode(comment);
  const out = new Uint8Array(zip.length + text.length);
  out.set(zip);
  out.set(text, zip.length);
  const view = new DataView(out.buffer);
  view.setUint16(zip.length - 2, text.length, true);
  return out;
}

/** Renames an entry in both its local header and the central directory (names of equal length). */
export function renameZipEntry(zip: Uint8Array, from: string, to: string): Uint8Array {
  const a = strToU8(from);
  const b = strToU8(to);
  if (a.length !== b.length) throw new Error('names must have the same length');
  // A copy: Buffer.slice would be a view and edit the caller's bytes.
  const out = new Uint8Array(zip);
  for (let p = 0; p + a.length <= out.length; p++) {
    if (a.every((x, i) => out[p + i] === x)) out.set(b, p);
  }
  return out;
}
