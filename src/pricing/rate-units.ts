/**
 * Rates as integers for the ledger: percent per year × 10^4 ("4.35" → 43500), so the daily
 * interest of end of day is exact integer arithmetic in SQL (rate_units / (days in year × 10^6)).
 * Four decimals of a percent is a hundredth of a basis point: finer than any price a bank quotes.
 */
import { divideRounded } from '../money/rounding.js';
import { ValidationError } from '../errors.js';

/**
 * A rate in units (percent per year × 10^4): 43500n is 4.35%. Branded so that a count of fen or of
 * days cannot be passed where a rate is expected; the `rate_units` columns carry this type.
 *
 * @example
 * const units: RateUnits = rateToUnits('4.35', 'rate'); // 43500n
 */
export type RateUnits = bigint & { readonly __brand: 'RateUnits' };

/**
 * Brands a bigint as rate units. No check: bounds are the caller's rule ({@link MAX_RATE_UNITS}).
 *
 * @example
 * rateUnits(43500n); // 4.35%
 */
export function rateUnits(units: bigint): RateUnits {
  return units as RateUnits;
}

/** Units per percent. */
export const RATE_UNITS_PER_PERCENT = 10_000n;

/** Highest contract rate Sprout books: keeps principal × rate inside int8 (10^11 fen × 10^6). */
export const MAX_RATE_UNITS = 100n * RATE_UNITS_PER_PERCENT;

/**
 * "4.35" → 43500n. At most four decimals; 0 to 100 percent.
 *
 * @example
 * rateToUnits('3.00', 'rate'); // 30000n
 */
export function rateToUnits(text: string, field: string): RateUnits {
  const match = /^([0-9]{1,3})(?:\.([0-9]{1,4}))?$/.exec(text);
  if (!match) throw new ValidationError(field, `must be a percent per year with at most four decimals, e.g. "4.35"; got "${text}"`);
  const units = BigInt(match[1]!) * RATE_UNITS_PER_PERCENT + BigInt((match[2] ?? '').padEnd(4, '0'));
  if (units > MAX_RATE_UNITS) throw new ValidationError(field, `must be at most 100 percent; got "${text}"`);
  return rateUnits(units);
}

/**
 * 43500n → "4.35"; always at least two decimals, trailing zeros beyond them dropped.
 *
 * @example
 * unitsToRate(43525n); // '4.3525'
 */
export function unitsToRate(units: bigint): string {
  const whole = units / RATE_UNITS_PER_PERCENT;
  const fraction = (units % RATE_UNITS_PER_PERCENT).toString().padStart(4, '0').replace(/0{1,2}$/, '').replace(/0$/, '');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/**
 * The rate times a multiplier given as a decimal string ("1.5"), rounded half-even to a unit.
 *
 * @example
 * multiplyRate(43500n, '1.5'); // 65250n — the default penalty rate of a 4.35% loan
 */
export function multiplyRate(units: bigint, multiplier: string): RateUnits {
  const match = /^([0-9]{1,2})(?:\.([0-9]{1,4}))?$/.exec(multiplier);
  if (!match) throw new ValidationError('penaltyMultiplier', `must be a decimal like "1.5"; got "${multiplier}"`);
  const scale = 10n ** BigInt((match[2] ?? '').length);
  const numerator = BigInt(match[1]! + (match[2] ?? ''));
  return rateUnits(divideRounded(units * numerator, scale, 'half-even'));
}
