/**
 * The portfolio over time and by group: end of day writes a snapshot of the book as each date
 * closes (in total and by region, industry and size class), the history reads them back, and the
 * breakdown groups today's book the same way.
 *
 * The snapshot is one statement: one pass over the night's borrower rows (`borrower_day`: each
 * borrower's active loans at the close, as the night judged them), corrected by the supply-chain
 * financings and the day's new loans per borrower, joined to the borrowers' enterprises, grouped by (region, industry, size), then
 * rolled up into the total and each dimension. Borrowers are counted without `count(distinct)`
 * (a sort of every loan: five times slower on 100,000 loans) and roll up exactly because an
 * enterprise has one region, one industry and one size class. New lending counts the day's drawdowns, not renewals (无还本续贷 refinances
 * a loan already on the books).
 *
 * End of day sums it in halves of the borrowers, each in the closing step that writes the half's
 * borrower rows, and adds the halves up when it closes (`writeSnapshotHalf`, `writePortfolioSnapshot`).
 *
 * @example
 * await writePortfolioSnapshot(trx, '2025-06-30'); // in end of day's closing step 'snapshot'
 * const points = await portfolioHistory(db, { from: '2025-06-01', to: '2025-06-30' });
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Classification } from '../classification/classification.js';
import type { Database } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';
import { averageRateOf, percentOf } from './portfolio.js';
import { fromCivil, parseBusinessDate, toCivil, type BusinessDate } from '../calendar/index.js';
import { SIMULATED_REGIONS } from '../data/index.js';
import { INDUSTRY_NAMES } from '../enterprises/size-standard.js';
import { getBusinessDate } from '../system/business-date.js';
import { transactionSettingsSql } from '../db/transaction-settings.js';
import { borrowerHalf, type BorrowerHalf } from './book-as-of.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The groupings of a breakdown. */
export const BREAKDOWNS = ['region', 'industry', 'size'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

const NPL: readonly Classification[] = ['substandard', 'doubtful', 'loss'];

/**
 * Every exposure of the book, one row each, owed by an enterprise: its loans (active, or drawn on
 * `day`), and the supply-chain financings its core enterprise owes (not settled, or made on `day`),
 * which end of day gives days past due, a category and a provision as it gives loans
 * (src/supply-chain/maturity.ts; the portfolio report counts them the same way). `fresh`: new
 * lending on `day` (a drawdown, not a renewal, or a financing).
 */
function bookExposures(day: ReturnType<typeof sql>) {
  return sql`
    select l.enterprise_id, l.status = 'active' as active, (l.principal_not_due + l.principal_due) as outstanding, l.dpd, l.classification,
           l.provision, l.rate_units, (l.disbursed_on = ${day} and l.renewed_from_id is null) as fresh, l.principal as lent
      from loan l where l.status = 'active' or l.disbursed_on = ${day}
    union all
    select f.core_enterprise_id, f.status <> 'settled', f.principal, f.dpd, f.classification,
           f.provision, f.rate_units, f.financed_on = ${day}, f.principal
      from scf_financing f where f.status <> 'settled' or f.financed_on = ${day}`;
}

/** Each borrower's sums of `bookExposures(day)`: the loans and financings as they stand. */
function loanFirms(day: ReturnType<typeof sql>) {
  return sql`
      select x.enterprise_id,
             sum(case when x.active then 1 else 0 end) as loans,
             sum(case when x.active then x.outstanding else 0 end) as balance,
             sum(case when x.active and x.dpd > 0 then x.outstanding else 0 end) as overdue,
             sum(case when x.active and x.classification in (${sql.join(NPL)}) then x.outstanding else 0 end) as npl,
             sum(case when x.active then x.provision else 0 end) as provision,
             sum(case when x.active then x.rate_units * x.outstanding else 0 end) as rate_weighted,
             sum(case when x.fresh then 1 else 0 end) as new_loans,
             sum(case when x.fresh then x.lent else 0 end) as new_lending
      from (${bookExposures(day)}) as x
      group by x.enterprise_id`;
}

/**
 * Each borrower's sums as `bookExposures(day)` gives them per borrower, at the close of `day`, for
 * end of day: from the night's `borrower_day` rows (judged by the closing steps 'borrowers' and
 * 'verdicts' from the night's `loan_day` rows, after the guarantee cover and the debtor-level
 * rule), so the snapshot reads one row per borrower, not one per loan (docs/benchmarks.md, s21w).
 * Those rows differ from the snapshot's exposures in three ways, corrected per borrower:
 * - a supply-chain financing counts there for the supplier that received the money, here for the
 *   core enterprise that owes it: the night's `scf_financing_day` rows are taken out of the
 *   supplier's sums and the financings put in the core enterprise's, as `bookExposures` has them;
 * - the day's new lending (drawdowns, not renewals, and financings made) is not in them.
 * Only the borrowers these touch (few a night) are summed again; every other borrower's row is
 * its sums as it stands, and its count of loans decides whether it is a borrower as before. Both
 * are joins to the corrections (an anti-join and a join), not `not in`/`in` lists: a night whose
 * corrections touch every borrower (a first night, every loan drawn that day) hashes them in
 * batches, where a `not in` list is held whole in memory or, estimated too large, scanned per row.
 * `half`: only the borrowers of that half (`borrowerHalf`), every correction by the borrower it is
 * summed for (a financing out of its supplier's half, into its core enterprise's).
 */
function judgedFirms(day: ReturnType<typeof sql>, half?: BorrowerHalf) {
  const npl = (column: string) => sql`case when ${sql.ref(column)} in (${sql.join(NPL)}) then 1 else 0 end`;
  // Each row by the borrower it is summed for, so each correction lands in exactly one half.
  const of = (column: string) => (half === undefined ? sql`` : sql`and ${borrowerHalf(sql.ref(column), half)}`);
  return sql`
    with adjust as (
      select x.enterprise_id, sum(x.loans) as loans, sum(x.balance) as balance, sum(x.overdue) as overdue, sum(x.npl) as npl,
             sum(x.provision) as provision, sum(x.rate_weighted) as rate_weighted, sum(x.new_loans) as new_loans, sum(x.new_lending) as new_lending
      from (
        select s.enterprise_id, -1 as loans, -s.principal as balance, case when s.dpd > 0 then -s.principal else 0 end as overdue,
               -s.principal * ${npl('s.classification')} as npl, -s.provision as provision, -(s.rate_units * s.principal) as rate_weighted,
               0 as new_loans, cast(0 as bigint) as new_lending
          from scf_financing_day s where s.business_date = ${day} ${of('s.enterprise_id')}
        union all
        select f.core_enterprise_id, case when f.active then 1 else 0 end, case when f.active then f.principal else 0 end,
               case when f.active and f.dpd > 0 then f.principal else 0 end,
               case when f.active then f.principal * ${npl('f.classification')} else 0 end,
               case when f.active then f.provision else 0 end, case when f.active then f.rate_units * f.principal else 0 end,
               case when f.fresh then 1 else 0 end, case when f.fresh then f.principal else 0 end
          from (select g.*, g.status <> 'settled' as active, g.financed_on = ${day} as fresh from scf_financing g
                where (g.status <> 'settled' or g.financed_on = ${day}) ${of('g.core_enterprise_id')}) f
        union all
        select l.enterprise_id, 0, 0, 0, 0, 0, 0, 1, l.principal
          from loan l where l.disbursed_on = ${day} and l.renewed_from_id is null ${of('l.enterprise_id')}
      ) x
      group by x.enterprise_id
    )
    select b.enterprise_id, b.loans, b.balance, b.overdue, b.b2 + b.b3 + b.b4 as npl, b.provision, b.rate_weighted,
           0 as new_loans, cast(0 as bigint) as new_lending
      from borrower_day b left join adjust a on a.enterprise_id = b.enterprise_id
      where b.business_date = ${day} ${of('b.enterprise_id')} and a.enterprise_id is null
    union all
    select y.enterprise_id, sum(y.loans), sum(y.balance), sum(y.overdue), sum(y.npl), sum(y.provision), sum(y.rate_weighted),
           sum(y.new_loans), sum(y.new_lending)
      from (
        select b.enterprise_id, b.loans, b.balance, b.overdue, b.b2 + b.b3 + b.b4 as npl, b.provision, b.rate_weighted,
               0 as new_loans, cast(0 as bigint) as new_lending
          from borrower_day b join adjust a on a.enterprise_id = b.enterprise_id
          where b.business_date = ${day} ${of('b.enterprise_id')}
        union all
        select * from adjust
      ) y
      group by y.enterprise_id`;
}

/**
 * The settings of a statement of the snapshot (whole, or a half's part), for the rest of its
 * transaction: the last statement of it.
 *
 * The planner cannot count the borrowers of a night not yet analyzed (it guessed 200 for a union
 * of exposures) and looked each up in `enterprise` by key: 316,725 lookups, 1.26 million buffers,
 * on a million loans, where hashing the enterprises joins them in a fraction (docs/benchmarks.md,
 * s21k). For the same reason it sorted those 316,725 joined rows to disk to group them into the
 * snapshot's few groups (22 MB at work_mem 4 MB), where a hash of the groups sums them as they
 * come, and spilled the hash of the borrowers in batches: no sort, and the work_mem of the
 * reports (REPORT_SETTINGS, src/reporting/regulatory-reports.ts) (s21aa). And it read the night's
 * borrower rows by an index scan of `borrower_day_pk` (estimated at one row), a buffer visit for
 * each of the 316,725 rows (742,000 in all); by a bitmap of the same key the heap is read a page at
 * a time: 470–520 against 570–600 ms of backend CPU for the statement (docs/benchmarks.md, s22c),
 * and on a book with years of history the bitmap reads only the night's pages as the index did.
 * Local to the transaction, which ends after the statement, so not put back (a statement a night
 * fewer; s12q).
 */
const SNAPSHOT_SETTINGS = transactionSettingsSql({ enable_nestloop: 'off', enable_sort: 'off', enable_indexscan: 'off', work_mem: '64MB' });

const SNAPSHOT_COLUMNS = sql`loans, borrowers, balance, overdue_balance, npl_balance, provision, rate_weighted, new_loans, new_lending`;

/**
 * Writes `half`'s part of the snapshot of `date` (`portfolio_snapshot_half`, migration 0078): the
 * snapshot's rows summed over that half's borrowers, from their rows of the night (`borrower_day`)
 * and the corrections that land in the half. In the transaction of the closing step that wrote
 * those rows ('borrowers' the lower half, 'verdicts' the upper), after them, as its last statement:
 * the two halves' parts are summed at once on two connections, and the step 'snapshot' only adds
 * them up (docs/decisions.md, "The portfolio snapshot in halves"). Read from the table, not from the
 * insert's RETURNING, so a half whose rows an earlier close wrote (the lower half of a close begun
 * before the split) still sums them.
 *
 * @example
 * await writeSnapshotHalf(trx, '2025-06-30', 'lower'); // after judgeBorrowers(trx, '2025-06-30', 'lower')
 */
export async function writeSnapshotHalf(trx: Transaction<Database>, date: BusinessDate, half: BorrowerHalf): Promise<void> {
  await SNAPSHOT_SETTINGS.execute(trx);
  await sql`
    insert into portfolio_snapshot_half (business_date, half, dimension, key, ${SNAPSHOT_COLUMNS})
    select x.business_date, ${half}, x.dimension, x.key, ${SNAPSHOT_COLUMNS}
    from (${snapshotRowsSql(date, 'history', half)}) x`.execute(trx);
}

/**
 * Writes the snapshot of `date` (the date end of day is closing; end of day's closing step
 * 'snapshot', after 'borrowers' and 'verdicts'). When both halves' parts are there (each has its
 * total row), their rows added up, and the parts deleted, in one statement; otherwise (a close
 * begun by a version that wrote no part, which leaves one or none) the whole snapshot from the
 * night's borrower rows (`borrower_day`) and the supply-chain financings as they stand, after the
 * parts are deleted by the same first statement. Returns which.
 */
export async function writePortfolioSnapshot(trx: Transaction<Database>, date: BusinessDate): Promise<'halves' | 'whole'> {
  const d = sql`cast(${date} as date)`;
  // Every column is a sum over borrowers, and each borrower is in one half: the halves' sums add up
  // to the whole's, row by row (a group only one half has is that half's row).
  const added = await sql`
    with part as (delete from portfolio_snapshot_half where business_date = ${d} returning *)
    insert into portfolio_snapshot (business_date, dimension, key, ${SNAPSHOT_COLUMNS})
    select p.business_date, p.dimension, p.key,
           cast(sum(p.loans) as bigint), cast(sum(p.borrowers) as bigint), cast(sum(p.balance) as bigint),
           cast(sum(p.overdue_balance) as bigint), cast(sum(p.npl_balance) as bigint), cast(sum(p.provision) as bigint),
           sum(p.rate_weighted), cast(sum(p.new_loans) as bigint), cast(sum(p.new_lending) as bigint)
    from part p
    where (select count(*) from part t where t.dimension = 'total') = 2
    group by p.business_date, p.dimension, p.key`.execute(trx);
  if ((added.numAffectedRows ?? 0n) > 0n) return 'halves';
  await SNAPSHOT_SETTINGS.execute(trx);
  await sql`
    insert into portfolio_snapshot (business_date, dimension, key, ${SNAPSHOT_COLUMNS})
    ${snapshotRowsSql(date, 'history')}`.execute(trx);
  return 'whole';
}

/**
 * The rows of the snapshot of `date`, in `portfolio_snapshot`'s column order: from the night's
 * borrower rows ('history', what end of day writes once `borrower_day` of `date` is written), or
 * from the loans as they stand ('loans', the definition before s21k: the same rows at the close,
 * which tests compare). `half`: summed over the borrowers of that half only (a half's part; the two
 * halves' rows add up to the whole's).
 */
export function snapshotRowsSql(date: BusinessDate, from: 'history' | 'loans', half?: BorrowerHalf) {
  const d = sql`cast(${date} as date)`;
  const rollup = (dimension: string, key: ReturnType<typeof sql>, grouped: boolean) => sql`
    select ${d} as business_date, ${dimension} as dimension, ${key} as key,
           cast(coalesce(sum(loans), 0) as bigint) as loans, cast(coalesce(sum(borrowers), 0) as bigint) as borrowers,
           cast(coalesce(sum(balance), 0) as bigint) as balance, cast(coalesce(sum(overdue), 0) as bigint) as overdue_balance,
           cast(coalesce(sum(npl), 0) as bigint) as npl_balance, cast(coalesce(sum(provision), 0) as bigint) as provision,
           coalesce(sum(rate_weighted), 0) as rate_weighted, cast(coalesce(sum(new_loans), 0) as bigint) as new_loans,
           cast(coalesce(sum(new_lending), 0) as bigint) as new_lending
    from fine ${grouped ? sql`group by ${key}` : sql``}`;
  // A half's borrowers are hashed and every enterprise probed against them: those of the other half
  // are left out before the probe (a half 310–340 against 340–380 ms of backend CPU on a million
  // loans; docs/benchmarks.md, s23b).
  const enterprisesOfHalf = half === undefined ? sql`` : sql`and ${borrowerHalf(sql.ref('e.id'), half)}`;
  const firms = from === 'history' ? judgedFirms(d, half) : half === undefined ? loanFirms(d) : sql`select * from (${loanFirms(d)}) l where ${borrowerHalf(sql.ref('l.enterprise_id'), half)}`;
  return sql`
    with per_firm as (
      ${firms}
    ),
    fine as (
      select coalesce(e.region_code, 'unknown') as region, coalesce(e.industry, 'unknown') as industry, e.size_class as size,
             sum(p.loans) as loans, sum(case when p.loans > 0 then 1 else 0 end) as borrowers, sum(p.balance) as balance,
             sum(p.overdue) as overdue, sum(p.npl) as npl, sum(p.provision) as provision, sum(p.rate_weighted) as rate_weighted,
             sum(p.new_loans) as new_loans, sum(p.new_lending) as new_lending
      from per_firm p
      join enterprise e on e.id = p.enterprise_id ${enterprisesOfHalf}
      group by 1, 2, 3
    )
    ${rollup('total', sql`''`, false)}
    union all ${rollup('region', sql`region`, true)}
    union all ${rollup('industry', sql`industry`, true)}
    union all ${rollup('size', sql`size`, true)}`;
}

/** One date of the history, or one group of a breakdown. Money in fen, ratios in hundredths of a percent. */
export interface PortfolioPoint {
  readonly loans: number;
  readonly borrowers: number;
  readonly balance: Minor;
  readonly overdueBalance: Minor;
  readonly nplBalance: Minor;
  readonly provision: Minor;
  readonly overdueRatio: bigint;
  readonly nplRatio: bigint;
  /** Balance-weighted average annual rate, percent ("4.35"); "0.00" with no balance. */
  readonly averageRate: string;
}

export interface HistoryPoint extends PortfolioPoint {
  readonly date: BusinessDate;
  readonly newLoans: number;
  readonly newLending: Minor;
}

/** Longest history one request returns: ten years of days. */
export const MAX_HISTORY_DAYS = 3660;

/**
 * The daily totals from `from` to `to` (inclusive; default: the year before the business date),
 * oldest first; dates before the first end of day have no point.
 */
export async function portfolioHistory(db: Executor, range: { readonly from?: string | undefined; readonly to?: string | undefined } = {}): Promise<{ from: BusinessDate; to: BusinessDate; points: HistoryPoint[] }> {
  const today = await getBusinessDate(db);
  const to = range.to === undefined ? today : parseBusinessDate(range.to, 'to');
  const from = range.from === undefined ? shiftYear(to, -1) : parseBusinessDate(range.from, 'from');
  if (from > to) throw new ValidationError('from', `must be on or before to (${to})`);
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_HISTORY_DAYS) throw new ValidationError('from', `the range must be at most ${MAX_HISTORY_DAYS} days`);
  const rows = await db
    .selectFrom('portfolio_snapshot')
    .selectAll()
    .where('dimension', '=', 'total')
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .orderBy('business_date')
    .execute();
  return {
    from,
    to,
    points: rows.map((row) => ({
      date: row.business_date,
      ...pointOf({ loans: row.loans, borrowers: row.borrowers, balance: row.balance, overdue: row.overdue_balance, npl: row.npl_balance, provision: row.provision, rateWeighted: BigInt(row.rate_weighted) }),
      newLoans: Number(row.new_loans),
      newLending: row.new_lending,
    })),
  };
}

