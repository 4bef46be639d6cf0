// Working days by the State Council's holiday calendar, make-up workdays (调休) included.
// The calendar data comes from chinese-days (maintained yearly); we read its date-keyed table
// directly because its date functions shift a day in time zones west of UTC. A plan may add
// years the package does not cover yet (`calendar:` in plan.yaml, from the State Council's
// notice). A working-day question in a year neither covers is refused, never answered by
// counting weekends only: a guess would move deadlines across National Day.
import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { IsoDate } from './types.ts';

const DAY_MS = 86_400_000;

/** One year's holidays and make-up workdays as the plan gives them. */
export interface YearCalendar {
  holidays: IsoDate[];
  workdays: IsoDate[];
}

/** Extra years from the plan, keyed by year (`2027: { holidays: [...], workdays: [...] }`). */
export type PlanCalendar = Record<string, YearCalendar>;

const PACKAGE_HOLIDAYS: Record<string, string> = calendar.holidays;
const PACKAGE_WORKDAYS: Record<string, string> = calendar.workdays;
const PACKAGE_YEARS: ReadonlySet<number> = new Set(Object.keys(PACKAGE_HOLIDAYS).map((d) => Number(d.slice(0, 4))));

/** The years the calendar package knows, for messages. */
export const PACKAGE_LAST_YEAR = Math.max(...PACKAGE_YEARS);

/** A working-day question about a year that neither the package nor the plan covers. */
export class UncoveredYearError extends Error {
  constructor(readonly year: number) {
    super(uncoveredYearMessage(year));
    this.name = 'UncoveredYearError';
  }
}

export function uncoveredYearMessage(year: number): string {
  return (
    `没有${year}年的节假日安排（内置日历只到${PACKAGE_LAST_YEAR}年），无法计算工作日。` +
    `请按国务院办公厅公布的${year}年部分节假日安排，在方案 plan.yaml 中加上：\n` +
    `calendar:\n  ${year}:\n    holidays: [${year}-01-01, …]   # 放假的日期\n    workdays: [${year}-…]          # 调休上班的周末`
  );
}

/** Calendar arithmetic on ISO dates in UTC, so the result never depends on the machine's time zone. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const t = Date.parse(`${date}T00:00:00Z`) + days * DAY_MS;
  return new Date(t).toISOString().slice(0, 10);
}

/** Working-day arithmetic over the package's years plus the plan's. */
export class WorkCalendar {
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;
  private readonly planYears: ReadonlySet<number>;
  /** Complaint deadlines ask the same (date, days) pairs thousands of times in a large year. */
  private readonly answers = new Map<string, IsoDate>();

  constructor(extra: PlanCalendar = {}) {
    this.planYears = new Set(Object.keys(extra).map(Number));
    const planned = Object.values(extra);
    this.holidays = new Set(planned.flatMap((y) => y.holidays));
    this.workdays = new Set(planned.flatMap((y) => y.workdays));
  }

  covers(year: number): boolean {
    return this.planYears.has(year) || PACKAGE_YEARS.has(year);
  }

  /** @throws UncoveredYearError for a year neither the package nor the plan covers. */
  isWorkday(date: IsoDate): boolean {
    const year = Number(date.slice(0, 4));
    if (this.planYears.has(year)) {
      if (this.workdays.has(date)) return true;
      if (this.holidays.has(date)) return false;
    } else if (PACKAGE_YEARS.has(year)) {
      if (date in PACKAGE_WORKDAYS) return true;
      if (date in PACKAGE_HOLIDAYS) return false;
    } else {
      throw new UncoveredYearError(year);
    }
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The date that is `n` working days after `start` (start itself not counted). */
  addWorkingDays(start: IsoDate, n: number): IsoDate {
    const key = `${start}+${n}`;
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = start;
      for (let left = n; left > 0; ) {
        answer = addDays(answer, 1);
        if (this.isWorkday(answer)) left -= 1;
      }
      this.answers.set(key, answer);
    }
    return answer;
  }

  /** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkday(d)) count += 1;
    return count;
  }
}

const calendars = new WeakMap<object, WorkCalendar>();
const PACKAGE_ONLY = new WorkCalendar();

/** The calendar of a plan (its `calendar:` years on top of the package), built once per plan. */
export function calendarOf(plan: { calendar?: PlanCalendar | undefined }): WorkCalendar {
  if (!plan.calendar) return PACKAGE_ONLY;
  let cal = calendars.get(plan.calendar);
  if (!cal) {
    cal = new WorkCalendar(plan.calendar);
    calendars.set(plan.calendar, cal);
  }
  return cal;
}

/** `2011-12-31` → `2011年12月31日` (GB/T 9704 writes dates with Arabic numerals, no leading zeros). */
export function chineseDate(iso: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`日期格式应为 YYYY-MM-DD：“${iso}”`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
