import { ValidationError } from '../errors.js';
import { parseBusinessDate } from '../calendar/business-date.js';
import { parseMoney } from '../money/parse-money.js';
import { parseRate } from '../money/rate.js';
import { ROUNDING_MODES, type RoundingMode } from '../money/rounding.js';
import {
  AMORTIZATIONS,
  DAYS_IN_MONTH,
  DAYS_IN_YEAR,
  INTEREST_METHODS,
  INTEREST_PERIODS,
  PERIOD_UNITS,
  type ScheduleTerms,
} from './schedule-terms.js';
import { dueDates } from './due-dates.js';
import { validateTerms } from './validate-terms.js';

/**
 * Schedule terms in their external form, as the CLI flags and the JSON API give them: money,
 * rates and dates as strings, counts as numbers or strings, options optional.
 *
 * @example
 * const req: ScheduleRequest = { principal: '5000.00', rate: '12', periods: '18', disbursed: '2022-11-01' };
 */
export interface ScheduleRequest {
  principal: string;
  rate: string;
  periods: number | string;
  every?: number | string;
  unit?: string;
  method?: string;
  interest?: string;
  interestPeriod?: string;
  daysInYear?: string;
  daysInMonth?: string;
  disbursed: string;
  firstDue?: string;
  gracePrincipal?: number | string;
  graceInterest?: number | string;
  installmentMultiple?: string;
  rounding?: string;
}

// JSON may carry null for an absent option; the CLI never does. Both mean "use the default".
function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

function count(value: unknown, fallback: number, field: string): number {
  if (absent(value)) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  throw new ValidationError(field, 'must be a whole number, e.g. 12');
}

function option<T extends string>(value: unknown, allowed: readonly T[], fallback: T, field: string): T {
  if (absent(value)) return fallback;
  // The JSON API may send daysInYear as the number 360.
  const text = typeof value === 'number' ? String(value) : value;
  const found = allowed.find((candidate) => candidate === text);
  if (found === undefined) throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
  return found;
}

/**
 * Parses and validates a schedule request, applying the defaults: every 1, unit months, method
 * equal-installments, interest declining-balance, interestPeriod same-as-repayment, daysInYear
 * actual, daysInMonth actual, no grace, rounding half-even. Throws a ValidationError naming the
 * JSON property at fault and saying what is expected.
 *
 * @example
 * parseScheduleRequest({ principal: '5000.00', rate: '12', periods: 18, disbursed: '2022-11-01' });
 * // { principal: 500000n, annualRate: '12', periods: 18, every: 1, unit: 'months', … }
 * parseScheduleRequest({ principal: '5000', rate: '12', periods: 0, disbursed: '2022-11-01' });
 * // throws ValidationError('periods', 'must be a whole number from 1 to 1200')
 */
export function parseScheduleRequest(req: ScheduleRequest): ScheduleTerms {
  const firstDue = absent(req.firstDue) ? undefined : parseBusinessDate(req.firstDue, 'firstDue');
  const installmentMultiple = absent(req.installmentMultiple)
    ? undefined
    : parseMoney(req.installmentMultiple, 'installmentMultiple');
  const terms: ScheduleTerms = {
    principal: parseMoney(req.principal, 'principal'),
    annualRate: parseRate(req.rate, 'rate'),
    periods: count(req.periods, Number.NaN, 'periods'),
    every: count(req.every, 1, 'every'),
    unit: option(req.unit, PERIOD_UNITS, 'months', 'unit'),
    method: option(req.method, AMORTIZATIONS, 'equal-installments', 'method'),
    interest: option(req.interest, INTEREST_METHODS, 'declining-balance', 'interest'),
    interestPeriod: option(req.interestPeriod, INTEREST_PERIODS, 'same-as-repayment', 'interestPeriod'),
    daysInYear: option(req.daysInYear, DAYS_IN_YEAR, 'actual', 'daysInYear'),
    daysInMonth: option(req.daysInMonth, DAYS_IN_MONTH, 'actual', 'daysInMonth'),
    disbursed: parseBusinessDate(req.disbursed, 'disbursed'),
    ...(firstDue === undefined ? {} : { firstDue }),
    gracePrincipal: count(req.gracePrincipal, 0, 'gracePrincipal'),
    graceInterest: count(req.graceInterest, 0, 'graceInterest'),
    ...(installmentMultiple === undefined ? {} : { installmentMultiple }),
    rounding: option<RoundingMode>(req.rounding, ROUNDING_MODES, 'half-even', 'rounding'),
  };
  if (Number.isNaN(terms.periods)) throw new ValidationError('periods', 'is required: a whole number from 1 to 1200');
  validateTerms(terms);
  // The term-end bounds need the due dates; checking them here means a request that parses
  // always builds.
  dueDates(terms);
  return terms;
}
