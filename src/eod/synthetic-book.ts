/**
 * A synthetic loan book for benchmarks, made fast and reproducibly: a fixed-seed PRNG decides
 * every loan, ids are UUIDv7 made here, and each batch of loans is one INSERT … SELECT over
 * arrays passed as a few text parameters (no per-row round trips). The mix: 55% bullet loans
 * (MICRO-LINE, SHORT-TERM) maturing within a year, 40% TERM-LOAN with monthly installments, 5%
 * taken on already overdue by 1–400 days; rates 3.1%–18%; a third as many borrowers as loans.
 * One aggregate drawdown entry (Dr loans-normal / Cr settlement) makes the ledger reconcile.
 */
import { sql, type Kysely } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { minor, type Minor } from '../money/minor.js';
import { BANK_ENTERPRISE_ID, postEntry } from '../ledger/post-entry.js';
import { SHARDS } from './eod-run.js';
import { seededRandom } from '../random/seeded-random.js';

export interface SyntheticBookOptions {
  readonly loans: number;
  readonly seed?: number | undefined;
  /** The book is disbursed on, and dated from, this business date. */
  readonly date: BusinessDate;
  /**
   * The first loans go one to each enterprise, in order (the servicing bench gives every borrower a
   * loan); the rest, and every loan without it, to an enterprise drawn at random. The random draws
   * are the same either way, so the book's other figures do not change.
   */
  readonly everyEnterpriseBorrows?: boolean;
}

/** Loans per INSERT statement. */
const BATCH = 10_000;
const RATE_UNITS = [31_000, 34_500, 43_500, 49_000, 56_000, 65_000, 72_000, 85_000, 120_000, 180_000];


/**
 * Inserts the book; returns its total principal in fen.
 *
 * @example
 * await createSyntheticBook(db, { loans: 100_000, date: '2025-06-30' });
 */
