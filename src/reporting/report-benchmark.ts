/**
 * `sprout bench reports`: each regulatory report timed on the book in the database, as of its
 * last closed business date (the book `sprout bench eod` leaves, or any other). The migration
 * report needs a second closed date and is skipped without one (`sprout eod run` closes another).
 *
 * The machine is shared, so beside the wall clock each report says the CPU it cost: this
 * process's (`process.cpuUsage()`), and on a PostgreSQL server on the same host the server
 * backend's (user + system ticks of its process in `/proc`), read over the one connection every
 * report of the run uses, and apart the parallel workers that backend started (found in
 * `pg_stat_activity` from another connection while the report runs).
 *
 * With `recompute`, the reports judge every borrower again from the history instead of reading
 * the verdicts end of day stored (src/reporting/report-verdicts.ts): the cost before they existed.
 */
import { sql, type Kysely } from 'kysely';
import { fromCivil, toCivil, type BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import { ConflictError } from '../errors.js';
import { processCpuSeconds } from '../system/process-stats.js';
import type { RecomputeOption } from './book-as-of.js';
import { fiveCategoryReport, foreignTradeReport, inclusiveReport, migrationReport, renewalsReport, type ReportName } from './regulatory-reports.js';

export interface ReportTiming {
  readonly report: ReportName;
  /** Wall clock, seconds; null when the report could not run on this book (see `note`). */
  readonly seconds: number | null;
  /** This process's CPU (user + system), seconds. */
  readonly cpuSeconds?: number;
  /** The PostgreSQL backend's CPU (user + system), seconds; absent when it cannot be read (PGlite, another host). */
  readonly serverCpuSeconds?: number;
  /**
   * The CPU of the parallel workers the backend started for the report, seconds (a lower bound:
   * each worker is read every 50 ms while it runs, so its last few ticks may be missed). Zero
   * when every plan ran in the backend alone.
   */
  readonly workerCpuSeconds?: number;
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
 * const { asOf, timings } = await benchmarkReports(db); // timings: [{ report: 'inclusive', seconds: 0.8, cpuSeconds: 0.1, serverCpuSeconds: 0.7 }, …]
 */
export async function benchmarkReports(db: Kysely<Database>, backend: 'pglite' | 'postgres' = 'pglite', options: RecomputeOption = {}): Promise<ReportBenchmarkResult> {
  const closed = await db.selectFrom('eod_run').select('business_date').where('status', '=', 'done').orderBy('business_date', 'desc').limit(2).execute();
  const asOf = closed[0]?.business_date;
  if (asOf === undefined) throw new ConflictError('no closed business date: run `sprout bench eod` (or end of day) first');
  const previous = closed[1]?.business_date;
  const onBooks = await db.selectFrom('loan_day').select((eb) => eb.fn.countAll<string>().as('n')).where('business_date', '=', asOf).executeTakeFirstOrThrow();
  const monthStart = fromCivil({ ...toCivil(asOf), day: 1 });
  // One connection for the whole run, so its server process's CPU is the reports'.
  return db.connection().execute(async (one) => {
    const pid = backend === 'postgres' ? Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(one)).rows[0]!.pid) : undefined;
    const timings: ReportTiming[] = [];
    const time = async (report: ReportName, run: () => Promise<unknown>) => {
      const serverBefore = processCpuSeconds(pid);
      // Parallel workers are processes of their own: found from another connection while the report runs.
      const workers = new Map<number, number>();
      let running = true;
      const watch = (async () => {
        while (pid !== undefined && running) {
          const found = await sql<{ pid: number }>`select pid from pg_stat_activity where leader_pid = ${pid} and pid <> ${pid}`.execute(db);
          for (const worker of new Set([...workers.keys(), ...found.rows.map((r) => Number(r.pid))])) {
            const cpu = processCpuSeconds(worker);
            if (cpu !== undefined) workers.set(worker, cpu);
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await run().finally(() => (running = false));
      const seconds = Math.round(performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const serverAfter = processCpuSeconds(pid);
      await watch;
      timings.push({
        report,
        seconds,
        cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
        ...(serverBefore === undefined || serverAfter === undefined
          ? {}
          : { serverCpuSeconds: Math.round((serverAfter - serverBefore) * 100) / 100, workerCpuSeconds: Math.round([...workers.values()].reduce((sum, c) => sum + c, 0) * 100) / 100 }),
      });
    };
    await time('inclusive', () => inclusiveReport(one, asOf, options));
    await time('five-category', () => fiveCategoryReport(one, asOf, options));
    if (previous === undefined) timings.push({ report: 'migration', seconds: null, note: 'one closed date only' });
    else await time('migration', () => migrationReport(one, previous, asOf, options));
    await time('renewals', () => renewalsReport(one, monthStart, asOf));
    await time('foreign-trade', () => foreignTradeReport(one, asOf, undefined, options));
    return { asOf, loans: Number(onBooks.n), timings };
  });
}
