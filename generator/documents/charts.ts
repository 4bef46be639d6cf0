// Charts for the year-end report, drawn as SVG and rasterised with resvg. The CJK font comes
// from the npm registry (@fontsource/noto-sans-sc) and system fonts are never consulted, so the
// labels read the same on a fresh machine with no Chinese fonts installed.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import type { YearResults } from '../../core/results.ts';
import type { Grade } from '../../core/types.ts';
import type { Figure } from './docx.ts';
import { formatPoints } from '../../core/points.ts';

export const CHART_FONT_FAMILY = 'Noto Sans SC';
/** Charts the `::图{name="…"}` directive can insert. */
export const CHART_NAMES = ['grades', 'scores'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

// ---------- SVG ----------

const GRADES: Grade[] = ['优秀', '良好', '合格', '不合格'];
const GRADE_COLOURS: Record<Grade, string> = { 优秀: '#c0392b', 良好: '#d68910', 合格: '#2874a6', 不合格: '#7f8c8d' };
const WIDTH = 720;
/** Above this many units a bar per unit is unreadable: show how scores are distributed instead. */
const MAX_UNIT_BARS = 40;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT_FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" ${attrs}>${escapeXml(content)}</text>`;
}

/** Vertical bars: how many units got each grade. */
export function gradeChartSvg(counts: Record<Grade, number>): string {
  const height = 400;
  const top = 70;
  const bottom = 340;
  const max = Math.max(1, ...GRADES.map((g) => counts[g] ?? 0));
  const slot = (WIDTH - 120) / GRADES.length;
  const body = [text(WIDTH / 2, 38, '考核等次分布', 'font-size="24" text-anchor="middle" fill="#222"')];
  body.push(`<line x1="80" y1="${bottom}" x2="${WIDTH - 40}" y2="${bottom}" stroke="#444" stroke-width="1.5"/>`);
  GRADES.forEach((grade, i) => {
    const n = counts[grade] ?? 0;
    const h = ((bottom - top - 20) * n) / max;
    const x = 80 + slot * i + slot * 0.22;
    const w = slot * 0.56;
    body.push(`<rect x="${x}" y="${bottom - h}" width="${w}" height="${h}" fill="${GRADE_COLOURS[grade]}"/>`);
    body.push(text(x + w / 2, bottom - h - 8, `${n}个`, 'font-size="20" text-anchor="middle" fill="#222"'));
    body.push(text(x + w / 2, bottom + 30, grade, 'font-size="22" text-anchor="middle" fill="#222"'));
  });
  return svgDocument(WIDTH, height, body);
}

export interface UnitScore {
  name: string;
  total: number;
}

/** Horizontal bars, highest score first; for many units, the number of units per score band. */
export function scoreChartSvg(units: UnitScore[]): string {
  if (units.length > MAX_UNIT_BARS) return scoreBandsSvg(units);
  const sorted = [...units].sort((a, b) => b.total - a.total);
  const row = 26;
  const top = 64;
  const left = 200;
  const right = WIDTH - 70;
  const height = top + row * Math.max(sorted.length, 1) + 30;
  // Bonus points can take a total past 100.
  const axisMax = Math.max(100, Math.ceil(Math.max(0, ...sorted.map((u) => u.total)) / 10) * 10);
  const scale = (right - left) / axisMax;
  const body = [text(WIDTH / 2, 36, '各单位考核总分', 'font-size="24" text-anchor="middle" fill="#222"')];
  for (const tick of [0, 60, 80, 90, 100, ...(axisMax > 100 ? [axisMax] : [])]) {
    const x = left + tick * scale;
    body.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${height - 24}" stroke="#ccc" stroke-dasharray="3,3"/>`);
    body.push(text(x, height - 6, String(tick), 'font-size="14" text-anchor="middle" fill="#555"'));
  }
  sorted.forEach((unit, i) => {
    const y = top + row * i;
    const w = Math.max(0, unit.total) * scale;
    body.push(text(left - 10, y + 17, shorten(unit.name, 12), 'font-size="16" text-anchor="end" fill="#222"'));
    body.push(`<rect x="${left}" y="${y + 3}" width="${w}" height="${row - 8}" fill="#2874a6"/>`);
    body.push(text(left + w + 6, y + 17, formatPoints(unit.total), 'font-size="15" fill="#222"'));
  });
  return svgDocument(WIDTH, height, body);
}

function scoreBandsSvg(units: UnitScore[]): string {
  const bands: [string, (t: number) => boolean][] = [
    ['60分以下', (t) => t < 60],
    ['60–70分', (t) => t >= 60 && t < 70],
    ['70–80分', (t) => t >= 70 && t < 80],
    ['80–90分', (t) => t >= 80 && t < 90],
    ['90分以上', (t) => t >= 90],
  ];
  const counts = bands.map(([, test]) => units.filter((u) => test(u.total)).length);
  const max = Math.max(1, ...counts);
  const top = 70;
  const bottom = 340;
  const slot = (WIDTH - 120) / bands.length;
  const body = [text(WIDTH / 2, 38, `考核总分分布（共${units.length}个单位）`, 'font-size="24" text-anchor="middle" fill="#222"')];
  body.push(`<line x1="80" y1="${bottom}" x2="${WIDTH - 40}" y2="${bottom}" stroke="#444" stroke-width="1.5"/>`);
  bands.forEach(([label], i) => {
    const h = ((bottom - top - 20) * counts[i]!) / max;
    const x = 80 + slot * i + slot * 0.2;
    const w = slot * 0.6;
    body.push(`<rect x="${x}" y="${bottom - h}" width="${w}" height="${h}" fill="#2874a6"/>`);
    body.push(text(x + w / 2, bottom - h - 8, `${counts[i]}个`, 'font-size="18" text-anchor="middle" fill="#222"'));
    body.push(text(x + w / 2, bottom + 30, label, 'font-size="18" text-anchor="middle" fill="#222"'));
  });
  return svgDocument(WIDTH, 400, body);
}

