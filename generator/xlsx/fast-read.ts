// A value-only xlsx reader: it inflates only the parts the core needs (workbook, rels, shared
// strings, styles and the requested sheets) and never more than a byte budget, so a zip bomb is
// refused from its directory or, if the directory lies, after at most one input chunk.
// It yields the same WorkbookGrid as the exceljs reader (test/helpers/xlsx-read.ts): same strings,
// numbers, booleans, `{error}` values, formula results, and Dates for date-formatted numbers.

import { inflateRawSync } from 'node:zlib';
import { Inflate } from 'fflate';
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, parseCellAddress, parseRowNumber } from '../../core/address.ts';
import { cellAddress } from '../../core/layout.ts';
import type { RawValue, SheetGrid, WorkbookGrid } from '../../core/types.ts';

export const DEFAULT_MAX_INFLATED_BYTES = 200 * 1024 * 1024;

/**
 * Hard limits, each checked while scanning and before the allocation it would justify, so one
 * crafted cell or tag costs a located refusal instead of the batch. A filled unit workbook holds a
 * few thousand cells in parts well under 1 MB; these leave a hundredfold margin.
 */
export const LIMITS = {
  /** Inflated size of any one XML part (its decoded string is about twice that in memory). */
  partBytes: 32 * 1024 * 1024,
  /** Stored (non-empty or formatted) cells in one sheet, and in all sheets read. */
  cellsPerSheet: 200_000,
  cellsPerWorkbook: 500_000,
  /** Attributes on one tag: a cell has at most six, a real tag a few dozen. */
  attributesPerTag: 256,
  /** Zip entries in the package: a workbook has a few dozen. */
  zipEntries: 10_000,
} as const;

export interface FastReadOptions {
  /** Sheet names to read, or a test on the name; absent means every sheet. */
  sheets?: readonly string[] | ((name: string) => boolean);
  /** Upper bound on the bytes inflated from the zip, summed over the parts read. */
  maxInflatedBytes?: number;
}

export type XlsxFailureKind =
  /** No zip signature at all. */
  | 'notZip'
  /** A zip whose end (central directory) is missing or points past the end of the file. */
  | 'truncated'
  /** The parts to read would inflate past the budget, or inflate past their declared size. */
  | 'bomb'
  /** A zip without an Office workbook part. */
  | 'noWorkbook'
  /** Damaged compressed data or XML. */
  | 'corrupt'
  /** Readable in principle but past a hard limit, or built to mislead (duplicate zip entries). */
  | 'refused';

export interface XlsxFailure {
  kind: XlsxFailureKind;
  /** Technical detail for logs and the message's tail (English, not shown alone to users). */
  detail: string;
  /** What is wrong, in Chinese, for `refused` and for the damage a user can act on. */
  what?: string;
  sheet?: string;
  /** A1 address, when the problem has one inside Excel's grid. */
  cell?: string;
}

export interface XlsxRead {
  ok: true;
  grid: WorkbookGrid;
  /** Every sheet in workbook order, read or not. */
  sheetNames: string[];
  inflatedBytes: number;
}

export class XlsxReadError extends Error {
  readonly failure: XlsxFailure;
  constructor(failure: XlsxFailure) {
    super(`${failure.kind}: ${failure.detail}`);
    this.failure = failure;
  }
}

/** Reads an xlsx into a WorkbookGrid; throws XlsxReadError for files it cannot read. */
export function readXlsxGrid(bytes: Uint8Array, opts: FastReadOptions = {}): WorkbookGrid {
  const read = tryReadXlsx(bytes, opts);
  if (!read.ok) throw new XlsxReadError(read.failure);
  return read.grid;
}

/** Reads an xlsx into a WorkbookGrid; never throws. */
export function tryReadXlsx(bytes: Uint8Array, opts: FastReadOptions = {}): XlsxRead | { ok: false; failure: XlsxFailure } {
  try {
    return readXlsx(bytes, opts);
  } catch (e) {
    if (e instanceof XlsxReadError) return { ok: false, failure: e.failure };
    return { ok: false, failure: { kind: 'corrupt', detail: e instanceof Error ? e.message : String(e) } };
  }
}

