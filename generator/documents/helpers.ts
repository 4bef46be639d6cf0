// The whitelisted Handlebars helpers templates may call. Names are Chinese because the people
// who edit templates read Chinese; every helper is pure and formats one value.
import type { HelperOptions } from 'handlebars';
import { chineseDate } from '../../core/calendar.ts';
import { formatPoints } from '../../core/points.ts';
import { UNIT_KIND_LABEL, type UnitKind } from '../../core/types.ts';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 11 → 十一, 21 → 二十一, 105 → 一百零五: enough for 一、 numbering and counts. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) return String(n);
  if (n < 10) return DIGITS[n]!;
  if (n < 20) return `十${n % 10 === 0 ? '' : DIGITS[n % 10]}`;
  const units = ['', '十', '百', '千'];
  const digits = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    const unit = units[digits.length - 1 - i]!;
    if (d === 0) {
      pendingZero = out !== '';
      return;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += DIGITS[d]! + unit;
  });
  return out;
}

/** Two decimals, as every output prints scores (SPEC §9); the one rule lives in core/points.ts. */
export const scoreText = formatPoints;

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function num(value: unknown, helper: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new Error(`“${helper}”需要数字，得到“${String(value)}”`);
  return value;
}

function list(value: unknown, helper: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`“${helper}”需要列表，得到“${String(value)}”`);
  return value;
}

// Handlebars passes its options object last; helpers ignore it unless they read @root.
type Helper = (...args: unknown[]) => unknown;

function rootOf(args: unknown[]): Record<string, unknown> {
  const options = args[args.length - 1] as HelperOptions;
  return (options.data as { root: Record<string, unknown> }).root;
}

export const HELPERS: Record<string, Helper> = {
  日期: (iso) => chineseDate(String(iso)),
  序号: (n) => chineseNumeral(num(n, '序号')),
  百分比: (x) => percent(num(x, '百分比')),
  /** part ÷ whole as a percentage, `—` when there is nothing to divide by. */
  比率: (part, whole) => (num(whole, '比率') === 0 ? '—' : percent(num(part, '比率') / (whole as number))),
  /** Two decimals (SPEC §9): the printed parts of a total add up to the printed total. */
  分数: (x) => formatPoints(num(x, '分数')),
  计数: (xs) => list(xs, '计数').length,
  等次人数: (...args) => {
    const counts = rootOf(args).gradeCounts as Record<string, number> | undefined;
    return counts?.[String(args[0])] ?? 0;
  },
  加: (a, b) => num(a, '加') + num(b, '加'),
  eq: (a, b) => a === b,
  类别: (kind) => UNIT_KIND_LABEL[kind as UnitKind] ?? String(kind),
  是否: (b) => (b ? '是' : '否'),
  /** Joins names with 、; with a key, joins that field of each item. */
  连接: (...args) => {
    const key = args.length > 2 ? String(args[1]) : null;
    return list(args[0], '连接')
      .map((item) => (key ? (item as Record<string, unknown>)[key] : item))
      .join('、');
  },
  /** The value, or the fallback when it is null or empty. */
  默认: (value, fallback) => (value === null || value === undefined || value === '' ? fallback : value),
};

export const HELPER_NAMES = Object.keys(HELPERS);
