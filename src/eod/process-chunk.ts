/**
 * One chunk of end of day: every active loan in a range of shards not yet processed for the
 * date, in one set-based UPDATE, plus the chunk's journal entries, in the caller's transaction.
 *
 * Per loan, for the night of business date D (tomorrow = D + 1):
 * 1. accrue: interest = (principal_not_due × rate_units + interest_remainder) ÷ (days_in_year ×
 *    10^6), integer division, the remainder carried to the next night so no fen is lost; penalty
 *    (罚息) = (principal_due × penalty_rate_units + interest_due × compound_rate_units (复利) +
 *    penalty_remainder) ÷ the same, with its own remainder. Everything billed is for a date ≤ D,
 *    so all of principal_due and interest_due is overdue tonight — unless it fell due on a rest day
 *    and the next working day has not closed yet (overdue_since > D): then no penalty.
 *    A loan billed its schedule's interest (`interest_basis` 'scheduled': flat interest, interest
 *    grace; migration 0057) accrues instead (next_interest − interest_accrued) ÷ (next_interest_on
 *    − D) nights, integer division, so on the night before next_interest_on it reaches the booked
 *    installment's interest to the fen.
 * 2. bill what falls due tomorrow: the installment's principal (all of it at maturity) moves to
 *    principal_due and all accrued interest, tonight's included, to interest_due (a 'scheduled'
 *    loan's only on next_interest_on or at maturity: an interest grace installment carries it);
 *    overdue_since = coalesce(overdue_since, payableUntil), where payableUntil is tomorrow rolled
 *    to a working day: a payment due on a Saturday or a holiday may be made on the next working day
 *    without being overdue (src/calendar/working-days.ts).
 * 3. dpd = tomorrow − overdue_since when overdue_since ≤ D, else 0.
 * 4. classification by `nextClassification`, and at least special mention while a restructured
 *    loan's observation period (`restructured_until`) runs; 5. provision = principal × the category's rate.
 * 6. the loan's row of history (`loan_day`): its balances, days past due, category and provision at
 *    the close of D, with its borrower, line, contract principal and rate so reports need no join,
 *    inserted by the same statement (docs/decisions.md, "loan history").
 * 7. the loan's row is written only when something but its interest changes: a 'daily'-basis loan
 *    not billed tonight, with nothing due or overdue and its category and provision unchanged, keeps
 *    its row as of the night it was last written (`last_eod_on`), and the chunk reads its accrual
 *    materialised to D − 1 (src/servicing/lazy-accrual.ts). Its history row and tonight's interest in
 *    the journal are written as for every loan (docs/decisions.md, "Lazy accrual").
 *
 * Bounds (int8 is 9.22 × 10^18): principal ≤ 10^11 fen and rates ≤ 100% (10^6 units) give
 * principal × rate ≤ 10^17, and the penalty numerator (two such products plus a remainder below
 * 3.65 × 10^8) stays below 3 × 10^17; provision numerators are ≤ 10^15. An overflow would raise
 * "bigint out of range" and roll the chunk back, never wrap.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import type { Classification } from '../classification/classification.js';
import { classifyByDaysPastDue } from '../classification/classify.js';
import type { ClassificationRules } from '../classification/classification-rules.js';
import type { Database } from '../db/schema.js';
import { invariant } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';
import { BANK_ENTERPRISE_ID, postEntries } from '../ledger/post-entry.js';
import { borrowerArraySql, forUpdateUnlessCitus, lockLoansOnCitus } from '../db/distribution.js';
import type { AccountPurpose } from '../ledger/chart-of-accounts.js';
import { categoryOfRankSql, provisionSql, rankByDaysPastDueSql, rankOfSql } from './classification-sql.js';
import { SHARDS } from './eod-run.js';
import { accrualNightSql, materialisedAccrualSql, type AccrualNights } from '../servicing/lazy-accrual.js';
import { accrualLines, provisionLines, reclassificationLines, type CategoryMove } from './eod-postings.js';
import { transactionSettingsSql } from '../db/transaction-settings.js';

/** A chunk's work: the loans with shards `shardFrom <= shard < shardTo` and ids `idFrom <= id < idTo` (null: unbounded), for `date`. */
export interface ChunkWork {
  readonly date: BusinessDate;
  /** date + 1 day, 'YYYY-MM-DD'. */
  readonly tomorrow: BusinessDate;
  /**
   * The last day on which what falls due tomorrow may be paid without being overdue: tomorrow, or
   * the next working day when tomorrow is a weekend day or a holiday. Default: tomorrow.
   */
  readonly payableUntil?: BusinessDate;
  readonly shardFrom: number;
  readonly shardTo: number;
  readonly idFrom?: string | null | undefined;
  readonly idTo?: string | null | undefined;
  readonly rules: ClassificationRules;
  /** Shown on the journal entries. */
  readonly label: string;
  readonly createdBy: string;
  /** On Citus: the chunk's loans are locked by a statement of their own (src/db/distribution.ts). */
  readonly citus?: boolean;
  /**
   * On Citus: the chunk's borrowers, of one shard (src/eod/eod-run.ts). Every statement of the chunk
   * names them, so Citus routes it to that shard alone; absent: every borrower.
   */
  readonly borrowers?: readonly string[] | undefined;
  /**
   * Write every loan's row, as before lazy accrual (src/servicing/lazy-accrual.ts): for the tests
   * that prove the lazy night gives the same loans, history and journal. Always so on Citus.
   */
  readonly eager?: boolean | undefined;
  /**
   * The nights a row end of day did not write is read as of (src/servicing/lazy-accrual.ts, read
   * before the run's chunks): up to the last night closed, or to an earlier run's night left open
   * when the loan's history row of it exists. Absent: rows are read as they are, and all written.
   */
  readonly nights?: AccrualNights | undefined;
}

