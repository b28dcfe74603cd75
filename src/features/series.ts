/**
 * Statistics of a monthly series, pure: the level, trend and stability measures the features use.
 * Every function takes the values in month order and returns a JS number (ratios and slopes), or
 * null when there are too few values to mean anything.
 *
 * @example
 * relativeSlope([100, 110, 120]); // 0.0909… (slope 10 per month ÷ mean 110)
 * coefficientOfVariation([90, 110]); // 0.1
 */

/** Arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Ordinary least-squares slope of the values against 0, 1, …, n−1 (per month); null below two
 * values.
 *
 * @example
 * olsSlope([1, 3, 5]); // 2
 */
export function olsSlope(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const xMean = (n - 1) / 2;
  const yMean = mean(values)!;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - xMean) * (values[i]! - yMean);
    sxx += (i - xMean) ** 2;
  }
  return sxy / sxx;
}

/**
 * The OLS slope divided by the mean: the share of an average month gained (or lost) per month,
 * comparable across firms of any size. Null below `minimum` values or for a zero mean.
 *
 * @example
 * relativeSlope([100, 110, 120]); // 10 / 110 = 0.0909…
 */
export function relativeSlope(values: readonly number[], minimum = 2): number | null {
  if (values.length < Math.max(2, minimum)) return null;
  const m = mean(values)!;
  return m === 0 ? null : olsSlope(values)! / m;
}

/**
 * Population standard deviation ÷ mean (coefficient of variation, 变异系数). Null below
 * `minimum` values or for a zero mean.
 *
 * @example
 * coefficientOfVariation([90, 110]); // 10 / 100 = 0.1
 */
export function coefficientOfVariation(values: readonly number[], minimum = 2): number | null {
  if (values.length < Math.max(2, minimum)) return null;
  const m = mean(values)!;
  if (m === 0) return null;
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / values.length) / m;
}

/**
 * Growth of `current` over `previous` (current ÷ previous − 1); null when previous is not positive.
 *
 * @example
 * growth(120, 100); // 0.2
 */
export function growth(current: number, previous: number): number | null {
  return previous > 0 ? current / previous - 1 : null;
}
