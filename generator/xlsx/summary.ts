// 考核结果汇总.xlsx: the office's tables, with the same numbers as the documents.
// Every cell holds a literal value — a number, a shared string or nothing — so text that looks
// like a formula (`=cmd|…`) stays text. The SpreadsheetML is written here directly, part for part
// as exceljs wrote it (test/summary-xlsx.test.ts holds every part equal to exceljs's): exceljs
// took ~0.4 s and tens of MB for the 1,000-unit year, and the report waited for it.
import { UNIT_KIND_LABEL } from '../../core/types.ts';
import type { YearResults } from '../../core/results.ts';
import { xmlTextEscaper } from '../ooxml/xml-text.ts';
import { zipParts } from '../ooxml/zip.ts';
import { ROOT_RELS, STYLES, THEME, XML_PROLOG } from './summary-parts.ts';

export type CellValue = string | number | null;

export interface Column {
  header: string;
  width: number;
  /** Excel number format, e.g. one decimal for scores. */
  numFmt?: string;
}

/** Two decimals, as every output prints a score (SPEC §9). */
const SCORE_FORMAT = '0.00';

const MAX_CELL_TEXT = 32_767;

/** Text as Excel can store it: no XML-invalid control characters, within Excel's cell limit. */
export function cellText(text: string): string {
  const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean.length > MAX_CELL_TEXT ? clean.slice(0, MAX_CELL_TEXT - 1) + '…' : clean;
}

/** One sheet: its name, its columns, and its rows under the header row. */
export interface SummaryTable {
  name: string;
  columns: Column[];
  rows: CellValue[][];
}

const yesNo = (b: boolean): string => (b ? '是' : '否');

function resultsSheet(results: YearResults): SummaryTable {
  const columns: Column[] = [
    { header: '名次', width: 10 },
    { header: '单位名称', width: 18 },
    { header: '单位类别', width: 11 },
    ...results.categories.map((c) => ({ header: c, width: Math.max(9, c.length * 2 + 3), numFmt: SCORE_FORMAT })),
    { header: '加分', width: 7, numFmt: SCORE_FORMAT },
    { header: '扣分', width: 7, numFmt: SCORE_FORMAT },
    { header: '总分', width: 8, numFmt: SCORE_FORMAT },
    { header: '等次', width: 8 },
    { header: '一票否决', width: 9 },
    { header: '是否表彰', width: 9 },
    { header: '考核组核对', width: 40 },
  ];
  // 未经考核组核对: assessor cells found but not counted (core/assessment.ts); blank when all is reviewed.
  const unverified = new Set(results.unverified.map((u) => u.unitId));
  const reviewNote = (u: YearResults['units'][number]): string | null =>
    unverified.has(u.unitId) ? (u.flags.find((f) => f.startsWith('未经考核组核对')) ?? '未经考核组核对') : null;
  // Ranked units in rank order, then vetoed units (名次 —): results.units is already in that order.
  const rows: CellValue[][] = results.units.map((u) => [
    u.rankText,
    u.unitName,
    UNIT_KIND_LABEL[u.kind],
    ...results.categories.map((c) => u.byCategory[c] ?? 0),
    u.bonus,
    u.deduction,
    u.total,
    u.grade,
    yesNo(u.vetoed),
    yesNo(u.commended !== null),
    reviewNote(u),
  ]);
  // Units without a workbook stay visible so the office sees the whole plan in one table.
  for (const m of results.missingUnits) {
    rows.push(['—', m.name, UNIT_KIND_LABEL[m.kind], ...results.categories.map(() => null), null, null, null, '未报送', null, '否', null]);
  }
  return { name: '考核结果', columns, rows };
}

