/**
 * The loan book as it stood at the close of a past business date, read from history only: each
 * loan's row of `loan_day` for that date (which carries the loan's borrower, line, contract
 * principal and rate, so `loan` is not read), its borrower's profile in force then
 * (`enterprise_profile`), and the credit lines in force then. One SQL statement sums it per
 * borrower and then per group of (size class, borrower type, region, industry section,
 * foreign trade, inclusive); the reports roll the few group rows up exactly in `bigint`.
 *
 * End of day stores each night's per-borrower rows with their verdicts (`borrower_day`), so a
 * report folds those instead (docs/decisions.md, "report verdicts stored at the close").
 *
 * Total credit per borrower (单户授信总额) on D: the limits of its credit lines in force on D
 * (start_on ≤ D ≤ end_on) plus the contract principal of its loans on the books not drawn under
 * such a line.
 *
 * Supply-chain financings on the books (`scf_financing_day`, written by the night's ageing) count
 * as loans of the supplier that received the money: in its count, balance, overdue, provision and
 * categories (the financing's own category, which follows the core enterprise) and, never drawn
 * under a credit line, in its total credit (docs/reporting.md).
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import { CATEGORIES } from '../classification/classify.js';
import type { Classification } from '../classification/classification.js';
import type { Database } from '../db/schema.js';
import type { InclusiveDefinition } from './inclusive-definition.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Sums over a set of borrowers' loans on the books. Money in fen. */
export interface BookSums {
  borrowers: number;
  loans: number;
  balance: bigint;
  overdue: bigint;
  provision: bigint;
  /** Σ rate units × balance (for the balance-weighted rate). */
  rateWeighted: bigint;
  /** By category, in CATEGORIES order. */
  categoryBalance: bigint[];
  categoryLoans: number[];
}

/** One group of the book as of a date. */
export interface BookGroup extends BookSums {
  readonly sizeClass: string;
  readonly borrowerType: string;
  /** Six-digit GB/T 2260 code, or 'unknown'. */
  readonly regionCode: string;
  /** GB/T 4754 section letter, or 'unknown'. */
  readonly section: string;
  readonly foreignTrade: boolean;
  readonly inclusive: boolean;
}

export const emptySums = (): BookSums => ({ borrowers: 0, loans: 0, balance: 0n, overdue: 0n, provision: 0n, rateWeighted: 0n, categoryBalance: CATEGORIES.map(() => 0n), categoryLoans: CATEGORIES.map(() => 0) });

/** Adds `part` into `into`. */
export function addSums(into: BookSums, part: BookSums): BookSums {
  into.borrowers += part.borrowers;
  into.loans += part.loans;
  into.balance += part.balance;
  into.overdue += part.overdue;
  into.provision += part.provision;
  into.rateWeighted += part.rateWeighted;
  for (let i = 0; i < CATEGORIES.length; i++) {
    into.categoryBalance[i]! += part.categoryBalance[i]!;
    into.categoryLoans[i]! += part.categoryLoans[i]!;
  }
  return into;
}

/** Non-performing: substandard, doubtful, loss (ranks 2–4). */
export function nplOf(sums: BookSums): bigint {
  return sums.categoryBalance[2]! + sums.categoryBalance[3]! + sums.categoryBalance[4]!;
}

interface GroupRow {
  size_class: string;
  borrower_type: string;
  region_code: string;
  section: string;
  foreign_trade: boolean;
  inclusive: boolean;
  borrowers: string;
  loans: string;
  balance: string;
  overdue: string;
  provision: string;
  rate_weighted: string;
}

/**
 * Each borrower with loans on the books at the close of `date`, one row each: its segment
 * (`size_class`, `borrower_type`, `region_code`, `section`), its `foreign_trade` and `inclusive`
 * verdicts under `definition`, and its loans' sums (`loans`, `balance`, `overdue`, `provision`,
 * `rate_weighted`, and `b0`…`b4` / `n0`…`n4`: balance and count by category). End of day stores
 * these rows at each close (`borrower_day`, src/reporting/report-verdicts.ts); a report as of a
 * date closed without them folds this statement instead.
 *
 * `half`: only the borrowers of that half (`borrowerHalf`), each read filtered before it is summed,
 * so end of day judges the two halves at once on two connections. `ordered`: the rows by borrower
 * (the key of `borrower_day` after the date), which a plan that sums each borrower's loans in
 * order gives without a sort of its own (end of day's, `judgeBorrowers`).
 */
