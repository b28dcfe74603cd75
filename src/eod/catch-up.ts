/**
 * End of day catching up (`sprout eod run --until D`): after a night or a long weekend the server
 * was down, every date from the current business date through D is closed in order, each by
 * `runEod` exactly as the nightly run would, so three missed days caught up leave the same book
 * and the same journal as three nights. Each date is idempotent and resumable as runEod is: a
 * crash part-way leaves the closed dates closed and the current one resumable; running the same
 * command again carries on from there.
 *
 * @example
 * const summaries = await runEodUntil(db, '2025-07-02'); // business date 2025-06-30 → closes 06-30, 07-01, 07-02
 */
import type { Kysely } from 'kysely';
import { addDays, daysBetween, parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { getBusinessDate } from '../system/business-date.js';
import { runEod, type EodOptions, type EodSummary } from './run-eod.js';

/** The most dates one catch-up closes: a year and a day; a longer outage wants a person looking first. */
export const MAX_CATCH_UP_DAYS = 366;

/** Options for each date's run, and a hook after each. */
export interface CatchUpOptions extends Omit<EodOptions, 'date'> {
  /** Called after each date closes (or was found closed). */
  readonly onDate?: ((summary: EodSummary) => void | Promise<void>) | undefined;
}

/**
 * Closes every date from the current business date through `until`; returns one summary per
 * date closed. Nothing to do (the business date is already after `until`) returns [].
 */
export async function runEodUntil(db: Kysely<Database>, until: string, options: CatchUpOptions = {}): Promise<EodSummary[]> {
  const last = parseBusinessDate(until, 'until');
  const start = await getBusinessDate(db);
  if (last < start) return [];
  const days = daysBetween(start, last) + 1;
  if (days > MAX_CATCH_UP_DAYS) throw new ValidationError('until', `would close ${days} dates from ${start}; at most ${MAX_CATCH_UP_DAYS} at once`);
  const { onDate, ...eod } = options;
  const summaries: EodSummary[] = [];
  // Bounded by the check above: each pass closes the business date and moves it on by one.
  for (let date: BusinessDate = start; date <= last; date = addDays(date, 1)) {
    const summary = await runEod(db, { ...eod, date });
    summaries.push(summary);
    await onDate?.(summary);
  }
  return summaries;
}
