/**
 * Report verdicts judged once, at end of day (issue 15; docs/decisions.md "report verdicts stored
 * at the close"). Whether a borrower's loans are inclusive (普惠) depends on its profile and its
 * total credit that day; judging that again for a million loans at every report cost more than the
 * 5 s a report may take. So the night of D, after classification, stores:
 * - each borrower on the books at the close of D (`borrower_day`): its segment, its inclusive and
 *   foreign-trade verdicts and its loans' sums — the reports as of D fold these rows;
 * - each (borrower, disbursement day) of new loans not judged yet (`new_lending`): the days since
 *   the last night that judged, or every day so far on the first such night — the new-lending
 *   figures (两增两控's rate of new loans, foreign-trade new lending) sum these rows;
 * - the definition version they were judged under (`eod_run.verdicts`).
 * Both are the very statements a report would otherwise run, so the figures are the same; a date
 * closed before migration 0051, or a report under another definition version, recomputes.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { withSettings } from '../db/transaction-settings.js';
import { borrowerBookSql, borrowerHalf, type BorrowerHalf, type RecomputeOption } from './book-as-of.js';
import { inclusiveDefinitionOn, type InclusiveDefinition } from './inclusive-definition.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What the night stored. */
export interface NightVerdicts {
  readonly definition: string;
  /** Borrowers on the books at the close whose rows this call stored (all, or the upper half). */
  readonly borrowers: number;
  /** (Borrower, disbursement day) pairs of new lending judged tonight. */
  readonly newLendingPairs: number;
}

/**
 * Each (borrower, disbursement day) of the new loans (renewals excluded: they refinance loans
 * already on the books) disbursed from `from` (from the first when null) to `to`, with its loans,
 * principal, Σ principal × rate, and its verdicts on that day: `inclusive` under `definition`
 * (profile in force then, total credit at that day's close) and `foreign_trade` (flagged from a
 * date on or before it). With `judge` 'foreign-trade' the total credit is not gathered and
 * `inclusive` is false: the foreign-trade figures need the profile alone.
 *
 * Supply-chain financings made in the period are new lending to the supplier that received the
 * money (`scf_financing.supplier_id`, on `financed_on`, at the financing's rate), and a financing
 * on the books that night counts in the supplier's total credit (`scf_financing_day`), as in
 * `borrowerBookSql`.
 *
 * Set-based, one statement: the pair's facts — its new loans, the limits of its lines in force
 * that day, the contract principal of its loans on the books that night not under such a line
 * (that night's `loan_day` rows carry borrower, line and principal, so `loan` is not joined
 * again), and its latest profile by then — are gathered as rows of one UNION ALL and folded by
 * one GROUP BY. There is no join between derived tables whose row estimates a planner could get
 * wrong (a nested loop over pairs × pairs), and no per-loan subquery.
 */
export function newLoanPairsSql(definition: InclusiveDefinition, from: BusinessDate | null, to: BusinessDate, judge: 'both' | 'foreign-trade' = 'both'): RawBuilder<PairRow> {
  const types = definition.borrowerTypes.length === 0 ? sql`''` : sql.join(definition.borrowerTypes.map((t) => sql.lit(t)));
  const sizes = definition.sizeClasses.length === 0 ? sql`''` : sql.join(definition.sizeClasses.map((s) => sql.lit(s)));
  const since = from === null ? sql`` : sql`l.disbursed_on >= cast(${from} as date) and`;
  const financedSince = from === null ? sql`` : sql`f.financed_on >= cast(${from} as date) and`;
  // The profile as text, its date first so max() picks the latest: valid_from|type|size|foreign-trade-from.
  const field = (n: number) => sql`split_part(j.profile, '|', ${sql.lit(n)})`;
  // Total credit: the limits of its lines in force that day, and its loans on the books that night not under one.
  const credit = sql`
      union all
      select q.enterprise_id, q.day, 0, 0, 0, c.limit_amount, null
      from pair q join credit_line c on c.enterprise_id = q.enterprise_id and c.start_on <= q.day and c.end_on >= q.day
      union all
      select q.enterprise_id, q.day, 0, 0, 0, d.principal, null
      from pair q
      join loan_day d on d.business_date = q.day and d.enterprise_id = q.enterprise_id
      left join credit_line c on c.id = d.line_id and c.enterprise_id = d.enterprise_id and c.start_on <= q.day and c.end_on >= q.day
      where c.id is null
      union all
      select q.enterprise_id, q.day, 0, 0, 0, s.principal, null
      from pair q
      join scf_financing_day s on s.business_date = q.day and s.enterprise_id = q.enterprise_id`;
  return sql<PairRow>`
    with pair as (
      select n.enterprise_id, n.day, sum(n.principal) as principal, sum(n.weighted) as weighted, sum(n.loans) as loans
      from (
        select l.enterprise_id, l.disbursed_on as day, l.principal, l.principal * l.rate_units as weighted, 1 as loans
        from loan l
        where ${since} l.disbursed_on <= cast(${to} as date) and l.renewed_from_id is null
        union all
        select f.supplier_id, f.financed_on, f.principal, f.principal * f.rate_units, 1
        from scf_financing f
        where ${financedSince} f.financed_on <= cast(${to} as date)
      ) n
      group by n.enterprise_id, n.day
    ),
    fact as (
      select q.enterprise_id, q.day, q.principal, q.weighted, q.loans, 0 as credit, cast(null as text) as profile
      from pair q
      ${judge === 'both' ? credit : sql``}
      union all
      select q.enterprise_id, q.day, 0, 0, 0, 0,
             cast(p.valid_from as text) || '|' || p.borrower_type || '|' || p.size_class || '|' || coalesce(cast(p.foreign_trade_from as text), '')
      from pair q join enterprise_profile p on p.enterprise_id = q.enterprise_id and p.valid_from <= q.day
    ),
    judged as (
      select f.enterprise_id, f.day, sum(f.principal) as principal, sum(f.weighted) as weighted, sum(f.loans) as loans,
             sum(f.credit) as credit, max(f.profile) as profile
      from fact f
      group by f.enterprise_id, f.day
    )
    select j.enterprise_id, j.day, j.loans, j.principal, j.weighted,
           ${judge === 'both' ? sql`true` : sql`false`} and coalesce(j.credit <= cast(${definition.creditCeiling.toString()} as bigint)
             and (${field(2)} in (${types}) or (${field(2)} = 'enterprise' and ${field(3)} in (${sizes}))), false) as inclusive,
           coalesce(cast(nullif(${field(4)}, '') as date) <= j.day, false) as foreign_trade
    from judged j`;
}

