import { ValidationError } from '../errors.js';
import { toDayNumber } from '../calendar/business-date.js';
import { ROUNDING_MODES } from '../money/rounding.js';
import { MAX_EVERY, MAX_PERIODS, MAX_PRINCIPAL_FEN, MAX_TERM_MONTHS } from './limits.js';
import {
  AMORTIZATIONS,
  DAYS_IN_MONTH,
  DAYS_IN_YEAR,
  INTEREST_METHODS,
  INTEREST_PERIODS,
  PERIOD_UNITS,
  type ScheduleTerms,
} from './schedule-terms.js';

function oneOf<T extends string>(value: T, allowed: readonly T[], field: string): void {
  if (!allowed.includes(value)) throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
}

function wholeNumber(value: number, min: number, max: number, field: string, why = ''): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `must be a whole number from ${min} to ${max}${why}`);
  }
}

/**
 * Checks the bounds and combinations of schedule terms that the types cannot express, throwing a
 * {@link ValidationError} named after the JSON property (`rate` for `annualRate`). The term-end
 * bound (100 years, no date after 9999-12-31) needs the due dates and is checked by
 * `dueDates`.
 *
 * @example
 * validateTerms({ ...terms, periods: 0 }); // throws ValidationError('periods', 'must be a whole number from 1 to 1200')
 */
export function validateTerms(terms: ScheduleTerms): void {
  if (typeof terms.principal !== 'bigint' || terms.principal <= 0n || terms.principal > MAX_PRINCIPAL_FEN) {
    throw new ValidationError('principal', 'must be more than 0 and at most 1000000000000.00 (10^12 yuan)');
  }
  wholeNumber(terms.periods, 1, MAX_PERIODS, 'periods');
  wholeNumber(terms.every, 1, MAX_EVERY, 'every');
  oneOf(terms.unit, PERIOD_UNITS, 'unit');
  oneOf(terms.method, AMORTIZATIONS, 'method');
  oneOf(terms.interest, INTEREST_METHODS, 'interest');
  oneOf(terms.interestPeriod, INTEREST_PERIODS, 'interestPeriod');
  oneOf(terms.daysInYear, DAYS_IN_YEAR, 'daysInYear');
  oneOf(terms.daysInMonth, DAYS_IN_MONTH, 'daysInMonth');
  oneOf(terms.rounding, ROUNDING_MODES, 'rounding');
  if (terms.unit === 'months' && terms.periods * terms.every > MAX_TERM_MONTHS) {
    throw new ValidationError('periods', `periods × every must be at most ${MAX_TERM_MONTHS} months (100 years)`);
  }
  const bullet = terms.method === 'bullet';
  // A bullet loan has a single installment, so there is nothing before it to defer.
  const graceLimit = bullet ? 0 : terms.periods - 1;
  const graceWhy = bullet ? ' (no grace for a bullet loan: it has one installment)' : ' (less than periods)';
  wholeNumber(terms.gracePrincipal, 0, graceLimit, 'gracePrincipal', graceWhy);
  wholeNumber(terms.graceInterest, 0, graceLimit, 'graceInterest', graceWhy);
  if (terms.installmentMultiple !== undefined) {
    if (typeof terms.installmentMultiple !== 'bigint' || terms.installmentMultiple <= 0n) {
      throw new ValidationError('installmentMultiple', 'must be an amount more than 0, e.g. "1.00"');
    }
    // Silently ignoring it would let a user believe their installments were rounded.
    if (terms.method !== 'equal-installments') {
      throw new ValidationError('installmentMultiple', 'applies only to method equal-installments');
    }
  }
  if (terms.firstDue !== undefined && toDayNumber(terms.firstDue) <= toDayNumber(terms.disbursed)) {
    throw new ValidationError('firstDue', `must be after the disbursement date ${terms.disbursed}`);
  }
}
