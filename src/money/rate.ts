import { ValidationError } from '../errors.js';
import type { Fraction } from './fraction.js';

/**
 * An annual interest rate in percent per year, as a canonical decimal string: `"4.35"` is 4.35%
 * a year. Kept as a string so that it round-trips exactly through JSON and the database and can
 * feed both exact bigint fractions ({@link rateFraction}) and decimal.js.
 *
 * Canonical means no leading zeros in the integer part and no trailing zeros in the decimals
 * (`"04.350"` is stored as `"4.35"`), so equal rates compare equal as strings.
 *
 * @example
 * const lpr: Rate = parseRate('3.45', 'rate');
 */
export type Rate = string & { readonly __brand: 'Rate' };

/**
 * Highest accepted rate, in percent per year. Generous (10× a year) but bounded, so typos fail.
 *
 * @example
 * MAX_RATE_PERCENT; // 1000n
 */
export const MAX_RATE_PERCENT = 1000n;

// At most six decimals: one millionth of a percent is far below any rate a contract states.
const RATE = /^(\d+)(?:\.(\d{1,6}))?$/;

/**
 * Parses an annual percentage rate: 0 ≤ rate ≤ 1000, at most six decimals, no sign, exponent or
 * percent sign. Throws a {@link ValidationError} on `field` otherwise.
 *
 * @example
 * parseRate('4.35', 'rate');   // "4.35"
 * parseRate('12.500', 'rate'); // "12.5"
 * parseRate('-1', 'rate');     // throws ValidationError('rate', …)
 */
export function parseRate(text: string, field: string): Rate {
  const expected = 'must be a yearly percentage like "4.35": from 0 to 1000 with at most six decimals';
  if (typeof text !== 'string') throw new ValidationError(field, `${expected} (given as a string, not a number)`);
  const match = RATE.exec(text);
  if (match === null) throw new ValidationError(field, expected);
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const decimals = (match[2] ?? '').replace(/0+$/, '');
  const rate = (decimals === '' ? whole : `${whole}.${decimals}`) as Rate;
  const { numerator, denominator } = rateFraction(rate);
  if (numerator * 100n > MAX_RATE_PERCENT * denominator) throw new ValidationError(field, expected);
  return rate;
}

/**
 * The rate as an exact plain fraction of one per year (not of a percent): 4.35% → 435/10000.
 * Not reduced: the denominator is always a power of ten times 100.
 *
 * @example
 * rateFraction(parseRate('4.35', 'rate')); // { numerator: 435n, denominator: 10000n }
 * rateFraction(parseRate('12', 'rate'));   // { numerator: 12n, denominator: 100n }
 */
export function rateFraction(rate: Rate): Fraction {
  const point = rate.indexOf('.');
  if (point < 0) return { numerator: BigInt(rate), denominator: 100n };
  const decimals = rate.length - point - 1;
  return {
    numerator: BigInt(rate.slice(0, point) + rate.slice(point + 1)),
    denominator: 100n * 10n ** BigInt(decimals),
  };
}
