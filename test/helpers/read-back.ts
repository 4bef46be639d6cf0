// Reading outputs back as a reader sees them: a .docx's visible text, a worksheet's rows.
import type ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { promises as fs } from 'node:fs';

/** The visible text of a .docx: every <w:t> run of the main document, concatenated. */
export async function docxText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(await fs.readFile(file));
  const xml = await zip.file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

/** Rows of a sheet as values, header first. */
export function sheetRows(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
