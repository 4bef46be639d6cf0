// A general XML scanner for xlsx parts: callbacks on open tags, close tags and text.

import { LIMITS, XlsxReadError, fail } from './fast-read-failure.ts';

export interface XmlHandlers {
  /** `attributes` is valid only during the call. */
  open(name: string, attributes: TagAttributes): void;
  close?(name: string): void;
  text?(text: string): void;
}

export function parseXml(xml: string, part: string, handlers: XmlHandlers): void {
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

/**
 * Whether xml[from, to) is its own text and attribute value as well: no reference (`&`), no line
 * end or tab to normalise, no `]` that could begin `]]>`. Almost every cell's text and attribute
 * is, and one pass over a few characters costs less than the regular expression and the searches
 * textContent and attributeValue run (test/fast-read-xml.test.ts holds the two equal).
 */
function isVerbatim(xml: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = xml.charCodeAt(k);
    if (c === 38 /* & */ || c === 93 /* ] */ || c === 13 || c === 10 || c === 9) return false;
  }
  return true;
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/** Whether the `length` characters at `a` and at `b` are the same, without slicing either. */
function sameChars(xml: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (xml.charCodeAt(a + k) !== xml.charCodeAt(b + k)) return false;
  return true;
}

/** Up to this many attributes a tag's duplicate test compares pairwise (cheaper than a set). */
const SMALL_TAG = 8;

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
    // Cells' attributes are one letter (r, s, t): compared as one character, not a search.
    const first = name.charCodeAt(0);
    for (let k = 0; k < this.count * 4; k += 4) {
      if (bounds[k + 1]! - bounds[k]! === name.length && xml.charCodeAt(bounds[k]!) === first && (name.length === 1 || xml.startsWith(name, bounds[k]))) return this.value(k);
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
        if (bounds[k + 1]! - bounds[k]! === length && sameChars(xml, bounds[k]!, nameStart, length)) return true;
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
    const { xml, bounds } = this;
    const raw = xml.slice(bounds[k + 2], bounds[k + 3]);
    return isVerbatim(xml, bounds[k + 2]!, bounds[k + 3]!) ? raw : attributeValue(raw);
  }

  /** After `scan`: whether the tag closed itself (`/>`); a field, not a returned object, as scan runs once per tag. */
  selfClosing = false;

  /** Locates the attributes from `from` to the tag's end; returns the index after `>` (and sets `selfClosing`). */
  scan(xml: string, from: number, tag: string): number {
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
      if (c === 62 /* > */) {
        this.selfClosing = false;
        return j + 1;
      }
      if (c === 47 /* / */) {
        if (xml.charCodeAt(j + 1) !== 62) throw new Error(`"/" inside tag <${tag}>`);
        this.selfClosing = true;
        return j + 2;
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
        if (text) text(isVerbatim(xml, i, end) ? raw : textContent(raw));
      } else if (raw.trim() !== '') throw new Error('text outside the root element');
    }
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 47 /* / */) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt < 0) throw new Error('unterminated close tag');
      const name = qualified.pop();
      // `</c>` ends right after the name; only a tag with space before its `>` needs the slice.
      if (name === undefined || !xml.startsWith(name, lt + 2) || (gt !== lt + 2 + name.length && xml.slice(lt + 2 + name.length, gt).trim() !== '')) {
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
      let colon = -1;
      while (j < n) {
        const c = xml.charCodeAt(j);
        if (isSpace(c) || c === 47 || c === 62) break;
        if (c === 58 /* : */ && colon < 0) colon = j;
        j++;
      }
      const name = xml.slice(lt + 1, j);
      if (name === '') throw new Error('empty tag name');
      i = attributes.scan(xml, j, name);
      lt = xml.indexOf('<', lt + 1);
      // `<` may not stand in a tag, not even inside an attribute value.
      if (lt >= 0 && lt < i) throw new Error(`"<" inside tag <${name}>`);
      // Strict OOXML and some writers prefix the main namespace (`x:c`); the local name is what counts.
      const localTag = colon < 0 ? name : xml.slice(colon + 1, j);
      open(localTag, attributes);
      if (attributes.selfClosing) {
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
