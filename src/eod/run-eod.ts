/**
 * End of day (日终) for one business date: accrue, bill, count days past due, classify, provision
 * and post, chunk by chunk, then the debtor-level rule and the portfolio snapshot of D
 * (src/reporting/portfolio-history.ts), the regulatory reports' verdicts (src/reporting/report-verdicts.ts),
 * the promises to pay due by D (src/collections/), the loan history's retention (src/reporting/history-retention.ts), then the business date moves to D + 1.
 *
 * Safe to run again and to run from several processes at once: the run and its chunks are rows
 * (eod-run.ts), each chunk commits its loans, its entries and its `done` mark together, and a loan
 * is only processed while `last_eod_on < D`, so no loan accrues twice for a night even if a chunk
 * is processed again after its worker died. The closing steps after the chunks commit each in a
 * transaction of its own, marked done with it (src/eod/closing-steps.ts), so a crash between them
 * leaves each done once or not at all; the business date moves in the last. Running a finished
 * date again changes nothing.
 */
import { hostname } from 'node:os';
import { sql, type Kysely, type Transaction } from 'kysely';
import { addDays, parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import { rollToWorkingDay } from '../calendar/working-days.js';
import { rulesFor, type ClassificationRules } from '../classification/classification-rules.js';
import type { Database } from '../db/schema.js';
import { borrowersInHashRange, hasCitus } from '../db/distribution.js';
import { appendAudit } from '../audit/audit-trail.js';
import { inTransaction } from '../db/transaction.js';
import { ConflictError, invariant, ValidationError } from '../errors.js';
import type { Minor } from '../money/minor.js';
import { advanceBusinessDate, getBusinessDate } from '../system/business-date.js';
import { accrualNights, openLazyNight, type AccrualNights } from '../servicing/lazy-accrual.js';
import { loadHolidayCalendar } from '../system/holiday-calendar.js';
import { writePortfolioSnapshot, writeSnapshotHalf } from '../reporting/portfolio-history.js';
import { MAX_DATES_PRUNED_PER_NIGHT, retainLoanHistory } from '../reporting/history-retention.js';
import { judgeBorrowers, judgeNight } from '../reporting/report-verdicts.js';
import { settlePromises } from '../collections/promise-settlement.js';
import { applyDebtorContagion } from './debtor-contagion.js';
import { postGeneralProvision } from './general-provision.js';
import { ageSupplyChainFinancing } from '../supply-chain/maturity.js';
import { applyGuaranteeCover } from './guarantee-cover.js';
import { SHARDS, bookSize, businessDateAndRun, chunkProgress, claimChunk, defaultShardsPerChunk, findRun, heldChunks, holdsClaim, markChunkDone, measureBook, openRun, releaseClaims, runTotals, type ClaimedChunk, type EodRun, type HeldChunk } from './eod-run.js';
import { processChunk } from './process-chunk.js';
import { both, closeStep, closingTally, type ClosingStep } from './closing-steps.js';
import { repriceDueLoans } from '../servicing/repricing.js';
import { recordModelStability, type StabilityOptions } from '../decision/deployed-models.js';
import { runMonitoring, type MonitorOptions, type MonitorSummary } from '../monitoring/monitor-run.js';
import { writeNightNotices } from '../notifications/night-notices.js';
import { reminderDaysFrom } from '../notifications/notification-config.js';

export interface EodOptions {
  /** The business date to close; default and only allowed value: the current business date. */
  readonly date?: string | undefined;
  /**
   * Concurrent workers in this process (default 1). Needs a connection each: PostgreSQL only;
   * PGlite is one connection, so use 1 there.
   */
  readonly workers?: number | undefined;
  /** Shards per chunk for a new run (default: about TARGET_LOANS_PER_CHUNK loans a chunk). */
  readonly shardsPerChunk?: number | undefined;
  /** Default: the rules in force on the date (src/classification/). */
  readonly rules?: ClassificationRules | undefined;
  /** A claim not finished within this many seconds may be taken over (default 300). */
  readonly leaseSeconds?: number | undefined;
  /** Names this process's workers in `eod_chunk.claimed_by` (default host:pid). */
  readonly workerName?: string | undefined;
  readonly createdBy?: string | undefined;
  /** Called after each chunk this call finishes, with the run's progress. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /**
   * Release the claims other workers hold on this run's chunks before starting, instead of waiting
   * for their leases to run out: for a run whose process was killed (`sprout eod run --take-over`).
   */
  readonly takeOver?: boolean | undefined;
  /**
   * Called once at the start when other workers hold chunks of the run (alive and working, or
   * dead and holding a lease until it runs out), before this call works or waits.
   */
  readonly onHeldChunks?: ((held: readonly HeldChunk[]) => void) | undefined;
  /**
   * Called in each chunk's transaction after its work, before it commits, with the chunk's number and
   * transaction: the chunk's loans are locked and its history rows written but not yet visible to
   * others (race tests hook in here).
   */
  readonly beforeChunkCommit?: ((chunkNo: number, trx: Transaction<Database>) => void | Promise<void>) | undefined;
  /** Called after each chunk this call commits, with how many it has committed (crash tests hook in here). */
  readonly afterChunk?: ((committed: number) => void | Promise<void>) | undefined;
  /** Called after each closing step this call commits (src/eod/closing-steps.ts; crash tests hook in here). */
  readonly afterClosingStep?: ((step: ClosingStep) => void | Promise<void>) | undefined;
  /**
   * Post-lending monitoring as the night's first step (src/monitoring/): pulls on each source's
   * cadence, warnings and their actions, so a special-mention hold applies in tonight's
   * classification. Resumable like the chunks; left out, the night does no monitoring.
   */
  readonly monitoring?: Pick<MonitorOptions, 'provider' | 'now' | 'afterBatch'> | undefined;
  /**
   * The deployed champion's population stability (src/decision/deployed-models.ts): the window of
   * recent decisions and the PSI thresholds; absent: the defaults (500 decisions, watch 0.1, warn 0.25).
   */
  readonly modelStability?: StabilityOptions | undefined;
  /**
   * 'lazy': a loan whose interest alone accrues tonight keeps its row as of the night it was last
   * written (src/servicing/lazy-accrual.ts); 'eager': every active loan's row is written every night.
   * The same loans, history and journal either way (test/eod/lazy-accrual.test.ts); a date may be
   * closed in either whatever the last was; a night that does not follow the last one closed, and
   * every night on Citus, writes every row. Default: `SPROUT_EOD_ACCRUAL`, else 'lazy' — the raw
   * `loan` columns of a lazy book are as of each loan's `last_eod_on`: read a loan through `loanById`
   * (docs/decisions.md, "Lazy accrual").
   */
  readonly accrual?: 'eager' | 'lazy' | undefined;
  /** Days before a due date its reminder is written (src/notifications/night-notices.ts); default `SPROUT_REMINDER_DAYS` or 3; 0: none. */
  readonly reminderDays?: number | undefined;
}

export interface EodSummary {
  readonly date: BusinessDate;
  readonly runId: string;
  /** Loans processed over the whole run (every call that worked on it). */
  readonly loans: number;
  readonly chunks: number;
  /** Chunks this call processed. */
  readonly chunksProcessed: number;
  readonly interest: Minor;
  readonly penalty: Minor;
  /** Loans the debtor-level rule made substandard (0 when the run was already finished). */
  readonly debtorReclassified: number;
  /** True when the date had already been closed and nothing was done. */
  readonly alreadyDone: boolean;
  /** Claims of other workers released by `takeOver`. */
  readonly takenOver: number;
  /** What the monitoring step did (null: not asked, or the date was already closed). */
  readonly monitoring: MonitorSummary | null;
  readonly businessDate: BusinessDate;
  readonly seconds: number;
}

/** What the call that closed a night read in its closing transaction: the summary needs no second read. */
interface ClosedNight {
  readonly totals: { readonly loans: number; readonly interest: Minor; readonly penalty: Minor };
  readonly businessDate: BusinessDate;
}

const DEFAULT_LEASE_SECONDS = 300;
/** How often a worker with nothing to claim looks again while others finish their chunks. */
const POLL_MS = 200;

/**
 * Runs (or resumes, or joins) end of day for the current business date.
 *
 * @example
 * const summary = await runEod(db, { date: '2025-06-30' }); // afterwards the business date is 2025-07-01
 */
export async function runEod(db: Kysely<Database>, options: EodOptions = {}): Promise<EodSummary> {
  const started = performance.now();
  const asked = options.date === undefined ? undefined : parseBusinessDate(options.date, 'date');
  const { businessDate, run: existing } = await businessDateAndRun(db, asked);
  const date = asked ?? businessDate;
  if (existing?.status === 'done') return summarise(db, existing, 0, 0, true, started);
  if (date !== businessDate) throw new ValidationError('date', `must be the current business date ${businessDate}; got ${date}`);
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new ValidationError('workers', `must be 1 to 64; got ${workers}`);
  // Checked before anything is written: a wrong SPROUT_EOD_ACCRUAL refuses the night, it does not half-run it.
  const accrual = accrualMode(options.accrual);
  const rules = options.rules ?? rulesFor(date);
  // On Citus, end of day's statements lock their loans by an UPDATE of their own (src/db/distribution.ts).
  const citus = await hasCitus(db);
  const tomorrow = addDays(date, 1);
  const payableUntil = rollToWorkingDay(tomorrow, await loadHolidayCalendar(db, tomorrow));
  const createdBy = options.createdBy ?? 'eod';
  const monitoring = options.monitoring === undefined ? null : await runMonitoring(db, { ...options.monitoring, actor: createdBy });
  // Floating-rate loans whose repricing date has come take the LPR in force first, so night D accrues at the new rate (idempotent).
  if (existing === undefined) await repriceDueLoans(db, date, createdBy);
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;

  // The book is measured once, from the last night's chunks (or its history rows), and sizes the
  // chunks and cuts them (src/eod/eod-run.ts).
  const book = existing === undefined && !citus ? await measureBook(db, date) : undefined;
  const shardsPerChunk = existing?.shards_per_chunk ?? options.shardsPerChunk ?? defaultShardsPerChunk(book?.size ?? (await bookSize(db, date)));
  // On one server the run and its chunks are one statement; on Citus a transaction of several.
  const run = existing ?? (citus ? await inTransaction(db, async (trx) => openRun(trx, date, shardsPerChunk, rules.version, citus)) : await openRun(db, date, shardsPerChunk, rules.version, citus, book));
  invariant(run.rules_version === rules.version, `run ${run.id} applies rules ${run.rules_version}, not ${rules.version}`);

  // A night may leave rows unwritten only when it follows the last night closed: a row's skipped
  // nights are then nights end of day ran, and a business date moved without end of day adds none
  // (src/servicing/lazy-accrual.ts). On Citus the chunks are routed and write every row.
  // A run of an earlier date left open (its business date moved since) keeps its night: this one is eager.
  // Said before any chunk may skip a row: readers then look for the loan's history row of D.
  // The opening waits for every money change in flight (the gate, src/servicing/lazy-accrual.ts).
  const { nights, opened: lazy } = accrual === 'lazy' && !citus ? await inTransaction(db, (trx) => openLazyNight(trx, date, addDays(date, -1))) : { nights: await accrualNights(db), opened: false };

  let committed = 0;
  const name = options.workerName ?? `${hostname()}:${process.pid}`;
  const takenOver = options.takeOver === true ? await releaseClaims(db, run.id) : 0;
  // Said before any work, so a rerun after a crash never waits in silence for a dead worker's lease.
  if (options.onHeldChunks !== undefined && takenOver === 0) {
    const held = await heldChunks(db, run.id, leaseSeconds, `${name}#`);
    if (held.length > 0) options.onHeldChunks(held);
  }
  // A worker with no chunk left to claim waits for the others' chunks: it wakes when one of this
  // call's workers commits a chunk (the last one ends the wait at once, where a poll slept up to
  // POLL_MS more on the close's path), or after POLL_MS for chunks other processes hold.
  const waiting = new Set<() => void>();
  const wakeWaiting = () => {
    for (const wake of [...waiting]) wake();
  };
  // Whether this call has refreshed the planner's statistics of the history (see the close below).
  let analyzed = false;
  const work = async (worker: string): Promise<void> => {
    let idleSince: number | undefined;
    // Bounded: every pass either commits a chunk, or waits while others hold claims, at most two leases.
    for (;;) {
      // Every chunk of the run committed by this call's workers: nothing is left to claim, and
      // asking would cost two statements a night on every book (each chunk commits once: a done
      // chunk is never claimed again).
      if (committed === run.chunk_count) return;
      // One UPDATE claims a chunk: atomic on its own, so no transaction around it.
      const chunk = await claimChunk(db, run.id, worker, leaseSeconds);
      if (chunk === undefined) {
        const progress = await chunkProgress(db, run.id);
        if (progress.done === progress.total) return;
        idleSince ??= performance.now();
        if (performance.now() - idleSince > 2 * leaseSeconds * 1000) {
          throw new ConflictError(`end of day ${date}: ${progress.total - progress.done} chunks are held by other workers`);
        }
        // Every chunk is claimed and at least seven in eight are done: the history holds nearly all
        // of D's rows, enough for the planner's statistics, so the first worker out of work analyzes
        // it now, beside the last chunks, instead of the close doing it after them (s21aa).
        if (!analyzed && progress.done * 8 >= progress.total * 7) {
          analyzed = true;
          await analyzeHistory(db);
          continue;
        }
        // At most one entry a waiting worker: it leaves the set when woken or timed out.
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiting.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, POLL_MS);
          waiting.add(wake);
        });
        continue;
      }
      idleSince = undefined;
      if (await runChunk(db, run, chunk, worker, { date, tomorrow, payableUntil, rules, createdBy, citus, eager: !lazy, nights }, options.beforeChunkCommit)) {
        committed++;
        wakeWaiting();
        if (options.onProgress) {
          const progress = await chunkProgress(db, run.id);
          options.onProgress(progress.done, progress.total);
        }
        await options.afterChunk?.(committed);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, index) => work(`${name}#${index + 1}`)));

  // The closing steps, each in a transaction of its own (src/eod/closing-steps.ts): with two or
  // more workers, the notices run beside the history's analyze and the debtor-level rules, then
  // the two halves of the borrower rows beside each other, on two connections; with one, one after
  // the other; then the portfolio snapshot, which adds up the halves' parts. A step another process
  // committed is skipped; one rolled back is done again by the next call.
  const together = workers > 1;
  const step = async (name: ClosingStep, work: (trx: Transaction<Database>) => Promise<number>): Promise<void> => {
    if ((await closeStep(db, run.id, name, work)) !== null) await options.afterClosingStep?.(name);
  };
  await both(
    together,
    async () => {
      // The chunks added a row per loan to the history for D: refresh the planner's statistics of it
      // before the close reads those rows, and the reports after it (ANALYZE reads a bounded sample,
      // 30,000 rows at the default statistics target, however large the table). Statistics from
      // before the night know no row of D: the debtor-level rule's update of tonight's history then
      // looped over every one of D's rows once per loan it moved (docs/benchmarks.md, s21d). Outside
      // the closing steps' transactions, by each process that still finds the run open; beside the
      // notices, which do not read the history. Not again when a worker of this call analyzed while
      // the last chunks ran (above).
      // A call that committed every chunk itself does not ask: another process closing the run
      // between its last chunk and here is rare, and analyzing again then is harmless.
      if (!analyzed && (committed === run.chunk_count || (await findRun(db, date))?.status !== 'done')) await analyzeHistory(db);
      await step('rules', (trx) => applyClosingRules(trx, run.id, date, rules, createdBy, citus));
    },
    // Reminders and overdue notices in the outbox: they read installments and the dates loans fell
    // overdue, which neither the chunks tonight nor the rules change (src/notifications/night-notices.ts).
    () => step('notices', async (trx) => {
      const notices = await writeNightNotices(trx, date, options.reminderDays ?? reminderDaysFrom(), citus);
      return notices.reminders + notices.overdue;
    }),
  );
  await both(
    together,
    // The report verdicts, judged once now that the night's rows are final (src/reporting/report-verdicts.ts):
    // each half of the borrowers' rows in a transaction of its own (docs/benchmarks.md, s21w), the
    // upper with the night's new lending and its mark.
    // Each also sums its half's part of the portfolio snapshot, which the step 'snapshot' then
    // adds up (src/reporting/portfolio-history.ts): the snapshot's pass over the borrowers runs on
    // both connections, not on one while the other waits.
    () => step('borrowers', async (trx) => {
      const judged = await judgeBorrowers(trx, date, 'lower');
      await writeSnapshotHalf(trx, date, 'lower');
      return judged;
    }),
    () => step('verdicts', async (trx) => {
      const judged = (await judgeNight(trx, date, 'upper')).borrowers;
      await writeSnapshotHalf(trx, date, 'upper');
      return judged;
    }),
  );
  await step('snapshot', async (trx) => (await writePortfolioSnapshot(trx, date), 0));

  let debtorReclassified = 0;
  let historyRowsPruned = 0;
  let verdictBorrowers = 0;
  // What this call's close recorded, for the summary (undefined when another process closed the run).
  let closed: ClosedNight | undefined;
  await inTransaction(db, async (trx) => {
    closed = undefined; // an attempt rolled back and retried recorded nothing
    // The run row is the lock: whoever finishes it first moves the business date, once. Marked
    // done as it is locked (one statement, not a locking read and an update): a check below that
    // fails rolls the mark back with the rest.
    const finishing = await trx.updateTable('eod_run').set({ status: 'done', finished_at: new Date() }).where('id', '=', run.id).where('status', '<>', 'done').returning('id').executeTakeFirst();
    if (finishing === undefined) return;
    // Every chunk is done, so their totals are the run's, and every closing step committed, by this
    // call or another: what they counted goes in the audit record. Read with the checks, in one statement.
    const { tally, steps } = await closingTally(trx, run.id);
    invariant(tally.done === tally.total, `end of day ${date}: ${tally.total - tally.done} chunks not done`);
    debtorReclassified = steps.get('rules') ?? 0;
    verdictBorrowers = (steps.get('borrowers') ?? 0) + (steps.get('verdicts') ?? 0);
    // The champion's live scores against its training distribution; a shift past the threshold warns.
    await recordModelStability(trx, date, options.modelStability ?? {}, createdBy);
    // The general provision (一般准备) at each month end, after the night's classification and provisions.
    if (tomorrow.endsWith('-01')) await postGeneralProvision(trx, date, createdBy);
    // Retention of the loan history, as configured: bounded, and harmless to repeat.
    const retained = await retainLoanHistory(trx, date, MAX_DATES_PRUNED_PER_NIGHT, { record: false });
    historyRowsPruned = retained?.rowsDeleted ?? 0;
    // Moves only from D, recording D as the last closed night (and the history's first date kept
    // whole, in the same statement): a business date moved by someone else during the night fails the close.
    invariant(await advanceBusinessDate(trx, date, tomorrow, retained?.dailyFrom), `the business date moved during end of day ${date}`);
    // One audit record per night: the loans' own changes are the run's journal entries.
    const totals = { loans: tally.loans, interest: tally.interest, penalty: tally.penalty };
    closed = { totals, businessDate: tomorrow };
    await appendAudit(trx, {
      actor: createdBy,
      action: 'eod.run',
      entityType: 'eod_run',
      entityId: run.id,
      before: { businessDate: date },
      after: { businessDate: tomorrow, loans: totals.loans, interest: totals.interest, penalty: totals.penalty, debtorReclassified, historyRowsPruned, verdictBorrowers, rules: rules.version },
    });
  });
  return summarise(db, run, committed, debtorReclassified, false, started, takenOver, monitoring, closed);
}

