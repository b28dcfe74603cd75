/**
 * The schedule a new loan (a drawdown, a renewal) is booked with: the schedule engine's, with the
 * product's rule for a due date on a rest day applied under the bank's holiday calendar
 * (src/schedule/rest-day-rule.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { dueDates, restDayInterestOf, scheduleForRestDays, type Schedule, type ScheduleTerms } from '../schedule/index.js';
import { loadHolidayCalendarBetween } from '../system/holiday-calendar.js';
import type { HolidayCalendar } from '../calendar/working-days.js';
import type { BusinessDate } from '../calendar/business-date.js';

/** Where a schedule's rest days come from: the bank's calendar between two dates (a batch of drawdowns reads each range once). */
export type CalendarBetween = (from: BusinessDate, to: BusinessDate) => Promise<HolidayCalendar>;

/**
 * @example
 * const schedule = await bookedSchedule(trx, terms, product.schedule);
 */
export async function bookedSchedule(
  db: Kysely<Database> | Transaction<Database>,
  terms: ScheduleTerms,
  productSchedule: Readonly<Record<string, unknown>>,
  calendarBetween: CalendarBetween = (from, to) => loadHolidayCalendarBetween(db, from, to),
): Promise<Schedule> {
  const rule = restDayInterestOf(productSchedule);
  const dates = dueDates(terms).dates;
  const calendar = await calendarBetween(dates[0]!, dates.at(-1)!);
  return scheduleForRestDays(terms, rule, calendar);
}
