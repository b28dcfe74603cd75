/**
 * Repayment (还款): any amount, any day. Allocated by `allocateRepayment`; a repayment that
 * covers the payoff closes the loan; repaid principal returns to a revolving line.
 *
 * Posts Dr settlement for the amount received, Cr the receivables it clears, Cr suspense for any
 * overpayment — in the same transaction as the loan's new balances.
 */
import type { Transaction } from 'kysely';
import { appendAuditEvents, type AuditEvent } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { ConflictError, invariant, LimitExceededError, SproutError, ValidationError } from '../errors.js';
import { loansAccountPurpose } from '../ledger/chart-of-accounts.js';
import { postEntry, type NewEntry } from '../ledger/post-entry.js';
import { noticeRow, type NewNotice } from '../notifications/outbox.js';
import { restoreToLine } from '../lines/credit-lines.js';
import { formatMoney } from '../money/format-money.js';
import { parseMoney } from '../money/parse-money.js';
import { minor, type Minor } from '../money/minor.js';
import type { BusinessDate } from '../calendar/business-date.js';
import type { AllocationBucket } from '../products/default-products.js';
import { getBusinessDate } from '../system/business-date.js';
import { allocateRepayment, type RepaymentAllocation } from './allocate-repayment.js';
import { assertLoanParts } from './loan-bounds.js';
import { balancesOf, loanById, type LoanBalances, type LoanRow } from './loans.js';
import { loanAmortization, reamortise, type PrepaymentEffect } from './prepayment-options.js';
import { accountView, currentAccount, type SettlementAccountRow, type SettlementAccountView } from '../lines/settlement-accounts.js';
import { productById } from '../products/products.js';

export interface RepaymentRequest {
  readonly loanId: string;
  /** Yuan, "1000.00". */
  readonly amount: string;
  /**
   * What may happen to money above the payoff: `suspense` (the default, a counter receipt staff
   * return or apply) or `refuse` (self-service: the borrower cannot get a surplus back online, so
   * more than the payoff is a LIMIT_EXCEEDED on `amount` and nothing moves).
   */
  readonly aboveThePayoff?: 'suspense' | 'refuse' | undefined;
  /**
   * What a prepayment of principal does to the rest of the loan: `shorten-term` (the default: the
   * installments keep their planned principal, the loan ends sooner) or `lower-installments` (the
   * principal left is re-amortised over the same installments). See `prepayment-options.ts`.
   */
  readonly prepaymentEffect?: PrepaymentEffect | undefined;
  /** The settlement account debited (`settlement-accounts.ts`); the line's repayment account if absent. */
  readonly accountId?: string | null | undefined;
}

/** What a caller checks on the locked loan before anything moves (that the caller may see it: a NOT_FOUND when not). */
export type LoanCheck = (loan: LoanRow) => void;

export interface Repayment {
  readonly loanId: string;
  /** The repayment's journal entry: its receipt's number (GET /v1/loans/{id}/repayments/{entryId}/receipt.html). */
  readonly entryId: string;
  /** The loan note number (借据号) the receipt names. */
  readonly noteNo: string;
  readonly amount: Minor;
  readonly paidOn: BusinessDate;
  readonly allocation: RepaymentAllocation;
  readonly balances: LoanBalances;
  readonly loanStatus: 'active' | 'closed';
  /** What the prepayment did to the rest of the loan; null when it prepaid no principal or closed the loan. */
  readonly prepaymentEffect: PrepaymentEffect | null;
  /** The enterprise's account debited, masked; null when none is registered (a counter receipt in cash). */
  readonly account: SettlementAccountView | null;
}

/** What a repayment of `amount` would do to `loan`: its allocation and the balances after. */
export interface RepaymentPlan {
  readonly allocation: RepaymentAllocation;
  readonly balancesAfter: LoanBalances;
  readonly loanStatusAfter: 'active' | 'closed';
  /** Principal the repayment gives back to a revolving line. */
  readonly principalRepaid: Minor;
  /** The loan row as the repayment leaves it (before end of day). */
  readonly loanAfter: LoanRow;
}

/**
 * Plans a repayment without moving money: what `repay` will do, and what the confirmation step
 * shows (`previewRepayment`). Refuses a loan that takes no repayments (CONFLICT) and, when
 * `aboveThePayoff` is `refuse`, an amount above the payoff (LIMIT_EXCEEDED on `amount`).
 *
 * @example
 * planRepayment(loan, minor(5_000_00n), 'refuse').balancesAfter.payoff;
 */
