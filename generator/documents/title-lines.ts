// A title's lines (GB/T 9704 7.3.1): broken only between words, in a 梯形 (lines lengthening or
// shortening downwards) or 菱形 (the middle line longest) shape, never more lines than needed.
// Words come from Node's ICU word segmenter; punctuation stays with the word before it.

/** Marks a break the template forces (`<br>` in a `#` title); never produced from data. */
export const FORCED_BREAK = '\n';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
/** Characters a line must not start with (closing punctuation, 、，。 and the like). */
const NO_LINE_START = /^[、，。；：？！）》」』】〕”’·…—%]/;
/** Characters a line must not end with (opening brackets and quotes). */
const NO_LINE_END = /[（《「『【〔“‘]$/;

/** Display width in characters: CJK and full-width forms count 1, Latin letters and digits half. */
export function charWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! < 0x2e80 ? 0.5 : 1;
  return w;
}

/** One-character words that lead into the next (拟表彰, 对…): a line never ends on them. */
const GLUES_FORWARD = new Set(['拟', '对', '向', '把', '被']);
/** A number and its unit (2011年, 3号) read as one word. */
const UNIT_AFTER_NUMBER = /^[年月日号个项名次]/;

/**
 * The pieces a line may break between: words, with punctuation and brackets glued to their
 * neighbours, a number to its unit, and each `keep` phrase (an organ's name) whole.
 */
export function titleWords(text: string, keep: readonly string[] = []): string[] {
  const words: string[] = [];
  let glueNext = false;
  let offset = 0;
  const kept = keep.filter((k) => k.length > 0).flatMap((k) => [...text.matchAll(new RegExp(escapeRegExp(k), 'g'))].map((m) => [m.index, m.index + k.length] as const));
  const insideKept = (at: number) => kept.some(([from, to]) => at > from && at < to);
  for (const { segment } of segmenter.segment(text)) {
    const last = words.length - 1;
    const glue =
      last >= 0 &&
      (glueNext || NO_LINE_START.test(segment) || insideKept(offset) || (/\d$/.test(words[last]!) && UNIT_AFTER_NUMBER.test(segment)));
    if (glue) words[last] += segment;
    else words.push(segment);
    glueNext = NO_LINE_END.test(segment) || GLUES_FORWARD.has(segment);
    offset += segment.length;
  }
  return words;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How bad a break between two words reads: free after punctuation or before 关于, dear before 的. */
function breakCost(before: string, after: string): number {
  if (/[、，：；]$/.test(before) || after.startsWith('关于')) return 0;
  if (/[的和与及]$/.test(before)) return 1;
  if (after.startsWith('的')) return 8;
  return 3;
}

/**
 * Lines of a title at most `perLine` characters wide. Forced breaks are kept; each part is
 * split into the fewest lines its words allow, choosing among the splits the one whose lines
 * are most even and, of those, one in 梯形 or 菱形 shape.
 */
export function titleLines(text: string, perLine: number, keep: readonly string[] = []): string[] {
  return text.split(FORCED_BREAK).flatMap((part) => balance(titleWords(part.trim(), keep), perLine));
}

function balance(words: string[], perLine: number): string[] {
  const total = charWidth(words.join(''));
  if (total <= perLine) return [words.join('')];
  const widths = words.map(charWidth);
  for (let lines = Math.ceil(total / perLine); lines <= words.length; lines++) {
    const best = bestSplit(words, widths, lines, perLine);
    if (best) return best.map(([from, to]) => words.slice(from, to).join(''));
  }
  return words; // a word wider than a line: it stands alone and wraps inside itself, nothing better exists
}

type Span = [number, number];

/** Every way of cutting `widths` into `lines` consecutive groups no wider than `perLine`, scored. */
function bestSplit(words: string[], widths: number[], lines: number, perLine: number): Span[] | null {
  let best: { spans: Span[]; cost: number } | null = null;
  const sumOf = (from: number, to: number) => widths.slice(from, to).reduce((a, b) => a + b, 0);
  const walk = (from: number, spans: Span[]) => {
    if (spans.length === lines - 1) {
      if (sumOf(from, widths.length) > perLine) return;
      const all: Span[] = [...spans, [from, widths.length]];
      const breaks = all.slice(1).reduce((n, [at]) => n + breakCost(words[at - 1]!, words[at]!), 0);
      const cost = shapeCost(all.map(([a, b]) => sumOf(a, b))) + breaks;
      if (!best || cost < best.cost) best = { spans: all, cost };
      return;
    }
    for (let to = from + 1; to < widths.length; to++) {
      if (sumOf(from, to) > perLine) break;
      walk(to, [...spans, [from, to]]);
    }
  };
  walk(0, []);
  return (best as { spans: Span[] } | null)?.spans ?? null;
}

/** Uneven lines cost their spread; a shape that is neither 梯形 nor 菱形 costs more than any spread. */
function shapeCost(lengths: number[]): number {
  const spread = Math.max(...lengths) - Math.min(...lengths);
  // 正梯形 (lines lengthen downwards) or 倒梯形 (they shorten).
  const trapezoid =
    lengths.every((w, i) => i === 0 || lengths[i - 1]! <= w) || lengths.every((w, i) => i === 0 || lengths[i - 1]! >= w);
  const middle = lengths.indexOf(Math.max(...lengths));
  const diamond =
    lengths.length >= 3 &&
    lengths.slice(0, middle + 1).every((w, i, a) => i === 0 || a[i - 1]! <= w) &&
    lengths.slice(middle).every((w, i, a) => i === 0 || a[i - 1]! >= w);
  return spread + (trapezoid || diamond ? 0 : 100);
}
