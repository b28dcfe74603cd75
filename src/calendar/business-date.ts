import { invariant, ValidationError } from '../errors.js';

/**
 * A calendar date with no time and no time zone, as `'YYYY-MM-DD'` (years 0001–9999): the day a
 * loan is disbursed or an installment falls due. Branded so an arbitrary string cannot be passed.
 *
 * Date arithmetic goes through integer day numbers (days since 1970-01-01) with Howard Hinnant's
 * civil-calendar algorithms ("chrono-Compatible Low-Level Date Algorithms"), never `Date`: a `Date`
 * carries a time zone and a clock, and creating one per installment is slow.
 *
 * @example
 * const disbursed: BusinessDate = parseBusinessDate('2024-01-31', 'disbursed');
 */
export type BusinessDate = string & { readonly __brand: 'BusinessDate' };

/** A date split into its proleptic Gregorian year, month (1–12) and day of month (1–31). */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Gregorian leap year: divisible by 4, except centuries not divisible by 400.
 *
 * @example
 * isLeapYear(2024); // true
 * isLeapYear(1900); // false
 * isLeapYear(2000); // true
 */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Number of days in `month` (1–12) of `year`.
 *
 * @example
 * daysInMonth(2024, 2); // 29
 * daysInMonth(2023, 2); // 28
 * daysInMonth(2023, 4); // 30
 */
export function daysInMonth(year: number, month: number): number {
  invariant(month >= 1 && month <= 12, `daysInMonth: month ${month} out of range`);
  if (month === 2 && isLeapYear(year)) return 29;
  return MONTH_DAYS[month - 1] ?? 0;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses `'YYYY-MM-DD'`, accepting only dates that exist (2023-02-29 and 2024-04-31 are
 * rejected) in years 0001–9999. Throws a {@link ValidationError} on `field` otherwise.
 *
 * @example
 * parseBusinessDate('2024-02-29', 'disbursed'); // "2024-02-29"
 * parseBusinessDate('2023-02-29', 'disbursed'); // throws ValidationError('disbursed', …)
 */
export function parseBusinessDate(text: string, field: string): BusinessDate {
  const expected = 'must be a real calendar date written YYYY-MM-DD, e.g. "2024-01-31"';
  if (typeof text !== 'string') throw new ValidationError(field, expected, 'invalid-date');
  const match = DATE.exec(text);
  if (match === null) throw new ValidationError(field, expected, 'invalid-date');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new ValidationError(field, `${expected}; ${text} does not exist`, 'invalid-date');
  }
  return text as BusinessDate;
}

/**
 * Whether `value` is a real calendar date written YYYY-MM-DD (what {@link parseBusinessDate}
 * accepts), without throwing: for values that may or may not be a date, such as an audit record's
 * fields.
 *
 * @example
 * isBusinessDate('2024-02-29'); // true
 * isBusinessDate('2023-02-29'); // false
 */
export function isBusinessDate(value: unknown): value is BusinessDate {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`): the year is
 * shifted to start in March so the leap day falls at the end, then counted in 400-year eras.
 *
 * @example
 * daysFromCivil(1970, 1, 1);  // 0
 * daysFromCivil(2000, 3, 1);  // 11017
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400; // [0, 399]
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1; // [0, 365]
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear; // [0, 146096]
  return era * 146097 + dayOfEra - 719468;
}

/**
 * The civil date of a day number (Hinnant's `civil_from_days`), the inverse of
 * {@link daysFromCivil}.
 *
 * @example
 * civilFromDays(0);     // { year: 1970, month: 1, day: 1 }
 * civilFromDays(19782); // { year: 2024, month: 2, day: 29 }
 */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097; // [0, 146096]
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  ); // [0, 399]
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153); // March = 0
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/**
 * Splits a business date into year, month and day without a regular expression (it is already
 * validated).
 *
 * @example
 * toCivil(parseBusinessDate('2024-02-29', 'd')); // { year: 2024, month: 2, day: 29 }
 */
export function toCivil(date: BusinessDate): CivilDate {
  return {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
  };
}

// "01".."31" computed once: formatting dates is on the hot path of every schedule.
const TWO_DIGITS: readonly string[] = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Formats a civil date as a business date. The year must be 1–9999 (an invariant: callers bound
 * their terms so that no schedule runs past 9999-12-31).
 *
 * @example
 * fromCivil({ year: 2024, month: 3, day: 1 }); // "2024-03-01"
 */
export function fromCivil(civil: CivilDate): BusinessDate {
  const { year, month, day } = civil;
  invariant(year >= 1 && year <= 9999, `fromCivil: year ${year} outside 0001-9999`);
  const yearText = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return `${yearText}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}` as BusinessDate;
}

/**
 * Days since 1970-01-01 (negative before it).
 *
 * @example
 * toDayNumber(parseBusinessDate('1970-01-02', 'd')); // 1
 */
export function toDayNumber(date: BusinessDate): number {
  const { year, month, day } = toCivil(date);
  return daysFromCivil(year, month, day);
}

/**
 * The business date of a day number.
 *
 * @example
 * fromDayNumber(19782); // "2024-02-29"
 */
export function fromDayNumber(days: number): BusinessDate {
  return fromCivil(civilFromDays(days));
}

/**
 * The date `days` calendar days after (or before, if negative) `date`.
 *
 * @example
 * addDays(parseBusinessDate('2024-02-28', 'd'), 1); // "2024-02-29"
 * addDays(parseBusinessDate('2024-03-01', 'd'), -1); // "2024-02-29"
 */
export function addDays(date: BusinessDate, days: number): BusinessDate {
  invariant(Number.isSafeInteger(days), 'addDays: days must be an integer');
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * Calendar days from `from` to `to` (negative if `to` is earlier).
 *
 * @example
 * daysBetween(parseBusinessDate('2022-11-01', 'd'), parseBusinessDate('2022-12-01', 'd')); // 30
 */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return toDayNumber(to) - toDayNumber(from);
}