export function planRepayment(loan: LoanRow, amount: Minor, aboveThePayoff: 'suspense' | 'refuse'): RepaymentPlan {
  if (loan.status !== 'active') throw new ConflictError(`loan ${loan.id} is ${loan.status}; it takes no repayments`, 'loanId');
  const before = balancesOf(loan);
  if (aboveThePayoff === 'refuse' && amount > before.payoff) {
    throw new LimitExceededError(`amount ${formatMoney(amount)} is more than the ${formatMoney(before.payoff)} that pays the loan off today`, 'amount');
  }
  const allocation = allocateRepayment(amount, before, loan.allocation_order.split(',') as AllocationBucket[]);
  const after = {
    ...loan,
    penalty_due: minor(loan.penalty_due - allocation.penalty),
    interest_due: minor(loan.interest_due - allocation.interestDue),
    principal_due: minor(loan.principal_due - allocation.principalDue),
    interest_accrued: minor(loan.interest_accrued - allocation.interestAccrued),
    principal_not_due: minor(loan.principal_not_due - allocation.principalNotDue),
    ...scheduledInterestAfterRepayment(loan, allocation, allocation.principalNotDue > 0n && loan.principal_not_due > allocation.principalNotDue),
  };
  const balancesAfter = balancesOf(after);
  return { allocation, balancesAfter, loanStatusAfter: balancesAfter.payoff === 0n ? 'closed' : 'active', principalRepaid: minor(allocation.principalDue + allocation.principalNotDue), loanAfter: after };
}

/**
 * Applies a repayment to a loan.
 *
 * @example
 * const result = await repay(trx, { loanId, amount: '20150.00' }, 'borrower');
 */
export async function repay(trx: Transaction<Database>, request: RepaymentRequest, actor: string, check?: LoanCheck): Promise<Repayment> {
  const amount = repaymentAmount(request);
  const loan = await loanById(trx, request.loanId, { forUpdate: true });
  check?.(loan);
  const today = await getBusinessDate(trx);
  const change = decideRepayment(loan, amount, request);
  // The loan as the repayment leaves it, from the update itself (the provision release below touches no balance).
  const after = await trx.updateTable('loan').set(change.set).where('id', '=', loan.id).returningAll().executeTakeFirstOrThrow();
  if (loan.line_id !== null) await restoreToLine(trx, loan.line_id, change.principal);
  if (change.effect === 'lower-installments') await lowerInstallments(trx, change.planned);
  const account = request.accountId === null ? undefined : request.accountId !== undefined ? await trx.selectFrom('settlement_account').selectAll().where('id', '=', request.accountId).executeTakeFirst() : loan.line_id === null ? undefined : await currentAccount(trx, loan.line_id, 'repayment');
  const accountId = account?.id ?? null;

  const entryId = await postEntry(trx, repaymentEntry(change, today, actor, accountId));
  // A closed loan's provision is released with it.
  const release = provisionRelease(change, today, actor);
  if (release !== undefined) {
    await trx.updateTable('loan').set({ provision: minor(0n) }).where('id', '=', loan.id).execute();
    await postEntry(trx, release);
  }
  invariant(entryId !== undefined, `repayment of loan ${loan.id} posted no entry`);
  const receipt = noticeRow(repaymentReceipt(change, entryId, today));
  // The receipt (notification outbox) in the audit's statement: one round trip for both.
  await appendAuditEvents(trx, [{ event: repaymentAuditEvent(change, after, accountId, actor) }], {
    alongside: (qc) => qc.with('stored_receipt', (db) => db.insertInto('notification').values(receipt).onConflict((oc) => oc.columns(['dedupe_key', 'enterprise_id']).doNothing())),
  });
  return repaymentResult(change, entryId, today, after, account);
}

/** The amount of `request` in fen: a VALIDATION_ERROR on `amount` unless it is money above 0.00. */
export function repaymentAmount(request: RepaymentRequest): Minor {
  const amount = parseMoney(request.amount, 'amount');
  if (amount <= 0n) throw new ValidationError('amount', 'must be more than 0.00');
  return amount;
}

/**
 * A repayment decided on its locked loan: what it writes. `repay` and the batched path
 * (repayment-batch.ts) both write exactly this, so the rules live here once.
 */
export interface RepaymentChange {
  /** The loan as locked, before the repayment. */
  readonly loan: LoanRow;
  readonly amount: Minor;
  readonly allocation: RepaymentAllocation;
  readonly effect: PrepaymentEffect | null;
  /** Principal repaid (due and not yet due): what returns to a revolving line. */
  readonly principal: Minor;
  /** Interest repaid (billed and accrued). */
  readonly interest: Minor;
  readonly closed: boolean;
  /** The columns of `loan` the repayment sets. */
  readonly set: RepaymentSet;
  /** {@link planRepayment}'s loan after (what `lower-installments` re-amortises). */
  readonly planned: LoanRow;
}