export function borrowerBookSql(date: BusinessDate, definition: InclusiveDefinition, half?: BorrowerHalf, ordered = false): RawBuilder<BorrowerRow> {
  const d = sql`cast(${date} as date)`;
  const of = (column: string) => (half === undefined ? sql`` : sql`and ${borrowerHalf(sql.ref(column), half)}`);
  const category = (c: Classification) => sql.lit(c);
  const byCategory = CATEGORIES.map((c, i) => sql`sum(case when b.classification = ${category(c)} then b.balance else 0 end) as ${sql.ref(`b${i}`)},
    sum(case when b.classification = ${category(c)} then 1 else 0 end) as ${sql.ref(`n${i}`)}`);
  const types = definition.borrowerTypes.length === 0 ? sql`''` : sql.join(definition.borrowerTypes.map((t) => sql.lit(t)));
  const sizes = definition.sizeClasses.length === 0 ? sql`''` : sql.join(definition.sizeClasses.map((s) => sql.lit(s)));
  return sql<BorrowerRow>`
    with profile as (
      select x.enterprise_id, x.size_class, x.borrower_type, x.region_code, x.industry_code, x.foreign_trade_from
      from (select p.*, row_number() over (partition by p.enterprise_id order by p.valid_from desc) as rn
            from enterprise_profile p where p.valid_from <= ${d} ${of('p.enterprise_id')}) x
      where x.rn = 1
    ),
    book as (
      select d.enterprise_id, d.rate_units, d.principal_not_due + d.principal_due as balance, d.classification, d.provision, d.dpd,
             case when c.id is null then d.principal else 0 end as off_line
      from loan_day d
      left join credit_line c on c.id = d.line_id and c.enterprise_id = d.enterprise_id and c.start_on <= ${d} and c.end_on >= ${d}
      where d.business_date = ${d} ${of('d.enterprise_id')}
      union all
      select s.enterprise_id, s.rate_units, s.principal, s.classification, s.provision, s.dpd, s.principal
      from scf_financing_day s
      where s.business_date = ${d} ${of('s.enterprise_id')}
    ),
    firm as (
      select b.enterprise_id, count(*) as loans, sum(b.balance) as balance,
             sum(case when b.dpd > 0 then b.balance else 0 end) as overdue, sum(b.provision) as provision,
             sum(b.rate_units * b.balance) as rate_weighted, sum(b.off_line) as off_line,
             ${sql.join(byCategory)}
      from book b
      group by b.enterprise_id
    ),
    limits as (
      select c.enterprise_id, sum(c.limit_amount) as limits
      from credit_line c
      where c.start_on <= ${d} and c.end_on >= ${d} ${of('c.enterprise_id')}
      group by c.enterprise_id
    )
    select f.enterprise_id, f.loans, f.balance, f.overdue, f.provision, f.rate_weighted,
           ${sql.join(CATEGORIES.map((_, i) => sql`f.${sql.ref(`b${i}`)}, f.${sql.ref(`n${i}`)}`))},
           coalesce(p.size_class, 'unknown') as size_class, coalesce(p.borrower_type, 'enterprise') as borrower_type,
           coalesce(p.region_code, 'unknown') as region_code, coalesce(substr(p.industry_code, 1, 1), 'unknown') as section,
           coalesce(p.foreign_trade_from <= ${d}, false) as foreign_trade,
           coalesce(coalesce(m.limits, 0) + f.off_line <= cast(${definition.creditCeiling.toString()} as bigint)
             and (p.borrower_type in (${types}) or (p.borrower_type = 'enterprise' and p.size_class in (${sizes}))), false) as inclusive
    from firm f
    left join profile p on p.enterprise_id = f.enterprise_id
    left join limits m on m.enterprise_id = f.enterprise_id
    ${ordered ? sql`order by f.enterprise_id` : sql``}`;
}

