import { invariant } from '../errors.js';

/**
 * Splits `total` in proportion to `weights` so that the parts sum exactly to `total`
 * (largest-remainder, or Hamilton, method): each part first gets the truncated exact share, then
 * the fen left over go one each to the parts with the largest remainders, ties to the earlier
 * index. No fen is created or lost.
 *
 * Weights must be non-negative with a positive sum. A negative total is allocated as the negation
 * of allocating its absolute value, so the rounding is symmetric.
 *
 * @example
 * allocate(100n, [1n, 1n, 1n]); // [34n, 33n, 33n]
 * allocate(5n, [3n, 7n]);       // [2n, 3n]  (1.5 → 1 r .5, 3.5 → 3 r .5: tie to the earlier)
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  invariant(weights.length > 0, 'allocate: at least one weight is required');
  let weightSum = 0n;
  for (const weight of weights) {
    invariant(weight >= 0n, 'allocate: weights must be non-negative');
    weightSum += weight;
  }
  invariant(weightSum > 0n, 'allocate: weights must not all be zero');
  if (total < 0n) return allocate(-total, weights).map((part) => -part);

  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let allocated = 0n;
  for (const weight of weights) {
    const exact = total * weight;
    const part = exact / weightSum;
    parts.push(part);
    remainders.push(exact % weightSum);
    allocated += part;
  }
  // Fewer leftover fen than parts, because each truncation loses less than one fen.
  const leftover = Number(total - allocated);
  invariant(leftover >= 0 && leftover < weights.length, 'allocate: leftover out of range');
  // A stable sort keeps the earlier index first among equal remainders.
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1));
  for (let i = 0; i < leftover; i++) {
    const slot = order[i];
    invariant(slot !== undefined, 'allocate: leftover slot exists');
    parts[slot.index] = (parts[slot.index] ?? 0n) + 1n;
  }
  return parts;
}

/**
 * Splits `total` into `n` parts that differ by at most one fen, the extra fen going to the
 * earliest parts: `allocate(total, [1n, …, 1n])` without the sorting.
 *
 * @example
 * splitEvenly(1000n, 3); // [334n, 333n, 333n]
 * splitEvenly(-5n, 2);   // [-3n, -2n]
 */
export function splitEvenly(total: bigint, n: number): bigint[] {
  invariant(Number.isSafeInteger(n) && n > 0, 'splitEvenly: n must be a positive integer');
  const count = BigInt(n);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const base = abs / count;
  const extra = Number(abs % count);
  const parts: bigint[] = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const part = i < extra ? base + 1n : base;
    parts[i] = negative ? -part : part;
  }
  return parts;
}
