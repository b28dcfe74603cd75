/**
 * `sprout bench eod`: end of day over a synthetic book, against two floors measured in the same
 * run and database. `floorSeconds` is one bare `UPDATE loan SET dpd = dpd`: writing a new version
 * of every (wide) loan row. `leanFloorSeconds` is one `UPDATE` of every row of a narrow table with
 * as many rows as loans (a uuid key and six bigint/int state columns, freshly vacuumed): the least
 * a daily state write can cost, whatever the loan table looks like (issue 21). End of day does
 * more (accrual arithmetic, billing, classification, history, journal entries per chunk, the
 * debtor-level rule, the report verdicts), in chunks.
 *
 * The timed night is the book's second (`seconds`); its first is run before the floors and timed
 * apart (`firstNightSeconds`). A book's first night is not a bank's night: it judges the new lending
 * of every day before it (the whole book) and moves every loan taken on overdue to its category;
 * every later night judges one day's new lending and moves the few loans whose days past due cross
 * a threshold (docs/benchmarks.md, "End of day near the floor", s21c).
 *
 * The lean floor and the night each start just after a CHECKPOINT, so that neither writes back what
 * the step before it wrote: the wide floor rewrites every loan row (about 1 GB of WAL at 1,000,000
 * loans) just before the night, which a bank's night never follows. Each then pays for its own WAL,
 * including a full image of every page it is the first to change since the checkpoint, as a bank's
 * night does after the day's last checkpoint (docs/decisions.md, "End of day's figures on a server
 * configured for the book"). The result names the server's settings the figures depend on.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ConflictError, invariant } from '../errors.js';
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
  /** End of day of the book's second night, wall clock. */
  readonly seconds: number;
  /** The book's first night, wall clock (before the floors; not part of the comparison). */
  readonly firstNightSeconds: number;
  /** One UPDATE of every loan row, same database, same run. */
  readonly floorSeconds: number;
  /** One UPDATE of every row of a narrow, freshly vacuumed table of as many rows (uuid + six bigint/int columns). */
  readonly leanFloorSeconds: number;
  /** Reconciliation after the run. */
  readonly balanced: boolean;
  /** Whether the lean floor and the night each started after a CHECKPOINT (false: the role may not run one). */
  readonly checkpointed: boolean;
  /** The database server's settings these figures depend on, as the server shows them ("128MB"). */
  readonly server: ServerSettings;
  /** Creating the book (not part of the comparison). */
  readonly loadSeconds: number;
  readonly chunks: number;
}

export interface ServerSettings {
  readonly sharedBuffers: string;
  readonly maxWalSize: string;
  readonly checkpointTimeout: string;
}

/**
 * Creates the book in an empty database, closes its first night, measures the floors, times the
 * second night, reconciles.
 *
 * @example
 * const result = await benchmarkEod(db, { loans: 20_000 }); // { loans: 20000, seconds: …, firstNightSeconds: …, floorSeconds: …, balanced: true, … }
 */
export async function benchmarkEod(db: Kysely<Database>, options: EodBenchmarkOptions): Promise<EodBenchmarkResult> {
  const existing = await db.selectFrom('loan').select('id').limit(1).executeTakeFirst();
  if (existing) throw new ConflictError('the benchmark needs a database without loans; use a fresh --data-dir or database');
  const date = await getBusinessDate(db);
  let started = performance.now();
  await createSyntheticBook(db, { loans: options.loans, seed: options.seed, date });
  // The measurements start from vacuumed, analysed tables, as after autovacuum has seen the new book.
  await sql`vacuum analyze`.execute(db);
  const loadSeconds = seconds(started);

  started = performance.now();
  await runEod(db, { workers: options.workers });
  const firstNightSeconds = seconds(started);
  // A day passes between nights: autovacuum sees the night's new row versions and history.
  await sql`vacuum analyze`.execute(db);

  started = performance.now();
  const floor = await sql`update loan set dpd = dpd`.execute(db);
  const floorSeconds = seconds(started);
  if (floor.numAffectedRows !== BigInt(options.loans)) throw new ConflictError(`the floor touched ${floor.numAffectedRows} rows, not ${options.loans}`);
  await sql`vacuum analyze loan`.execute(db);
  const leanFloorSeconds = await measureLeanFloor(db, options.loans);

  const checkpointed = await checkpoint(db);
  started = performance.now();
  const summary = await runEod(db, { workers: options.workers, onProgress: options.onProgress });
  const eodSeconds = seconds(started);
  const { balanced } = await reconcile(db);
  const server = await serverSettings(db);
  return { loans: summary.loans, seconds: eodSeconds, firstNightSeconds, floorSeconds, leanFloorSeconds, balanced, checkpointed, server, loadSeconds, chunks: summary.chunks };
}

/** CHECKPOINT; false when the role may not run one (PostgreSQL 15: a superuser or pg_checkpoint). */
async function checkpoint(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`checkpoint`.execute(db);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === '42501') return false;
    throw error;
  }
}

async function serverSettings(db: Kysely<Database>): Promise<ServerSettings> {
  const { rows } = await sql<ServerSettings>`select current_setting('shared_buffers') as "sharedBuffers", current_setting('max_wal_size') as "maxWalSize",
    current_setting('checkpoint_timeout') as "checkpointTimeout"`.execute(db);
  const settings = rows[0];
  invariant(settings !== undefined, 'current_setting returns a row');
  return settings;
}

/**
 * The lean floor: a narrow table of `loans` rows (a uuid key from the loans' own ids, six bigint/int
 * state columns), vacuumed and analysed, a checkpoint, then one UPDATE of all six columns of every
 * row, timed.
 * The table is dropped afterwards.
 */
async function measureLeanFloor(db: Kysely<Database>, loans: number): Promise<number> {
  await sql`drop table if exists bench_lean_floor`.execute(db);
  await sql`create table bench_lean_floor (id uuid primary key, a bigint not null, b bigint not null, c bigint not null,
    d bigint not null, e integer not null, f integer not null)`.execute(db);
  try {
    await sql`insert into bench_lean_floor (id, a, b, c, d, e, f)
      select id, principal_not_due, principal_due, interest_accrued, provision, dpd, shard from loan`.execute(db);
    await sql`vacuum analyze bench_lean_floor`.execute(db);
    await checkpoint(db);
    const started = performance.now();
    const updated = await sql`update bench_lean_floor set a = a + 1, b = b + 1, c = c + 1, d = d + 1, e = e + 1, f = f + 1`.execute(db);
    const leanSeconds = seconds(started);
    if (updated.numAffectedRows !== BigInt(loans)) throw new ConflictError(`the lean floor touched ${updated.numAffectedRows} rows, not ${loans}`);
    return leanSeconds;
  } finally {
    await sql`drop table bench_lean_floor`.execute(db);
  }
}

function seconds(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}
