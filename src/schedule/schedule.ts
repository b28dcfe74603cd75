import type { BusinessDate } from '../calendar/business-date.js';
import type { Minor } from '../money/minor.js';

/**
 * One row of a repayment schedule.
 *
 * @example
 * const first: Installment = {
 *   number: 1, dueDate: parseBusinessDate('2022-12-01', 'dueDate'), days: 30,
 *   principal: minor(25500n), interest: minor(5000n), total: minor(30500n), balance: minor(474500n),
 * };
 */
export interface Installment {
  /** 1-based. */
  readonly number: number;
  readonly dueDate: BusinessDate;
  /** Calendar days since the previous due date (or the disbursement for the first). */
  readonly days: number;
  readonly principal: Minor;
  readonly interest: Minor;
  /** principal + interest. */
  readonly total: Minor;
  /** Principal still owed after this installment. */
  readonly balance: Minor;
}

/**
 * A repayment schedule and its totals.
 *
 * @example
 * const schedule: Schedule = buildSchedule(terms);
 * schedule.totalRepayment === schedule.totalPrincipal + schedule.totalInterest; // true
 */
export interface Schedule {
  readonly installments: readonly Installment[];
  readonly totalPrincipal: Minor;
  readonly totalInterest: Minor;
  readonly totalRepayment: Minor;
}
