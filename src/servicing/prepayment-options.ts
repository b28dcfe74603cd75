/**
 * What a prepayment (提前还款) does to the rest of a loan, as the borrower chooses it:
 *
 * - `shorten-term` (缩短期限): the installments keep their planned principal; the last ones shrink
 *   or fall away, so the loan ends sooner (what end of day does with the stored schedule as drawn);
 * - `lower-installments` (减少月供): the term stays; the principal left is re-amortised over the
 *   installments not yet billed, at the same rate, the same way it was amortised when drawn, on
 *   the same due dates — the schedule engine's own maths (`buildScheduleOnDates`), so a level
 *   installment is the annuity P′·r ÷ (1 − (1 + r)^−m′) rounded once.
 *
 * Pure over the loan rows before and after the repayment and the stored installments: the preview
 * and the repayment compute the same figures.
 */
import type { BusinessDate } from '../calendar/business-date.js';
import { invariant } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { buildScheduleOnDates, parseScheduleRequest } from '../schedule/index.js';
import { AMORTIZATIONS, type Amortization } from '../schedule/schedule-terms.js';
import { currentSchedule, type CurrentInstallment } from './current-schedule.js';
import type { LoanRow } from './loans.js';

/** The borrower's choice after a prepayment, a closed list. */
export const PREPAYMENT_EFFECTS = ['shorten-term', 'lower-installments'] as const;
export type PrepaymentEffect = (typeof PREPAYMENT_EFFECTS)[number];

/** A stored installment (`loan_installment`), as the current schedule reads it. */
export interface StoredInstallment {
  readonly number: number;
  readonly due_on: BusinessDate;
  readonly principal: Minor;
  readonly interest: Minor;
}

/** One choice, as the confirmation step shows it. */
export interface PrepaymentOutcome {
  readonly effect: PrepaymentEffect;
  /** The schedule as it will stand after the repayment. */
  readonly schedule: readonly CurrentInstallment[];
  /** Installments still to pay (upcoming, not covered by the prepayment). */
  readonly installmentsLeft: number;
  /**
   * A regular installment after the repayment: the second upcoming one (the first also carries the
   * interest accrued before the prepayment), or the only one.
   */
  readonly installment: Minor;
  /** When the last installment falls due, or null when nothing is left to bill. */
  readonly lastDueOn: BusinessDate | null;
  /** Interest the upcoming installments no longer carry, against keeping the prepaid principal. */
  readonly interestSaved: Minor;
}

/** Both choices for a repayment that prepays principal, or null when there is nothing to choose. */
export interface PrepaymentChoice {
  readonly shortenTerm: PrepaymentOutcome;
  /** Null for a loan billed its booked interest (flat, interest grace): re-amortising would keep neither. */
  readonly lowerInstallments: PrepaymentOutcome | null;
}

/** The loan's amortisation: as recorded when drawn, else the product's (a line's bullet draws monthly as equal installments). */
export function loanAmortization(loan: LoanRow, productSchedule: Readonly<Record<string, string | number>>): Amortization {
  const recorded = AMORTIZATIONS.find((method) => method === loan.amortization);
  if (recorded !== undefined) return recorded;
  const method = String(productSchedule['method'] ?? 'equal-installments');
  return method === 'bullet' ? 'equal-installments' : (AMORTIZATIONS.find((known) => known === method) ?? 'equal-installments');
}

/**
 * The stored installments with those not yet billed re-amortised over the principal `loan` has
 * left: same count, same dates, same rate and method. Billed rows stay as they are. Unchanged when
 * fewer than two are left to bill or no principal is left (one installment takes what is left).
 *
 * @example
 * reamortise(loanAfter, stored, 'equal-installments', product.schedule); // the rows to store
 */
export function reamortise(loan: LoanRow, stored: readonly StoredInstallment[], method: Amortization, productSchedule: Readonly<Record<string, string | number>>): StoredInstallment[] {
  const ordered = [...stored].sort((a, b) => a.number - b.number);
  const nextDue = loan.next_due_on;
  if (nextDue === null || loan.principal_not_due === 0n) return ordered;
  const billed = ordered.filter((row) => row.due_on < nextDue);
  const unbilled = ordered.filter((row) => row.due_on >= nextDue);
  if (unbilled.length < 2) return ordered;
  const start = billed.at(-1)?.due_on ?? loan.disbursed_on;
  const terms = parseScheduleRequest({
    interestPeriod: String(productSchedule['interestPeriod'] ?? 'daily'),
    daysInYear: String(productSchedule['daysInYear'] ?? loan.days_in_year),
    method,
    principal: formatMoney(loan.principal_not_due),
    rate: loan.annual_rate,
    disbursed: start,
    periods: unbilled.length,
    every: 1,
    unit: 'months',
  });
  const schedule = buildScheduleOnDates(terms, [start, ...unbilled.map((row) => row.due_on)]);
  invariant(schedule.totalPrincipal === loan.principal_not_due, `re-amortised schedule of loan ${loan.id} does not repay what is left`);
  return [...billed, ...schedule.installments.map((row, index) => ({ number: unbilled[index]!.number, due_on: row.dueDate, principal: row.principal, interest: row.interest }))];
}

/**
 * Both choices for a repayment taking a loan from `before` to `after`, or null when it prepays no
 * principal, closes the loan, or leaves a single installment (both choices are then the same).
 *
 * @example
 * const choice = prepaymentChoice(loan, planned, stored, 'equal-installments', product.schedule, today);
 * choice?.lowerInstallments.installment; // the new level installment
 */
export function prepaymentChoice(
  before: LoanRow,
  after: LoanRow,
  stored: readonly StoredInstallment[],
  method: Amortization,
  productSchedule: Readonly<Record<string, string | number>>,
  today: BusinessDate,
): PrepaymentChoice | null {
  const prepaid = before.principal_not_due - after.principal_not_due;
  if (prepaid <= 0n || after.principal_not_due === 0n || after.next_due_on === null) return null;
  if (stored.filter((row) => row.due_on >= after.next_due_on!).length < 2) return null;
  // Against the same loan keeping the prepaid principal: the interest the prepayment saves.
  const kept = futureInterest(currentSchedule({ ...after, principal_not_due: before.principal_not_due }, stored, today));
  const outcome = (effect: PrepaymentEffect, rows: readonly StoredInstallment[]): PrepaymentOutcome => {
    const schedule = currentSchedule(after, rows, today);
    const upcoming = schedule.filter((row) => row.state === 'upcoming');
    const regular = upcoming[1] ?? upcoming[0];
    return {
      effect,
      schedule,
      installmentsLeft: upcoming.length,
      installment: minor(regular === undefined ? 0n : regular.principal + regular.interest),
      lastDueOn: upcoming.at(-1)?.dueOn ?? null,
      interestSaved: minor(kept - futureInterest(schedule)),
    };
  };
  return {
    shortenTerm: outcome('shorten-term', stored),
    lowerInstallments: before.interest_basis === 'scheduled' ? null : outcome('lower-installments', reamortise(after, stored, method, productSchedule)),
  };
}

function futureInterest(schedule: readonly CurrentInstallment[]): bigint {
  return schedule.reduce((sum, row) => (row.state === 'billed' ? sum : sum + row.interest), 0n);
}
