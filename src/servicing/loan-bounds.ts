/**
 * The bounds a booked loan stays within, and the assertions that it does (TigerBeetle style: the
 * limits integer arithmetic relies on are named, and checked where data enters).
 *
 * End of day accrues in SQL on int8 (at most 2^63 − 1 ≈ 9.22 × 10^18), dividing exactly once:
 * interest = (principal_not_due × rate_units + remainder) ÷ (days_in_year × 10^6), penalty =
 * (principal_due × penalty_rate_units + interest_due × compound_rate_units + remainder) ÷ the same
 * (src/eod/process-chunk.ts). The quantity that bounds them all is principal × rate units × days:
 * the interest a loan can run up over its whole term, before the division, which is also what a
 * statement computing interest over several days in one product (a payoff to a date, a catch-up of
 * missed nights) multiplies. We require it to fit in int8 for the largest loan at the highest rate
 * over the longest term:
 *
 *   MAX_LOAN_PRINCIPAL_FEN × MAX_RATE_UNITS × MAX_LOAN_TERM_DAYS
 *   = 5 × 10^9 × 10^6 × 1,827 = 9.135 × 10^18 ≤ 9.223 × 10^18.
 *
 * Then the nightly numerators are far inside: principal × rate ≤ 5 × 10^15; interest due is at
 * most the term's interest, principal × rate × days ÷ (360 × 10^6) ≤ 2.6 × 10^10 fen, so interest
 * due × compound rate (≤ 2 × 10^6 units) ≤ 5.1 × 10^16; provision numerators ≤ 5 × 10^13. An
 * overflow would still raise "bigint out of range" and roll the chunk back, never wrap.
 *
 * ¥50,000,000.00 is five times the ¥10 million per borrower of inclusive (普惠) small-business
 * lending and above any single loan Sprout's products are for.
 *
 * @example
 * checkLoanPrincipal(parseMoney('60000000.00', 'amount'), 'amount'); // throws ValidationError: amount: must be at most 50000000.00 …
 */
import { daysBetween, parseBusinessDate } from '../calendar/index.js';
import { invariant, ValidationError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import { MAX_RATE_UNITS } from '../pricing/rate-units.js';

/** The largest signed 64-bit integer: PostgreSQL's int8 / bigint. */
export const INT8_MAX = 2n ** 63n - 1n;

/**
 * The longest term of a booked loan: 60 monthly installments (`loan-term.ts`) span at most five
 * years, two of them with a leap day: 5 × 365 + 2 days. A single repayment is at most 365 days.
 *
 * @example
 * MAX_LOAN_TERM_DAYS; // 1827
 */
export const MAX_LOAN_TERM_DAYS = 1827;

/**
 * The largest principal of one loan, in fen (¥50,000,000.00): see the module comment for why.
 *
 * @example
 * formatMoney(MAX_LOAN_PRINCIPAL_FEN); // '50000000.00'
 */
export const MAX_LOAN_PRINCIPAL_FEN = 5_000_000_000n;

/**
 * The highest overdue (罚息) and compound (复利) rate: twice the highest contract rate. Products
 * allow 1.3 to 1.5 times the contract rate (银发〔2003〕251号); twice leaves room and keeps
 * interest due × compound rate far inside int8.
 *
 * @example
 * MAX_PENALTY_RATE_UNITS; // 2000000n (200%)
 */
export const MAX_PENALTY_RATE_UNITS = 2n * MAX_RATE_UNITS;

// Checked once at load: the reasoning above holds for the constants as written.
invariant(MAX_LOAN_PRINCIPAL_FEN * MAX_RATE_UNITS * BigInt(MAX_LOAN_TERM_DAYS) <= INT8_MAX, 'the largest loan\'s principal × rate × days fits in int8');

/**
 * Refuses a requested principal above {@link MAX_LOAN_PRINCIPAL_FEN} as a ValidationError naming
 * `field`: a request, not a broken invariant.
 *
 * @example
 * checkLoanPrincipal(2_000_000_00n, 'amount'); // fine
 */
export function checkLoanPrincipal(principal: bigint, field: string): void {
  if (principal > MAX_LOAN_PRINCIPAL_FEN) {
    throw new ValidationError(field, `must be at most ${formatMoney(MAX_LOAN_PRINCIPAL_FEN)}, the largest loan Sprout books (end of day's integer arithmetic relies on it); got ${formatMoney(principal)}`);
  }
}

/** What a loan being booked (drawn, renewed, restructured) is asserted on. */
export interface BookedLoanTerms {
  readonly principal: bigint;
  readonly rateUnits: bigint;
  readonly penaltyRateUnits: bigint;
  readonly compoundRateUnits: bigint;
  readonly fromDate: string;
  readonly maturityOn: string;
}

/**
 * Asserts that a loan being booked is inside the bounds end of day relies on. Every input was
 * validated before (principal by {@link checkLoanPrincipal} or inherited from a loan that was,
 * rates by `rateToUnits`, terms by `scheduleRequestFor`), so a failure here is a bug.
 *
 * @example
 * assertBookedLoan({ principal: 100_000_00n, rateUnits: 43_500n, penaltyRateUnits: 65_250n, compoundRateUnits: 0n, fromDate: '2025-06-30', maturityOn: '2025-09-28' });
 */
export function assertBookedLoan(loan: BookedLoanTerms): void {
  invariant(loan.principal > 0n && loan.principal <= MAX_LOAN_PRINCIPAL_FEN, `principal ${loan.principal} fen is outside 1..${MAX_LOAN_PRINCIPAL_FEN}`);
  invariant(loan.rateUnits >= 0n && loan.rateUnits <= MAX_RATE_UNITS, `rate ${loan.rateUnits} units is outside 0..${MAX_RATE_UNITS}`);
  invariant(loan.penaltyRateUnits >= 0n && loan.penaltyRateUnits <= MAX_PENALTY_RATE_UNITS, `penalty rate ${loan.penaltyRateUnits} units is outside 0..${MAX_PENALTY_RATE_UNITS}`);
  invariant(loan.compoundRateUnits >= 0n && loan.compoundRateUnits <= MAX_PENALTY_RATE_UNITS, `compound rate ${loan.compoundRateUnits} units is outside 0..${MAX_PENALTY_RATE_UNITS}`);
  const days = daysBetween(parseBusinessDate(loan.fromDate, 'fromDate'), parseBusinessDate(loan.maturityOn, 'maturityOn'));
  invariant(days >= 1 && days <= MAX_LOAN_TERM_DAYS, `term of ${days} days is outside 1..${MAX_LOAN_TERM_DAYS}`);
  invariant(loan.principal * loan.rateUnits * BigInt(days) <= INT8_MAX, 'principal × rate × days fits in int8');
}

/** A loan's sub-ledger parts, as the `loan` row holds them. */
export interface LoanParts {
  readonly principal_not_due: bigint;
  readonly principal_due: bigint;
  readonly interest_accrued: bigint;
  readonly interest_due: bigint;
  readonly penalty_due: bigint;
}

/**
 * Asserts that no part of a loan's balance is negative (what is owed is never less than nothing;
 * an overpayment goes to suspense, not below zero).
 *
 * @example
 * assertLoanParts('0190…', { principal_not_due: 0n, principal_due: 0n, interest_accrued: 0n, interest_due: 0n, penalty_due: 0n });
 */
export function assertLoanParts(loanId: string, parts: LoanParts): void {
  for (const [name, value] of Object.entries(parts) as [keyof LoanParts, bigint][]) {
    invariant(value >= 0n, `loan ${loanId}: ${name} is ${value}, below zero`);
  }
}
