import { invariant } from '../errors.js';
import { daysInMonth, fromCivil, toCivil, type BusinessDate, type CivilDate } from './business-date.js';

/**
 * The civil date `months` months after `anchor`, keeping the anchor's day of month and clamping
 * it to the end of shorter months. Exposed for hot loops that already hold the anchor split up.
 *
 * @example
 * addMonthsToCivil({ year: 2024, month: 1, day: 31 }, 1); // { year: 2024, month: 2, day: 29 }
 */
export function addMonthsToCivil(anchor: CivilDate, months: number): CivilDate {
  invariant(Number.isSafeInteger(months), 'addMonths: months must be an integer');
  const monthIndex = anchor.year * 12 + (anchor.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const last = daysInMonth(year, month);
  return { year, month, day: anchor.day < last ? anchor.day : last };
}

/**
 * The date `months` months after `anchor` (before it if negative), on the anchor's day of month
 * or the last day of the month when that day does not exist.
 *
 * Always count from the anchor, never from the previous result: stepping month by month from
 * 31 January would give 29 February and then 29 March, losing the 31st for the rest of the loan.
 *
 * @example
 * const anchor = parseBusinessDate('2024-01-31', 'd');
 * addMonths(anchor, 1); // "2024-02-29"
 * addMonths(anchor, 2); // "2024-03-31"
 * addMonths(anchor, 13); // "2025-02-28"
 */
export function addMonths(anchor: BusinessDate, months: number): BusinessDate {
  return fromCivil(addMonthsToCivil(toCivil(anchor), months));
}
