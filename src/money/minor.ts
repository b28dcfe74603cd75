/**
 * Minor units: money as a whole number of fen (分), the smallest unit a ledger books.
 *
 * Money is never a JavaScript `number`: binary floating point cannot hold 0.10 exactly and loses
 * whole fen above 2^53. Every amount in Sprout is a `bigint` count of fen, branded so that a plain
 * count of days or periods cannot be passed where money is expected.
 *
 * @example
 * import { minor } from './minor.js';
 * const fee: Minor = minor(150n); // 1.50 yuan
 */

/** A whole number of fen (1 yuan = 100 fen). */
export type Minor = bigint & { readonly __brand: 'Minor' };

/**
 * Brands a bigint count of fen as money. No check is needed: every bigint is a valid amount;
 * bounds (positive, at most some limit) are the caller's business rule.
 *
 * @example
 * minor(123456n); // 1234.56 yuan
 */
export function minor(x: bigint): Minor {
  return x as Minor;
}

/**
 * Fen per yuan. Named so that `* 100n` in money code reads as a unit conversion, not a magic number.
 *
 * @example
 * const fen = 12n * FEN_PER_YUAN; // 12 yuan
 */
export const FEN_PER_YUAN = 100n;
