/**
 * An exact rational number `numerator / denominator` over bigints.
 *
 * Interest is computed as one exact fraction and rounded to the fen exactly once, so rates and
 * year fractions are carried as fractions rather than decimals (0.0435 × 90 / 365 has no finite
 * decimal expansion).
 *
 * @example
 * const yearFraction: Fraction = { numerator: 90n, denominator: 365n };
 */
export interface Fraction {
  readonly numerator: bigint;
  /** Always positive. */
  readonly denominator: bigint;
}