/** The loan columns a repayment may set. */
export type RepaymentSet = Pick<LoanRow, 'penalty_due' | 'interest_due' | 'principal_due' | 'interest_accrued' | 'principal_not_due'> &
  Partial<Pick<LoanRow, 'overdue_since' | 'dpd' | 'status' | 'interest_remainder' | 'penalty_remainder' | 'next_due_on' | 'next_due_principal'>> & { interest_basis?: 'daily'; next_interest?: Minor };

/**
 * Decides a repayment of `amount` on the locked `loan`, or throws what the caller is answered:
 * CONFLICT (a loan that takes no repayments, a flat-interest loan asked to lower its
 * installments), LIMIT_EXCEEDED on `amount` (self-service above the payoff).
 *
 * @example
 * const change = decideRepayment(lockedLoan, minor(100_00n), { aboveThePayoff: 'refuse' }); // change.set: the loan's new columns
 */
export function decideRepayment(loan: LoanRow, amount: Minor, request: Pick<RepaymentRequest, 'aboveThePayoff' | 'prepaymentEffect'>): RepaymentChange {
  const { allocation, loanAfter } = planRepayment(loan, amount, request.aboveThePayoff ?? 'suspense');
  const prepaid = allocation.principalNotDue > 0n && loanAfter.principal_not_due > 0n;
  const effect: PrepaymentEffect | null = prepaid ? (request.prepaymentEffect ?? 'shorten-term') : null;
  if (effect === 'lower-installments' && loan.interest_basis === 'scheduled') {
    // Re-amortising keeps neither flat interest nor an interest grace period: refuse rather than mis-bill.
    throw new SproutError('CONFLICT', `loan ${loan.id} has flat interest or an interest grace period; its installments cannot be re-amortised keeping them: prepay with shorten-term`, 'prepaymentEffect', 'schedule-not-reamortised');
  }

  const principal = minor(allocation.principalDue + allocation.principalNotDue);
  const interest = minor(allocation.interestDue + allocation.interestAccrued);
  const next = {
    penalty_due: minor(loan.penalty_due - allocation.penalty),
    interest_due: minor(loan.interest_due - allocation.interestDue),
    principal_due: minor(loan.principal_due - allocation.principalDue),
    interest_accrued: minor(loan.interest_accrued - allocation.interestAccrued),
    principal_not_due: minor(loan.principal_not_due - allocation.principalNotDue),
  };
  // TIGER_STYLE: the parts account for every fen paid, and no balance goes below zero.
  invariant(
    allocation.penalty + allocation.interestDue + allocation.principalDue + allocation.interestAccrued + allocation.principalNotDue + allocation.overpayment === amount,
    `repayment ${amount} of loan ${loan.id}: allocated parts do not sum to the amount paid`,
  );
  invariant(allocation.overpayment >= 0n, `repayment of loan ${loan.id}: negative overpayment`);
  assertLoanParts(loan.id, next);
  const cured = next.penalty_due + next.interest_due + next.principal_due === 0n;
  const closed = cured && next.interest_accrued + next.principal_not_due === 0n;
  const set: RepaymentSet = {
    ...next,
    ...(cured ? { overdue_since: null, dpd: 0 } : {}),
    ...scheduledInterestAfterRepayment(loan, allocation, prepaid),
    // A paid-off loan leaves nothing behind: sub-fen accrual carries are not money owed.
    ...(closed ? { status: 'closed' as const, interest_remainder: 0n, penalty_remainder: 0n, next_due_on: null, next_due_principal: minor(0n) } : {}),
  };
  return { loan, amount, allocation, effect, principal, interest, closed, set, planned: loanAfter };
}

/** The repayment's journal entry: Dr settlement, Cr what it clears, Cr suspense for any overpayment. */
export function repaymentEntry(change: RepaymentChange, today: BusinessDate, actor: string, accountId: string | null): NewEntry {
  const { loan, amount, allocation } = change;
  return {
    enterpriseId: loan.enterprise_id,
    businessDate: today,
    kind: 'repayment',
    description: `repayment ${formatMoney(amount)} of loan ${loan.id}`,
    loanId: loan.id,
    createdBy: actor,
    accountId,
    lines: [
      { purpose: 'settlement', amount },
      { purpose: 'penalty-receivable', amount: minor(-allocation.penalty) },
      { purpose: 'interest-receivable', amount: minor(-change.interest) },
      { purpose: loansAccountPurpose(loan.classification), amount: minor(-change.principal) },
      { purpose: 'suspense', amount: minor(-allocation.overpayment) },
    ],
  };
}