/** What a chunk did, in fen. */
export interface ChunkTotals {
  readonly loans: number;
  readonly billed: number;
  readonly interest: Minor;
  readonly penalty: Minor;
  readonly moves: readonly CategoryMove[];
  readonly provisionDelta: Minor;
}

/**
 * What a chunk did, and the borrowers of the loans it closed substandard, doubtful or loss (once per
 * such loan), which its mark keeps for the debtor-level rule (src/eod/debtor-contagion.ts).
 */
export interface ChunkOutcome extends ChunkTotals {
  readonly nonPerformingBorrowers: readonly string[];
}

interface GroupRow {
  old_class: Classification;
  new_class: Classification;
  loans: bigint;
  billed: bigint;
  principal: Minor;
  interest: Minor;
  penalty: Minor;
  provision_delta: Minor;
  /** The group's billed loans' ids, comma-separated (null when none was billed). */
  billed_ids: string | null;
  /** The borrowers of the group's loans closed non-performing, comma-separated (null when none). */
  npl_borrowers: string | null;
  /** On Citus (`borrowers` given): the group's loans' ids, comma-separated, for recordHistory. */
  ids?: string | null;
  /** On Citus: the borrowers of the group's billed loans, comma-separated (null when none was billed). */
  billed_borrowers?: string | null;
}

/**
 * Processes the chunk and posts its entries; returns its totals.
 *
 * @example
 * const totals = await processChunk(trx, { date: '2025-06-30', tomorrow: '2025-07-01', shardFrom: 0, shardTo: 4, rules, label: 'chunk 0', createdBy: 'eod' });
 */