/**
 * A half of the borrowers, by the last byte of their id: a UUIDv7 ends in random bits, so the
 * halves are even. End of day writes each half's `borrower_day` rows in a closing step of its own
 * (src/eod/run-eod.ts).
 */
export type BorrowerHalf = 'lower' | 'upper';

/**
 * The condition that the borrower `column` (a uuid) is in `half`.
 *
 * @example
 * sql`select count(*) from borrower_day b where ${borrowerHalf(sql.ref('b.enterprise_id'), 'lower')}`;
 */
export function borrowerHalf(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, half: BorrowerHalf): RawBuilder<boolean> {
  return half === 'lower' ? sql<boolean>`get_byte(uuid_send(${column}), 15) < 128` : sql<boolean>`get_byte(uuid_send(${column}), 15) >= 128`;
}

/** `recompute: true` judges again from the history instead of reading end of day's stored verdicts (tests compare the two). */
export interface RecomputeOption {
  readonly recompute?: boolean | undefined;
}

/** A row of `borrowerBookSql` (sums as the driver returns them). */
export interface BorrowerRow {
  enterprise_id: string;
  size_class: string;
  borrower_type: string;
  region_code: string;
  section: string;
  foreign_trade: boolean;
  inclusive: boolean;
}

/**
 * The book's groups at the close of `date`, under `definition`. The caller has checked that the
 * date was closed (`assertClosed`). Read from the night's stored borrower rows when end of day
 * judged them under this definition; otherwise the same rows are recomputed from `loan_day`,
 * the profiles and the credit lines (a date closed before migration 0051, or another definition).
 *
 * @example
 * const groups = await bookAsOf(db, '2025-06-30', inclusiveDefinitionOn('2025-06-30'));
 */
export async function bookAsOf(db: Executor, date: BusinessDate, definition: InclusiveDefinition, options: RecomputeOption = {}): Promise<BookGroup[]> {
  const stored = options.recompute !== true && (await verdictsOf(db, date)) === definition.version;
  const source = stored ? sql`(select * from borrower_day where business_date = cast(${date} as date))` : sql`(${borrowerBookSql(date, definition)})`;
  const groupCategory = CATEGORIES.map((_, i) => sql`cast(sum(f.${sql.ref(`b${i}`)}) as text) as ${sql.ref(`b${i}`)}, cast(sum(f.${sql.ref(`n${i}`)}) as text) as ${sql.ref(`n${i}`)}`);
  const result = await sql<GroupRow>`
    select f.size_class, f.borrower_type, f.region_code, f.section, f.foreign_trade, f.inclusive,
           cast(count(*) as text) as borrowers, cast(sum(f.loans) as text) as loans, cast(sum(f.balance) as text) as balance,
           cast(sum(f.overdue) as text) as overdue, cast(sum(f.provision) as text) as provision, cast(sum(f.rate_weighted) as text) as rate_weighted,
           ${sql.join(groupCategory)}
    from ${source} f
    group by 1, 2, 3, 4, 5, 6`.execute(db);
  return result.rows.map((row) => ({
    sizeClass: row.size_class,
    borrowerType: row.borrower_type,
    regionCode: row.region_code,
    section: row.section,
    foreignTrade: row.foreign_trade === true || (row.foreign_trade as unknown) === 't',
    inclusive: row.inclusive === true || (row.inclusive as unknown) === 't',
    borrowers: Number(row.borrowers),
    loans: Number(row.loans),
    balance: BigInt(row.balance),
    overdue: BigInt(row.overdue),
    provision: BigInt(row.provision),
    rateWeighted: BigInt(row.rate_weighted),
    categoryBalance: CATEGORIES.map((_, i) => BigInt((row as unknown as Record<string, string>)[`b${i}`]!)),
    categoryLoans: CATEGORIES.map((_, i) => Number((row as unknown as Record<string, string>)[`n${i}`]!)),
  }));
}

/** The definition version the night of `date` stored its verdicts under; null when it stored none. */
export async function verdictsOf(db: Executor, date: BusinessDate): Promise<string | null> {
  const run = await db.selectFrom('eod_run').select(['status', 'verdicts']).where('business_date', '=', date).executeTakeFirst();
  return run?.status === 'done' ? run.verdicts : null;
}
