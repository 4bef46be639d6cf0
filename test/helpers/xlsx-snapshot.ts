// A workbook file as Excel would open it, as plain data for the Excel fake (test/addin-fake.ts):
// used by the add-in tests in Node and handed to the browser by the e2e run.
import ExcelJS from 'exceljs';
import type { WorkbookSnapshot } from '../addin-fake.ts';

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
        const v = cell.value;
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') cells.push([r - 1, c - 1, v, cell.numFmt || 'General']);
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
