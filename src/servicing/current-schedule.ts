/**
 * The schedule as it stands today (当前还款计划), not as it was drawn. A prepayment lowers the
 * principal not yet due, and end of day bills each installment's planned principal while any is
 * left, the rest at maturity (`eod/process-chunk.ts`): so what a prepayment does is shorten the
 * term — the last installments shrink or fall away, the ones before stay as planned. Interest is
 * accrued daily on what is outstanding, so an upcoming installment's interest is an estimate on
 * the principal the current schedule leaves; billed installments show what was planned. A loan
 * billed its schedule's interest (flat interest, interest grace: `interest_basis` 'scheduled')
 * shows the booked interest, which end of day bills to the fen.
 *
 * Pure over the loan row and its stored installments, so the API and a test read the same figures.
 */
import { addDays, daysBetween, type BusinessDate } from '../calendar/business-date.js';
import { invariant } from '../errors.js';
import { divideRounded } from '../money/rounding.js';
import { minor, type Minor } from '../money/minor.js';
import type { LoanRow } from './loans.js';

/** `billed`: already moved to due (paid or not); `upcoming`: still to bill; `prepaid`: nothing left to bill, covered by prepayment. */
export type InstallmentState = 'billed' | 'upcoming' | 'prepaid';

export interface CurrentInstallment {
  readonly number: number;
  readonly dueOn: BusinessDate;
  readonly principal: Minor;
  /** Planned interest for a billed installment; an estimate for an upcoming one. */
  readonly interest: Minor;
  readonly state: InstallmentState;
}

/** The next installment to bill and what it asks for, with what is already due now. */
export interface NextPayment {
  readonly dueOn: BusinessDate;
  readonly principal: Minor;
  readonly interest: Minor;
  /** Due now already (overdue or billed and unpaid), to pay on top. */
  readonly dueNow: Minor;
}

interface StoredInstallment {
  readonly number: number;
  readonly due_on: BusinessDate;
  readonly principal: Minor;
  readonly interest: Minor;
}

/**
 * The current schedule of an active loan (an inactive one: the stored rows, all billed).
 *
 * @example
 * currentSchedule(loan, installments, '2025-07-10').reduce((sum, row) => row.state === 'billed' ? sum : sum + row.principal, 0n) === loan.principal_not_due;
 */
export function currentSchedule(loan: LoanRow, installments: readonly StoredInstallment[], today: BusinessDate): CurrentInstallment[] {
  const ordered = [...installments].sort((a, b) => a.number - b.number);
  if (loan.status !== 'active') return ordered.map((row) => ({ number: row.number, dueOn: row.due_on, principal: row.principal, interest: row.interest, state: 'billed' }));
  // The first day end of day has yet to accrue: today, unless today's run is done.
  let accrueFrom = loan.last_eod_on !== null && loan.last_eod_on >= today ? addDays(loan.last_eod_on, 1) : today;
  let left: bigint = loan.principal_not_due;
  let carried: bigint = loan.interest_accrued;
  const last = ordered.at(-1);
  const rows: CurrentInstallment[] = [];
  for (const row of ordered) {
    const unbilled = loan.next_due_on !== null && row.due_on >= loan.next_due_on;
    if (!unbilled) {
      rows.push({ number: row.number, dueOn: row.due_on, principal: row.principal, interest: row.interest, state: 'billed' });
      continue;
    }
    // Billed at the end of the day before it falls due: interest accrues up to then on what is left.
    const days = Math.max(0, daysBetween(accrueFrom, row.due_on));
    const interest = loan.interest_basis === 'scheduled'
      ? scheduledInterest(loan, row)
      : carried + divideRounded(left * loan.rate_units * BigInt(days), BigInt(loan.days_in_year) * 1_000_000n, 'half-even');
    const principal = row === last ? left : left < row.principal ? left : row.principal;
    rows.push({ number: row.number, dueOn: row.due_on, principal: minor(principal), interest: minor(interest), state: principal === 0n && interest === 0n ? 'prepaid' : 'upcoming' });
    left -= principal;
    carried = 0n;
    accrueFrom = row.due_on;
  }
  invariant(left === 0n, `current schedule of loan ${loan.id}: ${left} fen of principal not scheduled`);
  return rows;
}

/**
 * What end of day bills a 'scheduled' loan (flat interest, interest grace; migration 0057) for an
 * installment not yet billed: the booked interest, the next interest installment's less what was
 * paid before it fell due; a grace installment none (its interest is carried to the next).
 */
function scheduledInterest(loan: LoanRow, row: StoredInstallment): bigint {
  if (loan.next_interest_on === null || row.due_on < loan.next_interest_on) return 0n;
  return row.due_on === loan.next_interest_on ? loan.next_interest : row.interest;
}

/**
 * What the borrower's home shows: the next installment to bill and what is due now, or null when
 * nothing is left to bill and nothing is due.
 */
export function nextPayment(loan: LoanRow, schedule: readonly CurrentInstallment[]): NextPayment | null {
  const dueNow = minor(loan.penalty_due + loan.interest_due + loan.principal_due);
  const next = schedule.find((row) => row.state === 'upcoming');
  if (next === undefined) return dueNow === 0n ? null : { dueOn: loan.next_due_on ?? loan.maturity_on, principal: minor(0n), interest: minor(0n), dueNow };
  return { dueOn: next.dueOn, principal: next.principal, interest: next.interest, dueNow };
}