/** A row of `newLoanPairsSql` (sums as the driver returns them). */
export interface PairRow {
  enterprise_id: string;
  day: BusinessDate;
  inclusive: boolean;
  foreign_trade: boolean;
}

/**
 * New lending from `from` to `to` to borrowers `verdict` (inclusive, or foreign-trade) on each
 * loan's disbursement day. From the stored pairs when a night on or after `to` judged them and
 * every stored pair of the period was judged under `definition`; otherwise judged here.
 */
export async function newLending(
  db: Executor,
  definition: InclusiveDefinition,
  from: BusinessDate,
  to: BusinessDate,
  verdict: 'inclusive' | 'foreign_trade',
  options: RecomputeOption = {},
): Promise<{ principal: bigint; weighted: bigint; loans: number }> {
  const stored = options.recompute !== true && (await newLendingJudged(db, definition, from, to));
  const source = stored
    ? sql`(select * from new_lending where day >= cast(${from} as date) and day <= cast(${to} as date))`
    : sql`(${newLoanPairsSql(definition, from, to, verdict === 'inclusive' ? 'both' : 'foreign-trade')})`;
  const row = (
    await sql<{ principal: string | null; weighted: string | null; loans: string | null }>`
      select cast(sum(j.principal) as text) as principal, cast(sum(j.weighted) as text) as weighted, cast(sum(j.loans) as text) as loans
      from ${source} j
      where j.${sql.ref(verdict)}`.execute(db)
  ).rows[0];
  return { principal: BigInt(row?.principal ?? '0'), weighted: BigInt(row?.weighted ?? '0'), loans: Number(row?.loans ?? '0') };
}

/**
 * Whether every new loan disbursed from `from` to `to` was judged and stored under `definition`:
 * a night on or after `to` stored verdicts (the first such night judged every day before it, and
 * each later one the days since the one before), and no stored pair of the period was judged
 * under another version.
 */
async function newLendingJudged(db: Executor, definition: InclusiveDefinition, from: BusinessDate, to: BusinessDate): Promise<boolean> {
  const night = await db.selectFrom('eod_run').select('business_date').where('status', '=', 'done').where('business_date', '>=', to).where('verdicts', 'is not', null).limit(1).executeTakeFirst();
  if (night === undefined) return false;
  const other = await db.selectFrom('new_lending').select('day').where('day', '>=', from).where('day', '<=', to).where('definition', '<>', definition.version).limit(1).executeTakeFirst();
  return other === undefined;
}

/**
 * Stores the `borrower_day` rows of the night of `date` for the borrowers of `half` (all when
 * undefined), judged under the definition in force on `date`; returns how many.
 *
 * The lower half is end of day's closing step 'borrowers', the upper half part of 'verdicts'
 * (src/eod/run-eod.ts). A night a close before the split left half done wrote every borrower's
 * row in its one 'verdicts' step: the lower half then finds its rows written and writes none, in
 * the same statement (a probe of the key's first rows of `date`, none on a night not yet judged).
 *
 * @example
 * await judgeBorrowers(trx, '2025-06-30', 'lower'); // 158000
 */
