/**
 * `sprout bench reports`: each regulatory report timed on the book in the database, as of its
 * last closed business date (the book `sprout bench eod` leaves, or any other). The migration
 * report needs a second closed date and is skipped without one.
 */
import type { Kysely } from 'kysely';
import { fromCivil, toCivil, type BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import { ConflictError } from '../errors.js';
import { fiveCategoryReport, foreignTradeReport, inclusiveReport, migrationReport, renewalsReport, type ReportName } from './regulatory-reports.js';

export interface ReportTiming {
  readonly report: ReportName;
  /** Wall clock, seconds; null when the report could not run on this book (see `note`). */
  readonly seconds: number | null;
  readonly note?: string;
}

export interface ReportBenchmarkResult {
  readonly asOf: BusinessDate;
  /** Rows of `loan_day` on the report date: the loans on the books. */
  readonly loans: number;
  readonly timings: readonly ReportTiming[];
}

/**
 * Times every report once, as of the last closed date.
 *
 * @example
 * const { asOf, timings } = await benchmarkReports(db); // timings: [{ report: 'inclusive', seconds: 0.8 }, …]
 */
export async function benchmarkReports(db: Kysely<Database>): Promise<ReportBenchmarkResult> {
  const closed = await db.selectFrom('eod_run').select('business_date').where('status', '=', 'done').orderBy('business_date', 'desc').limit(2).execute();
  const asOf = closed[0]?.business_date;
  if (asOf === undefined) throw new ConflictError('no closed business date: run `sprout bench eod` (or end of day) first');
  const previous = closed[1]?.business_date;
  const onBooks = await db.selectFrom('loan_day').select((eb) => eb.fn.countAll<string>().as('n')).where('business_date', '=', asOf).executeTakeFirstOrThrow();
  const monthStart = fromCivil({ ...toCivil(asOf), day: 1 });
  const timings: ReportTiming[] = [];
  const time = async (report: ReportName, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    timings.push({ report, seconds: Math.round(performance.now() - started) / 1000 });
  };
  await time('inclusive', () => inclusiveReport(db, asOf));
  await time('five-category', () => fiveCategoryReport(db, asOf));
  if (previous === undefined) timings.push({ report: 'migration', seconds: null, note: 'one closed date only' });
  else await time('migration', () => migrationReport(db, previous, asOf));
  await time('renewals', () => renewalsReport(db, monthStart, asOf));
  await time('foreign-trade', () => foreignTradeReport(db, asOf));
  return { asOf, loans: Number(onBooks.n), timings };
}
