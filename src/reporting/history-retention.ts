/**
 * Retention of the loan history (`loan_day`): every night's rows are kept for `keepDailyYears`
 * years back from the business date (default 2, at least 2); before that only month ends are kept,
 * which is what the month-end reports, the migration matrix between month ends and the start-of-
 * year comparisons read. The two years cover the 两增两控 new-loan-rate check, which judges last
 * year's new loans on their disbursement days.
 *
 * `pruneLoanHistory` (the `sprout eod prune-history` command) deletes the other rows a closed date
 * at a time (each a key range of `loan_day`'s primary key) and records the first date kept whole in
 * `system_state.loan_history_daily_from`; a report or a loan's state asked for a pruned day is then
 * refused with that date instead of being read from missing rows. Running it again is harmless.
 */
import type { Kysely, Transaction } from 'kysely';
import { daysInMonth, fromCivil, toCivil, type BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { getBusinessDate } from '../system/business-date.js';

type Executor = Kysely<Database> | Transaction<Database>;

export const DEFAULT_KEEP_DAILY_YEARS = 2;
export const MIN_KEEP_DAILY_YEARS = 2;

export interface PruneResult {
  /** The first date whose daily rows are all kept. */
  readonly dailyFrom: BusinessDate;
  /** Closed dates whose rows were deleted (neither month ends nor within the daily window). */
  readonly datesPruned: number;
  readonly rowsDeleted: number;
}

/** Whether `date` is the last day of its month. */
function monthEnd(date: BusinessDate): boolean {
  const { year, month, day } = toCivil(date);
  return day === daysInMonth(year, month);
}

/** The same day `years` earlier (29 February becomes 28 February). */
export function yearsBefore(date: BusinessDate, years: number): BusinessDate {
  const { year, month, day } = toCivil(date);
  return fromCivil({ year: year - years, month, day: Math.min(day, daysInMonth(year - years, month)) });
}

/** The first date with every night's rows, or null when nothing was pruned. */
export async function dailyHistoryFrom(db: Executor): Promise<BusinessDate | null> {
  const row = await db.selectFrom('system_state').select('loan_history_daily_from').where('id', '=', 1).executeTakeFirst();
  return row?.loan_history_daily_from ?? null;
}

/** Refuses a pruned day: before the daily window and not a month end. */
export async function assertInHistory(db: Executor, date: BusinessDate, field = 'date'): Promise<void> {
  const from = await dailyHistoryFrom(db);
  if (from !== null && date < from && !monthEnd(date)) throw new ValidationError(field, `the loan history keeps only month ends before ${from}`);
}

/**
 * Deletes the daily rows older than the window, keeping month ends.
 *
 * @example
 * await pruneLoanHistory(db, { keepDailyYears: 2 }); // { dailyFrom: '2024-03-01', datesPruned: 700, rowsDeleted: … }
 */
export async function pruneLoanHistory(db: Kysely<Database>, options: { readonly keepDailyYears?: number | undefined; readonly today?: BusinessDate | undefined } = {}): Promise<PruneResult> {
  const years = options.keepDailyYears ?? DEFAULT_KEEP_DAILY_YEARS;
  if (!Number.isInteger(years) || years < MIN_KEEP_DAILY_YEARS || years > 100) throw new ValidationError('keepDailyYears', `must be a whole number from ${MIN_KEEP_DAILY_YEARS} to 100`);
  const today = options.today ?? (await getBusinessDate(db));
  const cutoff = yearsBefore(today, years);
  const dates = (await db.selectFrom('eod_run').select('business_date').where('business_date', '<', cutoff).orderBy('business_date').execute())
    .map((row) => row.business_date)
    .filter((date) => !monthEnd(date));
  let rowsDeleted = 0n;
  for (const date of dates) {
    const result = await db.deleteFrom('loan_day').where('business_date', '=', date).executeTakeFirst();
    rowsDeleted += result.numDeletedRows;
  }
  // Never moves back: a shorter window later does not bring pruned days back.
  const before = await dailyHistoryFrom(db);
  const dailyFrom = before !== null && before > cutoff ? before : cutoff;
  await db.updateTable('system_state').set({ loan_history_daily_from: dailyFrom }).where('id', '=', 1).execute();
  return { dailyFrom, datesPruned: dates.length, rowsDeleted: Number(rowsDeleted) };
}
