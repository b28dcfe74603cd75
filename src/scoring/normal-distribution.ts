/**
 * The standard normal distribution's tail, for the Wald test p-values of a logistic regression.
 *
 * @example
 * twoSidedPValue(1.959964); // ≈ 0.05
 */

/**
 * Complementary error function, with fractional error below 1.2 × 10⁻⁷ everywhere (Chebyshev
 * fit from Press et al., *Numerical Recipes*, 3rd ed., §6.2.2, `erfccheb`'s older `erfcc`).
 *
 * @example
 * erfc(0); // 1
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * P(|Z| ≥ |z|) for a standard normal Z.
 *
 * @example
 * twoSidedPValue(0); // 1
 * twoSidedPValue(2.5758293); // ≈ 0.01
 */
export function twoSidedPValue(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}
