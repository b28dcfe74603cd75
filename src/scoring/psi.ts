/**
 * Population stability index: how far a population's distribution over some bins has moved from
 * the one the model was built on. PSI = Σ (actualᵢ − expectedᵢ) × ln(actualᵢ / expectedᵢ) over
 * the bins' shares. Conventional reading: < 0.1 stable, 0.1–0.25 watch, > 0.25 shifted
 * (Siddiqi, *Credit Risk Scorecards*, ch. 8).
 *
 * An empty bin would make the logarithm infinite; each share is floored at `PSI_FLOOR` (one in
 * ten thousand), the usual practice, so one empty bin gives a large but finite PSI and bins that
 * are not empty are untouched.
 *
 * @example
 * psi([50, 50], [40, 60]); // (0.4 − 0.5) ln(0.4 / 0.5) + (0.6 − 0.5) ln(0.6 / 0.5) ≈ 0.0405
 */
import { ValidationError } from '../errors.js';

/** Smallest share a bin is given in the PSI sum. */
export const PSI_FLOOR = 1e-4;

/**
 * PSI from the counts per bin of the expected (training) and actual (recent) populations.
 *
 * @example
 * psi([10, 0], [5, 5]); // finite: the empty bin's share is floored
 */
export function psi(expectedCounts: readonly number[], actualCounts: readonly number[]): number {
  return psiContributions(expectedCounts, actualCounts).reduce((sum, term) => sum + term, 0);
}

/**
 * Each bin's term of the PSI sum, to show which bins moved.
 *
 * @example
 * psiContributions([50, 50], [40, 60]); // [≈ 0.0223, ≈ 0.0182]
 */
export function psiContributions(expectedCounts: readonly number[], actualCounts: readonly number[]): number[] {
  if (expectedCounts.length !== actualCounts.length) throw new ValidationError('bins', 'expected and actual need the same bins');
  const expectedTotal = expectedCounts.reduce((a, b) => a + b, 0);
  const actualTotal = actualCounts.reduce((a, b) => a + b, 0);
  if (expectedTotal <= 0 || actualTotal <= 0) throw new ValidationError('bins', 'both populations need at least one row');
  return expectedCounts.map((count, i) => {
    const e = Math.max(count / expectedTotal, PSI_FLOOR);
    const a = Math.max((actualCounts[i] as number) / actualTotal, PSI_FLOOR);
    return (a - e) * Math.log(a / e);
  });
}