function shorten(name: string, max: number): string {
  return [...name].length > max ? `${[...name].slice(0, max - 1).join('')}…` : name;
}

// ---------- fonts ----------

const require = createRequire(import.meta.url);
let fontDir: string | null = null;
let subsets: { file: string; ranges: [number, number][] }[] | null = null;

function fontSubsets(): { file: string; ranges: [number, number][] }[] {
  if (subsets) return subsets;
  fontDir = path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
  const table = JSON.parse(readFileSync(path.join(fontDir, 'unicode.json'), 'utf8')) as Record<string, string>;
  subsets = Object.entries(table).map(([key, spec]) => ({
    file: `noto-sans-sc-${key.replace(/^\[|\]$/g, '')}-400-normal.woff`,
    ranges: spec.split(',').map((part) => {
      const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
      return [parseInt(from!, 16), parseInt(to ?? from!, 16)] as [number, number];
    }),
  }));
  return subsets;
}

/** resvg-js reads fonts only from files, so the converted subsets are kept in the temp folder. */
const FONT_CACHE_DIR = path.join(os.tmpdir(), 'kaohe-fonts');

/**
 * The font is split by the package into ~100 unicode-range subsets; use only those that cover
 * the characters drawn, converted once from WOFF to the TrueType that resvg reads.
 */
export function fontsFor(textContent: string): string[] {
  const codes = [...new Set([...textContent].map((c) => c.codePointAt(0)!))];
  const needed = fontSubsets().filter((s) => codes.some((c) => s.ranges.some(([a, b]) => c >= a && c <= b)));
  return needed.map((s) => {
    const target = path.join(FONT_CACHE_DIR, s.file.replace(/\.woff$/, '.ttf'));
    if (!existsSync(target)) {
      mkdirSync(FONT_CACHE_DIR, { recursive: true });
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, woffToSfnt(readFileSync(path.join(fontDir!, 'files', s.file))));
      renameSync(temp, target);
    }
    return target;
  });
}

/** WOFF 1.0 is the sfnt's tables, each zlib-compressed when that saved space: unpack them. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('不是 WOFF 字体文件');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    return {
      tag: woff.subarray(at, at + 4),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? inflateSync(raw) : raw,
    };
  });
  const headerSize = 12 + 16 * numTables;
  const padded = (n: number) => (n + 3) & ~3;
  const size = tables.reduce((sum, t) => sum + padded(t.data.length), headerSize);
  const out = Buffer.alloc(size);
  const pow = 2 ** Math.floor(Math.log2(numTables));
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(pow * 16, 6);
  out.writeUInt16BE(Math.log2(pow), 8);
  out.writeUInt16BE(numTables * 16 - pow * 16, 10);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const rec = 12 + i * 16;
    t.tag.copy(out, rec);
    out.writeUInt32BE(t.checksum, rec + 4);
    out.writeUInt32BE(offset, rec + 8);
    out.writeUInt32BE(t.data.length, rec + 12);
    t.data.copy(out, offset);
    offset += padded(t.data.length);
  });
  return out;
}

/** PNG at `scale` × the SVG's size; with `fonts: false` no font at all (for tests proving glyphs are drawn). */
export function svgToPng(svg: string, options: { scale?: number; fonts?: boolean } = {}): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      loadSystemFonts: false,
      fontFiles: options.fonts === false ? [] : fontsFor(svg),
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}

let coverage: [number, number][] | null = null;

/** Every subset's ranges merged and sorted once: the report asks about each of 1,000 unit names. */
function fontCoverage(): [number, number][] {
  if (coverage) return coverage;
  const sorted = fontSubsets()
    .flatMap((s) => s.ranges)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  coverage = merged;
  return merged;
}

function covered(code: number): boolean {
  const ranges = fontCoverage();
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (code < a) hi = mid - 1;
    else if (code > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether the chart font has a glyph for every character (its subsets' ranges say which it has). */
export function chartFontCovers(textContent: string): boolean {
  for (const c of textContent) if (!covered(c.codePointAt(0)!)) return false;
  return true;
}

/**
 * Unit names as the chart draws them: a name with a character the chart font lacks (a rare
 * character such as 𠮷 outside the font's planes) is drawn as 注1, 注2 … and the name itself
 * goes in the figure's notes, which the document prints as text under the chart.
 */
export function chartLabels(names: readonly string[]): { labels: string[]; notes: string[] } {
  const notes: string[] = [];
  const labels = names.map((name) => {
    if (chartFontCovers(name)) return name;
    notes.push(`注${notes.length + 1}：${name}`);
    return `注${notes.length}`;
  });
  return { labels, notes };
}

/** The report's charts as figures sized for the 156 mm text column (about 560 px at 96 dpi). */
export function reportCharts(results: YearResults): Record<ChartName, Figure> {
  const figure = (svg: string, notes: string[] = []): Figure => {
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    const width = 560;
    return { png: svgToPng(svg), width, height: Math.round((width * Number(h)) / Number(w)), notes };
  };
  const { labels, notes } = chartLabels(results.units.map((u) => u.unitName));
  return {
    grades: figure(gradeChartSvg(results.gradeCounts)),
    scores: figure(scoreChartSvg(results.units.map((u, i) => ({ name: labels[i]!, total: u.total }))), notes),
  };
}