export async function processChunk(trx: Transaction<Database>, work: ChunkWork): Promise<ChunkOutcome> {
  const { date, tomorrow, rules } = work;
  const d = sql`cast(${date} as date)`;
  const t = sql`cast(${tomorrow} as date)`;
  const payableUntil = sql`cast(${work.payableUntil ?? tomorrow} as date)`;
  const dpd = sql`s.dpd`;
  const byRules = sql`(case when ${rankOfSql(sql`s.classification`)} >= 2 and ${rankOfSql(sql`s.classification`)} > ${rankByDaysPastDueSql(dpd, rules)}
    then ${rankOfSql(sql`s.classification`)} else ${rankByDaysPastDueSql(dpd, rules)} end)`;
  // A restructured loan is at least special mention (rank 1) until its observation period ends;
  // so is a loan an early warning holds (src/monitoring/, `watch_since`) until the hold is undone.
  const ruled = sql`greatest(${byRules}, case when s.restructured_until > ${d} or s.watch_since is not null then 1 else 0 end)`;
  // A normal loan with nothing overdue, not restructured nor held, stays normal (rank 0) — most of a
  // chunk's loans: a short path, so the rules' nested CASEs above are evaluated for the others only
  // (CASE evaluates its branches lazily). The same rank: rank of 'normal' 0, the overdue rules' rank
  // of dpd 0 is 0 (checked here), and neither a restructuring nor a hold; else the rules in full.
  const newRank = classifyByDaysPastDue(0, rules) !== 'normal' ? ruled
    : sql`(case when s.dpd = 0 and s.classification = 'normal' and (s.restructured_until is null or s.restructured_until <= ${d}) and s.watch_since is null
        then 0 else ${ruled} end)`;
  const range = chunkRangeSql(work);
  const citus = work.citus === true;
  // On Citus with the chunk's borrowers named, every statement is routed to their shard; Citus
  // plans an INSERT … SELECT inside a CTE through the coordinator (intermediate results), so the
  // history row is written by a statement of its own there.
  const routed = work.borrowers !== undefined;
  // Off Citus the chunk's update also moves its billed loans to their next installment
  // (nextDueSql): no statement of its own that finds them again (advanceNextDue). On Citus the
  // statement keeps no correlated subqueries in its update; advanceNextDue runs after it.
  const folded = !citus && !routed;
  const chunkLoans = sql`${range(sql`loan`)} and loan.status = 'active' and (loan.last_eod_on is null or loan.last_eod_on < ${d})`;
  await lockLoansOnCitus(trx, citus, chunkLoans);
  // A loan end of day need not write tonight (src/servicing/lazy-accrual.ts): its row keeps its
  // accrual as of the night it was last written, so the chunk reads it materialised to the last night
  // closed. runEod asks for every row written (`eager`) unless that night is D − 1.
  const lazy = work.eager !== true && !routed && work.nights !== undefined && work.nights.lastClosed === addDays(date, -1);
  // No JIT, more work_mem and no wait for the WAL flush, for the rest of the chunk's transaction.
  await chunkSettings(folded).execute(trx);
  // Tonight's own open night needs no look at the history: a loan the chunk picks has no row of D yet.
  const nights = work.nights === undefined ? { lastClosed: null, lazyNight: null } : work.nights.lazyNight === date ? { ...work.nights, lazyNight: null } : work.nights;
  const m = materialisedAccrualSql(sql`loan`, accrualNightSql(sql`loan`, nights));
  // The night's steps, each a subquery of the next: pick the chunk's loans, accrue, bill, date what
  // is overdue. PostgreSQL pulls them up into one scan of the chunk's loans, which `s` below locks
  // on an eager night (`for update of x`: the same rows as before, in the same statement) and
  // materializes once, with what the steps computed. Before, a CTE `picked … for update` was
  // materialized as any locking CTE is, and `s` then materialized the rows a second time: 8 ms more
  // of a 128 ms chunk (s21z).
  // On a lazy night no loan is locked by `s`: a money change waits for the chunk, or the chunk for it,
  // at the chunk's row (`holdsClaim`), which every money change shares first (`enterMoneyChange`,
  // src/servicing/lazy-accrual.ts), and the loans the chunk writes are locked by its update. A row
  // lock writes the row's header: on every page of `loan` every night, most of them for loans the
  // chunk does not write (docs/benchmarks.md, s21ad, s22a). The other writers of `loan` that do not
  // pass the gate set columns the chunk does not write (monitoring's `watch_since`), create loans
  // (drawdowns), or run after the chunks (the close): docs/decisions.md, "The money-change gate".
  const picked = sql`
      select id, enterprise_id, line_id, principal as contract_principal, classification, provision, principal_not_due, principal_due,
             ${m.accrued} as interest_accrued, interest_due, penalty_due, ${m.remainder} as interest_remainder, penalty_remainder,
             rate_units, penalty_rate_units, compound_rate_units, dpd as old_dpd, last_eod_on,
             days_in_year, next_due_on, next_due_principal, maturity_on, overdue_since, restructured_until, watch_since,
             interest_basis, next_interest_on, next_interest
      from loan
      where ${chunkLoans}`;
  const accrual = sql`
      select p.*,
             cast(p.days_in_year as bigint) * 1000000 as divisor,
             p.principal_not_due * p.rate_units + p.interest_remainder as interest_numerator,
             -- Nothing is overdue yet while a rest-day due date waits for its working day.
             case when p.overdue_since > ${d} then p.penalty_remainder
                  else p.principal_due * p.penalty_rate_units + p.interest_due * p.compound_rate_units + p.penalty_remainder end as penalty_numerator,
             coalesce(p.next_due_on = ${t} or p.maturity_on = ${t}, false) as billed
      from (${picked}) p`;
  const billing = sql`
      select a.*,
             -- A 'scheduled' loan: the rest of the next interest-bearing installment's interest,
             -- spread over the nights left to its due date, so the last night brings it to the fen.
             case when a.interest_basis = 'daily' then a.interest_numerator / a.divisor
                  when a.next_interest_on > ${d} and a.next_interest > a.interest_accrued
                    then (a.next_interest - a.interest_accrued) / cast(a.next_interest_on - ${d} as bigint)
                  else cast(0 as bigint) end as interest,
             case when a.interest_basis = 'daily' then a.interest_numerator % a.divisor else a.interest_remainder end as new_interest_remainder,
             a.penalty_numerator / a.divisor as penalty,
             a.penalty_numerator % a.divisor as new_penalty_remainder,
             case when not a.billed then cast(0 as bigint)
                  when a.maturity_on <= ${t} then a.principal_not_due
                  else least(a.next_due_principal, a.principal_not_due) end as billed_principal
      from (${accrual}) a`;
  // All accrued interest, tonight's included; a 'scheduled' loan's only on its interest date
  // (an interest grace installment bills none: its interest is carried) or at maturity.
  const billingInterest = sql`
      select b.*,
             case when not b.billed then cast(0 as bigint)
                  when b.interest_basis = 'daily' or b.next_interest_on = ${t} or b.maturity_on <= ${t} then b.interest_accrued + b.interest
                  else cast(0 as bigint) end as billed_interest
      from (${billing}) b`;
  const dated = sql`
      select b.*,
             case when b.billed and b.billed_principal + b.billed_interest > 0 then coalesce(b.overdue_since, ${payableUntil})
                  else b.overdue_since end as new_overdue_since
      from (${billingInterest}) b`;
  const result = await sql<GroupRow>`
    with s as materialized (
      -- Materialized: the steps above nest their expressions into one another (the rank below names
      -- dpd eight times, each dpd the overdue date, each that the billing, …): planning the inlined
      -- statement took 9 ms on PGlite for a three-loan chunk against 1.4 ms with the steps computed
      -- once per loan here (docs/benchmarks.md, s12g). Only the columns the steps below read: x.*
      -- carried the intermediate numerators and the schedule's columns through too, 10 ms of a 135 ms chunk (s21z).
      select x.id, x.enterprise_id, x.line_id, x.contract_principal, x.rate_units, x.classification, x.provision, x.last_eod_on, x.interest_basis,
             x.principal_not_due, x.principal_due, x.interest_accrued, x.interest_due, x.penalty_due, x.penalty_remainder, x.old_dpd,
             x.overdue_since, x.restructured_until, x.watch_since, x.billed, x.interest, x.penalty, x.new_interest_remainder, x.new_penalty_remainder,
             x.billed_principal, x.billed_interest, x.new_overdue_since,
             case when x.new_overdue_since <= ${d} then ${t} - x.new_overdue_since else 0 end as dpd
      from (${dated}) x
      ${lazy ? sql`` : forUpdateUnlessCitus(citus, 'x')}
    ),
    classified as (
      select s.*, ${categoryOfRankSql(newRank)} as new_class, ${provisionSql(sql`s.principal_not_due + s.principal_due`, newRank, rules)} as new_provision
      from s
    ),
    planned as (
      select c.id, c.enterprise_id, c.line_id, c.contract_principal, c.rate_units, c.classification as old_class, c.provision as old_provision, c.billed,
             c.interest, c.penalty, c.new_overdue_since, c.dpd, c.new_class, c.new_provision, c.new_interest_remainder, c.new_penalty_remainder,
             c.principal_not_due + c.principal_due as principal,
             c.principal_not_due - c.billed_principal as new_principal_not_due,
             c.principal_due + c.billed_principal as new_principal_due,
             c.interest_accrued + c.interest - c.billed_interest as new_interest_accrued,
             c.interest_due + c.billed_interest as new_interest_due,
             c.penalty_due + c.penalty as new_penalty_due,
             -- Only the interest accrues tonight: the row keeps last night's accrual (lazy-accrual.ts).
             ${lazy ? sql`not (c.interest_basis = 'daily' and c.last_eod_on is not null and not c.billed and c.principal_due = 0 and c.interest_due = 0
               and c.overdue_since is null and c.new_overdue_since is null and c.old_dpd = 0 and c.dpd = 0 and c.penalty = 0
               and c.new_penalty_remainder = c.penalty_remainder and c.new_class = c.classification and c.new_provision = c.provision)` : sql`true`} as written
      from classified c
    ),
    changed as (
      update loan set
        principal_not_due = p.new_principal_not_due,
        principal_due = p.new_principal_due,
        interest_accrued = p.new_interest_accrued,
        interest_due = p.new_interest_due,
        interest_remainder = p.new_interest_remainder,
        penalty_due = p.new_penalty_due,
        penalty_remainder = p.new_penalty_remainder,
        overdue_since = p.new_overdue_since,
        dpd = p.dpd,
        classification = p.new_class,
        provision = p.new_provision,
        last_eod_on = ${d}${folded ? sql`,
        -- A billed loan's next installment to bill, in the same update (advanceNextDue's columns).
        ${sql.join(NEXT_DUE_COLUMNS.map((column) => sql`${sql.ref(column)} = case when p.billed then ${nextDueSql(column, t, sql``)} else ${sql.ref(`loan.${column}`)} end`), sql`,
        `)}` : sql``}
      from planned p
      -- Off Citus (no merge or hash join, chunkSettings) each written loan is found by its key, with
      -- the written rows outside: the chunk's range here too let the planner, when it estimated the
      -- range at one loan (neighbouring UUIDv7 ids, made within a millisecond, that its histogram
      -- cannot tell apart), put the range's loans outside and read every written row again for each
      -- of them: 4.9 million rows compared, 6.4 s for a chunk of 7,812 loans (docs/benchmarks.md,
      -- session 27). On Citus the range stays, so the planner joins the chunk's rows, not every loan.
      where p.written and loan.id = p.id and loan.enterprise_id = p.enterprise_id${folded ? sql`` : sql` and ${range(sql`loan`)}`}
      returning loan.id
    )
    -- The loan's history (migration 0018): its balances at the close of D, in the same statement,
    -- for every loan, written tonight or not (on Citus, a statement of its own: recordHistory).
    ${routed ? sql`` : sql`, history as (
      insert into loan_day ${LOAN_DAY_COLUMNS}
      select ${d}, p.id, p.new_principal_not_due, p.new_principal_due, p.new_interest_accrued, p.new_interest_due, p.new_penalty_due, p.dpd, p.new_class, p.new_provision,
             p.enterprise_id, p.line_id, p.contract_principal, p.rate_units
      from planned p
    )`}
    select old_class, new_class,
           count(*) as loans,
           cast(sum(case when billed then 1 else 0 end) as bigint) as billed,
           cast(sum(principal) as bigint) as principal,
           cast(sum(interest) as bigint) as interest,
           cast(sum(penalty) as bigint) as penalty,
           cast(sum(new_provision - old_provision) as bigint) as provision_delta,
           string_agg(case when billed then cast(id as text) end, ',') as billed_ids,
           -- The debtor-level rule's candidates, as the history rows above classify them. Not made
           -- distinct: a borrower's loans are spread over the chunks (random ids), so a chunk of a
           -- million-loan night has 1,540 borrowers for its 1,570 such loans (s23c).
           string_agg(case when new_class in ('substandard', 'doubtful', 'loss') then cast(enterprise_id as text) end, ',') as npl_borrowers
           ${routed ? sql`, string_agg(cast(id as text), ',') as ids, string_agg(case when billed then cast(enterprise_id as text) end, ',') as billed_borrowers` : sql``}
    from planned
    group by old_class, new_class`.execute(trx);

  const totals = sumGroups(result.rows);
  if (routed) await recordHistory(trx, work, result.rows.flatMap((row) => (row.ids === null || row.ids === undefined ? [] : [row.ids])).join(','));
  const billedIds = result.rows.flatMap((row) => (row.billed_ids === null ? [] : [row.billed_ids]));
  // On Citus the statement names the billed loans' borrowers only: a few, where the chunk's are thousands.
  const billedBorrowers = routed ? [...new Set(result.rows.flatMap((row) => (row.billed_borrowers ?? '').split(',')).filter((id) => id !== ''))] : undefined;
  if (!folded && billedIds.length > 0) await advanceNextDue(trx, work, billedIds.join(','), billedBorrowers);
  await postTotals(trx, work.date, `end of day ${date}, ${work.label}`, work.createdBy, totals, {}, citus);
  const nonPerformingBorrowers = result.rows.flatMap((row) => (row.npl_borrowers === null ? [] : row.npl_borrowers.split(',')));
  return { ...totals, nonPerformingBorrowers };
}

