import { describe, expect, it } from 'vitest';
import { fontsFor, gradeChartSvg, scoreChartSvg, svgToPng, woffToSfnt } from '../generator/documents/charts.ts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const withoutText = (svg: string) => svg.replace(/<text [^>]*>[^<]*<\/text>/g, '');

describe('charts', () => {
  const grades = gradeChartSvg({ 优秀: 3, 良好: 7, 合格: 4, 不合格: 1 });

  it('labels the grade chart in Chinese with each count', () => {
    for (const label of ['考核等次分布', '优秀', '良好', '合格', '不合格', '7个', '1个']) expect(grades).toContain(`>${label}</text>`);
  });

  it('sorts units by score, highest first', () => {
    const svg = scoreChartSvg([
      { name: '监察室', total: 71.1 },
      { name: '办公室', total: 102 },
      { name: '805台', total: 97 },
    ]);
    const order = ['办公室', '805台', '监察室'].map((n) => svg.indexOf(`>${n}</text>`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(svg).toContain('>102.00</text>');
  });

  it('shows score bands instead of bars when there are too many units to read', () => {
    const units = Array.from({ length: 1000 }, (_, i) => ({ name: `单位${i}`, total: 50 + (i % 50) }));
    const svg = scoreChartSvg(units);
    expect(svg).toContain('考核总分分布（共1000个单位）');
    // 50–59 → 200 units below 60; 90–99 → 200 units at 90 or more.
    expect(svg).toContain('>200个</text>');
  });

  it('draws the glyphs with the npm font and never falls back to system fonts', () => {
    const png = svgToPng(grades);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const noFont = svgToPng(grades, { fonts: false });
    // With no font loaded the text vanishes exactly as if it were not there: no system font was used…
    expect(noFont.equals(svgToPng(withoutText(grades), { fonts: false }))).toBe(true);
    // …and with the npm font the labels are drawn.
    expect(png.equals(noFont)).toBe(false);
    expect(png.length).toBeGreaterThan(noFont.length * 1.3);
  });

  it('loads only the font subsets that cover the characters drawn, as TrueType', () => {
    const files = fontsFor('优秀');
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.length).toBeLessThan(5);
    for (const f of files) expect(readFileSync(f).readUInt32BE(0)).toBe(0x00010000);
  });

  it('unpacks WOFF tables into an sfnt with a consistent table directory', () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
    const woff = readFileSync(path.join(dir, 'files', 'noto-sans-sc-latin-400-normal.woff'));
    const sfnt = woffToSfnt(woff);
    const numTables = sfnt.readUInt16BE(4);
    expect(numTables).toBe(woff.readUInt16BE(12));
    // totalSfntSize in the WOFF header is the size of the original font.
    expect(sfnt.length).toBe(woff.readUInt32BE(16));
    const tags = Array.from({ length: numTables }, (_, i) => sfnt.toString('latin1', 12 + i * 16, 16 + i * 16));
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head']));
  });
});
