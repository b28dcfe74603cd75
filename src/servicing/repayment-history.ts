/**
 * A loan's repayments as the ledger recorded them (还款记录): each `repayment` journal entry read
 * back by account purpose, so the history is the books themselves, not a second copy that could
 * drift. Reversed repayments are left out.
 */
import type { Kysely, Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { invariant } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';
import { accountsById, type SettlementAccountView } from '../lines/settlement-accounts.js';

export interface PastRepayment {
  readonly entryId: string;
  readonly paidOn: BusinessDate;
  readonly amount: Minor;
  readonly penalty: Minor;
  readonly interest: Minor;
  readonly principal: Minor;
  /** Held in suspense (a counter receipt above the payoff). */
  readonly overpayment: Minor;
  readonly recordedBy: string;
  /** The enterprise's account it was debited from, masked; null when none was registered. */
  readonly account: SettlementAccountView | null;
}

/** Most a history lists; a loan repaid daily for five years stays under it. */
export const MAX_REPAYMENT_HISTORY = 2000;

/**
 * Repayments of `loanId`, newest first.
 *
 * @example
 * const history = await repaymentHistory(db, loanId); // [{ amount: 5_000_00n, principal: 4_970_00n, interest: 30_00n, … }]
 */
export async function repaymentHistory(db: Kysely<Database> | Transaction<Database>, loanId: string): Promise<PastRepayment[]> {
  const rows = await db
    .selectFrom('journal_entry as e')
    .innerJoin('journal_line as l', (join) => join.onRef('l.entry_id', '=', 'e.id').onRef('l.enterprise_id', '=', 'e.enterprise_id'))
    .innerJoin('ledger_account as a', 'a.code', 'l.account_code')
    .select(['e.id', 'e.business_date', 'e.created_by', 'e.account_id', 'a.purpose', 'l.amount'])
    .where('e.loan_id', '=', loanId)
    .where('e.kind', '=', 'repayment')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('journal_entry as r').select('r.id').whereRef('r.reverses_id', '=', 'e.id').whereRef('r.enterprise_id', '=', 'e.enterprise_id'))))
    .orderBy('e.id', 'desc')
    .limit(MAX_REPAYMENT_HISTORY * 8)
    .execute();
  const byEntry = new Map<string, { paidOn: BusinessDate; by: string; accountId: string | null; parts: Record<string, bigint> }>();
  for (const row of rows) {
    const entry = byEntry.get(row.id) ?? { paidOn: row.business_date, by: row.created_by, accountId: row.account_id, parts: {} };
    // Loans accounts differ by classification (loans-normal, loans-substandard…): all are principal.
    const purpose = row.purpose.startsWith('loans-') ? 'principal' : row.purpose;
    entry.parts[purpose] = (entry.parts[purpose] ?? 0n) + row.amount;
    byEntry.set(row.id, entry);
  }
  const accounts = await accountsById(db, [...byEntry.values()].flatMap((entry) => (entry.accountId === null ? [] : [entry.accountId])));
  return [...byEntry].map(([entryId, { paidOn, by, accountId, parts }]) => {
    const amount = parts['settlement'] ?? 0n;
    // Credits are negative in the journal; the borrower reads them as what the payment cleared.
    const repayment = {
      entryId,
      paidOn,
      amount: minor(amount),
      penalty: minor(-(parts['penalty-receivable'] ?? 0n)),
      interest: minor(-(parts['interest-receivable'] ?? 0n)),
      principal: minor(-(parts['principal'] ?? 0n)),
      overpayment: minor(-(parts['suspense'] ?? 0n)),
      recordedBy: by,
      account: accountId === null ? null : (accounts.get(accountId) ?? null),
    };
    invariant(repayment.penalty + repayment.interest + repayment.principal + repayment.overpayment === repayment.amount, `repayment entry ${entryId} does not account for its amount`);
    return repayment;
  });
}
