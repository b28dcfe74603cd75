/**
 * The bank's holiday calendar (table `holiday_calendar`): read around a date for the pure
 * working-day rules in src/calendar/working-days.ts, and replaced a year at a time from the file
 * the bank loads each November (src/calendar/calendar-file.ts, `sprout calendar load FILE`).
 *
 * @example
 * const calendar = await loadHolidayCalendar(db, tomorrow);
 * rollToWorkingDay(tomorrow, calendar);
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { addDays, fromCivil, type BusinessDate } from '../calendar/business-date.js';
import { parseCalendarFile, type CalendarFile, type NamedCalendarDay } from '../calendar/calendar-file.js';
import { makeRequest, type Actor, type ApprovalRequest, type CheckedAction } from '../approvals/maker-checker.js';
import { holidayCalendar, MAX_REST_RUN, type HolidayCalendar } from '../calendar/working-days.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The calendar's overrides from `from` through the longest run of rest days a roll may cross. */
export async function loadHolidayCalendar(db: Executor, from: BusinessDate): Promise<HolidayCalendar> {
  return loadHolidayCalendarBetween(db, from, from);
}

/**
 * The calendar's overrides for every roll of a date from `from` to `to`: a whole loan's due dates.
 *
 * @example
 * const calendar = await loadHolidayCalendarBetween(db, '2025-09-01', '2026-09-01');
 */
export async function loadHolidayCalendarBetween(db: Executor, from: BusinessDate, to: BusinessDate): Promise<HolidayCalendar> {
  const rows = await db
    .selectFrom('holiday_calendar')
    .select(['day', 'working'])
    .where('day', '>=', from)
    .where('day', '<=', addDays(to, MAX_REST_RUN + 1))
    .execute();
  return holidayCalendar(rows);
}

/** What a load changed. */
export interface CalendarLoad {
  readonly years: readonly number[];
  readonly holidays: number;
  readonly workdays: number;
  /** Rows of those years there were before, all replaced. */
  readonly replaced: number;
}

/**
 * Replaces every day of the file's years with the file's days, in one transaction, audited. A
 * year not in the file is left as it is; loading the same file again changes nothing.
 *
 * @example
 * await loadCalendarYears(db, parseCalendarFile(text), 'ops'); // { years: [2025, 2026], holidays: 62, workdays: 11, replaced: 73 }
 */
export async function loadCalendarYears(db: Kysely<Database>, file: CalendarFile, actor: string): Promise<CalendarLoad> {
  return inTransaction(db, (trx) => replaceCalendarYears(trx, file, actor));
}

/** {@link loadCalendarYears} within the caller's transaction. */
export async function replaceCalendarYears(trx: Transaction<Database>, file: CalendarFile, actor: string): Promise<CalendarLoad> {
  let replaced = 0;
  for (const year of file.years) {
    const result = await trx.deleteFrom('holiday_calendar').where('day', '>=', fromCivil({ year, month: 1, day: 1 })).where('day', '<=', fromCivil({ year, month: 12, day: 31 })).executeTakeFirst();
    replaced += Number(result.numDeletedRows);
  }
  if (file.days.length > 0) await trx.insertInto('holiday_calendar').values(file.days.map((d) => ({ day: d.day, working: d.working, name: d.name }))).execute();
  const load = { years: file.years, holidays: file.days.filter((d) => !d.working).length, workdays: file.days.filter((d) => d.working).length, replaced };
  await appendAudit(trx, { actor, action: 'calendar.load', entityType: 'holiday_calendar', entityId: file.years.join(','), after: load });
  return load;
}

/**
 * Loading a calendar file over HTTP: proposed by an operator or an admin with the file's text,
 * carried out when another person, a risk officer or an admin, confirms it (`calendar.load`; as
 * for LPR fixings, the approvals worklist's roles stay as they were). The text is parsed
 * again on approval, so what runs is exactly what the checker saw.
 */
export const CALENDAR_LOAD: CheckedAction<{ readonly csv: string }> = {
  kind: 'calendar.load',
  makers: ['operator', 'admin'],
  checkers: ['risk-officer', 'admin'],
  execute: (trx, payload, maker, checker) => replaceCalendarYears(trx, parseCalendarFile(payload.csv), `${maker} (checked by ${checker})`),
};

/**
 * Proposes loading a calendar file; a file that does not parse is refused at once, naming the row.
 *
 * @example
 * await proposeCalendarLoad(trx, readFileSync('holidays-cn-2027.csv', 'utf8'), { username: 'wang.ops', role: 'operator' });
 */
export async function proposeCalendarLoad(trx: Transaction<Database>, csv: string, maker: Actor): Promise<ApprovalRequest> {
  const file = parseCalendarFile(csv);
  return makeRequest(trx, CALENDAR_LOAD, `calendar:${file.years.join(',')}`, { csv }, maker);
}

/**
 * The calendar's days of one year, in date order.
 *
 * @example
 * (await calendarYear(db, 2025))[0]; // { day: '2025-01-01', working: false, name: '元旦' }
 */
export async function calendarYear(db: Executor, year: number): Promise<NamedCalendarDay[]> {
  return db
    .selectFrom('holiday_calendar')
    .select(['day', 'working', 'name'])
    .where('day', '>=', fromCivil({ year, month: 1, day: 1 }))
    .where('day', '<=', fromCivil({ year, month: 12, day: 31 }))
    .orderBy('day')
    .execute();
}