/**
 * The chunk's transaction's settings, in one statement, each transaction-local (set_config(…, true)):
 * back to the session's own when the chunk commits or rolls back.
 * - No JIT for the chunk statement: the planner's cost of its CTEs passes jit_above_cost, and
 *   compiling took 1.6 s of a 2.0 s statement on a 12,500-loan chunk, where it runs in 0.4 s
 *   without (docs/benchmarks.md, s21h).
 * - work_mem 64MB: the chunk's materialized steps and its group by hold a chunk's rows in memory;
 *   at the default 4 MB a 15,625-loan chunk wrote 1,313 blocks of temporary files (s21v).
 * - No wait for the WAL flush at commit (synchronous_commit off): a crash loses whole transactions,
 *   the latest first, never part of one, and a chunk's loans, history rows, entries and `done` mark
 *   commit together: a lost chunk is not done, nor is any of its loans, and the night's rerun
 *   processes it again, once. The transaction that closes the run commits synchronously, and its
 *   flush makes every chunk and closing step committed before it durable (docs/decisions.md, "The
 *   night's chunks commit asynchronously", "The close's steps commit asynchronously").
 *   Only where the server flushes (fsync on): PGlite does not (fsync off), so there is no flush to
 *   skip, and its WAL has no writer process: an asynchronous commit stays in the WAL buffers, and a
 *   killed `sprout eod` lost the chunks it had done (the rerun then waited out the dead worker's
 *   claims: eod-cli's killed run took 307 s instead of 4).
 * - Off Citus (`byKey`), no merge or hash join: the chunk statement's update joins its written loans
 *   (about 8 % of a chunk) to their rows, and planned for the half of the chunk it estimates, it
 *   read every row of the chunk's range through the key and sorted the written ones to merge them;
 *   a nested loop finds each by its key: 5–7 ms less of a 120 ms chunk (docs/benchmarks.md, s21z).
 *   No other statement of the chunk joins there (its journal entries are inserts of values).
 * A setting the engine lacks is left alone (current_setting(…, true) is null).
 */