function fail(kind: XlsxFailureKind, detail: string, where: Omit<XlsxFailure, 'kind' | 'detail'> = {}): never {
  throw new XlsxReadError({ kind, detail, ...where });
}

// ---------------------------------------------------------------- zip directory

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
}

const u16 = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, o: number): number => (u16(b, o) | (u16(b, o + 2) << 16)) >>> 0;

/** Fatal: a part that is not valid UTF-8 is damaged, not text with U+FFFD in it. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** Entry names are only compared, never shown as content; an odd byte must not refuse the file. */
const LENIENT_UTF8 = new TextDecoder();
const EOCD_SIG = 0x06054b50;
const CD_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

function zipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('notZip', 'no PK signature');
  // The end record sits in the last 22 bytes plus an optional comment of at most 65,535 bytes. The
  // comment may itself contain the signature, so the record taken is the one whose comment length
  // reaches exactly to the end of the file; failing that, the last signature (a trailing byte or two).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 0xffff; i--) {
    if (u32(bytes, i) !== EOCD_SIG) continue;
    if (i + 22 + u16(bytes, i + 20) === bytes.length) {
      eocd = i;
      break;
    }
    if (eocd < 0) eocd = i;
  }
  if (eocd < 0) fail('truncated', 'end of central directory not found');
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  if (cdOffset === 0xffffffff || count === 0xffff) fail('corrupt', 'zip64 archives are not expected for a workbook');
  if (cdOffset + cdSize > eocd) fail('truncated', 'central directory points past the end of the file');
  if (count > LIMITS.zipEntries) fail('refused', `${count} zip entries`, { what: `压缩包内有 ${count} 个条目，远多于工作簿应有的数量` });
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || u32(bytes, p) !== CD_SIG) fail('corrupt', `central directory entry ${i} is damaged`);
    const nameLength = u16(bytes, p + 28);
    const entry: ZipEntry = {
      name: LENIENT_UTF8.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      method: u16(bytes, p + 10),
      compressedSize: u32(bytes, p + 20),
      declaredSize: u32(bytes, p + 24),
      localOffset: u32(bytes, p + 42),
    };
    // Part names are case-insensitive (ECMA-376 Part 2 §9.1.1.1); some writers capitalise them.
    // Two entries of one name let two readers see two different workbooks: refused, not guessed.
    const key = entry.name.toLowerCase();
    if (entries.has(key)) {
      fail('refused', `duplicate zip entry ${entry.name}`, { what: `压缩包内有两个同名的部件“${entry.name}”，可能被人为改动过` });
    }
    entries.set(key, entry);
    p += 46 + nameLength + u16(bytes, p + 30) + u16(bytes, p + 32);
  }
  return entries;
}

/** Small enough that one push of a maximally compressed chunk (≈1,032:1) stays near 16 MB. */
const INFLATE_CHUNK = 16 * 1024;
/** At deflate's ≈1,032:1 limit this much input decodes in well under a second even if it lies. */
const ONE_SHOT_MAX_COMPRESSED = 64 * 1024;

