// Reading a generated .docx back for the document tests: its parts as text, its visible words.
import JSZip from 'jszip';

export interface DocxParts {
  files: string[];
  part(name: string): Promise<string>;
  /** The visible text of word/document.xml, runs joined, paragraphs on separate lines. */
  text(): Promise<string>;
  /** Every table row in the document, as the texts of its cells. */
  rows(): Promise<string[][]>;
}

const decode = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

const textIn = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1]!)).join('');

export async function readDocx(buffer: Uint8Array): Promise<DocxParts> {
  const zip = await JSZip.loadAsync(buffer);
  const part = async (name: string) => {
    const file = zip.file(name);
    if (!file) throw new Error(`no part ${name}`);
    return file.async('string');
  };
  return {
    files: Object.keys(zip.files),
    part,
    text: async () =>
      (await part('word/document.xml'))
        .split('</w:p>')
        .map(textIn)
        .join('\n'),
    rows: async () =>
      [...(await part('word/document.xml')).matchAll(/<w:tr>(.*?)<\/w:tr>/g)].map((row) =>
        [...row[1]!.matchAll(/<w:tc>(.*?)<\/w:tc>/g)].map((cell) => textIn(cell[1]!)),
      ),
  };
}