function chunkSettings(byKey: boolean): RawBuilder<unknown> {
  return transactionSettingsSql({ jit: 'off', work_mem: '64MB', ...(byKey ? { enable_mergejoin: 'off', enable_hashjoin: 'off' } : {}) }, { asynchronousCommit: true });
}

/** The columns of a loan's history row (migration 0018), in the order both of its inserts select them. */
const LOAN_DAY_COLUMNS = sql`(business_date, loan_id, principal_not_due, principal_due, interest_accrued, interest_due, penalty_due, dpd, classification, provision,
  enterprise_id, line_id, principal, rate_units)`;

/**
 * The chunk's range as a condition on `table`: its ids (the primary key), on Citus its borrowers
 * (of one shard) and, for a run opened before migration 0066, its shards; a bound that excludes
 * nothing is left out, so the planner never reads the shard index for all shards.
 */
function chunkRangeSql(work: ChunkWork): (table: RawBuilder<unknown>) => RawBuilder<unknown> {
  return (table) => {
    const conditions: RawBuilder<unknown>[] = [];
    if (work.borrowers !== undefined) conditions.push(sql`${table}.enterprise_id = any(${borrowerArraySql(work.borrowers)})`);
    if (work.shardFrom > 0) conditions.push(sql`${table}.shard >= ${work.shardFrom}`);
    if (work.shardTo < SHARDS) conditions.push(sql`${table}.shard < ${work.shardTo}`);
    if (work.idFrom !== undefined && work.idFrom !== null) conditions.push(sql`${table}.id >= cast(${work.idFrom} as uuid)`);
    if (work.idTo !== undefined && work.idTo !== null) conditions.push(sql`${table}.id < cast(${work.idTo} as uuid)`);
    return conditions.length === 0 ? sql`true` : sql`(${sql.join(conditions, sql` and `)})`;
  };
}

