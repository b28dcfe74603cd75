/**
 * Retention of the loan history (`loan_day`): every night's rows are kept for `keepDailyYears`
 * years back from the business date (default 2, at least 2); before that only month ends are kept
 * (quarter and year ends are month ends), which is what the month-end reports, the migration
 * matrix between month ends and the start-of-year comparisons read. The two years cover the
 * 两增两控 new-loan-rate check, which judges last year's new loans on their disbursement days.
 *
 * Retention is a step of end of day (`retainLoanHistory`, run in the night's closing transaction):
 * the window is configuration (`system_state.loan_history_keep_daily_years`, null: the step is
 * off), and each night deletes the daily rows of at most `MAX_DATES_PRUNED_PER_NIGHT` dates that
 * have fallen out of it — one in the steady state, a few more while a backlog is caught up, so a
 * night's cost stays bounded when retention is first turned on over years of history
 * (`sprout eod prune-history` clears a backlog at once, outside the night). Each date is one key
 * range of `loan_day`'s primary key. The first date kept whole is recorded in
 * `system_state.loan_history_daily_from`; a report or a loan's state asked for a pruned day is
 * then refused with that date instead of being read from missing rows. Running either again is
 * harmless: a pruned date has no rows left, and the recorded date never moves back.
 */
import type { Kysely, Transaction } from 'kysely';
import { addDays, daysInMonth, fromCivil, toCivil, type BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { getBusinessDate } from '../system/business-date.js';

type Executor = Kysely<Database> | Transaction<Database>;

export const DEFAULT_KEEP_DAILY_YEARS = 2;
export const MIN_KEEP_DAILY_YEARS = 2;
export const MAX_KEEP_DAILY_YEARS = 100;
/** End of day prunes at most this many dates a night (each up to one night's rows, one per loan). */
export const MAX_DATES_PRUNED_PER_NIGHT = 4;

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

/** Refuses a window outside 2–100 whole years. */
function checkYears(years: number): void {
  if (!Number.isInteger(years) || years < MIN_KEEP_DAILY_YEARS || years > MAX_KEEP_DAILY_YEARS) {
    throw new ValidationError('keepDailyYears', `must be a whole number from ${MIN_KEEP_DAILY_YEARS} to ${MAX_KEEP_DAILY_YEARS}`);
  }
}

/** The configured window end of day keeps, in years; null when the retention step is off. */
export async function keptDailyYears(db: Executor): Promise<number | null> {
  const row = await db.selectFrom('system_state').select('loan_history_keep_daily_years').where('id', '=', 1).executeTakeFirst();
  return row?.loan_history_keep_daily_years ?? null;
}

/** Sets the window end of day keeps (null turns the step off). */
export async function setKeptDailyYears(db: Executor, years: number | null): Promise<void> {
  if (years !== null) checkYears(years);
  await db.updateTable('system_state').set({ loan_history_keep_daily_years: years }).where('id', '=', 1).execute();
}

/**
 * Deletes the daily rows of closed dates before `today` less `years`, keeping month ends, oldest
 * first and at most `maxDates` dates, and records the first date kept whole.
 */
async function prune(db: Executor, years: number, today: BusinessDate, maxDates: number, knownFrom?: BusinessDate | null, record = true): Promise<PruneResult> {
  checkYears(years);
  const cutoff = yearsBefore(today, years);
  const before = knownFrom === undefined ? await dailyHistoryFrom(db) : knownFrom;
  // Dates before `before` were pruned already: only the ones since are looked at.
  let query = db.selectFrom('eod_run').select('business_date').where('business_date', '<', cutoff).orderBy('business_date');
  if (before !== null) query = query.where('business_date', '>=', before);
  const candidates = (await query.execute()).map((row) => row.business_date);
  const dates: BusinessDate[] = [];
  let reached: BusinessDate | null = null;
  for (const date of candidates) {
    if (!monthEnd(date)) {
      if (dates.length === maxDates) break;
      dates.push(date);
    }
    reached = date;
  }
  let rowsDeleted = 0n;
  for (const date of dates) {
    const result = await db.deleteFrom('loan_day').where('business_date', '=', date).executeTakeFirst();
    rowsDeleted += result.numDeletedRows;
    // The night's stored borrower verdicts go with its loans' rows (src/reporting/report-verdicts.ts).
    await db.deleteFrom('borrower_day').where('business_date', '=', date).execute();
    // And the night's supply-chain financings' rows (src/supply-chain/maturity.ts), kept as the loans' are.
    await db.deleteFrom('scf_financing_day').where('business_date', '=', date).execute();
  }
  // Every date up to `reached` is pruned now; when the bound stopped short of the cutoff, the window starts after it.
  const whole = reached === null || reached === candidates[candidates.length - 1] ? cutoff : addDays(reached, 1);
  // Never moves back: a shorter window later does not bring pruned days back.
  const dailyFrom = before !== null && before > whole ? before : whole;
  if (record) await db.updateTable('system_state').set({ loan_history_daily_from: dailyFrom }).where('id', '=', 1).execute();
  return { dailyFrom, datesPruned: dates.length, rowsDeleted: Number(rowsDeleted) };
}

/**
 * Deletes all the daily rows older than the window, keeping month ends (`sprout eod prune-history`).
 *
 * @example
 * await pruneLoanHistory(db, { keepDailyYears: 2 }); // { dailyFrom: '2024-03-01', datesPruned: 700, rowsDeleted: … }
 */
export async function pruneLoanHistory(db: Executor, options: { readonly keepDailyYears?: number | undefined; readonly today?: BusinessDate | undefined } = {}): Promise<PruneResult> {
  const years = options.keepDailyYears ?? (await keptDailyYears(db)) ?? DEFAULT_KEEP_DAILY_YEARS;
  checkYears(years);
  const today = options.today ?? (await getBusinessDate(db));
  return prune(db, years, today, Number.MAX_SAFE_INTEGER);
}

/**
 * End of day's retention step for the night of `date`, in its closing transaction: prunes as the
 * command would the next morning (the business date then being `date` + 1), at most
 * `MAX_DATES_PRUNED_PER_NIGHT` dates. Null when the step is off. With `record: false` the first
 * date kept whole (`dailyFrom`) is the caller's to record in the same transaction: end of day
 * writes it with the business date (`advanceBusinessDate`), one statement a night fewer.
 *
 * @example
 * await retainLoanHistory(trx, '2027-01-19'); // { dailyFrom: '2025-01-20', datesPruned: 1, rowsDeleted: 1000000 }
 */
export async function retainLoanHistory(trx: Executor, date: BusinessDate, maxDates = MAX_DATES_PRUNED_PER_NIGHT, options: { readonly record?: boolean } = {}): Promise<PruneResult | null> {
  // The window and where the daily rows start, in one read (end of day pays it every night).
  const state = await trx.selectFrom('system_state').select(['loan_history_keep_daily_years', 'loan_history_daily_from']).where('id', '=', 1).executeTakeFirst();
  const years = state?.loan_history_keep_daily_years ?? null;
  if (years === null) return null;
  return prune(trx, years, addDays(date, 1), maxDates, state?.loan_history_daily_from ?? null, options.record ?? true);
}
