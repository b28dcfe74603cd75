/**
 * Which business date `sprout eod run` closes when not told, so that running it again after a
 * crash never closes a second day by surprise (an extra night of interest and penalty).
 *
 * - `--date D`: D (runEod then refuses anything but the current business date, or reports a
 *   closed D as already closed).
 * - `--next`: the current business date, on purpose (what a daily scheduler runs).
 * - neither: an unfinished run is resumed ("run it again" after a crash); on a book never closed,
 *   the current business date; otherwise refused, saying which date was closed last and asking
 *   for `--date` or `--next`.
 *
 * @example
 * await dateToClose(db, {}); // after 2025-06-30 was closed: ValidationError "… was closed …"
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { getBusinessDate } from '../system/business-date.js';

export async function dateToClose(db: Kysely<Database>, choice: { readonly date?: string | undefined; readonly next?: boolean | undefined }): Promise<string | undefined> {
  if (choice.date !== undefined && choice.next === true) throw new ValidationError('next', 'give --date or --next, not both');
  if (choice.date !== undefined) return choice.date;
  const businessDate = await getBusinessDate(db);
  if (choice.next === true) return businessDate;
  const unfinished = await db.selectFrom('eod_run').select('business_date').where('status', '!=', 'done').orderBy('business_date', 'desc').executeTakeFirst();
  if (unfinished !== undefined) return unfinished.business_date;
  const lastClosed = await db.selectFrom('eod_run').select('business_date').where('status', '=', 'done').orderBy('business_date', 'desc').executeTakeFirst();
  if (lastClosed === undefined) return businessDate;
  throw new ValidationError(
    'date',
    `end of day ${lastClosed.business_date} was closed; the business date is now ${businessDate}. To close ${businessDate}, run again with --next (or --date ${businessDate})`,
  );
}
