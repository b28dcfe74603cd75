import { Decimal } from 'decimal.js';
import { invariant } from '../errors.js';
import type { Fraction } from '../money/fraction.js';
import { divideRounded, type RoundingMode } from '../money/rounding.js';

// Precision 50 (more than the 30 required): 1 − (1 + r)^−m cancels about −log10(r·m) digits when
// r is tiny, and 50 digits leave more than 30 after that for any rate this engine accepts.
const AnnuityDecimal = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });

/** The factor is kept as an integer scaled by 10^36: ~33+ significant digits for factors ≥ 1/1200. */
const SCALE_DIGITS = 36;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

// A bank has few distinct (rate, frequency, term) triples, and the decimal.js power is the most
// expensive step of a schedule. Bounded: cleared when full rather than growing without limit.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, bigint>();

/**
 * Empties the annuity-factor cache. Only benchmarks need this (to measure the uncached cost);
 * the cache never changes a result.
 *
 * @example
 * clearAnnuityFactorCache();
 */
export function clearAnnuityFactorCache(): void {
  cache.clear();
}

/**
 * The annuity factor r ÷ (1 − (1 + r)^−m) for periodic rate r > 0 over m periods, computed with
 * decimal.js at 50 significant digits and returned as an integer scaled by 10^36, so that the
 * installment P × factor is formed with exact bigint arithmetic and rounded once. Cached.
 *
 * @example
 * // r = 0.5%, m = 12: 0.0860664…
 * annuityFactorScaled({ numerator: 6n, denominator: 1200n }, 12); // 86066429…n (36 decimals)
 */
export function annuityFactorScaled(periodicRate: Fraction, m: number): bigint {
  invariant(periodicRate.numerator > 0n, 'annuity factor needs a positive rate');
  invariant(Number.isSafeInteger(m) && m > 0, 'annuity factor needs m ≥ 1');
  const key = `${periodicRate.numerator}/${periodicRate.denominator}/${m}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const r = new AnnuityDecimal(periodicRate.numerator.toString()).div(periodicRate.denominator.toString());
  const discount = r.plus(1).pow(-m);
  const factor = r.div(new AnnuityDecimal(1).minus(discount));
  const scaled = BigInt(factor.times(new AnnuityDecimal(10).pow(SCALE_DIGITS)).toFixed(0));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, scaled);
  return scaled;
}

/**
 * The level installment A = P·r ÷ (1 − (1 + r)^−m) (P ÷ m when r = 0), rounded to the fen, or to
 * a multiple of `multiple` fen, with `mode`.
 *
 * @example
 * // 12000.00 at 6% a year, 12 monthly periods: 1032.80
 * levelInstallment(1200000n, { numerator: 6n, denominator: 1200n }, 12, 1n, 'half-even'); // 103280n
 */
export function levelInstallment(
  principal: bigint,
  periodicRate: Fraction,
  m: number,
  multiple: bigint,
  mode: RoundingMode,
): bigint {
  if (periodicRate.numerator === 0n) return divideRounded(principal, BigInt(m) * multiple, mode) * multiple;
  return divideRounded(principal * annuityFactorScaled(periodicRate, m), SCALE * multiple, mode) * multiple;
}
