/**
 * Reads the bank's holiday calendar (table `holiday_calendar`) around a date, for the pure
 * working-day rules in src/calendar/working-days.ts.
 *
 * @example
 * const calendar = await loadHolidayCalendar(db, tomorrow);
 * rollToWorkingDay(tomorrow, calendar);
 */
import type { Kysely, Transaction } from 'kysely';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import { holidayCalendar, MAX_REST_RUN, type HolidayCalendar } from '../calendar/working-days.js';
import type { Database } from '../db/schema.js';

/** The calendar's overrides from `from` through the longest run of rest days a roll may cross. */
export async function loadHolidayCalendar(db: Kysely<Database> | Transaction<Database>, from: BusinessDate): Promise<HolidayCalendar> {
  const rows = await db
    .selectFrom('holiday_calendar')
    .select(['day', 'working'])
    .where('day', '>=', from)
    .where('day', '<=', addDays(from, MAX_REST_RUN + 1))
    .execute();
  return holidayCalendar(rows);
}
