/**
 * A loan's accrued interest as of the last night closed for it, when end of day did not write its
 * row (issue 21, docs/decisions.md "Lazy accrual").
 *
 * End of day skips the write of a 'daily'-basis loan on a night when only its interest accrues
 * (nothing billed, nothing due or overdue, category and provision unchanged): the loan's row keeps
 * `interest_accrued` and `interest_remainder` as of `last_eod_on`, the night it was last written.
 * Nightly accrual with the remainder carried telescopes exactly: n nights at principal P and rate r
 * give, with div = days_in_year × 10^6,
 *
 *   accrued   = accrued₀ + floor((n·P·r + rem₀) ÷ div)
 *   remainder = (n·P·r + rem₀) mod div
 *
 * so the skipped nights are materialised whenever the loan is read or next written. The nights to
 * add are those closed after `last_eod_on`: the night of the business date D when the loan's
 * history row of D exists (its chunk of D has committed), else up to the last night closed
 * (`system_state.last_closed_on`: a business date moved without end of day adds no night). A night
 * may skip rows only when it follows the last closed night (`lazy_night`, src/eod/run-eod.ts), so the
 * nights between a row's `last_eod_on` and the last closed night are all nights end of day ran. Every service that
 * changes a loan's principal, rate or accrual locks it through `loanById(…, { forUpdate: true })`
 * (src/servicing/loans.ts) or `materialiseLoans`, which write the materialised values first, so a
 * loan's P and r are constant over the nights it was skipped.
 *
 * Every such money change passes {@link enterMoneyChange} before it locks a loan: on a lazy night the
 * chunk does not lock the loans it does not write (src/eod/process-chunk.ts), and the gate is what
 * orders a money change and the chunk of its loans, one wholly before the other (docs/decisions.md,
 * "The money-change gate").
 *
 * The formula is here only: `materialisedAccrualSql` for SQL, `materialiseAccrual` for TypeScript.
 * n·P·r can pass int8 (P·r ≤ 10^17), so both split P·r = q·div + s: accrued gains n·q + (n·s + rem₀)
 * ÷ div, with n·s + rem₀ < (n + 1)·div.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import { daysBetween } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { invariant } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';
import { SHARDS } from '../eod/eod-run.js';
import { unnestRows } from '../db/unnest-rows.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The columns the formula reads. */
export interface AccrualState {
  readonly status: string;
  readonly interest_basis: string;
  readonly last_eod_on: BusinessDate | null;
  readonly principal_not_due: Minor;
  readonly rate_units: bigint | number;
  readonly days_in_year: number;
  readonly interest_accrued: Minor;
  readonly interest_remainder: bigint;
}

/**
 * `loan` with the nights after its `last_eod_on` up to `night` accrued, as end of day would have
 * written them night by night; unchanged when there are none (a loan not active, not accruing
 * daily, never through end of day, or already written for `night`).
 *
 * @example
 * materialiseAccrual({ ...loan, last_eod_on: '2025-06-28' }, '2025-06-30'); // two nights added
 */
export function materialiseAccrual<T extends AccrualState>(loan: T, night: BusinessDate): T {
  if (loan.status !== 'active' || loan.interest_basis !== 'daily' || loan.last_eod_on === null || loan.last_eod_on >= night) return loan;
  const nights = BigInt(daysBetween(loan.last_eod_on, night));
  const divisor = BigInt(loan.days_in_year) * 1_000_000n;
  const product = loan.principal_not_due * BigInt(loan.rate_units);
  const q = product / divisor;
  const s = product % divisor;
  const carried = nights * s + loan.interest_remainder;
  return { ...loan, interest_accrued: minor(loan.interest_accrued + nights * q + carried / divisor), interest_remainder: carried % divisor, last_eod_on: night };
}

/**
 * The SQL of `materialiseAccrual` for the loan row `l` (an alias) up to the date `night`: accrued
 * interest, remainder and the night.
 *
 * @example
 * const m = materialisedAccrualSql(sql`loan`, sql`cast(${date} - 1 as date)`); // select ${m.accrued} as interest_accrued …
 */
