import { invariant } from '../errors.js';
import type { Fraction } from '../money/fraction.js';
import { civilFromDays, isLeapYear, daysFromCivil, toDayNumber, type BusinessDate } from './business-date.js';

/**
 * Day-count conventions: how much of a year lies between two dates, for interest.
 *
 * - `actual/365`, `actual/360`, `actual/364`: actual calendar days over a fixed year length.
 * - `30E/360` (Eurobond basis, ISDA 2006 §4.16(g)): every month counts 30 days; a 31st counts as
 *   the 30th on either end. Chosen over US/NASD 30/360 because its rule is symmetric and has no
 *   end-of-February special case, so the same period always gets the same count.
 * - `actual/actual` (ISDA 2006 §4.16(b)): the period is split at each 1 January; days falling in
 *   a leap year count over 366, the others over 365.
 *
 * @example
 * const convention: DayCountConvention = 'actual/actual';
 */
export type DayCountConvention = 'actual/365' | 'actual/360' | 'actual/364' | '30E/360' | 'actual/actual';

/**
 * Days from `startDay` to `endDay` (day numbers) under 30E/360: 360 × Δyears + 30 × Δmonths +
 * (min(D2, 30) − min(D1, 30)). Additive: the counts of consecutive periods sum to the count of the
 * whole span.
 *
 * @example
 * days30E(toDayNumber(d('2024-01-31')), toDayNumber(d('2024-02-29'))); // 29
 * days30E(toDayNumber(d('2024-02-29')), toDayNumber(d('2024-03-31'))); // 31
 */
export function days30E(startDay: number, endDay: number): number {
  const start = civilFromDays(startDay);
  const end = civilFromDays(endDay);
  const d1 = start.day > 30 ? 30 : start.day;
  const d2 = end.day > 30 ? 30 : end.day;
  return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1);
}

/**
 * Actual/actual ISDA over day numbers `[startDay, endDay)`: days in non-leap years over 365 plus
 * days in leap years over 366, as one exact fraction over 365 × 366 = 133590.
 *
 * @example
 * // 2023-12-01 → 2024-01-31: 31 days in 2023, 30 days in 2024.
 * actualActualIsda(toDayNumber(d('2023-12-01')), toDayNumber(d('2024-01-31')));
 * // { numerator: 31n * 366n + 30n * 365n, denominator: 133590n }
 */
export function actualActualIsda(startDay: number, endDay: number): Fraction {
  invariant(endDay >= startDay, 'actualActualIsda: end before start');
  let regularDays = 0;
  let leapDays = 0;
  let year = civilFromDays(startDay).year;
  let cursor = startDay;
  // Bounded: one iteration per calendar year touched.
  while (cursor < endDay) {
    const nextNewYear = daysFromCivil(year + 1, 1, 1);
    const stop = nextNewYear < endDay ? nextNewYear : endDay;
    if (isLeapYear(year)) leapDays += stop - cursor;
    else regularDays += stop - cursor;
    cursor = stop;
    year += 1;
  }
  return { numerator: BigInt(regularDays * 366 + leapDays * 365), denominator: 133590n };
}

/**
 * The year fraction between two day numbers under `convention`, as an exact fraction, so that
 * interest = round(balance × rateNumerator × numerator ÷ (rateDenominator × denominator)) is
 * rounded exactly once.
 *
 * @example
 * yearFractionOfDays(0, 90, 'actual/365'); // { numerator: 90n, denominator: 365n }
 */
export function yearFractionOfDays(startDay: number, endDay: number, convention: DayCountConvention): Fraction {
  switch (convention) {
    case 'actual/365':
      return { numerator: BigInt(endDay - startDay), denominator: 365n };
    case 'actual/360':
      return { numerator: BigInt(endDay - startDay), denominator: 360n };
    case 'actual/364':
      return { numerator: BigInt(endDay - startDay), denominator: 364n };
    case '30E/360':
      return { numerator: BigInt(days30E(startDay, endDay)), denominator: 360n };
    case 'actual/actual':
      return actualActualIsda(startDay, endDay);
  }
}

/**
 * The year fraction from `start` to `end` under `convention`, as an exact fraction.
 *
 * @example
 * yearFraction(d('2024-01-01'), d('2024-04-01'), 'actual/360'); // { numerator: 91n, denominator: 360n }
 * yearFraction(d('2024-01-31'), d('2024-03-31'), '30E/360');    // { numerator: 60n, denominator: 360n }
 */
export function yearFraction(start: BusinessDate, end: BusinessDate, convention: DayCountConvention): Fraction {
  return yearFractionOfDays(toDayNumber(start), toDayNumber(end), convention);
}