/** The release of a closed loan's provision (its `provision` then set to 0), or undefined. */
export function provisionRelease(change: RepaymentChange, today: BusinessDate, actor: string): NewEntry | undefined {
  const { loan } = change;
  if (!change.closed || loan.provision === 0n) return undefined;
  return {
    enterpriseId: loan.enterprise_id,
    businessDate: today,
    kind: 'provision-release',
    description: `provision released on payoff of loan ${loan.id}`,
    loanId: loan.id,
    createdBy: actor,
    lines: [
      { purpose: 'loan-loss-provision', amount: loan.provision },
      { purpose: 'provision-expense', amount: minor(-loan.provision) },
    ],
  };
}

/** The borrower's receipt (notification outbox). */
export function repaymentReceipt(change: RepaymentChange, entryId: string, today: BusinessDate): NewNotice {
  const { loan, amount, allocation } = change;
  return {
    kind: 'repayment-receipt',
    dedupeKey: `repayment-receipt:${entryId}`,
    enterpriseId: loan.enterprise_id,
    loanId: loan.id,
    businessDate: today,
    params: { noteNo: loan.note_no, entryId, amount: formatMoney(amount), paidOn: today, principal: formatMoney(change.principal), interest: formatMoney(change.interest), penalty: formatMoney(allocation.penalty), overpayment: formatMoney(allocation.overpayment), loanStatus: change.closed ? 'closed' : 'active' },
  };
}

/** The audit event of the repayment; `after` is the loan row as the repayment's update returned it. */
export function repaymentAuditEvent(change: RepaymentChange, after: LoanRow, accountId: string | null, actor: string): AuditEvent {
  const { loan, amount, allocation, effect } = change;
  return { actor, action: 'loan.repayment', entityType: 'loan', entityId: loan.id, before: balancesOf(loan), after: { amount, allocation, balances: balancesOf(after), status: after.status, prepaymentEffect: effect, accountId } };
}

/** What the caller is answered. */
export function repaymentResult(change: RepaymentChange, entryId: string, today: BusinessDate, after: LoanRow, account: SettlementAccountRow | undefined): Repayment {
  const { loan, amount, allocation, effect } = change;
  return { loanId: loan.id, entryId, noteNo: loan.note_no, amount, paidOn: today, allocation, balances: balancesOf(after), loanStatus: change.closed ? 'closed' : 'active', prepaymentEffect: effect, account: account === undefined ? null : accountView(account) };
}

/** Keeps the term: the installments not yet billed re-amortised over the principal left. */
async function lowerInstallments(trx: Transaction<Database>, loanAfter: LoanRow): Promise<void> {
  const stored = await trx.selectFrom('loan_installment').select(['number', 'due_on', 'principal', 'interest']).where('loan_id', '=', loanAfter.id).orderBy('number').execute();
  const product = await productById(trx, loanAfter.product_id);
  const rows = reamortise(loanAfter, stored, loanAmortization(loanAfter, product.schedule), product.schedule);
  const changed = rows.filter((row, index) => row.principal !== stored[index]!.principal || row.interest !== stored[index]!.interest);
  // Bounded by the loan's installments (at most 60 monthly, MAX_PERIODS for the engine).
  for (const row of changed) {
    await trx.updateTable('loan_installment').set({ principal: row.principal, interest: row.interest }).where('loan_id', '=', loanAfter.id).where('number', '=', row.number).execute();
  }
  const next = rows.find((row) => loanAfter.next_due_on !== null && row.due_on >= loanAfter.next_due_on);
  if (next !== undefined) await trx.updateTable('loan').set({ next_due_principal: next.principal }).where('id', '=', loanAfter.id).execute();
}

/**
 * A 'scheduled' loan (flat interest, interest grace) after a repayment: interest it paid before
 * its due date comes off what the next interest installment bills; a prepayment of principal ends
 * the schedule's interest — from then on interest accrues daily on the principal left, as the
 * current schedule (and the prepayment's confirmation) shows, so the borrower is never billed flat
 * interest on principal already repaid.
 */
function scheduledInterestAfterRepayment(loan: LoanRow, allocation: RepaymentAllocation, prepaid: boolean): { interest_basis?: 'daily'; next_interest?: Minor } {
  if (loan.interest_basis !== 'scheduled') return {};
  if (prepaid) return { interest_basis: 'daily' };
  return allocation.interestAccrued === 0n ? {} : { next_interest: minor(loan.next_interest > allocation.interestAccrued ? loan.next_interest - allocation.interestAccrued : 0n) };
}