/** Refreshes the planner's statistics of the loan history (`loan_day`); see the close in `runEod`. */
async function analyzeHistory(db: Kysely<Database>): Promise<void> {
  await sql`analyze loan_day`.execute(db);
}

/**
 * The accrual mode of a run: `accrual`, else `SPROUT_EOD_ACCRUAL`, else 'lazy'.
 *
 * @example
 * accrualMode(undefined); // 'eager' with SPROUT_EOD_ACCRUAL=eager
 */
export function accrualMode(accrual: 'eager' | 'lazy' | undefined): 'eager' | 'lazy' {
  const mode = accrual ?? process.env.SPROUT_EOD_ACCRUAL ?? 'lazy';
  if (mode !== 'eager' && mode !== 'lazy') throw new ValidationError('SPROUT_EOD_ACCRUAL', `must be eager or lazy; got ${mode}`);
  return mode;
}

/**
 * The closing step 'rules': once every chunk is done, the steps that change loans and financings
 * the verdicts and the snapshot then read — the guarantee cover, supply-chain ageing, the
 * debtor-level rule, the promises due — in the step's transaction; returns the loans the debtor
 * rule made substandard.
 */
async function applyClosingRules(trx: Transaction<Database>, runId: string, date: BusinessDate, rules: ClassificationRules, createdBy: string, citus: boolean): Promise<number> {
  // The steps below that start from non-performing loans or open promises are skipped on a
  // night with none: each is a statement planned afresh every night, and a clean book (most
  // nights of a small bank, most of the test suite's) has nothing for them.
  const facts = await closingFacts(trx, runId, date);
  invariant(facts.chunksNotDone === 0, `end of day ${date}: ${facts.chunksNotDone} chunks not done`);
  // The guarantee first: a loan it lifts out of non-performing does not count against its borrower.
  if (facts.nonPerformingLoans) await applyGuaranteeCover(trx, date, rules, createdBy, citus);
  // Supply-chain financing unpaid by its core enterprise ages as loans do (src/supply-chain/maturity.ts),
  // the core enterprise's loans counting in its debtor rule; then the debtor rule over the loans
  // counts the financings too, so a core enterprise's unpaid financing pulls down its loans tonight.
  // With no financing on the books it would lock and read none and write nothing.
  if (facts.financings) await ageSupplyChainFinancing(trx, date, rules, createdBy, citus);
  // The rule's candidates are the borrowers with a non-performing loan or financing (the
  // guarantee only lifts loans out; tonight's ageing may have made any financing non-performing).
  // Its candidates from the chunks' record when every chunk of the run kept one (not on Citus, whose
  // statement would gather the run's chunks on the coordinator): no scan of the night's history for them.
  const chunksOfRun = facts.chunksRecordedNpl && !citus ? runId : undefined;
  const moved = facts.nonPerformingLoans || facts.financings ? (await applyDebtorContagion(trx, date, rules, createdBy, citus, chunksOfRun)).loans : 0;
  // Promises to pay due by D are kept or broken now, after D's repayments and days past due.
  if (facts.openPromises) await settlePromises(trx, date, createdBy);
  return moved;
}

