/**
 * The trial balance: every account's balance as of a business date. Debits and credits must be
 * equal in total, or something posted an unbalanced entry.
 */
import { sql, type Kysely } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { minor, type Minor } from '../money/minor.js';

export interface TrialBalanceRow {
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
  readonly type: string;
  readonly purpose: string;
  /** Fen: the debit balance (positive) or credit balance (negative). */
  readonly balance: Minor;
}

export interface TrialBalance {
  readonly asOf: BusinessDate | null;
  readonly rows: readonly TrialBalanceRow[];
  readonly totalDebit: Minor;
  readonly totalCredit: Minor;
  readonly balanced: boolean;
}

/**
 * The balance of every account, over entries dated on or before `asOf` (all entries when null).
 *
 * @example
 * const tb = await trialBalance(db, '2025-06-30'); // tb.balanced === true
 */
export async function trialBalance(db: Kysely<Database>, asOf: BusinessDate | null): Promise<TrialBalance> {
  let totals = db
    .selectFrom('journal_line')
    .innerJoin('journal_entry', (join) => join.onRef('journal_entry.id', '=', 'journal_line.entry_id').onRef('journal_entry.enterprise_id', '=', 'journal_line.enterprise_id'))
    .select(['journal_line.account_code', sql<Minor>`cast(sum(journal_line.amount) as bigint)`.as('balance')])
    .groupBy('journal_line.account_code');
  if (asOf !== null) totals = totals.where('journal_entry.business_date', '<=', asOf);
  const [accounts, sums] = await Promise.all([db.selectFrom('ledger_account').selectAll().orderBy('code').execute(), totals.execute()]);
  const byCode = new Map(sums.map((row) => [row.account_code, row.balance]));
  const rows = accounts.map((account) => ({
    code: account.code,
    name: account.name,
    nameZh: account.name_zh,
    type: account.type,
    purpose: account.purpose,
    balance: byCode.get(account.code) ?? minor(0n),
  }));
  const totalDebit = minor(rows.reduce((sum, row) => (row.balance > 0n ? sum + row.balance : sum), 0n));
  const totalCredit = minor(rows.reduce((sum, row) => (row.balance < 0n ? sum - row.balance : sum), 0n));
  return { asOf, rows, totalDebit, totalCredit, balanced: totalDebit === totalCredit };
}
