// The dates the commendation documents print, all derived from the results' issue date.
import { WorkCalendar } from '../../core/calendar.ts';
import type { PlanCalendar } from '../../core/calendar.ts';
import type { IsoDate } from '../../core/types.ts';

export const PUBLIC_NOTICE_WORKING_DAYS = 5;

export interface DocumentDates {
  /** 拟表彰名单公示 is issued on the issue date. */
  notice: IsoDate;
  /** 公示期: the five working days after the notice (holidays and 调休 per the State Council calendar). */
  publicStart: IsoDate;
  publicEnd: IsoDate;
  /** 表彰决定 and the certificates: the first working day after the 公示 closes without objection. */
  decision: IsoDate;
}

/** `calendar`: the plan's extra holiday years (results.calendar), so a 2027 公示期 skips 元旦. */
export function documentDates(issueDate: IsoDate, calendar: PlanCalendar = {}): DocumentDates {
  const cal = new WorkCalendar(calendar);
  const publicEnd = cal.addWorkingDays(issueDate, PUBLIC_NOTICE_WORKING_DAYS);
  return {
    notice: issueDate,
    publicStart: cal.addWorkingDays(issueDate, 1),
    publicEnd,
    decision: cal.addWorkingDays(publicEnd, 1),
  };
}