/**
 * How many of the run's chunks are not done (the rules run only after all are), whether every chunk
 * recorded the borrowers of its non-performing loans (migration 0079), and whether the
 * book has a non-performing active loan (the guarantee cover's and the debtor rule's loans, through
 * the partial index of migration 0003), a supply-chain financing not settled (which tonight's ageing
 * may make non-performing) and an open promise made by `date` (what `settlePromises` reads), in one
 * statement.
 */
async function closingFacts(trx: Transaction<Database>, runId: string, date: BusinessDate): Promise<{ chunksNotDone: number; chunksRecordedNpl: boolean; nonPerformingLoans: boolean; financings: boolean; openPromises: boolean }> {
  const { rows } = await sql<{ not_done: bigint; npl_recorded: boolean; npl: boolean; financings: boolean; promises: boolean }>`
    select (select count(*) from eod_chunk where run_id = ${runId} and status <> 'done') as not_done,
      not exists (select 1 from eod_chunk where run_id = ${runId} and npl_borrowers is null) as npl_recorded,
      exists (select 1 from loan where status = 'active' and classification in ('substandard', 'doubtful', 'loss')) as npl,
      exists (select 1 from scf_financing where status <> 'settled') as financings,
      exists (select 1 from promise_to_pay where status = 'open' and made_on <= cast(${date} as date)) as promises`.execute(trx);
  const facts = rows[0];
  return { chunksNotDone: Number(facts?.not_done ?? 0n), chunksRecordedNpl: facts?.npl_recorded === true, nonPerformingLoans: facts?.npl === true, financings: facts?.financings === true, openPromises: facts?.promises === true };
}