/**
 * On Citus: the billed loans' next installment to bill, the first falling after tomorrow, or none
 * (nextDueSql). The loans are the ones the chunk statement billed, found by key: the chunk's other
 * loans (about 98% on a night) are not read again (docs/benchmarks.md, "End of day near the floor",
 * s21c). Elsewhere the chunk statement's update sets them itself.
 */
async function advanceNextDue(trx: Transaction<Database>, work: ChunkWork, billedIds: string, billedBorrowers: readonly string[] | undefined): Promise<void> {
  const t = sql`cast(${work.tomorrow} as date)`;
  // On Citus each table of the statement names the billed loans' borrowers: Citus prunes a table by
  // its own conditions only, and routes the statement to one shard when every table is pruned to it.
  const i = billedBorrowers === undefined ? sql`` : sql`and i.enterprise_id = any(${borrowerArraySql(billedBorrowers)})`;
  await sql`
    update loan set ${sql.join(NEXT_DUE_COLUMNS.map((column) => sql`${sql.ref(column)} = ${nextDueSql(column, t, i)}`), sql`, `)}
    where id in (select cast(x as uuid) from unnest(string_to_array(${billedIds}, ',')) as u(x)) and status = 'active'
      ${billedBorrowers === undefined ? sql`` : sql`and enterprise_id = any(${borrowerArraySql(billedBorrowers)})`}
      and last_eod_on = cast(${work.date} as date) and (next_due_on = ${t} or maturity_on = ${t})`.execute(trx);
}