export async function judgeBorrowers(trx: Executor, date: BusinessDate, half?: BorrowerHalf): Promise<number> {
  const definition = inclusiveDefinitionOn(date);
  const d = sql`cast(${date} as date)`;
  const columns = sql`enterprise_id, size_class, borrower_type, region_code, section, foreign_trade, inclusive, loans, balance, overdue, provision, rate_weighted,
    b0, b1, b2, b3, b4, n0, n1, n2, n3, n4`;
  const unwritten = half === 'lower' ? sql`where not exists (select 1 from borrower_day b where b.business_date = ${d} and ${borrowerHalf(sql.ref('b.enterprise_id'), 'lower')})` : sql``;
  // Each borrower's loans summed in order (sorted by borrower, then folded one borrower at a time),
  // not in a hash: the planner, which cannot count tonight's borrowers, hashed them, and the hash of
  // sixteen sums a borrower spilled in 37–101 batches (40–90 MB a half at work_mem 4 MB; still 5
  // batches at 64 MB). In order, the profiles and the credit lines join by merge and the rows come
  // out in the key's order, so the insert adds each borrower next to the last in `borrower_day_pk`
  // instead of at a random leaf of the night's key range: on a million loans a half took 1.8–2.0 s
  // of backend CPU against 2.3–2.4 s hashed (docs/benchmarks.md, s21ab). Transaction-local, and put
  // back after the insert, for what else the caller's transaction plans (the new lending's pairs).
  const inserted = await withSettings(trx, { enable_hashagg: 'off' }, (trx) =>
    sql`insert into borrower_day (business_date, ${columns}) select ${d}, ${columns} from (${borrowerBookSql(date, definition, half, true)}) x ${unwritten}`.execute(trx),
  );
  return Number(inserted.numAffectedRows ?? 0n);
}

/**
 * End of day's verdict step for the night of `date`, in its closing transaction after every step
 * that changes the night's `loan_day` rows: stores the night's borrower rows (`borrowers`: all, or
 * the upper half when the lower is the closing step 'borrowers', on another connection) and the new
 * lending disbursed since the last night that judged, under the definition in force on `date`.
 *
 * @example
 * await judgeNight(trx, '2025-06-30'); // { definition: 'inclusive-2018', borrowers: 333000, newLendingPairs: 1200 }
 */
export async function judgeNight(trx: Executor, date: BusinessDate, borrowers: 'all' | 'upper' = 'all'): Promise<NightVerdicts> {
  const definition = inclusiveDefinitionOn(date);
  const d = sql`cast(${date} as date)`;
  const judged = await judgeBorrowers(trx, date, borrowers === 'all' ? undefined : 'upper');
  // The night is marked judged, and the last night judged before it read, in one statement (s12q).
  const { rows: marked } = await sql<{ last: BusinessDate | null }>`
    update eod_run set verdicts = ${definition.version} where business_date = ${d}
    returning (select max(business_date) from eod_run where status = 'done' and business_date < ${d} and verdicts is not null) as last`.execute(trx);
  const last = marked[0]?.last ?? null;
  const from = last === null ? null : addDays(last, 1);
  // Most nights lend nothing new: the pairs' statement (planned afresh every night, ≈ 10 ms on a
  // small book on PGlite) is left out when no loan or financing was made in the period, which
  // asks the disbursement date's index (migration 0021) and the financings the statement scans anyway.
  const pairs = (await anyNewLending(trx, from, date))
    ? await sql`insert into new_lending (day, enterprise_id, definition, inclusive, foreign_trade, loans, principal, weighted)
    select x.day, x.enterprise_id, ${definition.version}, x.inclusive, x.foreign_trade, x.loans, x.principal, x.weighted
    from (${newLoanPairsSql(definition, from, date)}) x`.execute(trx)
    : { numAffectedRows: 0n };
  return { definition: definition.version, borrowers: judged, newLendingPairs: Number(pairs.numAffectedRows ?? 0n) };
}

/**
 * Whether a loan (not a renewal) was disbursed, or a supply-chain financing made, from `from` (null:
 * ever) to `to`: the rows {@link newLoanPairsSql} starts from, so when there is none it has no pair.
 */
async function anyNewLending(trx: Executor, from: BusinessDate | null, to: BusinessDate): Promise<boolean> {
  const since = (column: string) => (from === null ? sql`` : sql`${sql.ref(column)} >= cast(${from} as date) and`);
  const { rows } = await sql<{ any: boolean }>`
    select exists (select 1 from loan l where ${since('l.disbursed_on')} l.disbursed_on <= cast(${to} as date) and l.renewed_from_id is null)
      or exists (select 1 from scf_financing f where ${since('f.financed_on')} f.financed_on <= cast(${to} as date)) as any`.execute(trx);
  return rows[0]?.any === true;
}
