// The .docx package is compiled by docx's own Compiler and zipped with Node's zlib instead of
// docx's Packer (fflate): every part must come out byte for byte as Packer writes it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document, Footer, ImageRun, Packer, Paragraph, SectionType, TextRun } from 'docx';
import { unzipSync } from 'fflate';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { svgToPng, gradeChartSvg } from '../generator/documents/charts.ts';
import { packageParts } from '../generator/documents/docx.ts';
import { zipParts } from '../generator/ooxml/zip.ts';

const encoder = new TextEncoder();
const bytesOf = (data: string | Uint8Array) => (typeof data === 'string' ? encoder.encode(data) : data);
/**
 * docProps/core.xml carries the time it was made, and docx numbers drawings from a counter of
 * its own across documents (the second compile of the same document has the next id); every
 * other byte must match.
 */
const comparable = (path: string, bytes: Uint8Array) =>
  path === 'docProps/core.xml'
    ? new TextDecoder().decode(bytes).replace(/<dcterms:(created|modified)[^>]*>[^<]*</g, '<')
    : path === 'word/document.xml'
      ? new TextDecoder().decode(bytes).replace(/<wp:docPr id="\d+"/g, '<wp:docPr')
      : Buffer.from(bytes).toString('base64');

describe('the package as Packer writes it', () => {
  it('has the parts, in the order and with the bytes of Packer.toBuffer: text, image, footers, two sections', async () => {
    const png = svgToPng(gradeChartSvg({ 优秀: 3, 良好: 1, 合格: 0, 不合格: 1 }), { fonts: false });
    const footer = () => new Footer({ children: [new Paragraph({ children: [new TextRun('页脚')] })] });
    const document = () =>
      new Document({
        title: '测试',
        evenAndOddHeaderAndFooters: true,
        sections: [
          {
            footers: { default: footer(), even: footer() },
            children: [
              new Paragraph({ children: [new TextRun({ text: '正文 & <标记>', bold: true })] }),
              new Paragraph({ children: [new ImageRun({ type: 'png', data: png, transformation: { width: 560, height: 311 } })] }),
            ],
          },
          { properties: { type: SectionType.EVEN_PAGE }, children: [new Paragraph('版记')] },
        ],
      });
    const packed = unzipSync(await Packer.toBuffer(document()));
    const parts = [...packageParts(document())].map(([p, data]) => [p, comparable(p, bytesOf(data))]);
    expect(parts.filter(([p]) => p!.startsWith('word/media/') || p!.startsWith('word/footer'))).toHaveLength(3);
    expect(parts).toEqual(Object.entries(packed).map(([p, data]) => [p, comparable(p, data)]));
  });
});

describe('zipParts', () => {
  const parts: [string, Uint8Array][] = [
    ['[Content_Types].xml', encoder.encode('<?xml version="1.0"?><Types/>')],
    ['word/document.xml', encoder.encode('<w:t>考核</w:t>'.repeat(50_000))],
    ['word/media/图.png', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)],
    ['empty.xml', new Uint8Array()],
  ];
  const modified = new Date(2012, 0, 11, 9, 30, 44);
  const zip = zipParts(parts, modified);

  it('gives back every part, in order, byte for byte, through fflate and JSZip', async () => {
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
    const unzipped = Object.entries(unzipSync(zip));
    expect(unzipped.map(([p]) => p)).toEqual(parts.map(([p]) => p));
    expect(unzipped.every(([, bytes], i) => same(bytes, parts[i]![1]))).toBe(true);
    const jszip = await JSZip.loadAsync(zip);
    expect(Object.keys(jszip.files)).toEqual(parts.map(([p]) => p));
    for (const [p, bytes] of parts) expect(same(await jszip.file(p)!.async('uint8array'), bytes)).toBe(true);
    expect(jszip.file('word/document.xml')!.date.getTime()).toBe(Date.UTC(2012, 0, 11, 9, 30, 44) - modified.getTimezoneOffset() * 60_000);
  });

  it('is deflated and passes Info-ZIP’s integrity test', () => {
    expect(zip.length).toBeLessThan(parts.reduce((n, [, b]) => n + b.length, 0) / 10);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-zip-'));
    const file = path.join(dir, 'test.zip');
    writeFileSync(file, zip);
    let tested: string;
    try {
      tested = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // no Info-ZIP here: fflate and JSZip above still read it
      throw error;
    }
    expect(tested).toContain('No errors detected');
    expect(tested.match(/testing: .* OK/g)).toHaveLength(parts.length);
  });
});