/** The rules behind the table, printed under it: tie-breaks, every quota, every decision. */
function notesOf(results: YearResults): string[] {
  const tieBreak = results.tieBreak.length > 0 ? `，再依次比较${results.tieBreak.join('、')}得分` : '';
  return [
    `说明：名次按总分排列${tieBreak}；仍相同的为并列，同名次单位按方案中的顺序列出。一票否决和未报送的单位不排名次（—），列在最后。分数均保留两位小数，总分为各项得分之和。`,
    ...results.quotas.map((q) => q.text),
    ...results.decisions.map((d) => d.text),
  ];
}

/** 说明: how ranks, grades and commendations were decided, on a sheet of its own so every other sheet stays a plain table. */
function notesSheet(results: YearResults): SummaryTable {
  return { name: '说明', columns: [{ header: '说明', width: 120 }], rows: notesOf(results).map((n) => [n]) };
}

function complaintsSheet(results: YearResults): SummaryTable {
  const columns: Column[] = [
    { header: '单位名称', width: 18 },
    { header: '受理数', width: 8 },
    { header: '已回复', width: 8 },
    { header: '已办结', width: 8 },
    { header: '按时办结', width: 9 },
    { header: '查实', width: 7 },
  ];
  const row = (name: string, c: YearResults['complaints']['totals']): CellValue[] => [
    name,
    c.received,
    c.replied,
    c.concluded,
    c.onTime,
    c.verified,
  ];
  const rows = results.complaints.byUnit.map((u) => row(u.unitName, u));
  rows.push(row('合计', results.complaints.totals));
  return { name: '投诉统计', columns, rows };
}

function commendationsSheet(results: YearResults): SummaryTable {
  const columns: Column[] = [
    { header: '表彰类别', width: 10 },
    { header: '名称', width: 18 },
    { header: '所在单位', width: 18 },
    { header: '总分', width: 8, numFmt: SCORE_FORMAT },
    { header: '名次', width: 10 },
  ];
  const { units, departments, persons } = results.commendations;
  const rows = [...units, ...departments, ...persons].map((c): CellValue[] => [c.category, c.name, c.unitName, c.total, c.rankText]);
  return { name: '表彰名单', columns, rows };
}

/** 表彰资格: every unit of the commendation groups and every nominee not commended, with the reason. */
function eligibilitySheet(results: YearResults): SummaryTable {
  const columns: Column[] = [
    { header: '表彰类别', width: 10 },
    { header: '名称', width: 18 },
    { header: '所在单位', width: 18 },
    { header: '未予表彰的原因', width: 70 },
  ];
  const rows = results.eligibility.map((e): CellValue[] => [e.category, e.name, e.unitName, e.reason]);
  return { name: '表彰资格', columns, rows };
}

function dataProblemsSheet(results: YearResults): SummaryTable {
  const columns: Column[] = [
    { header: '文件', width: 44 },
    { header: '工作表', width: 10 },
    { header: '单元格', width: 8 },
    { header: '问题', width: 90 },
    { header: '级别', width: 7 },
  ];
  const rows = results.dataProblems.map((p): CellValue[] => [p.file, p.sheet ?? '', p.cell ?? '', p.message, p.severity]);
  return { name: '数据问题', columns, rows };
}

/** The workbook's sheets, in order. */
export function summaryTables(results: YearResults): SummaryTable[] {
  return [resultsSheet(results), complaintsSheet(results), commendationsSheet(results), eligibilitySheet(results), notesSheet(results), dataProblemsSheet(results)];
}

// ---------- SpreadsheetML, as exceljs writes it ----------

/** Cell formats of STYLES (summary-parts.ts). */
const STYLE = { header: 2, scoreHeader: 3, body: 4, scoreBody: 5, scoreColumn: 1 } as const;
/** exceljs leaves out a column of its default width and no format. */
const DEFAULT_WIDTH = 9;

/** Text as exceljs escapes it: markup characters as entities, characters XML cannot hold (and DEL) dropped. */
const xmlText = xmlTextEscaper('\\x7F\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F');

/** A, B, … Z, AA, … */
function columnLetters(n: number): string {
  let out = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) out = String.fromCharCode(65 + ((x - 1) % 26)) + out;
  return out;
}

