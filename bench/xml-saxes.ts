// saxes behind the fast reader's XmlHandlers, for bench/xml-scanner.ts only: that bench builds
// `kaohe` a second time with the readers importing this file instead of fast-read-xml.ts.
import { SaxesParser } from 'saxes';
import { XlsxReadError, fail } from '../generator/xlsx/fast-read-failure.ts';
import type { XmlHandlers } from '../generator/xlsx/fast-read-xml.ts';

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** The scanner's TagAttributes interface over saxes's attribute record. */
class Attributes {
  record: Record<string, string> = {};
  get(name: string): string | undefined {
    return this.record[name];
  }
  getLocal(name: string): string | undefined {
    const exact = this.record[name];
    if (exact !== undefined) return exact;
    for (const key in this.record) if (localName(key) === name) return this.record[key];
    return undefined;
  }
}

export function parseXml(xml: string, part: string, handlers: XmlHandlers): void {
  const parser = new SaxesParser({ position: false });
  const attributes = new Attributes();
  const { open, close, text } = handlers;
  parser.on('opentag', (tag) => {
    attributes.record = tag.attributes as Record<string, string>;
    open(localName(tag.name), attributes as unknown as Parameters<XmlHandlers['open']>[1]);
  });
  if (close) parser.on('closetag', (tag) => close(localName(tag.name)));
  if (text) {
    parser.on('text', text);
    parser.on('cdata', text);
  }
  try {
    parser.write(xml).close();
  } catch (e) {
    if (e instanceof XlsxReadError) throw e;
    fail('corrupt', `${part}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
