/**
 * Write-off (核销) and later recovery.
 *
 * Writing off takes a doubtful or loss loan's receivables off the balance sheet against its
 * provision (any shortfall is an expense now) and records the amount in the off-balance memo
 * accounts, where recoveries reduce it. Cash recovered afterwards is income.
 */
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { ConflictError, LimitExceededError, ValidationError } from '../errors.js';
import { loansAccountPurpose } from '../ledger/chart-of-accounts.js';
import { postEntry } from '../ledger/post-entry.js';
import { formatMoney } from '../money/format-money.js';
import { parseMoney } from '../money/parse-money.js';
import { minor, type Minor } from '../money/minor.js';
import { getBusinessDate } from '../system/business-date.js';
import { loanById, type LoanRow } from './loans.js';

/** Classifications a loan must have reached before it may be written off. */
const WRITABLE = new Set(['doubtful', 'loss']);

export interface WriteOff {
  readonly loanId: string;
  readonly principal: Minor;
  readonly interest: Minor;
  readonly penalty: Minor;
  readonly total: Minor;
  readonly provisionUsed: Minor;
  readonly expense: Minor;
}

/** Throws unless `loan` may be written off now, for `reason`. */
export function assertWriteOffAllowed(loan: LoanRow, reason: string): void {
  if (reason.trim().length < 5) throw new ValidationError('reason', 'say why the loan is written off (at least 5 characters)');
  if (loan.status !== 'active') throw new ConflictError(`loan ${loan.id} is ${loan.status}`, 'loanId');
  if (!WRITABLE.has(loan.classification)) throw new ConflictError(`only doubtful or loss loans may be written off; this one is ${loan.classification}`, 'loanId');
}

/**
 * Writes a loan off. Over the API this runs only when a second person confirms it
 * (src/approvals/checked-actions.ts).
 *
 * @example
 * await writeOff(trx, { loanId, reason: 'borrower bankrupt, court ruling (2025)沪01破12号' }, 'risk-officer');
 */
export async function writeOff(trx: Transaction<Database>, request: { loanId: string; reason: string }, actor: string): Promise<WriteOff> {
  const loan = await loanById(trx, request.loanId, { forUpdate: true });
  assertWriteOffAllowed(loan, request.reason);
  const today = await getBusinessDate(trx);
  const principal = minor(loan.principal_not_due + loan.principal_due);
  const interest = minor(loan.interest_accrued + loan.interest_due);
  const penalty = loan.penalty_due;
  const total = minor(principal + interest + penalty);
  const provisionUsed = loan.provision < total ? loan.provision : total;
  const expense = minor(total - provisionUsed);
  await trx
    .updateTable('loan')
    .set({
      status: 'written-off',
      principal_not_due: minor(0n),
      principal_due: minor(0n),
      interest_accrued: minor(0n),
      interest_due: minor(0n),
      penalty_due: minor(0n),
      interest_remainder: 0n,
      penalty_remainder: 0n,
      provision: minor(0n),
      next_due_on: null,
      next_due_principal: minor(0n),
      written_off: total,
    })
    .where('id', '=', loan.id)
    .execute();
  await postEntry(trx, {
    enterpriseId: loan.enterprise_id,
    businessDate: today,
    kind: 'write-off',
    description: `write-off of loan ${loan.id}: ${request.reason.trim()}`,
    loanId: loan.id,
    createdBy: actor,
    lines: [
      { purpose: 'loan-loss-provision', amount: provisionUsed },
      { purpose: 'provision-expense', amount: expense },
      { purpose: loansAccountPurpose(loan.classification), amount: minor(-principal) },
      { purpose: 'interest-receivable', amount: minor(-interest) },
      { purpose: 'penalty-receivable', amount: minor(-penalty) },
      { purpose: 'written-off-loans', amount: total },
      { purpose: 'written-off-loans-contra', amount: minor(-total) },
    ],
  });
  await appendAudit(trx, { actor, action: 'loan.write-off', entityType: 'loan', entityId: loan.id, before: { status: loan.status, classification: loan.classification }, after: { status: 'written-off', total, provisionUsed, expense, reason: request.reason.trim() } });
  return { loanId: loan.id, principal, interest, penalty, total, provisionUsed, expense };
}

/**
 * Records cash recovered on a written-off loan.
 *
 * @example
 * await recover(trx, { loanId, amount: '5000.00' }, 'operator');
 */
export async function recover(trx: Transaction<Database>, request: { loanId: string; amount: string }, actor: string): Promise<{ loanId: string; amount: Minor; recovered: Minor; outstanding: Minor }> {
  const amount = parseMoney(request.amount, 'amount');
  if (amount <= 0n) throw new ValidationError('amount', 'must be more than 0.00');
  const loan = await loanById(trx, request.loanId, { forUpdate: true });
  if (loan.status !== 'written-off') throw new ConflictError(`loan ${loan.id} is ${loan.status}, not written off`, 'loanId');
  const outstanding = minor(loan.written_off - loan.recovered);
  if (amount > outstanding) throw new LimitExceededError(`only ${formatMoney(outstanding)} written off remains to recover`, 'amount');
  const today = await getBusinessDate(trx);
  const recovered = minor(loan.recovered + amount);
  await trx.updateTable('loan').set({ recovered }).where('id', '=', loan.id).execute();
  await postEntry(trx, {
    enterpriseId: loan.enterprise_id,
    businessDate: today,
    kind: 'recovery',
    description: `recovery ${formatMoney(amount)} on written-off loan ${loan.id}`,
    loanId: loan.id,
    createdBy: actor,
    lines: [
      { purpose: 'settlement', amount },
      { purpose: 'recovery-income', amount: minor(-amount) },
      { purpose: 'written-off-loans-contra', amount },
      { purpose: 'written-off-loans', amount: minor(-amount) },
    ],
  });
  await appendAudit(trx, { actor, action: 'loan.recovery', entityType: 'loan', entityId: loan.id, before: { recovered: loan.recovered }, after: { recovered, amount } });
  return { loanId: loan.id, amount, recovered, outstanding: minor(outstanding - amount) };
}