export interface BreakdownGroup extends PortfolioPoint {
  readonly key: string;
  /** Of the whole balance, hundredths of a percent. */
  readonly share: bigint;
}

/** Today's book by region, industry or size class, largest balance first. */
export async function portfolioBreakdown(db: Executor, by: Breakdown): Promise<{ asOf: BusinessDate; by: Breakdown; groups: BreakdownGroup[] }> {
  const column = { region: sql`coalesce(e.region_code, 'unknown')`, industry: sql`coalesce(e.industry, 'unknown')`, size: sql`e.size_class` }[by];
  const result = await sql<{ key: string; loans: string; borrowers: string; balance: string; overdue: string; npl: string; provision: string; rate_weighted: string }>`
    select ${column} as key, cast(count(*) as text) as loans, cast(count(distinct x.enterprise_id) as text) as borrowers,
           cast(sum(x.outstanding) as text) as balance,
           cast(sum(case when x.dpd > 0 then x.outstanding else 0 end) as text) as overdue,
           cast(sum(case when x.classification in (${sql.join(NPL)}) then x.outstanding else 0 end) as text) as npl,
           cast(sum(x.provision) as text) as provision,
           cast(sum(x.rate_units * x.outstanding) as text) as rate_weighted
    from (${bookExposures(sql`cast(null as date)`)}) as x join enterprise e on e.id = x.enterprise_id
    where x.active
    group by 1`.execute(db);
  const groups = result.rows.map((row) => ({
    key: row.key,
    ...pointOf({ loans: BigInt(row.loans), borrowers: BigInt(row.borrowers), balance: BigInt(row.balance), overdue: BigInt(row.overdue), npl: BigInt(row.npl), provision: BigInt(row.provision), rateWeighted: BigInt(row.rate_weighted) }),
  }));
  const total = groups.reduce((sum, group) => sum + group.balance, 0n);
  return {
    asOf: await getBusinessDate(db),
    by,
    groups: groups
      .map((group) => ({ ...group, share: percentOf(group.balance, total) }))
      .sort((a, b) => (a.balance === b.balance ? a.key.localeCompare(b.key) : a.balance > b.balance ? -1 : 1)),
  };
}

