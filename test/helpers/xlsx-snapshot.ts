// A workbook file as a spreadsheet program would open it, as plain data for the Excel fake
// (test/addin-fake.ts) and the WPS stand-in (test/wps-fake.ts): used by the add-in tests in Node and
// handed to the browser by the e2e run. Cells hold what the program holds: dates as serial numbers
// (keeping their number format), a formula's cached result, rich text as its plain text.
import ExcelJS from 'exceljs';
import type { WorkbookSnapshot } from '../addin-fake.ts';

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

type Scalar = string | number | boolean;

/** What the cell shows to a script: exceljs gives dates as Date (UTC) and formulas as objects. */
function held(value: ExcelJS.CellValue): Scalar | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return (value.getTime() - EXCEL_EPOCH) / 86_400_000;
  if (value && typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('error' in value) return value.error;
    if ('result' in value) return held(value.result as ExcelJS.CellValue);
  }
  return null;
}

export async function xlsxSnapshot(file: string): Promise<WorkbookSnapshot> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheets: WorkbookSnapshot['sheets'] = [];
  wb.eachSheet((ws) => {
    const cells: WorkbookSnapshot['sheets'][number]['cells'] = [];
    const unlocked: [number, number][] = [];
    // Blank cells too: the open cells of a fresh sheet are empty.
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      for (let c = 1; c <= ws.columnCount; c++) {
        const cell = row.getCell(c);
        const v = held(cell.value);
        if (v !== null) cells.push([r - 1, c - 1, v, cell.numFmt || 'General']);
        if (cell.protection?.locked === false) unlocked.push([r - 1, c - 1]);
      }
    });
    sheets.push({
      name: ws.name,
      visibility: ws.state === 'veryHidden' ? 'VeryHidden' : ws.state === 'hidden' ? 'Hidden' : 'Visible',
      protected: (ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet === true,
      cells,
      unlocked,
    });
  });
  return { sheets };
}
