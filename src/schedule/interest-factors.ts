import { actualActualIsda, days30E } from '../calendar/day-count.js';
import type { Fraction } from '../money/fraction.js';
import { rateFraction } from '../money/rate.js';
import type { ScheduleTerms } from './schedule-terms.js';

/**
 * The year fraction of `[startDay, endDay)` for daily interest under the terms' basis:
 *
 * - daysInMonth `30`: 30E/360 day count over daysInYear (`actual` means 360 here, the length of
 *   a year of twelve 30-day months);
 * - daysInMonth `actual`, daysInYear `actual`: actual/actual ISDA;
 * - daysInMonth `actual`, daysInYear 360/364/365: actual days over that fixed year.
 *
 * @example
 * // 90 days, daysInYear 365
 * dailyYearFraction(terms, 0, 90); // { numerator: 90n, denominator: 365n }
 */
export function dailyYearFraction(terms: ScheduleTerms, startDay: number, endDay: number): Fraction {
  if (terms.daysInMonth === '30') {
    return {
      numerator: BigInt(days30E(startDay, endDay)),
      denominator: terms.daysInYear === 'actual' ? 360n : BigInt(terms.daysInYear),
    };
  }
  if (terms.daysInYear === 'actual') return actualActualIsda(startDay, endDay);
  return { numerator: BigInt(endDay - startDay), denominator: BigInt(terms.daysInYear) };
}

/**
 * Periods per year times `every`: 12 for months, 52 for weeks, the year length in days for days
 * (365 when daysInYear is `actual`). The nominal periodic rate is annual × every ÷ this.
 *
 * @example
 * periodsPerYearTimesEvery({ ...terms, unit: 'weeks' }); // 52n
 */
export function periodsPerYearTimesEvery(terms: ScheduleTerms): bigint {
  switch (terms.unit) {
    case 'months':
      return 12n;
    case 'weeks':
      return 52n;
    case 'days':
      return terms.daysInYear === 'actual' ? 365n : BigInt(terms.daysInYear);
  }
}

/**
 * The nominal periodic rate r = annual ÷ periods per year, as an exact fraction of one. `annual`
 * may be passed when the caller already holds the rate as a fraction.
 *
 * @example
 * // 12% a year, monthly: 12/100 × 1/12 = 12/1200
 * periodicRate(terms); // { numerator: 12n, denominator: 1200n }
 */
export function periodicRate(terms: ScheduleTerms, annual: Fraction = rateFraction(terms.annualRate)): Fraction {
  return {
    numerator: annual.numerator * BigInt(terms.every),
    denominator: annual.denominator * periodsPerYearTimesEvery(terms),
  };
}

function dailyFactor(terms: ScheduleTerms, annual: Fraction, startDay: number, endDay: number): Fraction {
  const year = dailyYearFraction(terms, startDay, endDay);
  return { numerator: annual.numerator * year.numerator, denominator: annual.denominator * year.denominator };
}

/**
 * Interest per unit of balance for each period (index k − 1 for installment k): the periodic
 * rate, or annual rate × year fraction when interest is daily or for an irregular first period.
 * A period's interest is round(base × numerator ÷ denominator), rounded once.
 *
 * @example
 * // 12% monthly, same-as-repayment: every period 12/1200, so 5000.00 → 50.00
 * periodFactors(terms, dueDays, false)[0]; // { numerator: 12n, denominator: 1200n }
 */
export function periodFactors(
  terms: ScheduleTerms,
  dueDays: readonly number[],
  irregularFirst: boolean,
  annual: Fraction = rateFraction(terms.annualRate),
): Fraction[] {
  const n = terms.periods;
  const factors: Fraction[] = new Array<Fraction>(n);
  const daily = terms.interestPeriod === 'daily';
  const regular = daily ? undefined : periodicRate(terms, annual);
  for (let k = 1; k <= n; k++) {
    factors[k - 1] =
      regular !== undefined && !(k === 1 && irregularFirst)
        ? regular
        : dailyFactor(terms, annual, dueDays[k - 1] ?? 0, dueDays[k] ?? 0);
  }
  return factors;
}

/**
 * Interest per unit of principal over the whole term, for a bullet loan: the exact sum of the
 * period factors, so the interest is rounded once. Daily: annual × year fraction from
 * disbursement to the last due date (every day-count basis here is additive over periods).
 * Same-as-repayment: r × periods, with an irregular first period counted daily.
 *
 * @example
 * // 4.35%, 90 days, actual/365: 435/10000 × 90/365
 * wholeTermFactor(terms, dueDays, false); // { numerator: 39150n, denominator: 3650000n }
 */
export function wholeTermFactor(terms: ScheduleTerms, dueDays: readonly number[], irregularFirst: boolean): Fraction {
  const annual = rateFraction(terms.annualRate);
  const n = terms.periods;
  const first = dueDays[0] ?? 0;
  const last = dueDays[n] ?? 0;
  if (terms.interestPeriod === 'daily') return dailyFactor(terms, annual, first, last);
  const r = periodicRate(terms);
  if (!irregularFirst) return { numerator: r.numerator * BigInt(n), denominator: r.denominator };
  const head = dailyFactor(terms, annual, first, dueDays[1] ?? 0);
  return {
    numerator: head.numerator * r.denominator + r.numerator * BigInt(n - 1) * head.denominator,
    denominator: head.denominator * r.denominator,
  };
}
