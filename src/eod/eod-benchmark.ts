/**
 * `sprout bench eod`: end of day over a synthetic book, against the floor of touching every loan
 * row once. The floor is one bare `UPDATE loan SET dpd = dpd`: what any end of day must at least
 * pay to write a new version of every row. End of day does more (accrual arithmetic, billing,
 * classification, three journal entries per chunk, the debtor-level rule), in chunks.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ConflictError } from '../errors.js';
import { reconcile } from '../ledger/reconcile.js';
import { getBusinessDate } from '../system/business-date.js';
import { runEod } from './run-eod.js';
import { createSyntheticBook } from './synthetic-book.js';

export interface EodBenchmarkOptions {
  readonly loans: number;
  readonly seed?: number | undefined;
  readonly workers?: number | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface EodBenchmarkResult {
  readonly loans: number;
  /** End of day, wall clock. */
  readonly seconds: number;
  /** One UPDATE of every loan row, same database, same run. */
  readonly floorSeconds: number;
  /** Reconciliation after the run. */
  readonly balanced: boolean;
  /** Creating the book (not part of the comparison). */
  readonly loadSeconds: number;
  readonly chunks: number;
}

/**
 * Creates the book in an empty database, measures the floor, runs one end of day, reconciles.
 *
 * @example
 * const result = await benchmarkEod(db, { loans: 20_000 }); // { loans: 20000, seconds: …, floorSeconds: …, balanced: true, … }
 */
export async function benchmarkEod(db: Kysely<Database>, options: EodBenchmarkOptions): Promise<EodBenchmarkResult> {
  const existing = await db.selectFrom('loan').select('id').limit(1).executeTakeFirst();
  if (existing) throw new ConflictError('the benchmark needs a database without loans; use a fresh --data-dir or database');
  const date = await getBusinessDate(db);
  let started = performance.now();
  await createSyntheticBook(db, { loans: options.loans, seed: options.seed, date });
  // Both measurements start from a vacuumed, analysed table, as after a night's autovacuum.
  await sql`vacuum analyze loan`.execute(db);
  const loadSeconds = seconds(started);

  started = performance.now();
  const floor = await sql`update loan set dpd = dpd`.execute(db);
  const floorSeconds = seconds(started);
  if (floor.numAffectedRows !== BigInt(options.loans)) throw new ConflictError(`the floor touched ${floor.numAffectedRows} rows, not ${options.loans}`);
  await sql`vacuum analyze loan`.execute(db);

  started = performance.now();
  const summary = await runEod(db, { workers: options.workers, onProgress: options.onProgress });
  const eodSeconds = seconds(started);
  const { balanced } = await reconcile(db);
  return { loans: summary.loans, seconds: eodSeconds, floorSeconds, balanced, loadSeconds, chunks: summary.chunks };
}

function seconds(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}
