/**
 * A new loan's term as the borrower chooses it — one repayment after `termDays`, or monthly
 * `installments` — turned into the schedule engine's request with the product's defaults.
 * Used by drawdowns and renewals alike.
 */
import { ValidationError } from '../errors.js';
import type { ScheduleRequest } from '../schedule/index.js';

export interface LoanTerm {
  /** A single repayment of principal and interest after this many days (1–365). */
  readonly termDays?: number | undefined;
  /** Or this many monthly installments (1–60), by the product's method unless `method` says. */
  readonly installments?: number | undefined;
  readonly method?: string | undefined;
}

/**
 * @example
 * scheduleRequestFor({ termDays: 90 }, product.schedule, '100000.00', '4.35', '2025-06-30');
 */
export function scheduleRequestFor(term: LoanTerm, defaults: Readonly<Record<string, string | number>>, principal: string, rate: string, today: string): ScheduleRequest {
  const base = { ...defaults, principal, rate, disbursed: today };
  if ((term.termDays === undefined) === (term.installments === undefined)) {
    throw new ValidationError('termDays', 'give either termDays (one repayment at maturity) or installments (monthly), not both or neither');
  }
  if (term.termDays !== undefined) {
    if (!Number.isInteger(term.termDays) || term.termDays < 1 || term.termDays > 365) throw new ValidationError('termDays', 'must be a whole number of days from 1 to 365');
    return { ...base, method: 'bullet', periods: 1, every: term.termDays, unit: 'days', interestPeriod: 'daily' };
  }
  const installments = term.installments!;
  if (!Number.isInteger(installments) || installments < 1 || installments > 60) throw new ValidationError('installments', 'must be a whole number from 1 to 60');
  const method = term.method ?? (defaults.method === 'bullet' ? 'equal-installments' : String(defaults.method ?? 'equal-installments'));
  return { ...base, method, periods: installments, every: 1, unit: 'months' };
}
