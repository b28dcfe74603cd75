/**
 * Reconciliation: the loan sub-ledger (the balances on each loan row) against the general ledger.
 * Every difference is a fen unaccounted for; `sprout ledger reconcile` exits non-zero on any.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { minor, type Minor } from '../money/minor.js';
import { trialBalance } from './trial-balance.js';
import { accrualNights, accruedInterestSql } from '../servicing/lazy-accrual.js';

export interface ReconcileLine {
  readonly purpose: string;
  /** What the loans say, in the account's sign (debit positive). */
  readonly subLedger: Minor;
  readonly generalLedger: Minor;
  readonly difference: Minor;
}

export interface Reconciliation {
  readonly lines: readonly ReconcileLine[];
  readonly trialBalanceBalanced: boolean;
  readonly balanced: boolean;
}

/**
 * Compares, per account purpose: principal by classification, interest and penalty receivable,
 * the loan-loss provision (the loans' and late supply-chain financings'), and the written-off memo
 * accounts (written off less recovered).
 */
export async function reconcile(db: Kysely<Database>): Promise<Reconciliation> {
  const nights = await accrualNights(db);
  const loans = await db
    .selectFrom('loan')
    .select([
      'classification',
      sql<Minor>`cast(coalesce(sum(principal_not_due + principal_due), 0) as bigint)`.as('principal'),
      sql<Minor>`cast(coalesce(sum(${accruedInterestSql(sql`loan`, nights)} + interest_due), 0) as bigint)`.as('interest'),
      sql<Minor>`cast(coalesce(sum(penalty_due), 0) as bigint)`.as('penalty'),
      sql<Minor>`cast(coalesce(sum(provision), 0) as bigint)`.as('provision'),
    ])
    .where('status', '=', 'active')
    .groupBy('classification')
    .execute();
  const expected = new Map<string, Minor>();
  const add = (purpose: string, amount: bigint) => expected.set(purpose, minor((expected.get(purpose) ?? 0n) + amount));
  for (const category of ['normal', 'special-mention', 'substandard', 'doubtful', 'loss']) add(`loans-${category}`, 0n);
  add('interest-receivable', 0n);
  add('penalty-receivable', 0n);
  add('loan-loss-provision', 0n);
  for (const row of loans) {
    add(`loans-${row.classification}`, row.principal);
    add('interest-receivable', row.interest);
    add('penalty-receivable', row.penalty);
    // The provision is a contra-asset: a credit balance.
    add('loan-loss-provision', -row.provision);
  }
  // Late supply-chain financing accrues penalty and holds provision in the same accounts as the
  // loan book (src/supply-chain/maturity.ts); a settled financing has neither outstanding.
  const financings = await db
    .selectFrom('scf_financing')
    .select([
      sql<Minor>`cast(coalesce(sum(penalty_due), 0) as bigint)`.as('penalty'),
      sql<Minor>`cast(coalesce(sum(provision), 0) as bigint)`.as('provision'),
    ])
    .where('status', '<>', 'settled')
    .executeTakeFirstOrThrow();
  add('penalty-receivable', financings.penalty);
  add('loan-loss-provision', -financings.provision);
  // Written off: the memo account holds what was written off and not yet recovered.
  const writtenOff = await db
    .selectFrom('loan')
    .select(sql<Minor>`cast(coalesce(sum(written_off - recovered), 0) as bigint)`.as('open'))
    .where('status', '=', 'written-off')
    .executeTakeFirstOrThrow();
  add('written-off-loans', writtenOff.open);
  add('written-off-loans-contra', -writtenOff.open);
  const tb = await trialBalance(db, null);
  const gl = new Map(tb.rows.map((row) => [row.purpose, row.balance]));
  const lines = [...expected].map(([purpose, subLedger]) => {
    const generalLedger = gl.get(purpose) ?? minor(0n);
    return { purpose, subLedger, generalLedger, difference: minor(generalLedger - subLedger) };
  });
  return { lines, trialBalanceBalanced: tb.balanced, balanced: tb.balanced && lines.every((line) => line.difference === 0n) };
}