export function materialisedAccrualSql(l: RawBuilder<unknown>, night: RawBuilder<unknown>): { accrued: RawBuilder<bigint>; remainder: RawBuilder<bigint>; through: RawBuilder<BusinessDate | null> } {
  const lazy = sql`(${l}.status = 'active' and ${l}.interest_basis = 'daily' and ${l}.last_eod_on < ${night})`;
  const nights = sql`cast(${night} - ${l}.last_eod_on as bigint)`;
  const divisor = sql`(cast(${l}.days_in_year as bigint) * 1000000)`;
  const product = sql`(${l}.principal_not_due * ${l}.rate_units)`;
  const carried = sql`(${nights} * (${product} % ${divisor}) + ${l}.interest_remainder)`;
  return {
    accrued: sql<bigint>`case when ${lazy} then ${l}.interest_accrued + ${nights} * (${product} / ${divisor}) + ${carried} / ${divisor} else ${l}.interest_accrued end`,
    remainder: sql<bigint>`case when ${lazy} then ${carried} % ${divisor} else ${l}.interest_remainder end`,
    through: sql<BusinessDate | null>`case when ${lazy} then ${night} else ${l}.last_eod_on end`,
  };
}

/**
 * What decides the night a loan's accrual is read as of (system_state, migration 0076): the last
 * night end of day closed, and the night a lazy run is open for, if any. Read in a statement of its
 * own and passed to the SQL as parameters: `system_state` is the coordinator's own table on Citus,
 * which refuses it beside the distributed `loan` and `loan_day`.
 */
export interface AccrualNights {
  /** The last business date end of day closed; null before the first. */
  readonly lastClosed: BusinessDate | null;
  /** The date a run that may skip rows is open for (never on Citus); null otherwise. */
  readonly lazyNight: BusinessDate | null;
}

/**
 * The nights of {@link AccrualNights}, as they are now.
 *
 * @example
 * const nights = await accrualNights(db); // { lastClosed: '2025-06-29', lazyNight: null }
 */
export async function accrualNights(db: Executor): Promise<AccrualNights> {
  const row = await db.selectFrom('system_state').select(['last_closed_on', 'lazy_night']).where('id', '=', 1).executeTakeFirst();
  invariant(row !== undefined, 'system_state row missing');
  return { lastClosed: row.last_closed_on, lazyNight: row.lazy_night };
}

/**
 * Opens `date` as the lazy night when it follows the last night closed and no other lazy night is
 * open (what end of day asks before its chunks may skip rows), and returns the nights as they were
 * before. Not on Citus, where every night is eager.
 *
 * The opening is the gate's barrier ({@link enterMoneyChange}): it waits for every money change in
 * flight to commit, and every money change after it sees the lazy night, so none that began before
 * it overlaps a chunk of the night. In a transaction of its own: the lock, then the update.
 *
 * @example
 * await inTransaction(db, (trx) => openLazyNight(trx, '2025-06-30', '2025-06-29')); // { nights: { lastClosed: '2025-06-29', lazyNight: null }, opened: true }
 */
export async function openLazyNight(trx: Transaction<Database>, date: BusinessDate, lastNight: BusinessDate): Promise<{ nights: AccrualNights; opened: boolean }> {
  // EXCLUSIVE conflicts with the ROW SHARE lock every money change holds on the table from its gate
  // to its commit, and not with the plain reads of the pages (ACCESS SHARE). A table lock, not the
  // row's: the lock manager queues a money change that asks after it behind it, where row share
  // locks let every new sharer pass a waiting update, which a steady flow of repayments would
  // starve (seen on PostgreSQL 15, s22a).
  await sql`lock table system_state in exclusive mode`.execute(trx);
  // The select reads the row as the statement found it: the update's change is not visible to it.
  const { rows } = await sql<{ last_closed_on: BusinessDate | null; lazy_night: BusinessDate | null; opened: boolean }>`
    with opened as (
      update system_state set lazy_night = cast(${date} as date)
      where id = 1 and last_closed_on = cast(${lastNight} as date) and (lazy_night is null or lazy_night = cast(${date} as date))
      returning 1)
    select last_closed_on, lazy_night, exists (select 1 from opened) as opened from system_state where id = 1`.execute(trx);
  const row = rows[0];
  invariant(row !== undefined, 'system_state row missing');
  return { nights: { lastClosed: row.last_closed_on, lazyNight: row.lazy_night }, opened: row.opened };
}

