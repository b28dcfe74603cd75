/**
 * The eligible value (可用价值) of collateral: value × (1 − haircut), kept as an exact fraction of
 * a fen so that nothing is rounded until a sum is shown or compared; and loan-to-value (抵质押率).
 * Pure: no floats, no database.
 */
import type { Fraction } from '../money/fraction.js';
import { minor, type Minor } from '../money/minor.js';
import { invariant } from '../errors.js';

const BP = 10_000n;

/**
 * value × (10000 − haircutBp) / 10000 fen, exactly.
 *
 * @example
 * eligibleValue(1_234_567_89n, 3000); // { numerator: 864197523000n, denominator: 10000n }: 86,419,752.3 fen
 */
export function eligibleValue(value: Minor, haircutBp: number): Fraction {
  invariant(value >= 0n, `collateral value ${value} is negative`);
  invariant(Number.isInteger(haircutBp) && haircutBp >= 0 && haircutBp <= 10000, `haircut ${haircutBp} bp`);
  return { numerator: value * (BP - BigInt(haircutBp)), denominator: BP };
}

/** The sum of fractions over a common denominator of 10000 (every eligible value has it). */
export function sumFractions(parts: readonly Fraction[]): Fraction {
  let numerator = 0n;
  let denominator = 1n;
  for (const part of parts) {
    if (part.denominator === denominator) numerator += part.numerator;
    else {
      numerator = numerator * part.denominator + part.numerator * denominator;
      denominator *= part.denominator;
    }
  }
  return { numerator, denominator };
}

/** Whole fen of a fraction, rounded down: what may be allocated or lent against it (never a fen more than is there). */
export function wholeFen(value: Fraction): Minor {
  invariant(value.denominator > 0n && value.numerator >= 0n, 'wholeFen of a negative or ill-formed fraction');
  return minor(value.numerator / value.denominator);
}

/**
 * Loan-to-value in basis points, rounded up (a ratio shown as 70.00% is never really 70.004%):
 * `credit` fen against `eligible` fen; null when there is no eligible value.
 *
 * @example
 * loanToValueBp(7_000_000_00n, 10_000_000_00n); // 7000 (70.00%)
 */
export function loanToValueBp(credit: bigint, eligible: bigint): number | null {
  if (eligible <= 0n) return null;
  return Number((credit * BP + eligible - 1n) / eligible);
}

/** Basis points as a percent string with two decimals: 7000 → "70.00". */
export function bpAsPercent(bp: number): string {
  return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/**
 * The credit `eligible` fen can carry at `maxLtvBp`: eligible × maxLtv / 10000, rounded down.
 *
 * @example
 * securedCapacity({ numerator: 7_000_000_00n * 10000n, denominator: 10000n }, 7000); // 4_900_000_00n
 */
export function securedCapacity(eligible: Fraction, maxLtvBp: number): Minor {
  invariant(Number.isInteger(maxLtvBp) && maxLtvBp >= 0 && maxLtvBp <= 10000, `max loan-to-value ${maxLtvBp} bp`);
  return minor((eligible.numerator * BigInt(maxLtvBp)) / (eligible.denominator * BP));
}
