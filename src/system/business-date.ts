/**
 * The system's one business date (会计日期). End of day advances it; every posting is dated by it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { invariant } from '../errors.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Today's business date. */
export async function getBusinessDate(db: Executor): Promise<BusinessDate> {
  const row = await db.selectFrom('system_state').select('business_date').where('id', '=', 1).executeTakeFirst();
  invariant(row !== undefined, 'the business date is not set (reference data not seeded)');
  return row.business_date;
}

/**
 * Closes end of day's night `from`: moves the business date from `from` to `to` and records `from`
 * as the last closed night, with no lazy night open (what lazy accrual's readers materialise to,
 * src/servicing/lazy-accrual.ts), in one statement; false when the business date was not `from`
 * (someone moved it meanwhile), and then nothing changes. `loanHistoryDailyFrom`: the first date
 * the loan history keeps whole, when the night's retention moved it (src/reporting/history-retention.ts).
 *
 * @example
 * await advanceBusinessDate(trx, '2025-06-30', '2025-07-01'); // true
 */
export async function advanceBusinessDate(db: Executor, from: BusinessDate, to: BusinessDate, loanHistoryDailyFrom?: BusinessDate): Promise<boolean> {
  const result = await db
    .updateTable('system_state')
    .set({ business_date: to, last_closed_on: from, lazy_night: null, ...(loanHistoryDailyFrom === undefined ? {} : { loan_history_daily_from: loanHistoryDailyFrom }) })
    .where('id', '=', 1)
    .where('business_date', '=', from)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Sets the business date (the demo, tests, an operator's correction); end of day moves it with {@link advanceBusinessDate}. */
export async function setBusinessDate(db: Executor, date: BusinessDate): Promise<void> {
  const result = await db.updateTable('system_state').set({ business_date: date }).where('id', '=', 1).executeTakeFirst();
  invariant(result.numUpdatedRows === 1n, 'system_state row missing');
}
