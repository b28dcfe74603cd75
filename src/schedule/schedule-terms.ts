import type { BusinessDate } from '../calendar/business-date.js';
import type { Minor } from '../money/minor.js';
import type { Rate } from '../money/rate.js';
import type { RoundingMode } from '../money/rounding.js';

/**
 * How principal is repaid.
 *
 * - `equal-installments` (等额本息): a level installment; the principal share grows as interest falls.
 * - `equal-principal` (等额本金): the same principal every period plus that period's interest.
 * - `interest-only` (先息后本): interest every period, all principal with the last installment.
 * - `bullet` (到期一次还本付息): one installment at the end with all principal and interest.
 *
 * @example
 * const method: Amortization = 'equal-installments';
 */
export type Amortization = 'equal-installments' | 'equal-principal' | 'interest-only' | 'bullet';

/**
 * What interest is charged on: `declining-balance` (the principal still owed) or `flat`
 * (the original principal, every period, however much has been repaid).
 *
 * @example
 * const interest: InterestMethod = 'declining-balance';
 */
export type InterestMethod = 'declining-balance' | 'flat';

/**
 * How a period's interest is measured: `same-as-repayment` charges the nominal periodic rate
 * (annual ÷ periods per year) whatever the period's length; `daily` charges the annual rate for
 * the period's actual length under the day-count basis.
 *
 * @example
 * const interestPeriod: InterestPeriod = 'daily';
 */
export type InterestPeriod = 'daily' | 'same-as-repayment';

/**
 * The unit of the repayment frequency (`every` units between installments).
 *
 * @example
 * const unit: PeriodUnit = 'months';
 */
export type PeriodUnit = 'days' | 'weeks' | 'months';

/**
 * Year length for daily interest: `actual` is actual/actual ISDA (365 or 366 by calendar year);
 * the numbers are fixed denominators.
 *
 * @example
 * const daysInYear: DaysInYear = '360';
 */
export type DaysInYear = 'actual' | '360' | '364' | '365';

/**
 * How days are counted for daily interest: `actual` calendar days, or `30` for 30E/360 months
 * of thirty days.
 *
 * @example
 * const daysInMonth: DaysInMonth = '30';
 */
export type DaysInMonth = 'actual' | '30';

/**
 * Every accepted value of each option, in the order error messages list them.
 *
 * @example
 * AMORTIZATIONS.includes('bullet'); // true
 */
export const AMORTIZATIONS: readonly Amortization[] = ['equal-installments', 'equal-principal', 'interest-only', 'bullet'];
/**
 * @see {@link InterestMethod}
 * @example
 * INTEREST_METHODS.join(', '); // "declining-balance, flat"
 */
export const INTEREST_METHODS: readonly InterestMethod[] = ['declining-balance', 'flat'];
/**
 * @see {@link InterestPeriod}
 * @example
 * INTEREST_PERIODS.join(', '); // "same-as-repayment, daily"
 */
export const INTEREST_PERIODS: readonly InterestPeriod[] = ['same-as-repayment', 'daily'];
/**
 * @see {@link PeriodUnit}
 * @example
 * PERIOD_UNITS.join(', '); // "days, weeks, months"
 */
export const PERIOD_UNITS: readonly PeriodUnit[] = ['days', 'weeks', 'months'];
/**
 * @see {@link DaysInYear}
 * @example
 * DAYS_IN_YEAR.join(', '); // "actual, 360, 364, 365"
 */
export const DAYS_IN_YEAR: readonly DaysInYear[] = ['actual', '360', '364', '365'];
/**
 * @see {@link DaysInMonth}
 * @example
 * DAYS_IN_MONTH.join(', '); // "actual, 30"
 */
export const DAYS_IN_MONTH: readonly DaysInMonth[] = ['actual', '30'];

/**
 * Everything that determines a repayment schedule. Build one with `parseScheduleRequest`, which
 * applies the defaults and validates; `buildSchedule` validates the bounds again.
 *
 * @example
 * const terms: ScheduleTerms = parseScheduleRequest({
 *   principal: '5000.00', rate: '12', periods: 18, disbursed: '2022-11-01', installmentMultiple: '1.00',
 * });
 */
export interface ScheduleTerms {
  /** Amount lent, in fen: more than 0 and at most 10^12 yuan. */
  readonly principal: Minor;
  /** Nominal annual rate, percent per year. */
  readonly annualRate: Rate;
  /** Number of installments, 1–1200 (always 1 installment for `bullet`, which uses it for the term). */
  readonly periods: number;
  /** Units between installments, 1–3650. */
  readonly every: number;
  readonly unit: PeriodUnit;
  readonly method: Amortization;
  readonly interest: InterestMethod;
  readonly interestPeriod: InterestPeriod;
  readonly daysInYear: DaysInYear;
  readonly daysInMonth: DaysInMonth;
  readonly disbursed: BusinessDate;
  /** Due date of the first installment when it is not one period after disbursement. */
  readonly firstDue?: BusinessDate;
  /** Leading installments that pay interest but no principal. */
  readonly gracePrincipal: number;
  /** Leading installments that pay nothing; their interest is paid with the first one after. */
  readonly graceInterest: number;
  /** Round the level installment to a multiple of this (e.g. 100 fen = whole yuan); equal-installments only. */
  readonly installmentMultiple?: Minor;
  readonly rounding: RoundingMode;
}