/** Shared strings in order of first use, each counted at every use. */
class SharedStrings {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];
  count = 0;

  add(text: string): number {
    this.count += 1;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(text, i);
      this.values.push(text);
    }
    return i;
  }

  xml(): string {
    const items = this.values.map((t) => `<si><t${/^\s|\n|\s$/.test(t) ? ' xml:space="preserve"' : ''}>${xmlText(t)}</t></si>`);
    return `${XML_PROLOG}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${this.count}" uniqueCount="${this.values.length}">${items.join('')}</sst>`;
  }
}

/** <cols>: runs of equal columns merged, default ones left out, as exceljs does. */
function colsXml(columns: readonly Column[]): string {
  const runs: { min: number; max: number; width: number; numFmt?: string }[] = [];
  let run: (typeof runs)[number] | null = null;
  columns.forEach((c, i) => {
    if (c.width === DEFAULT_WIDTH && !c.numFmt) run = null;
    else if (run && run.width === c.width && run.numFmt === c.numFmt) run.max = i + 1;
    else runs.push((run = { min: i + 1, max: i + 1, width: c.width, ...(c.numFmt ? { numFmt: c.numFmt } : {}) }));
  });
  if (runs.length === 0) return '';
  const col = (r: (typeof runs)[number]) =>
    `<col min="${r.min}" max="${r.max}"${r.width ? ` width="${r.width}"` : ''}${r.numFmt ? ` style="${STYLE.scoreColumn}"` : ''} customWidth="1"/>`;
  return `<cols>${runs.map(col).join('')}</cols>`;
}

function cellXml(ref: string, style: number, value: CellValue, strings: SharedStrings): string {
  if (value === null) return `<c r="${ref}" s="${style}"/>`;
  if (typeof value === 'number') return `<c r="${ref}" s="${style}"><v>${value}</v></c>`;
  return `<c r="${ref}" s="${style}" t="s"><v>${strings.add(cellText(value))}</v></c>`;
}

function sheetXml(table: SummaryTable, strings: SharedStrings): string {
  const letters = table.columns.map((_, i) => columnLetters(i + 1));
  const scored = table.columns.map((c) => c.numFmt !== undefined);
  const header = table.columns
    .map((c, i) => `<c r="${letters[i]}1" s="${scored[i] ? STYLE.scoreHeader : STYLE.header}" t="s"><v>${strings.add(c.header)}</v></c>`)
    .join('');
  const rows = [`<row r="1" ht="22" customHeight="1" spans="1:${table.columns.length}" x14ac:dyDescent="0.25">${header}</row>`];
  table.rows.forEach((values, r) => {
    const n = r + 2;
    const cells = values.map((v, i) => cellXml(`${letters[i] ?? columnLetters(i + 1)}${n}`, scored[i] ? STYLE.scoreBody : STYLE.body, v, strings));
    rows.push(`<row r="${n}" spans="1:${values.length}" x14ac:dyDescent="0.25">${cells.join('')}</row>`);
  });
  const last = letters[letters.length - 1];
  const filter = table.rows.length > 0 ? `<autoFilter ref="A1:${last}1"/>` : '';
  return (
    XML_PROLOG +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">' +
    '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' +
    `<dimension ref="A1:${last}${table.rows.length + 1}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15" outlineLevelRow="0" outlineLevelCol="0" x14ac:dyDescent="55"/>' +
    colsXml(table.columns) +
    `<sheetData>${rows.join('')}</sheetData>` +
    filter +
    '<printOptions horizontalCentered="1"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    '<pageSetup paperSize="9" orientation="landscape" horizontalDpi="4294967295" verticalDpi="4294967295" scale="100" fitToWidth="1" fitToHeight="0"/></worksheet>'
  );
}

const SHEET_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function contentTypesXml(sheets: number): string {
  const overrides = Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${SHEET_TYPE}"/>`).join('');
  return (
    XML_PROLOG +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    overrides +
    '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
  );
}