/** Names of the simulated regions' cities in English (the codes are real GB/T 2260 districts). */
const REGION_NAMES_EN: Readonly<Record<string, string>> = {
  '330106': 'Hangzhou', '330203': 'Ningbo', '330302': 'Wenzhou', '320506': 'Suzhou', '440305': 'Shenzhen', '440106': 'Guangzhou',
  '350203': 'Xiamen', '370202': 'Qingdao', '310115': 'Shanghai', '110105': 'Beijing', '420106': 'Wuhan', '510107': 'Chengdu',
  '500103': 'Chongqing', '610113': "Xi'an", '410105': 'Zhengzhou', '430104': 'Changsha',
};
const SIZE_NAMES: Readonly<Record<string, { en: string; zh: string }>> = {
  large: { en: 'large', zh: '大型' }, medium: { en: 'medium', zh: '中型' }, small: { en: 'small', zh: '小型' }, micro: { en: 'micro', zh: '微型' },
};

/**
 * A group's name in English and Chinese; the key itself when it has none.
 *
 * @example
 * groupNames('region', '330106'); // { name: 'Hangzhou', nameZh: '杭州' }
 */
export function groupNames(by: Breakdown, key: string): { name: string; nameZh: string } {
  if (by === 'region') return { name: REGION_NAMES_EN[key] ?? key, nameZh: SIMULATED_REGIONS.find((region) => region.code === key)?.name ?? key };
  if (by === 'industry') {
    const names = (INDUSTRY_NAMES as Readonly<Record<string, { en: string; zh: string }>>)[key];
    return { name: names?.en ?? key, nameZh: names?.zh ?? key };
  }
  return { name: SIZE_NAMES[key]?.en ?? key, nameZh: SIZE_NAMES[key]?.zh ?? key };
}

/** Parses `by`. */
export function parseBreakdown(text: string, field = 'by'): Breakdown {
  if (!(BREAKDOWNS as readonly string[]).includes(text)) throw new ValidationError(field, `must be one of ${BREAKDOWNS.join(', ')}`);
  return text as Breakdown;
}

function pointOf(sums: { loans: bigint; borrowers: bigint; balance: bigint; overdue: bigint; npl: bigint; provision: bigint; rateWeighted: bigint }): PortfolioPoint {
  return {
    loans: Number(sums.loans),
    borrowers: Number(sums.borrowers),
    balance: minor(sums.balance),
    overdueBalance: minor(sums.overdue),
    nplBalance: minor(sums.npl),
    provision: minor(sums.provision),
    overdueRatio: percentOf(sums.overdue, sums.balance),
    nplRatio: percentOf(sums.npl, sums.balance),
    averageRate: averageRateOf(sums.rateWeighted, sums.balance),
  };
}

function shiftYear(date: BusinessDate, years: number): BusinessDate {
  const { year, month, day } = toCivil(date);
  return fromCivil({ year: year + years, month, day: month === 2 && day === 29 ? 28 : day });
}
