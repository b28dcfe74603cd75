/**
 * The arithmetic of splitting a payment certificate (拆分): pure, no database.
 */
import { allocate } from '../money/allocate.js';
import { minor, type Minor } from '../money/minor.js';
import { invariant, ValidationError } from '../errors.js';

/** Bound on the parts of one split: a split pays a handful of suppliers, not a payroll. */
export const MAX_SPLIT_PARTS = 50;

/**
 * Checks that `parts` split `face` exactly: 2 to {@link MAX_SPLIT_PARTS} parts, each at least one
 * fen, summing to the face amount to the fen. Throws a ValidationError on `field` otherwise.
 *
 * @example
 * checkSplit(100_000n, [60_000n, 40_000n], 'parts'); // ok
 * checkSplit(100_000n, [60_000n, 30_000n], 'parts'); // throws: the parts sum to 900.00, not 1000.00
 */
export function checkSplit(face: Minor, parts: readonly Minor[], field: string): void {
  if (parts.length < 2) throw new ValidationError(field, 'a split needs at least two parts', 'too-small', { min: 2 });
  if (parts.length > MAX_SPLIT_PARTS) throw new ValidationError(field, `a split has at most ${MAX_SPLIT_PARTS} parts`, 'too-large', { max: MAX_SPLIT_PARTS });
  let sum = 0n;
  for (const part of parts) {
    if (part <= 0n) throw new ValidationError(field, 'every part must be a positive amount', 'negative-amount');
    sum += part;
  }
  if (sum !== face) throw new ValidationError(field, `the parts must sum exactly to the certificate's face amount`, 'split-not-whole');
}

/**
 * Splits `face` in proportion to `weights` (largest remainder, src/money/allocate.ts) into parts
 * that sum exactly to it; every part at least one fen.
 *
 * @example
 * splitByWeights(100_00n, [1n, 1n, 1n]); // [3334n, 3333n, 3333n]
 */
export function splitByWeights(face: Minor, weights: readonly bigint[]): Minor[] {
  const parts = allocate(face, weights).map((part) => minor(part));
  invariant(parts.reduce((sum, part) => sum + part, 0n) === face, 'split parts sum to the face amount');
  return parts;
}