/** The columns of a billed loan's next installment, set by {@link nextDueSql}. */
const NEXT_DUE_COLUMNS = ['next_due_on', 'next_due_principal', 'next_interest_on', 'next_interest'] as const;

/**
 * A billed loan's `column` after tomorrow's installment: the first installment falling after
 * tomorrow `t` (none: null, and 0 fen), and for a 'scheduled' loan whose interest date has come the
 * first bearing interest. Read as the loan's row was before the statement's update (`loan.…`);
 * `i` the installments' condition on Citus (their borrowers), else empty.
 */
function nextDueSql(column: (typeof NEXT_DUE_COLUMNS)[number], t: RawBuilder<unknown>, i: RawBuilder<unknown>): RawBuilder<unknown> {
  // Each a few rows read through the installment key (loan_id, number); no min(), which the planner
  // may answer by walking the due-date index (migration 0064) from tomorrow on.
  const first = (value: 'due_on' | 'principal' | 'interest', interestBearing: boolean) => sql`(select ${sql.ref(`i.${value}`)} from loan_installment i
      where i.loan_id = loan.id and i.enterprise_id = loan.enterprise_id ${i} and i.due_on > ${t}${interestBearing ? sql` and i.interest > 0` : sql``}
      order by i.due_on, i.number limit 1)`;
  switch (column) {
    case 'next_due_on': return first('due_on', false);
    case 'next_due_principal': return sql`coalesce(${first('principal', false)}, 0)`;
    case 'next_interest_on': return sql`case when loan.interest_basis = 'daily' or loan.next_interest_on > ${t} then loan.next_interest_on else ${first('due_on', true)} end`;
    case 'next_interest': return sql`case when loan.interest_basis = 'daily' or loan.next_interest_on > ${t} then loan.next_interest else coalesce(${first('interest', true)}, 0) end`;
  }
}

