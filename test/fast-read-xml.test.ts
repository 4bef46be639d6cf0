// The XML scanner's shortcut for text and attribute values that need no decoding, held to the
// plain definitions: line ends normalised (attributes: line ends and tabs to spaces), references decoded.
import { describe, expect, it } from 'vitest';
import { parseXml } from '../generator/xlsx/fast-read-xml.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (_, e: string) =>
    e.startsWith('#x') || e.startsWith('#X') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!,
  );
const plainText = (raw: string): string => decode(raw.replace(/\r\n?/g, '\n'));
const plainAttribute = (raw: string): string => decode(raw.replace(/\r\n?|[\n\t]/g, ' '));

function scanned(samples: readonly string[]): { texts: string[]; values: string[] } {
  const xml = `<r>${samples.map((s) => `<t v="${s}">${s}</t>`).join('')}</r>`;
  const texts: string[] = [];
  const values: string[] = [];
  parseXml(xml, 'test.xml', {
    open(name, a) {
      if (name === 't') values.push(a.get('v')!);
    },
    text: (t) => texts.push(t),
  });
  return { texts, values };
}

describe('text and attribute values taken as they stand when nothing in them needs decoding', () => {
  it('read as the plain definitions read them, for every character XML allows alone and between others', () => {
    const samples: string[] = [];
    for (let u = 0x9; u <= 0xfffd; u++) {
      const ch = String.fromCharCode(u);
      // Markup, and what XML 1.0 does not allow in a document.
      if ('<&"'.includes(ch) || (u < 0x20 && u !== 0x9 && u !== 0xa && u !== 0xd) || (u >= 0xd800 && u <= 0xdfff)) continue;
      samples.push(ch, `甲${ch}乙`);
    }
    samples.push('𠮷田', 'a&amp;b', '&lt;x&gt;', '&#x4E00;&#19968;', '&quot;&apos;', 'a\r\nb\rc\nd\te', ']', ']]', 'a]b', '\r\n\r', '12', '', 'A1');
    const { texts, values } = scanned(samples);
    expect(values).toEqual(samples.map(plainAttribute));
    // An empty text is no text node.
    expect(texts).toEqual(samples.filter((s) => s !== '').map(plainText));
  });

  it('still refuses "]]>" in text and an undefined reference', () => {
    expect(() => scanned(['a]]>b'])).toThrow();
    expect(() => scanned(['a&nbsp;b'])).toThrow();
  });
});

describe('tag names and attributes', () => {
  const events = (xml: string): string[] => {
    const seen: string[] = [];
    parseXml(xml, 'test.xml', {
      open: (name, a) => seen.push(`<${name} r=${a.get('r')} s=${a.get('s')} x:r=${a.get('x:r')} rr=${a.get('rr')} id=${a.getLocal('id')}>`),
      close: (name) => seen.push(`</${name}>`),
    });
    return seen;
  };

  it('reports a prefixed name by its local part, the first colon ending the prefix, and closes with or without space before ">"', () => {
    expect(events('<x:a><x:b:c r="1" rr="2" x:r="3" s="4" r:id="5"/><b ></b ></x:a >')).toEqual([
      '<a r=undefined s=undefined x:r=undefined rr=undefined id=undefined>',
      '<b:c r=1 s=4 x:r=3 rr=2 id=5>',
      '</b:c>',
      '<b r=undefined s=undefined x:r=undefined rr=undefined id=undefined>',
      '</b>',
      '</a>',
    ]);
  });

  it('refuses a close tag that only begins with the open tag’s name', () => {
    expect(() => events('<a><c></cx></a>')).toThrow(/unmatched close tag/);
    expect(() => events('<a><c></c x></a>')).toThrow(/unmatched close tag/);
  });
});