export async function createSyntheticBook(db: Kysely<Database>, options: SyntheticBookOptions): Promise<Minor> {
  invariant(Number.isInteger(options.loans) && options.loans > 0 && options.loans <= 10_000_000, `loans ${options.loans}`);
  const random = seededRandom(options.seed ?? 20250630);
  const products = await db.selectFrom('product').select(['id', 'code']).execute();
  const productId = (code: string) => {
    const found = products.find((product) => product.code === code);
    invariant(found !== undefined, `product ${code} not seeded`);
    return found.id;
  };
  const productIds = [productId('MICRO-LINE'), productId('SHORT-TERM'), productId('TERM-LOAN')];
  const enterpriseCount = Math.max(1, Math.ceil(options.loans / 3));
  const enterprises: string[] = [];
  for (let start = 0; start < enterpriseCount; start += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, enterpriseCount - start) }, () => uuidv7());
    enterprises.push(...ids);
    await sql`insert into enterprise (id, name, credit_code, size_class, created_at)
      select id, 'Synthetic borrower ' || cast(n as text), null, 'micro', now()
      from unnest(cast(string_to_array(${ids.join(',')}, ',') as uuid[])) with ordinality as e(id, n)`.execute(db);
  }
  // Their reporting profile (migration 0018): micro enterprises from the start.
  await sql`insert into enterprise_profile (enterprise_id, valid_from, size_class, borrower_type, region_code, industry_code, foreign_trade_from)
    select id, cast('1900-01-01' as date), size_class, borrower_type, region_code, industry_code, foreign_trade_from from enterprise
    where id not in (select enterprise_id from enterprise_profile)`.execute(db);

  let total = minor(0n);
  for (let start = 0; start < options.loans; start += BATCH) {
    const size = Math.min(BATCH, options.loans - start);
    const columns = { id: [] as string[], enterprise: [] as string[], product: [] as number[], shard: [] as number[], rate: [] as number[], principal: [] as bigint[],
      maturity: [] as number[], nextDue: [] as number[], installments: [] as number[], overdueDays: [] as number[] };
    for (let i = 0; i < size; i++) {
      const kind = random();
      // 1,000.00 to 3,000,000.00 yuan, skewed small as micro loans are.
      const principal = 100_000n + BigInt(Math.floor(random() ** 3 * 300_000_000));
      const overdueDays = kind >= 0.95 ? 1 + Math.floor(random() * 400) : 0;
      const monthly = kind >= 0.55 && kind < 0.95;
      const installments = monthly ? 1 + Math.floor(random() * 12) : 1;
      // Days from the business date to the next due date (monthly: every 30 days after it).
      const nextDue = overdueDays > 0 ? 30 + Math.floor(random() * 300) : 1 + Math.floor(random() * (monthly ? 30 : 365));
      columns.id.push(uuidv7());
      const drawn = enterprises[Math.floor(random() * enterprises.length)]!;
      columns.enterprise.push(options.everyEnterpriseBorrows === true && start + i < enterprises.length ? enterprises[start + i]! : drawn);
      columns.product.push(monthly ? 2 : random() < 0.5 ? 0 : 1);
      columns.shard.push(Math.floor(random() * SHARDS));
      columns.rate.push(RATE_UNITS[Math.floor(random() * RATE_UNITS.length)]!);
      columns.principal.push(principal);
      columns.installments.push(installments);
      columns.nextDue.push(nextDue);
      columns.maturity.push(nextDue + 30 * (installments - 1));
      columns.overdueDays.push(overdueDays);
      total = minor(total + principal);
    }
    const list = (values: readonly (string | number | bigint)[]) => values.join(',');
    // Overdue loans owe a tenth of their principal, billed `overdue_days` ago.
    await sql`insert into loan (id, enterprise_id, product_id, line_id, renewed_from_id, shard, status, disbursed_on, maturity_on, principal,
        annual_rate, rate_units, penalty_rate_units, compound_rate_units, days_in_year, working_capital, allocation_order,
        principal_not_due, principal_due, interest_accrued, interest_due, penalty_due, interest_remainder, penalty_remainder,
        next_due_on, next_due_principal, overdue_since, dpd, classification, provision, last_eod_on, created_at, note_no)
      select b.id, b.enterprise_id, p.id, null, null, b.shard, 'active', d.day, d.day + b.maturity, b.principal,
        cast(b.rate as text), b.rate, b.rate * 3 / 2, b.rate * 3 / 2, p.days_in_year, p.working_capital, p.allocation_order,
        b.principal - case when b.overdue_days > 0 then b.principal / 10 else 0 end,
        case when b.overdue_days > 0 then b.principal / 10 else 0 end, 0, 0, 0, 0, 0,
        d.day + b.next_due, b.principal / b.installments, case when b.overdue_days > 0 then d.day - b.overdue_days end,
        0, 'normal', 0, null, now(), 'SYN-' || cast(b.id as text)
      from unnest(
          cast(string_to_array(${list(columns.id)}, ',') as uuid[]),
          cast(string_to_array(${list(columns.enterprise)}, ',') as uuid[]),
          cast(string_to_array(${list(columns.product)}, ',') as integer[]),
          cast(string_to_array(${list(columns.shard)}, ',') as smallint[]),
          cast(string_to_array(${list(columns.rate)}, ',') as bigint[]),
          cast(string_to_array(${list(columns.principal)}, ',') as bigint[]),
          cast(string_to_array(${list(columns.maturity)}, ',') as integer[]),
          cast(string_to_array(${list(columns.nextDue)}, ',') as integer[]),
          cast(string_to_array(${list(columns.installments)}, ',') as bigint[]),
          cast(string_to_array(${list(columns.overdueDays)}, ',') as integer[]))
        as b(id, enterprise_id, product_no, shard, rate, principal, maturity, next_due, installments, overdue_days)
      cross join (select cast(${options.date} as date) as day) d
      join (select id, days_in_year, working_capital, allocation_order,
                   case code when 'MICRO-LINE' then 0 when 'SHORT-TERM' then 1 else 2 end as product_no
            from product where id in (${sql.join(productIds)})) p on p.product_no = b.product_no`.execute(db);
    // The schedule still to bill: equal principal every 30 days, the last installment takes the rest.
    await sql`insert into loan_installment (loan_id, enterprise_id, number, due_on, principal, interest)
      select l.id, l.enterprise_id, g.n, l.next_due_on + 30 * (g.n - 1),
             case when g.n = l.k then l.principal_not_due - (l.k - 1) * l.next_due_principal else l.next_due_principal end, 0
      from (select id, enterprise_id, next_due_on, next_due_principal, principal_not_due, cast((maturity_on - next_due_on) / 30 + 1 as integer) as k
            from loan where id in (select cast(x as uuid) from unnest(string_to_array(${list(columns.id)}, ',')) as u(x))) l
      cross join lateral generate_series(1, l.k) as g(n)`.execute(db);
  }
  await inTransaction(db, async (trx) => {
    await postEntry(trx, {
      enterpriseId: BANK_ENTERPRISE_ID,
      businessDate: options.date,
      kind: 'drawdown',
      description: `synthetic book of ${options.loans} loans (benchmark)`,
      createdBy: 'bench',
      lines: [
        { purpose: 'loans-normal', amount: total },
        { purpose: 'settlement', amount: minor(-total) },
      ],
    });
  });
  return total;
}
