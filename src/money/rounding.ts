import { invariant } from '../errors.js';

/**
 * How a value exactly halfway between two results is rounded.
 *
 * - `half-even` (banker's rounding, the default): ties go to the even neighbour, so rounding
 *   errors do not drift one way over many installments.
 * - `half-up`: ties go away from zero (2.5 → 3, −2.5 → −3), the rule most borrowers expect.
 *
 * Values that are not ties always go to the nearer neighbour.
 *
 * @example
 * const mode: RoundingMode = 'half-even';
 */
export type RoundingMode = 'half-even' | 'half-up';

/**
 * Every rounding mode, for validation messages and exhaustive tests.
 *
 * @example
 * ROUNDING_MODES.join(', '); // "half-even, half-up"
 */
export const ROUNDING_MODES: readonly RoundingMode[] = ['half-even', 'half-up'];

/**
 * Exact integer division `numerator / denominator` rounded to the nearest integer with `mode`.
 *
 * Works for any signs; `half-up` means half away from zero.
 *
 * @example
 * divideRounded(5n, 2n, 'half-even');  // 2n
 * divideRounded(5n, 2n, 'half-up');    // 3n
 * divideRounded(-5n, 2n, 'half-up');   // -3n
 * divideRounded(7n, 3n, 'half-even');  // 2n
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  invariant(denominator !== 0n, 'divideRounded: division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  // BigInt division truncates toward zero, so the remainder has the numerator's sign.
  const quotient = numerator / denominator;
  const remainder = numerator - quotient * denominator;
  if (remainder === 0n) return quotient;
  const twiceRemainder = remainder < 0n ? -(remainder + remainder) : remainder + remainder;
  if (twiceRemainder < denominator) return quotient;
  // Past half, or an exact tie that the mode sends away from zero.
  if (twiceRemainder > denominator || mode === 'half-up' || quotient % 2n !== 0n) {
    return numerator < 0n ? quotient - 1n : quotient + 1n;
  }
  return quotient;
}

/**
 * Rounds `amount` to the nearest multiple of `multiple` (> 0) with `mode`, e.g. an installment
 * to whole yuan (`multiple` = 100n fen).
 *
 * @example
 * roundToMultiple(30491n, 100n, 'half-even'); // 30500n
 * roundToMultiple(250n, 100n, 'half-even');   // 200n
 * roundToMultiple(250n, 100n, 'half-up');     // 300n
 */
export function roundToMultiple(amount: bigint, multiple: bigint, mode: RoundingMode): bigint {
  invariant(multiple > 0n, 'roundToMultiple: multiple must be positive');
  return divideRounded(amount, multiple, mode) * multiple;
}
