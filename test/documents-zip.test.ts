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
import { crc32, deflateRawSync } from 'node:zlib';
import { deflateChunks, zipParts } from '../generator/ooxml/zip.ts';

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

describe('deflateChunks', () => {
  const xml = encoder.encode(Array.from({ length: 20_000 }, (_, i) => `<w:tr><w:t>第${i}单位 ${(i * 7919) % 1000}</w:t></w:tr>`).join(''));
  /** The bytes cut at the given lengths, in turn, through one buffer written over for each chunk, as documentXmlChunks hands them on. */
  function* cut(lengths: number[]): Generator<Uint8Array> {
    const buffer = new Uint8Array(Math.max(...lengths));
    for (let at = 0, i = 0; at < xml.length; at += lengths[i++ % lengths.length]!) {
      const chunk = xml.subarray(at, at + lengths[i % lengths.length]!);
      buffer.set(chunk);
      yield buffer.subarray(0, chunk.length);
    }
  }

  it('deflates a part handed on in chunks to the bytes deflateRawSync makes of it whole, however it is cut', async () => {
    const whole = deflateRawSync(xml, { level: 6 });
    for (const lengths of [[65_536], [1, 7, 100_000, 3_333], [xml.length]]) {
      const part = await deflateChunks(cut(lengths));
      expect(part.size).toBe(xml.length);
      expect(part.crc).toBe(crc32(xml));
      expect(Buffer.compare(part.deflated, whole), `cut at ${lengths.join(', ')}`).toBe(0);
    }
  });

  it('zips a part deflated already as it zips its bytes', async () => {
    const modified = new Date(2012, 0, 11, 9, 30, 44);
    const other: [string, Uint8Array] = ['[Content_Types].xml', encoder.encode('<Types/>')];
    const zipped = zipParts([other, ['word/document.xml', await deflateChunks(cut([65_536]))]], modified);
    expect(Buffer.compare(zipped, zipParts([other, ['word/document.xml', xml]], modified))).toBe(0);
  });

  it('fails as the chunks fail, leaving nothing running', async () => {
    function* broken(): Generator<Uint8Array> {
      yield xml.subarray(0, 1000);
      throw new Error('表格 1 未能写入文档');
    }
    await expect(deflateChunks(broken())).rejects.toThrow('表格 1 未能写入文档');
  });
});
