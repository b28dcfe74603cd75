/**
 * Where a repayment goes (还款冲抵顺序). Pure: balances in, allocation out.
 *
 * First what is due, in the product's order (default penalty → interest → principal, the common
 * order in Chinese loan contracts); then, with what is left, the loan is prepaid: interest accrued
 * to today, then principal not yet due. Anything beyond the payoff is an overpayment, held in
 * suspense for the bank to return or apply.
 */
import { invariant } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';
import type { AllocationBucket } from '../products/default-products.js';

export interface DueBalances {
  readonly penaltyDue: Minor;
  readonly interestDue: Minor;
  readonly principalDue: Minor;
  readonly interestAccrued: Minor;
  readonly principalNotDue: Minor;
}

export interface RepaymentAllocation {
  readonly penalty: Minor;
  readonly interestDue: Minor;
  readonly principalDue: Minor;
  readonly interestAccrued: Minor;
  readonly principalNotDue: Minor;
  readonly overpayment: Minor;
}

/**
 * Splits `amount` over the balances.
 *
 * @example
 * allocateRepayment(50_00n, { penaltyDue: 10_00n, interestDue: 30_00n, principalDue: 100_00n, interestAccrued: 0n, principalNotDue: 0n }, ['penalty', 'interest', 'principal']);
 * // { penalty: 10_00n, interestDue: 30_00n, principalDue: 10_00n, … overpayment: 0n }
 */
export function allocateRepayment(amount: Minor, balances: DueBalances, order: readonly AllocationBucket[]): RepaymentAllocation {
  invariant(amount > 0n, 'repayment amount must be positive');
  invariant(new Set(order).size === 3 && order.length === 3, `allocation order ${order.join(',')} must name penalty, interest and principal once each`);
  let left: Minor = amount;
  const take = (available: Minor): Minor => {
    const taken = left < available ? left : available;
    left = minor(left - taken);
    return taken;
  };
  const due: Record<AllocationBucket, Minor> = { penalty: minor(0n), interest: minor(0n), principal: minor(0n) };
  const available = { penalty: balances.penaltyDue, interest: balances.interestDue, principal: balances.principalDue };
  for (const bucket of order) due[bucket] = take(available[bucket]);
  const interestAccrued = take(balances.interestAccrued);
  const principalNotDue = take(balances.principalNotDue);
  return { penalty: due.penalty, interestDue: due.interest, principalDue: due.principal, interestAccrued, principalNotDue, overpayment: left };
}