/**
 * On Citus: the history rows (migration 0018) of the loans the chunk statement changed, `ids`,
 * from their rows as it left them, in the chunk's transaction. Loan and history named by the
 * chunk's borrowers, so Citus pushes the INSERT … SELECT down to their shard whole.
 */
async function recordHistory(trx: Transaction<Database>, work: ChunkWork, ids: string): Promise<void> {
  invariant(work.borrowers !== undefined, 'recordHistory names the chunk\'s borrowers');
  if (ids === '') return;
  const inserted = await sql`
    insert into loan_day ${LOAN_DAY_COLUMNS}
    select cast(${work.date} as date), id, principal_not_due, principal_due, interest_accrued, interest_due, penalty_due, dpd, classification, provision,
           enterprise_id, line_id, principal, rate_units
    from loan
    -- The ids as a set to join, not a list the planner would estimate one by one (thousands).
    where id in (select cast(x as uuid) from unnest(string_to_array(${ids}, ',')) as u(x)) and enterprise_id = any(${borrowerArraySql(work.borrowers)})`.execute(trx);
  const expected = ids.split(',').length;
  invariant(inserted.numAffectedRows === BigInt(expected), `history of ${work.label}: ${inserted.numAffectedRows} rows for ${expected} loans`);
}

function sumGroups(rows: readonly GroupRow[]): ChunkTotals {
  let loans = 0;
  let billed = 0;
  let interest = minor(0n);
  let penalty = minor(0n);
  let provisionDelta = minor(0n);
  const moves: CategoryMove[] = [];
  for (const row of rows) {
    loans += Number(row.loans);
    billed += Number(row.billed);
    interest = minor(interest + row.interest);
    penalty = minor(penalty + row.penalty);
    provisionDelta = minor(provisionDelta + row.provision_delta);
    if (row.old_class !== row.new_class) moves.push({ from: row.old_class, to: row.new_class, principal: row.principal });
  }
  return { loans, billed, interest, penalty, moves, provisionDelta };
}

/**
 * The entries for a set of loans' totals: accrual, reclassification and provision, each its own
 * kind so the journal reads as the steps of the night. Entries whose lines are all zero post nothing.
 */
export async function postTotals(trx: Transaction<Database>, date: BusinessDate, description: string, createdBy: string, totals: ChunkTotals, book: PostingBook = {}, citus = false): Promise<void> {
  invariant(totals.interest >= 0n && totals.penalty >= 0n, `${description}: negative accrual`);
  const entry = { enterpriseId: BANK_ENTERPRISE_ID, businessDate: date, description, createdBy, ...(book.certificateId === undefined ? {} : { certificateId: book.certificateId }) };
  // The three entries in one call: one read of the chart and two inserts for all of them, not three
  // for each (docs/benchmarks.md, "Session 22 (s22d)"); on Citus each entry as before, in VALUES
  // Citus routes. Their ids are made in this order, as when they were posted one by one.
  await postEntries(trx, [
    { ...entry, kind: 'eod-accrual', lines: accrualLines(totals.interest, totals.penalty) },
    { ...entry, kind: 'eod-reclassification', lines: reclassificationLines(totals.moves, book.accountOf) },
    { ...entry, kind: 'eod-provision', lines: provisionLines(totals.provisionDelta) },
  ], citus);
}

/**
 * Whose night `postTotals` posts: the loan book's by default; supply-chain financing names its
 * classification accounts and the certificate each entry is for (src/supply-chain/maturity.ts).
 */
export interface PostingBook {
  readonly accountOf?: ((category: Classification) => AccountPurpose) | undefined;
  readonly certificateId?: string | undefined;
}