function workbookRelsXml(sheets: number): string {
  const rel = (id: number, type: string, target: string) => `<Relationship Id="rId${id}" Type="${REL}/${type}" Target="${target}"/>`;
  const worksheets = Array.from({ length: sheets }, (_, i) => rel(i + 4, 'worksheet', `worksheets/sheet${i + 1}.xml`)).join('');
  return `${XML_PROLOG}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel(1, 'styles', 'styles.xml')}${rel(2, 'theme', 'theme/theme1.xml')}${rel(3, 'sharedStrings', 'sharedStrings.xml')}${worksheets}</Relationships>`;
}

function workbookXml(names: readonly string[]): string {
  const sheets = names.map((name, i) => `<sheet sheetId="${i + 1}" name="${xmlText(name)}" state="visible" r:id="rId${i + 4}"/>`).join('');
  // Every sheet prints its header row on each page.
  const titles = names.map((name, i) => `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${xmlText(`'${name}'!$1:$1`)}</definedName>`).join('');
  return (
    XML_PROLOG +
    `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main">` +
    '<fileVersion appName="xl" lastEdited="5" lowestEdited="5" rupBuild="9303"/><workbookPr defaultThemeVersion="164011" filterPrivacy="1"/>' +
    `<sheets>${sheets}</sheets><definedNames>${titles}</definedNames><calcPr calcId="171027"/></workbook>`
  );
}

function appXml(names: readonly string[]): string {
  const titles = names.map((name) => `<vt:lpstr>${xmlText(name)}</vt:lpstr>`).join('');
  return (
    XML_PROLOG +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>' +
    `<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${names.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
    `<TitlesOfParts><vt:vector size="${names.length}" baseType="lpstr">${titles}</vt:vector></TitlesOfParts>` +
    '<Company></Company><Manager></Manager><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>'
  );
}

/** W3CDTF without milliseconds, as exceljs writes it. */
const w3cdtf = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function coreXml(creator: string, created: Date, modified: Date): string {
  return (
    XML_PROLOG +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${xmlText(creator)}</dc:creator><dc:title></dc:title><dc:subject></dc:subject><dc:description></dc:description><cp:keywords></cp:keywords><cp:category></cp:category><cp:lastModifiedBy>Unknown</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${w3cdtf(created)}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${w3cdtf(modified)}</dcterms:modified></cp:coreProperties>`
  );
}

export function summaryWorkbookBuffer(results: YearResults): Buffer {
  const tables = summaryTables(results);
  const names = tables.map((t) => t.name);
  const strings = new SharedStrings();
  // Shared strings are numbered in the order the sheets use them, so the sheets come first.
  const sheets = tables.map((t) => sheetXml(t, strings));
  const parts: Record<string, string | Uint8Array> = {
    '[Content_Types].xml': contentTypesXml(tables.length),
    '_rels/': '',
    '_rels/.rels': ROOT_RELS,
    'xl/': '',
    'xl/_rels/': '',
    'xl/_rels/workbook.xml.rels': workbookRelsXml(tables.length),
    'xl/worksheets/': '',
    ...Object.fromEntries(sheets.map((xml, i) => [`xl/worksheets/sheet${i + 1}.xml`, xml])),
    'xl/sharedStrings.xml': strings.xml(),
    'xl/theme/': '',
    'xl/theme/theme1.xml': THEME,
    'xl/styles.xml': STYLES,
    'docProps/': '',
    'docProps/app.xml': appXml(names),
    // The run's time as the workbook's creation, as the documents carry it.
    'docProps/core.xml': coreXml(results.activity.office || 'kaohe', new Date(results.generatedAt), new Date()),
    'xl/workbook.xml': workbookXml(names),
  };
  // Zipped with Node's zlib, as the documents are: fflate's JavaScript deflate took most of this workbook's time.
  return zipParts(Object.entries(parts).map(([name, data]) => [name, typeof data === 'string' ? Buffer.from(data) : data] as const));
}