/**
 * The gate every money change passes before it locks a loan (a repayment, a write-off, a
 * restructuring, a renewal, a guarantee call, a repricing, a collection action: every path through
 * `loanById(…, { forUpdate: true })`, the batched repayments' `lockLoans`, `materialiseLoans`), in
 * its transaction; returns the nights its loans' accrual is read as of (pass them to
 * {@link materialiseLocked} or {@link materialiseLoans}). `loans`: the ids of the loans it will
 * lock, or `'every'` when it locks loans by a condition.
 *
 * On a lazy night the chunk statement does not lock the loans it does not write (about 92 % of
 * them: the lock wrote every page of `loan` every night; docs/benchmarks.md, s21ad), so a money
 * change and the chunk of its loan must be ordered otherwise, one wholly before the other:
 * 1. The nights are read with a ROW SHARE lock on `system_state`, held to the commit: the opening of
 *    a lazy night (`openLazyNight`, EXCLUSIVE) waits for every money change in flight, and every one
 *    that passes after the opening reads the lazy night. So a money change that read no lazy night
 *    commits before any chunk of it starts. The lock is the table's: no row is locked nor written
 *    (a row share lock on the single row would write its header at every money change, and let new
 *    sharers pass a waiting opening indefinitely), and the lock is taken when the statement is
 *    parsed, before its snapshot, so it reads the row as the opening left it.
 * 2. With a lazy night open, the run's chunks whose ranges hold `loans`, `for key share`, in chunk
 *    order, in one statement: a chunk in progress holds its row `for update` (`holdsClaim`), so the
 *    money change waits for its commit, and a chunk that starts later waits at `holdsClaim` for the
 *    money change's commit; a worker's claim (a no-key update) is not held up. A chunk transaction
 *    holds one chunk row and writes only its own range's loans, and a money change takes its chunk
 *    rows before any loan, so no two wait on each other in a circle.
 * Then the caller locks its loans, and the history rows of the lazy night it finds are those of
 * chunks that committed before it. By day (no lazy night) the gate is the nights' read the locked
 * read made anyway, moved before the lock: no statement more. On Citus no night is lazy.
 *
 * @example
 * const nights = await enterMoneyChange(trx, [loanId]);
 */
export async function enterMoneyChange(trx: Transaction<Database>, loans: readonly string[] | 'every'): Promise<AccrualNights> {
  invariant(trx.isTransaction, 'a money change passes the gate in its transaction');
  // `for share` of no row: the statement takes the table's ROW SHARE lock and locks nothing.
  const { rows } = await sql<{ last_closed_on: BusinessDate | null; lazy_night: BusinessDate | null }>`
    select last_closed_on, lazy_night from system_state
    where id = 1 and not exists (select 1 from system_state gate where false for share of gate)`.execute(trx);
  const row = rows[0];
  invariant(row !== undefined, 'system_state row missing');
  const nights: AccrualNights = { lastClosed: row.last_closed_on, lazyNight: row.lazy_night };
  if (nights.lazyNight === null || (loans !== 'every' && loans.length === 0)) return nights;
  // A chunk cut by id (migration 0066) holds a loan when the id is in its range; a chunk of a run
  // opened before then (shards) or on Citus (borrowers) is taken whatever the loans: never lazy now.
  const holds = loans === 'every' ? sql`true` : sql`(c.shard_from > 0 or c.shard_to < ${SHARDS} or c.borrower_hash_min is not null
      or exists (select 1 from ${unnestRows({ id: 'uuid' }, loans.map((id) => ({ id })))}
        where (c.id_from is null or c.id_from <= v.id) and (c.id_to is null or v.id < c.id_to)))`;
  await sql`
    select c.chunk_no from eod_chunk c join eod_run r on r.id = c.run_id
    where r.business_date = cast(${nights.lazyNight} as date) and r.status = 'running' and ${holds}
    order by c.chunk_no
    for key share of c`.execute(trx);
  return nights;
}

