// Working days by the State Council's holiday calendar, make-up workdays (调休) included.
// The calendar data comes from chinese-days (maintained yearly); we read its date-keyed table
// directly because its date functions shift a day in time zones west of UTC.
import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { IsoDate } from './types.ts';

const DAY_MS = 86_400_000;
const holidays: Record<string, string> = calendar.holidays;
const makeUpWorkdays: Record<string, string> = calendar.workdays;

/** Calendar arithmetic on ISO dates in UTC, so the result never depends on the machine's time zone. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const t = Date.parse(`${date}T00:00:00Z`) + days * DAY_MS;
  return new Date(t).toISOString().slice(0, 10);
}

export function isWorkday(date: IsoDate): boolean {
  if (date in makeUpWorkdays) return true;
  if (date in holidays) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Complaint deadlines ask the same (date, days) pairs thousands of times in a large year and
 * each answer walks the calendar day by day, so answers are kept: one per distinct pair seen.
 */
const workingDayAnswers = new Map<string, IsoDate>();

/** The date that is `n` working days after `start` (start itself not counted). */
export function addWorkingDays(start: IsoDate, n: number): IsoDate {
  const key = `${start}+${n}`;
  const known = workingDayAnswers.get(key);
  if (known !== undefined) return known;
  const answer = walkWorkingDays(start, n);
  workingDayAnswers.set(key, answer);
  return answer;
}

function walkWorkingDays(start: IsoDate, n: number): IsoDate {
  let date = start;
  let left = n;
  while (left > 0) {
    date = addDays(date, 1);
    if (isWorkday(date)) left -= 1;
  }
  return date;
}

/** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkday(d)) count += 1;
  return count;
}

/** `2011-12-31` → `2011年12月31日` (GB/T 9704 writes dates with Arabic numerals, no leading zeros). */
export function chineseDate(iso: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`日期格式应为 YYYY-MM-DD：“${iso}”`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
