// Scores as an office prints them: every indicator score rounded once to 0.01 (half up), totals
// as exact sums of those kept in integer hundredths, so a printed table always adds up and a
// printed 90.00 always means the 优秀 line was reached (SPEC §9 Precision).

/** Integer hundredths of a point. */
export type Cents = number;

/** Half up, away from zero; the small nudge absorbs binary error such as 4.165 × 100 = 416.4999…. */
export function toCents(points: number): Cents {
  return Math.sign(points) * Math.round(Math.abs(points) * 100 + 1e-7);
}

export const fromCents = (cents: Cents): number => cents / 100;

/** Rounded once to 0.01, half up. */
export const round2 = (points: number): number => fromCents(toCents(points));

/** The exact sum of scores already rounded to 0.01. */
export function sumPoints(scores: readonly number[]): number {
  return fromCents(scores.reduce((s, x) => s + toCents(x), 0));
}

/** Two decimals, as every output prints a score: 89.92, 90.00. */
export function formatPoints(points: number): string {
  const c = toCents(points);
  const sign = c < 0 ? '-' : '';
  const abs = Math.abs(c);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
