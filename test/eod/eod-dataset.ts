/**
 * A small, fixed book for end-of-day run tests: 48 loans over 12 borrowers, spread over the
 * shards, mixing bullets maturing in the next days, monthly installments, overdue loans and one
 * borrower the debtor-level rule catches. The same call makes the same book (ids aside; each
 * borrower's half of the ids is fixed).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { uuidv7 } from '../../src/ids.js';
import type { BorrowerHalf } from '../../src/reporting/book-as-of.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';

export const DATASET_LOANS = 48;

/** `id` with its last byte moved into `half` (its low seven bits kept). */
export function inHalf(id: string, half: BorrowerHalf): string {
  const last = (Number.parseInt(id.slice(-2), 16) & 0x7f) | (half === 'upper' ? 0x80 : 0);
  return `${id.slice(0, -2)}${last.toString(16).padStart(2, '0')}`;
}

export async function createDataset(db: Kysely<Database>): Promise<void> {
  const enterprises: string[] = [];
  // Borrowers alternate between the halves end of day judges apart (src/reporting/book-as-of.ts,
  // `borrowerHalf`): the last byte of the id, random in a UUIDv7, below 128 for even ones.
  for (let i = 0; i < 12; i++) enterprises.push(await createEnterprise(db, `Borrower ${i}`, inHalf(uuidv7(), i % 2 === 0 ? 'lower' : 'upper')));
  for (let i = 0; i < DATASET_LOANS; i++) {
    const enterpriseId = enterprises[i % 12]!;
    const principal = 1_000_000n + BigInt(i) * 123_457n;
    const shard = (i * 211) % 1024;
    const rateUnits = 30_000n + BigInt(i % 7) * 5_000n;
    if (i % 4 === 0) {
      // Monthly installments, the first due tomorrow or in a few days.
      const parts = [principal / 3n, principal / 3n, principal - 2n * (principal / 3n)];
      const first = ['2025-07-01', '2025-07-02', '2025-07-05'][i % 3]!;
      const dates = [first, first.replace('-07-', '-08-'), first.replace('-07-', '-09-')];
      await createLoan(db, { enterpriseId, principal, shard, rateUnits, productCode: 'TERM-LOAN', installments: parts.map((part, k) => ({ dueOn: dates[k]!, principal: part })) });
    } else if (i % 4 === 1) {
      await createLoan(db, bullet(enterpriseId, principal, ['2025-07-01', '2025-07-02', '2025-12-31'][i % 3]!, { shard, rateUnits, daysInYear: 365 }));
    } else if (i % 4 === 2) {
      // Overdue by 1 to 400 days.
      const since = ['2025-06-30', '2025-04-01', '2025-01-15', '2024-05-01'][i % 4 === 2 ? (i >> 2) % 4 : 0]!;
      await createLoan(db, bullet(enterpriseId, principal, since, { shard, rateUnits, overdue: { principal, since } }));
    } else {
      await createLoan(db, bullet(enterpriseId, principal, '2026-03-31', { shard, rateUnits, productCode: 'MICRO-LINE' }));
    }
  }
}

/** The loan book and the trial balance, without ids or timestamps, for comparing two databases. */
export async function snapshot(db: Kysely<Database>) {
  const loans = await db
    .selectFrom('loan')
    .select([
      'shard', 'principal', 'principal_not_due', 'principal_due', 'interest_accrued', 'interest_due', 'penalty_due',
      'interest_remainder', 'penalty_remainder', 'next_due_on', 'next_due_principal', 'overdue_since', 'dpd',
      'classification', 'provision', 'last_eod_on',
    ])
    .orderBy('shard')
    .orderBy('principal')
    .execute();
  const balances = await db
    .selectFrom('journal_line')
    .select(['account_code', (eb) => eb.fn.sum<bigint>('amount').as('balance')])
    .groupBy('account_code')
    .orderBy('account_code')
    .execute();
  const date = await db.selectFrom('system_state').select('business_date').executeTakeFirstOrThrow();
  return { loans, balances: balances.map((row) => [row.account_code, String(row.balance)]), businessDate: date.business_date };
}
