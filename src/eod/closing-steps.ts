/**
 * End of day's closing steps, each in a transaction of its own (issue 21). Once every chunk is
 * done, the night's close reads the whole book several times: the debtor-level rules, the notices,
 * the report verdicts (`borrower_day` in two halves, `new_lending`) and the portfolio snapshot. In one
 * transaction they ran one after another on one connection, about half of a million-loan night
 * (docs/benchmarks.md, s21h); in transactions of their own, the steps that do not read each other's
 * writes run at once on two connections (src/eod/run-eod.ts), and the business date moves in a
 * last, short transaction that finds them all committed.
 *
 * A step's row in `eod_close_step` (migration 0077) is the step's lock and its mark: its
 * transaction inserts the row before the work (`on conflict do nothing`), so a second process
 * closing the same run waits on the uncommitted row and then skips the step, and a step rolled
 * back (a crash, a failed statement) leaves no row and is done again by the next call. Each step
 * is thus all-or-nothing and done once a night, however many processes close the run and
 * whichever of them dies where.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EodCloseStepTable } from '../db/schema/eod.js';
import { inTransaction } from '../db/transaction.js';
import { invariant } from '../errors.js';
import type { Minor } from '../money/minor.js';
import { transactionSettingsSql } from '../db/transaction-settings.js';

export type ClosingStep = EodCloseStepTable['step'];

/**
 * The closing steps, in the order their writes are read: 'rules' (guarantee cover, supply-chain
 * ageing, the debtor-level rule, promises) changes the loans and financings that 'borrowers' and
 * 'verdicts' read; those two write the night's `borrower_day` rows, half the borrowers each (the
 * lower and the upper half by the last byte of the id; 'verdicts' also the new lending) and each
 * its half's part of the portfolio snapshot, which 'snapshot' adds up; 'notices' reads what the
 * chunks left and no other step writes.
 */
export const CLOSING_STEPS: readonly ClosingStep[] = ['rules', 'notices', 'borrowers', 'verdicts', 'snapshot'];

/**
 * Runs `work` as closing step `step` of run `runId`, in a transaction of its own, unless the step
 * is committed already (by this process or another); returns what `work` counted, or null when the
 * step had been done. `work` must be all of the step: its writes commit with the step's row.
 *
 * @example
 * await closeStep(db, run.id, 'snapshot', async (trx) => (await writePortfolioSnapshot(trx, date), 0));
 */
export async function closeStep(db: Kysely<Database>, runId: string, step: ClosingStep, work: (trx: Transaction<Database>) => Promise<number>): Promise<number | null> {
  return inTransaction(db, async (trx) => {
    // Waits for another process's uncommitted row of the step; inserts only if there is none.
    const claimed = await trx
      .insertInto('eod_close_step')
      .values({ run_id: runId, step, started_at: new Date() })
      .onConflict((oc) => oc.columns(['run_id', 'step']).doNothing())
      .executeTakeFirst();
    if (claimed.numInsertedOrUpdatedRows !== 1n) return null;
    await CLOSE_SETTINGS.execute(trx);
    const affected = await work(trx);
    invariant(Number.isSafeInteger(affected) && affected >= 0, `closing step ${step}: counted ${affected}`);
    // Most nights of a small book count nothing: no statement then (the row says 0).
    if (affected > 0) await trx.updateTable('eod_close_step').set({ affected: BigInt(affected) }).where('run_id', '=', runId).where('step', '=', step).execute();
    return affected;
  });
}

/**
 * A closing step's transaction's settings, in one statement, each transaction-local (set_config(…,
 * true)): back to the session's own when the step commits or rolls back (issue 21, s21aa).
 * - No JIT: the debtor rule's, the borrower halves' and the snapshot's plans cost past
 *   jit_above_cost, and compiling took about 50 ms of each (EXPLAIN ANALYZE on a million loans),
 *   for statements that run once a night and read each row once.
 * - No parallel workers: the close already runs two steps at once, one a connection; the notices'
 *   batches of 1,000 were planned as a Gather Merge whose worker took 19–23 ms to start, half of the
 *   batch's 33–43 ms (15 batches a night on a million loans).
 * - No wait for the WAL flush at commit (synchronous_commit off), as the chunks (process-chunk.ts,
 *   docs/decisions.md "The night's chunks commit asynchronously"): a crash loses whole steps, their
 *   rows in `eod_close_step` with them, and the rerun does each again, once; the transaction that
 *   closes the run commits synchronously, and its flush makes every step before it durable before
 *   the business date moves. Only where the server flushes (fsync on; not PGlite).
 * A setting the engine lacks is left alone (current_setting(…, true) is null).
 */
const CLOSE_SETTINGS = transactionSettingsSql({ jit: 'off', max_parallel_workers_per_gather: '0' }, { asynchronousCommit: true });

/**
 * What the transaction that closes the run reads, in one statement: its chunks by status and their
 * totals (what the close checks and records), and what each closing step counted; throws unless
 * every step is committed.
 *
 * @example
 * const { tally, steps } = await closingTally(trx, run.id); // tally.done === tally.total; steps.get('rules') === 0
 */
export async function closingTally(trx: Transaction<Database>, runId: string): Promise<{ tally: { total: number; done: number; loans: number; interest: Minor; penalty: Minor }; steps: ReadonlyMap<ClosingStep, number> }> {
  const { rows } = await sql<{ total: bigint; done: bigint | null; loans: bigint; interest: Minor; penalty: Minor; steps: [ClosingStep, number][] | null }>`
    select count(*) as total, cast(sum(case when status = 'done' then 1 else 0 end) as bigint) as done,
      cast(coalesce(sum(loans), 0) as bigint) as loans, cast(coalesce(sum(interest), 0) as bigint) as interest, cast(coalesce(sum(penalty), 0) as bigint) as penalty,
      (select json_agg(json_build_array(step, affected)) from eod_close_step where run_id = ${runId}) as steps
    from eod_chunk where run_id = ${runId}`.execute(trx);
  const row = rows[0];
  invariant(row !== undefined, `end-of-day run ${runId}: no tally`);
  const steps = new Map((row.steps ?? []).map(([step, affected]) => [step, Number(affected)]));
  for (const step of CLOSING_STEPS) invariant(steps.has(step), `end-of-day run ${runId}: closing step ${step} not committed`);
  return { tally: { total: Number(row.total), done: Number(row.done ?? 0n), loans: Number(row.loans), interest: row.interest, penalty: row.penalty }, steps };
}

/**
 * Runs `first` and `second` at once when `together` (each takes a connection of its own), else one
 * after the other; either way both have finished, committed or rolled back, before this returns or
 * throws (the first error), so a caller that retries never races its own earlier attempt.
 */
export async function both<A, B>(together: boolean, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  if (!together) return [await first(), await second()];
  const [a, b] = await Promise.allSettled([first(), second()]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}