/** Whether the loan row `l` has its history row of `night`: its chunk of that night has committed. */
function historyRowOf(l: RawBuilder<unknown>, night: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from loan_day ld where ld.business_date = ${night} and ld.loan_id = ${l}.id and ld.enterprise_id = ${l}.enterprise_id)`;
}

/**
 * The last night closed for the loan row `l`: the lazy run's night when the loan's history row of it
 * exists (its chunk has committed), else the last night end of day closed. Without a lazy run open
 * (always in eager mode and on Citus) a parameter, no subquery.
 *
 * @example
 * db.selectFrom('loan').selectAll().select(accrualNightSql(sql`loan`, await accrualNights(db)).as('accrual_night'));
 */
export function accrualNightSql(l: RawBuilder<unknown>, nights: AccrualNights): RawBuilder<BusinessDate | null> {
  const closed = sql<BusinessDate | null>`cast(${nights.lastClosed} as date)`;
  if (nights.lazyNight === null) return closed;
  const open = sql`cast(${nights.lazyNight} as date)`;
  return sql<BusinessDate | null>`(case when ${historyRowOf(l, open)} then ${open} else ${closed} end)`;
}

/**
 * {@link accrualNightSql} with the nights read in the same statement from `system_state`, not
 * passed in: one statement where {@link accrualNights} and the read were two, and one snapshot for
 * both. For the pages that read loans (a borrower's loans, a loan): each statement is a turn of the
 * server's event loop to wait for under load (docs/benchmarks.md, s21y). Not on Citus, where
 * `system_state` is the coordinator's own table and cannot sit beside `loan` and `loan_day`.
 *
 * @example
 * db.selectFrom('loan').selectAll().select(accrualNightInStatementSql(sql`loan`).as('accrual_night'));
 */
export function accrualNightInStatementSql(l: RawBuilder<unknown>): RawBuilder<BusinessDate | null> {
  return sql<BusinessDate | null>`(select case when s.lazy_night is not null and ${historyRowOf(l, sql`s.lazy_night`)}
      then s.lazy_night else s.last_closed_on end from system_state s where s.id = 1)`;
}

/**
 * The loan row `l`'s accrued interest as of its last closed night: what to read wherever
 * `interest_accrued` is shown or summed.
 *
 * @example
 * sql`sum(${accruedInterestSql(sql`l`, await accrualNights(db))} + l.interest_due)`;
 */
export function accruedInterestSql(l: RawBuilder<unknown>, nights: AccrualNights): RawBuilder<bigint> {
  return materialisedAccrualSql(l, accrualNightSql(l, nights)).accrued;
}

/**
 * Locked loan rows with their skipped nights accrued and written back, so a service can change
 * their principal, rate or accrual: what `loanById(…, { forUpdate: true })` and the batched
 * repayments' `lockLoans` return. `nights` are those {@link enterMoneyChange} returned before the
 * rows were locked: a chunk of tonight that committed before the gate let the caller on is counted
 * (its history row is read here, after), and one that has not waits for the caller's commit.
 *
 * @example
 * const nights = await enterMoneyChange(trx, [loanId]);
 * const [loan] = await materialiseLocked(trx, [lockedRow], nights);
 */
export async function materialiseLocked<T extends AccrualState & { readonly id: string; readonly enterprise_id: string }>(db: Executor, rows: readonly T[], nights: AccrualNights): Promise<T[]> {
  const candidates = rows.filter((row) => row.status === 'active' && row.interest_basis === 'daily' && row.last_eod_on !== null);
  if (candidates.length === 0) return [...rows];
  const tonight = new Set<string>();
  const lazyNight = nights.lazyNight;
  if (lazyNight !== null) {
    const ids = candidates.filter((row) => row.last_eod_on! < lazyNight).map((row) => row.id);
    if (ids.length > 0) {
      const found = await db.selectFrom('loan_day').select('loan_id').where('business_date', '=', lazyNight).where('loan_id', 'in', ids)
        .where('enterprise_id', 'in', [...new Set(candidates.map((row) => row.enterprise_id))]).execute();
      for (const { loan_id } of found) tonight.add(loan_id);
    }
  }
  const loans = rows.map((row) => {
    const night = tonight.has(row.id) ? lazyNight : nights.lastClosed;
    return night === null ? row : materialiseAccrual(row, night);
  });
  for (const [at, loan] of loans.entries()) {
    if (loan.last_eod_on === rows[at]!.last_eod_on) continue;
    // Bounded by the rows the caller locked (one loan, or one batch of repayments).
    await db.updateTable('loan').set({ interest_accrued: loan.interest_accrued, interest_remainder: loan.interest_remainder, last_eod_on: loan.last_eod_on })
      .where('id', '=', loan.id).where('enterprise_id', '=', loan.enterprise_id).execute();
  }
  return loans;
}

/**
 * Writes the skipped nights of the loans matching `where` (a condition on `loan`) into their rows,
 * so a service can change their principal, rate or accrual: returns how many were written. Locks
 * those rows for the rest of the transaction. `nights`: what {@link enterMoneyChange} returned
 * for every loan (`'every'`), before this.
 *
 * @example
 * const nights = await enterMoneyChange(trx, 'every');
 * await materialiseLoans(trx, sql`loan.rate_basis = 'floating' and loan.next_repricing_on <= ${date}`, nights);
 */
export async function materialiseLoans(db: Executor, where: RawBuilder<unknown>, nights: AccrualNights): Promise<number> {
  const night = accrualNightSql(sql`loan`, nights);
  const m = materialisedAccrualSql(sql`loan`, night);
  const result = await sql`
    update loan set interest_accrued = ${m.accrued}, interest_remainder = ${m.remainder}, last_eod_on = ${m.through}
    where ${where} and loan.status = 'active' and loan.interest_basis = 'daily' and loan.last_eod_on < ${night}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