/** One chunk in one transaction; false when the claim was lost to another worker. */
async function runChunk(
  db: Kysely<Database>,
  run: EodRun,
  chunk: ClaimedChunk,
  worker: string,
  context: { date: BusinessDate; tomorrow: BusinessDate; payableUntil: BusinessDate; rules: ClassificationRules; createdBy: string; citus: boolean; eager: boolean; nights: AccrualNights },
  beforeCommit: EodOptions['beforeChunkCommit'],
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await holdsClaim(trx, run.id, chunk.chunkNo, worker))) return false;
    // On Citus, the chunk's borrowers as they are now (one shard's): a borrower added since the
    // run opened is in its shard's chunks, a loan of a borrower added after this read is not in
    // tonight's book, as a loan created after its range of ids was processed.
    const borrowers = chunk.borrowers === null ? undefined : await borrowersInHashRange(trx, chunk.borrowers);
    const totals = await processChunk(trx, {
      ...context,
      borrowers,
      shardFrom: chunk.shardFrom,
      shardTo: chunk.shardTo,
      idFrom: chunk.idFrom,
      idTo: chunk.idTo,
      label: chunk.shardTo - chunk.shardFrom < SHARDS ? `chunk ${chunk.chunkNo + 1}/${run.chunk_count} (shards ${chunk.shardFrom}-${chunk.shardTo - 1})` : `chunk ${chunk.chunkNo + 1}/${run.chunk_count}`,
    });
    await markChunkDone(trx, run.id, chunk.chunkNo, totals);
    await beforeCommit?.(chunk.chunkNo, trx);
    return true;
  });
}

async function summarise(
  db: Kysely<Database>,
  run: EodRun,
  processed: number,
  debtorReclassified: number,
  alreadyDone: boolean,
  started: number,
  takenOver = 0,
  monitoring: MonitorSummary | null = null,
  closed?: ClosedNight,
): Promise<EodSummary> {
  const totals = closed?.totals ?? (await runTotals(db, run.id));
  return {
    date: run.business_date,
    runId: run.id,
    loans: totals.loans,
    chunks: run.chunk_count,
    chunksProcessed: processed,
    interest: totals.interest,
    penalty: totals.penalty,
    debtorReclassified,
    alreadyDone,
    takenOver,
    monitoring,
    businessDate: closed?.businessDate ?? (await getBusinessDate(db)),
    seconds: (performance.now() - started) / 1000,
  };
}
