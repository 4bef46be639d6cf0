// The workbook's own parts: the package and workbook relationships, workbook.xml (sheets and
// date system), shared strings and the styles' number formats.

import { fail } from './fast-read-failure.ts';
import type { Inflater } from './fast-read-zip.ts';
import { parseXml } from './fast-read-xml.ts';

/** Resolves a relationship target against the folder of the part that owns the rels. */
function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

function relsPath(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

interface Relationship {
  type: string;
  target: string;
}

/**
 * The last result of a part reader per part name, for its exact text: the workbooks `kaohe
 * workbooks` makes share their styles, workbook and relationship parts byte for byte, so a worker
 * reading hundreds of them parses those once. Only identical text is reused, never a checksum;
 * the results are shared, so read only. Names are the file's to choose: a few are kept.
 */
function lastOf<T>(parse: (xml: string, part: string) => T): (xml: string, part: string) => T {
  const last = new Map<string, { xml: string; value: T }>();
  return (xml, part) => {
    const kept = last.get(part);
    if (kept?.xml === xml) return kept.value;
    const value = parse(xml, part);
    if (!last.has(part) && last.size >= LAST_PARTS) last.clear();
    last.set(part, { xml, value });
    return value;
  };
}

const LAST_PARTS = 8;

/** The relationships of `part`, from the text of its rels part. */
const parseRels = lastOf((xml: string, part: string): ReadonlyMap<string, Relationship> => {
  const rels = new Map<string, Relationship>();
  parseXml(xml, relsPath(part), {
    open(name, a) {
      if (name !== 'Relationship') return;
      const id = a.get('Id');
      const target = a.get('Target');
      if (id === undefined || target === undefined || a.get('TargetMode') === 'External') return;
      rels.set(id, { type: a.get('Type') ?? '', target: resolvePart(part, target) });
    },
  });
  return rels;
});

function readRels(inflater: Inflater, part: string): ReadonlyMap<string, Relationship> {
  const xml = inflater.text(relsPath(part), true);
  return xml === null ? new Map() : parseRels(xml, part);
}

interface WorkbookPart {
  date1904: boolean;
  sheets: { name: string; part: string | undefined }[];
  sharedStrings: string | undefined;
  styles: string | undefined;
}

function officeDocumentPart(inflater: Inflater): string {
  for (const rel of readRels(inflater, '').values()) {
    if (rel.type.endsWith('/officeDocument') && inflater.has(rel.target)) return rel.target;
  }
  if (inflater.has('xl/workbook.xml')) return 'xl/workbook.xml';
  fail('noWorkbook', 'no workbook part');
}

interface WorkbookXml {
  date1904: boolean;
  sheets: readonly { name: string; id: string | undefined }[];
}

const parseWorkbookXml = lastOf((xml: string, part: string): WorkbookXml => {
  const result = { date1904: false, sheets: [] as { name: string; id: string | undefined }[] };
  parseXml(xml, part, {
    open(name, a) {
      if (name === 'workbookPr') {
        const v = a.getLocal('date1904');
        result.date1904 = v === '1' || v === 'true';
      } else if (name === 'sheet') result.sheets.push({ name: a.get('name') ?? '', id: a.getLocal('id') });
    },
  });
  return result;
});

export function readWorkbookPart(inflater: Inflater): WorkbookPart {
  const part = officeDocumentPart(inflater);
  const rels = readRels(inflater, part);
  const workbook = parseWorkbookXml(inflater.text(part, true) ?? '', part);
  const result: WorkbookPart = {
    date1904: workbook.date1904,
    sheets: workbook.sheets.map(({ name, id }) => ({ name, part: id === undefined ? undefined : rels.get(id)?.target })),
    sharedStrings: undefined,
    styles: undefined,
  };
  for (const rel of rels.values()) {
    if (rel.type.endsWith('/sharedStrings')) result.sharedStrings = rel.target;
    else if (rel.type.endsWith('/styles')) result.styles = rel.target;
  }
  return result;
}

/** Excel escapes characters XML cannot hold as `_xHHHH_`; exceljs decodes the same pattern. */
const decodeEscapes = (s: string): string =>
  s.includes('_x') ? s.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s;

/** Rich-text runs are concatenated; phonetic guides (`<rPh>`) are not part of the value. */
export class StringCollector {
  private depthInPhonetic = 0;
  private inText = false;
  private parts: string[] = [];

  open(name: string): void {
    if (name === 'rPh') this.depthInPhonetic++;
    else if (name === 't' && this.depthInPhonetic === 0) this.inText = true;
  }
  close(name: string): void {
    if (name === 'rPh') this.depthInPhonetic--;
    else if (name === 't') this.inText = false;
  }
  text(text: string): void {
    if (this.inText) this.parts.push(text);
  }
  take(): string {
    const s = decodeEscapes(this.parts.join(''));
    this.parts = [];
    return s;
  }
}

export function readSharedStrings(inflater: Inflater, part: string | undefined): string[] {
  const strings: string[] = [];
  const xml = part === undefined ? null : inflater.text(part);
  if (xml === null || part === undefined) return strings;
  const collector = new StringCollector();
  parseXml(xml, part, {
    open: (name) => collector.open(name),
    close(name) {
      if (name === 'si') strings.push(collector.take());
      else collector.close(name);
    },
    text: (t) => collector.text(t),
  });
  return strings;
}

/** ECMA-376 Part 1 §18.8.30 built-in formats, zh-CN variants for the locale-dependent ids. */
const BUILTIN_FORMATS: Record<number, string> = {
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy "h":mm',
  27: 'yyyy"年"m"月"',
  28: 'm"月"d"日"',
  29: 'm"月"d"日"',
  30: 'm-d-yy',
  31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"',
  34: '上午/下午h"时"mm"分"',
  35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
  50: 'yyyy"年"m"月"',
  51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"',
  53: 'm"月"d"日"',
  54: 'm"月"d"日"',
  55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"',
  57: 'yyyy"年"m"月"',
  58: 'm"月"d"日"',
};

/** The style index `s` of a cell → its number format code, or undefined for General. */
export function readCellFormats(inflater: Inflater, part: string | undefined): readonly (string | undefined)[] {
  const xml = part === undefined ? null : inflater.text(part, true);
  if (xml === null || part === undefined) return [];
  return parseCellFormats(xml, part);
}

const parseCellFormats = lastOf((xml: string, part: string): readonly (string | undefined)[] => {
  const custom = new Map<number, string>();
  const formats: (string | undefined)[] = [];
  let inCellXfs = false;
  parseXml(xml, part, {
    open(name, a) {
      // Backslash escapes dropped as exceljs does (`yyyy\-mm` → `yyyy-mm`), so both readers agree.
      if (name === 'numFmt') {
        const id = a.get('numFmtId');
        if (id !== undefined) custom.set(Number(id), (a.get('formatCode') ?? '').replace(/\\(.)/g, '$1'));
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.get('numFmtId') ?? 0);
        formats.push(id === 0 ? undefined : (custom.get(id) ?? BUILTIN_FORMATS[id]));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return formats;
});