class Inflater {
  inflated = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, ZipEntry>,
    private readonly budget: number,
  ) {}

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** Declared sizes are checked up front so an honest bomb is refused without inflating a byte. */
  checkDeclared(names: readonly string[]): void {
    let total = 0;
    for (const name of names) total += this.entries.get(name.toLowerCase())?.declaredSize ?? 0;
    if (total > this.budget) fail('bomb', `parts declare ${total} bytes, over the ${this.budget} byte limit`);
  }

  text(name: string): string | null {
    const entry = this.entries.get(name.toLowerCase());
    if (!entry) return null;
    if (entry.declaredSize > LIMITS.partBytes) {
      fail('refused', `${entry.name} declares ${entry.declaredSize} bytes`, {
        what: `其中的部件“${entry.name}”解压后有 ${Math.round(entry.declaredSize / 1024 / 1024)} MB，超过单个部件 ${LIMITS.partBytes / 1024 / 1024} MB 的上限`,
      });
    }
    const data = this.inflate(entry);
    try {
      return UTF8.decode(data);
    } catch {
      return fail('corrupt', `${entry.name} is not valid UTF-8`, { what: `其中的部件“${entry.name}”含有无效的 UTF-8 编码（文字已损坏）` });
    }
  }

  private inflate(entry: ZipEntry): Uint8Array {
    const { bytes } = this;
    const p = entry.localOffset;
    if (p + 30 > bytes.length || u32(bytes, p) !== LOCAL_SIG) fail('truncated', `local header of ${entry.name} missing`);
    const start = p + 30 + u16(bytes, p + 26) + u16(bytes, p + 28);
    const end = start + entry.compressedSize;
    if (end > bytes.length) fail('truncated', `${entry.name} runs past the end of the file`);
    const room = Math.min(entry.declaredSize, this.budget - this.inflated);
    if (entry.declaredSize > room) fail('bomb', `${entry.name} declares ${entry.declaredSize} bytes, over the limit`);
    const data = bytes.subarray(start, end);
    if (entry.method === 0) {
      if (data.length !== entry.declaredSize) fail('corrupt', `${entry.name} stored size mismatch`);
      this.inflated += data.length;
      return data;
    }
    if (entry.method !== 8) fail('corrupt', `${entry.name} uses compression method ${entry.method}`);
    const out = data.length <= ONE_SHOT_MAX_COMPRESSED ? this.inflateOneShot(entry, data) : this.inflateStreaming(entry, data);
    if (out.length > entry.declaredSize) fail('bomb', `${entry.name} inflates past its declared ${entry.declaredSize} bytes`);
    if (out.length !== entry.declaredSize) fail('corrupt', `${entry.name} inflates to ${out.length} of ${entry.declaredSize} declared bytes`);
    this.inflated += out.length;
    return out;
  }

  /**
   * One call to zlib (about twice fflate's speed on these small parts), told to stop one byte
   * past the declared size, so a longer stream shows as too long and the work stays bounded.
   */
  private inflateOneShot(entry: ZipEntry, data: Uint8Array): Uint8Array {
    try {
      return inflateRawSync(data, { maxOutputLength: entry.declaredSize + 1 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') fail('bomb', `${entry.name} inflates past its declared ${entry.declaredSize} bytes`);
      fail('corrupt', `${entry.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Chunk by chunk, stopping as soon as the output passes the declared size. */
  private inflateStreaming(entry: ZipEntry, data: Uint8Array): Uint8Array {
    const out = new Uint8Array(entry.declaredSize + 1);
    let written = 0;
    const inflate = new Inflate((chunk) => {
      const room = out.length - written;
      out.set(chunk.length > room ? chunk.subarray(0, room) : chunk, written);
      written += Math.min(chunk.length, room);
    });
    try {
      for (let i = 0; i < data.length && written < out.length; i += INFLATE_CHUNK) {
        const last = i + INFLATE_CHUNK >= data.length;
        inflate.push(data.subarray(i, last ? data.length : i + INFLATE_CHUNK), last);
      }
    } catch (e) {
      fail('corrupt', `${entry.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return out.subarray(0, written);
  }
}

// ---------------------------------------------------------------- XML helpers

interface XmlHandlers {
  /** `attributes` is valid only during the call. */
  open(name: string, attributes: TagAttributes): void;
  close?(name: string): void;
  text?(text: string): void;
}

function parseXml(xml: string, part: string, handlers: XmlHandlers): void {
  try {
    scanXml(xml, handlers);
  } catch (e) {
    if (e instanceof XlsxReadError) throw e;
    fail('corrupt', `${part}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Characters XML 1.0 does not allow. Decoded UTF-8 holds no lone surrogates, so those need no
 * test here; character references are checked where they are decoded.
 */
const DISALLOWED_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const PREDEFINED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isXmlChar = (c: number): boolean =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0) throw new Error('unterminated entity');
    const entity = s.slice(amp + 1, semi);
    let decoded: string | undefined;
    if (entity.charCodeAt(0) === 35 /* # */) {
      const code = /^#x[0-9a-f]+$/i.test(entity) ? parseInt(entity.slice(2), 16) : /^#[0-9]+$/.test(entity) ? parseInt(entity.slice(1), 10) : NaN;
      if (!isXmlChar(code)) throw new Error('malformed character entity');
      decoded = String.fromCodePoint(code);
    } else decoded = PREDEFINED_ENTITIES[entity];
    if (decoded === undefined) throw new Error(`undefined entity &${entity};`);
    out += s.slice(from, amp) + decoded;
    from = semi + 1;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

/** Text as an XML parser reports it: line ends as \n, references decoded. */
function textContent(raw: string): string {
  if (raw.includes(']]>')) throw new Error('"]]>" in text');
  return decodeEntities(raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw);
}

/** Attribute values are normalised: each raw line end or tab becomes one space (XML 1.0 §3.3.3). */
function attributeValue(raw: string): string {
  return decodeEntities(/[\t\n\r]/.test(raw) ? raw.replace(/\r\n?|[\n\t]/g, ' ') : raw);
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/** Up to this many attributes a tag's duplicate test compares pairwise (cheaper than a set). */
const SMALL_TAG = 8;

/** Strict OOXML and some writers prefix the main namespace (`x:c`); the local name is what counts. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * The attributes of the tag being opened, located but decoded only when asked for: most tags'
 * attributes (row heights, spans, styles of empty cells' neighbours…) are never read.
 */
class TagAttributes {
  xml = '';
  count = 0;
  /** Per attribute: name start, name end, value start, value end. */
  readonly bounds: number[] = [];
  /** Names seen on this tag once it has more than a few, so the duplicate test stays linear. */
  private readonly names = new Set<string>();

  /** The value of the attribute with exactly this name. */
  get(name: string): string | undefined {
    const { bounds, xml } = this;
    for (let k = 0; k < this.count * 4; k += 4) {
      if (bounds[k + 1]! - bounds[k]! === name.length && xml.startsWith(name, bounds[k])) return this.value(k);
    }
    return undefined;
  }

  /** The value of the attribute with this name, or failing that, with this local name (`r:id` for `id`). */
  getLocal(name: string): string | undefined {
    const exact = this.get(name);
    if (exact !== undefined) return exact;
    const { bounds, xml } = this;
    for (let k = 0; k < this.count * 4; k += 4) {
      const start = bounds[k + 1]! - name.length;
      if (start > bounds[k]! && xml.charCodeAt(start - 1) === 58 /* : */ && xml.startsWith(name, start)) return this.value(k);
    }
    return undefined;
  }

  /** Pairwise for the few attributes real tags carry, through a set beyond that. */
  private isDuplicate(xml: string, nameStart: number, nameEnd: number): boolean {
    const { bounds } = this;
    const length = nameEnd - nameStart;
    if (this.count < SMALL_TAG) {
      for (let k = 0; k < this.count * 4; k += 4) {
        if (bounds[k + 1]! - bounds[k]! === length && xml.startsWith(xml.slice(nameStart, nameEnd), bounds[k])) return true;
      }
      return false;
    }
    if (this.count === SMALL_TAG) {
      this.names.clear();
      for (let k = 0; k < this.count * 4; k += 4) this.names.add(xml.slice(bounds[k], bounds[k + 1]));
    }
    const name = xml.slice(nameStart, nameEnd);
    if (this.names.has(name)) return true;
    this.names.add(name);
    return false;
  }

  private value(k: number): string {
    return attributeValue(this.xml.slice(this.bounds[k + 2], this.bounds[k + 3]));
  }

  /** Locates the attributes from `from` to the tag's end; returns the index after `>` and whether the tag closed itself. */
  scan(xml: string, from: number, tag: string): { end: number; selfClosing: boolean } {
    this.xml = xml;
    this.count = 0;
    const { bounds } = this;
    const n = xml.length;
    let j = from;
    for (;;) {
      const before = j;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (j >= n) throw new Error(`unterminated tag <${tag}>`);
      const c = xml.charCodeAt(j);
      if (c === 62 /* > */) return { end: j + 1, selfClosing: false };
      if (c === 47 /* / */) {
        if (xml.charCodeAt(j + 1) !== 62) throw new Error(`"/" inside tag <${tag}>`);
        return { end: j + 2, selfClosing: true };
      }
      if (j === before) throw new Error(`no space before an attribute in <${tag}>`);
      const nameStart = j;
      while (j < n) {
        const d = xml.charCodeAt(j);
        if (d === 61 /* = */ || isSpace(d) || d === 62 || d === 47) break;
        j++;
      }
      const nameEnd = j;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (xml.charCodeAt(j) !== 61) throw new Error(`attribute without a value in <${tag}>`);
      j++;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      const quote = xml.charCodeAt(j);
      if (quote !== 34 && quote !== 39) throw new Error(`unquoted attribute value in <${tag}>`);
      const valueEnd = xml.indexOf(quote === 34 ? '"' : "'", j + 1);
      if (valueEnd < 0) throw new Error(`unterminated attribute value in <${tag}>`);
      if (this.isDuplicate(xml, nameStart, nameEnd)) throw new Error(`duplicate attribute in <${tag}>`);
      if (this.count === LIMITS.attributesPerTag) {
        fail('refused', `more than ${LIMITS.attributesPerTag} attributes in <${tag}>`, {
          what: `其中的标记 <${tag.slice(0, 40)}> 有超过 ${LIMITS.attributesPerTag} 个属性，不是正常的工作簿内容`,
        });
      }
      const k = this.count++ * 4;
      bounds[k] = nameStart;
      bounds[k + 1] = nameEnd;
      bounds[k + 2] = j + 1;
      bounds[k + 3] = valueEnd;
      j = valueEnd + 1;
    }
  }
}

/**
 * A non-validating XML scanner for the few shapes xlsx parts take. It reports what saxes did
 * here (qualified names' local part, attribute values, text and CDATA) and still refuses XML that
 * is not well-formed — mismatched or unclosed tags, broken tags, bad references in text or in the
 * attributes read, disallowed characters, text outside the root — at a fraction of a general
 * parser's cost per cell.
 */
function scanXml(xml: string, handlers: XmlHandlers): void {
  if (DISALLOWED_CHARS.test(xml)) throw new Error('disallowed character');
  const { open, close, text } = handlers;
  const attributes = new TagAttributes();
  const qualified: string[] = [];
  const local: string[] = [];
  let rootClosed = false;
  let rootSeen = false;
  let doctypeSeen = false;
  const n = xml.length;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lt = xml.indexOf('<', i);
  while (i < n) {
    const end = lt < 0 ? n : lt;
    if (end > i) {
      const raw = xml.slice(i, end);
      if (qualified.length > 0) {
        if (text) text(textContent(raw));
      } else if (raw.trim() !== '') throw new Error('text outside the root element');
    }
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 47 /* / */) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt < 0) throw new Error('unterminated close tag');
      const name = qualified.pop();
      if (name === undefined || !xml.startsWith(name, lt + 2) || xml.slice(lt + 2 + name.length, gt).trim() !== '') {
        throw new Error(`unmatched close tag </${xml.slice(lt + 2, gt)}>`);
      }
      const closed = local.pop()!;
      if (qualified.length === 0) rootClosed = true;
      if (close) close(closed);
      i = gt + 1;
    } else if (next === 33 /* ! */) {
      if (xml.startsWith('<!DOCTYPE', lt)) {
        // XML 1.0 §2.8: at most one, in the prolog before the root element.
        if (doctypeSeen || rootSeen) throw new Error('document type declaration after the prolog');
        doctypeSeen = true;
      }
      i = skipMarkup(xml, lt, qualified.length > 0, text);
    } else if (next === 63 /* ? */) {
      const qgt = xml.indexOf('?>', lt + 2);
      if (qgt < 0) throw new Error('unterminated processing instruction');
      i = qgt + 2;
    } else {
      if (rootClosed) throw new Error('more than one root element');
      rootSeen = true;
      let j = lt + 1;
      while (j < n) {
        const c = xml.charCodeAt(j);
        if (isSpace(c) || c === 47 || c === 62) break;
        j++;
      }
      const name = xml.slice(lt + 1, j);
      if (name === '') throw new Error('empty tag name');
      const tag = attributes.scan(xml, j, name);
      i = tag.end;
      lt = xml.indexOf('<', lt + 1);
      // `<` may not stand in a tag, not even inside an attribute value.
      if (lt >= 0 && lt < i) throw new Error(`"<" inside tag <${name}>`);
      const localTag = localName(name);
      open(localTag, attributes);
      if (tag.selfClosing) {
        if (qualified.length === 0) rootClosed = true;
        if (close) close(localTag);
      } else {
        qualified.push(name);
        local.push(localTag);
      }
      continue;
    }
    lt = xml.indexOf('<', i);
  }
  if (qualified.length > 0) throw new Error(`unclosed tag <${qualified[qualified.length - 1]}>`);
  if (!rootClosed) throw new Error('no root element');
}

/** Comments, CDATA (reported as text inside the root) and a document type declaration. */
function skipMarkup(xml: string, lt: number, inRoot: boolean, text: ((text: string) => void) | undefined): number {
  if (xml.startsWith('<!--', lt)) {
    const end = xml.indexOf('-->', lt + 4);
    if (end < 0) throw new Error('unterminated comment');
    return end + 3;
  }
  if (xml.startsWith('<![CDATA[', lt)) {
    const end = xml.indexOf(']]>', lt + 9);
    if (end < 0) throw new Error('unterminated CDATA section');
    if (!inRoot) throw new Error('CDATA outside the root element');
    const raw = xml.slice(lt + 9, end);
    if (text) text(raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw);
    return end + 3;
  }
  if (xml.startsWith('<!DOCTYPE', lt)) {
    // The internal subset `[…]` is looked for only inside the declaration, so the search is linear.
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated document type declaration');
    const bracket = xml.lastIndexOf('[', gt);
    if (bracket < lt) return gt + 1;
    const close = xml.indexOf(']', bracket);
    const end = close < 0 ? -1 : xml.indexOf('>', close);
    if (end < 0) throw new Error('unterminated document type declaration');
    return end + 1;
  }
  throw new Error('unknown markup declaration');
}

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

function readRels(inflater: Inflater, part: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  const xml = inflater.text(relsPath(part));
  if (xml === null) return rels;
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
}

// ---------------------------------------------------------------- workbook parts

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

function readWorkbookPart(inflater: Inflater): WorkbookPart {
  const part = officeDocumentPart(inflater);
  const rels = readRels(inflater, part);
  const xml = inflater.text(part) ?? '';
  const result: WorkbookPart = { date1904: false, sheets: [], sharedStrings: undefined, styles: undefined };
  parseXml(xml, part, {
    open(name, a) {
      if (name === 'workbookPr') {
        const v = a.getLocal('date1904');
        result.date1904 = v === '1' || v === 'true';
      } else if (name === 'sheet') {
        const id = a.getLocal('id');
        result.sheets.push({ name: a.get('name') ?? '', part: id === undefined ? undefined : rels.get(id)?.target });
      }
    },
  });
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
class StringCollector {
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

function readSharedStrings(inflater: Inflater, part: string | undefined): string[] {
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
function readCellFormats(inflater: Inflater, part: string | undefined): (string | undefined)[] {
  const xml = part === undefined ? null : inflater.text(part);
  if (xml === null || part === undefined) return [];
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
}

/** exceljs's rule (utils.isDateFmt), kept identical so both readers turn the same cells into Dates. */
function isDateFormat(format: string): boolean {
  const bare = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]+/.test(bare);
}

const MS_PER_DAY = 24 * 3600 * 1000;

function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * MS_PER_DAY));
}

// ---------------------------------------------------------------- sheets

interface SheetContext {
  strings: string[];
  formats: (string | undefined)[];
  dateFormat: boolean[];
  date1904: boolean;
  /** Cells stored so far in the sheets already read. */
  cellsInWorkbook: number;
}

/** A numeric `<v>` as XML Schema writes a double; `parseFloat` would read `0x1F` as 0 and `12abc` as 12. */
const XML_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** An ISO 8601 date or date-time as `t="d"` cells hold it (ECMA-376 Part 1 §18.17.4.1). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * A value the file spells wrongly is handed on as its text, so the core says, at the cell, that it
 * cannot read it, instead of a number or a date being made up.
 */
function numberOrText(text: string): number | string {
  return XML_NUMBER.test(text) ? Number(text) : text;
}

function dateOrText(text: string): Date | string {
  if (!ISO_DATE_TIME.test(text)) return text;
  const d = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(d.getTime()) ? text : d;
}

function sheetLimit(sheet: string, cell: string, detail: string, what: string): never {
  fail('refused', detail, { what, sheet, cell });
}

/**
 * One sheet as a sparse store: rows and cells exist only where the file has them (no padding),
 * so memory follows the cells, not the furthest address; readers treat a hole as an empty cell.
 */
function readSheet(xml: string, part: string, sheetName: string, ctx: SheetContext): SheetGrid {
  const values: RawValue[][] = [];
  const numberFormats: (string | null)[][] = [];
  let cells = 0;
  let row = -1;
  let col = -1;
  let type = 'n';
  let style = 0;
  let hasFormula = false;
  let inValue = false;
  let inInline = false;
  let valueText = '';
  let sawValue = false;
  const inline = new StringCollector();

  const cellValue = (): RawValue => {
    if (inInline || type === 'inlineStr') return sawValue ? valueText : inline.take();
    if (!sawValue) return null;
    switch (type) {
      case 's':
        return hasFormula ? numberOrText(valueText) : (ctx.strings[parseInt(valueText, 10)] ?? null);
      case 'str':
        return valueText;
      case 'b':
        return parseInt(valueText, 10) !== 0;
      case 'e':
        return { error: valueText };
      case 'd':
        return dateOrText(valueText.trim());
      default: {
        const n = numberOrText(valueText);
        return typeof n === 'number' && ctx.dateFormat[style] ? serialToDate(n, ctx.date1904) : n;
      }
    }
  };

  parseXml(xml, part, {
    open(name, a) {
      switch (name) {
        case 'row': {
          const ref = a.get('r');
          const r = ref === undefined ? row + 1 : parseRowNumber(ref);
          if (r === null || r >= EXCEL_MAX_ROWS) {
            sheetLimit(sheetName, cellAddress(Math.min(row + 1, EXCEL_MAX_ROWS - 1), 0), `row r="${ref}"`, `行号“${(ref ?? '').slice(0, 20)}”不是 1 到 1,048,576 之间的整数（Excel 的最大行数）`);
          }
          row = r;
          col = -1;
          return;
        }
        case 'c': {
          const ref = a.get('r');
          if (ref !== undefined) {
            const at = parseCellAddress(ref);
            if (!at) {
              sheetLimit(sheetName, cellAddress(Math.max(row, 0), Math.max(col + 1, 0)), `cell r="${ref}"`, `单元格地址“${ref.slice(0, 20)}”不在 Excel 的表格范围内（最大为 XFD1048576）`);
            }
            row = at.row;
            col = at.col;
          } else if (++col >= EXCEL_MAX_COLUMNS || row < 0) {
            sheetLimit(sheetName, cellAddress(Math.max(row, 0), EXCEL_MAX_COLUMNS - 1), 'cell past XFD', '一行的单元格超出了 Excel 的最后一列 XFD');
          }
          type = a.get('t') ?? 'n';
          const s = a.get('s');
          style = s === undefined ? 0 : Number(s);
          hasFormula = false;
          sawValue = false;
          valueText = '';
          inInline = false;
          return;
        }
        case 'f':
          hasFormula = true;
          return;
        case 'v':
          inValue = true;
          return;
        case 'is':
          inInline = true;
          return;
        default:
          if (inInline) inline.open(name);
      }
    },
    close(name) {
      switch (name) {
        case 'v':
          inValue = false;
          return;
        case 'is':
          inInline = false;
          valueText = inline.take();
          sawValue = true;
          return;
        case 'c': {
          const value = cellValue();
          const format = ctx.formats[style];
          if (value === null && format === undefined) return;
          if (++cells > LIMITS.cellsPerSheet || ++ctx.cellsInWorkbook > LIMITS.cellsPerWorkbook) {
            const perSheet = cells > LIMITS.cellsPerSheet;
            sheetLimit(
              sheetName,
              cellAddress(row, col),
              'too many cells',
              perSheet
                ? `工作表的单元格超过 ${LIMITS.cellsPerSheet.toLocaleString('en-US')} 个，远多于填报工作簿应有的数量（可能整列填充到了表格底部）`
                : `整个工作簿的单元格超过 ${LIMITS.cellsPerWorkbook.toLocaleString('en-US')} 个，远多于填报工作簿应有的数量`,
            );
          }
          (values[row] ??= [])[col] = value;
          (numberFormats[row] ??= [])[col] = format ?? null;
          return;
        }
        default:
          if (inInline) inline.close(name);
      }
    },
    text(t) {
      if (inValue) {
        valueText += t;
        sawValue = true;
      } else if (inInline) inline.text(t);
    },
  });
  return { values, numberFormats };
}

// ---------------------------------------------------------------- entry point

function readXlsx(bytes: Uint8Array, opts: FastReadOptions): XlsxRead {
  const budget = opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const inflater = new Inflater(bytes, zipDirectory(bytes), budget);
  const workbook = readWorkbookPart(inflater);
  const { sheets } = opts;
  const include = sheets === undefined ? () => true : typeof sheets === 'function' ? sheets : (name: string) => sheets.includes(name);
  const wanted = workbook.sheets.filter((s) => s.part !== undefined && include(s.name));
  const parts = [workbook.sharedStrings, workbook.styles, ...wanted.map((s) => s.part)].filter(
    (p): p is string => p !== undefined,
  );
  inflater.checkDeclared(parts);
  const formats = readCellFormats(inflater, workbook.styles);
  const ctx: SheetContext = {
    strings: readSharedStrings(inflater, workbook.sharedStrings),
    formats,
    dateFormat: formats.map((f) => f !== undefined && isDateFormat(f)),
    date1904: workbook.date1904,
    cellsInWorkbook: 0,
  };
  const grid: WorkbookGrid = { sheets: {} };
  if (workbook.date1904) grid.date1904 = true;
  for (const sheet of wanted) {
    const xml = inflater.text(sheet.part as string);
    if (xml !== null) grid.sheets[sheet.name] = readSheet(xml, sheet.part as string, sheet.name, ctx);
  }
  return { ok: true, grid, sheetNames: workbook.sheets.map((s) => s.name), inflatedBytes: inflater.inflated };
}
