/**
 * The analytic hierarchy process (AHP, 层次分析法; Saaty 1980): experts compare items in pairs on
 * Saaty's 1–9 scale, the weights are the principal eigenvector of the pairwise matrix, and the
 * consistency ratio CR = CI / RI with CI = (λmax − n) / (n − 1) says whether the judgements hang
 * together. A matrix with CR ≥ 0.10 is refused (Saaty's rule of thumb), with its CR in the message.
 */
import { ValidationError } from '../errors.js';

/**
 * Saaty's random consistency index RI(n): the mean CI of random reciprocal matrices of order n
 * (Saaty 1980, table 1.7; orders 1 and 2 are always consistent).
 */
export const RANDOM_INDEX: readonly number[] = [0, 0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/** Refused at or above this consistency ratio. */
export const MAX_CONSISTENCY_RATIO = 0.1;

/** Power iteration stops when no weight moves by more than this, or after MAX_ITERATIONS. */
const TOLERANCE = 1e-13;
const MAX_ITERATIONS = 10_000;
/** How far a_ji may be from 1 / a_ij and still count as the reciprocal judgement (files round 1/3). */
const RECIPROCAL_TOLERANCE = 0.01;

export interface AhpResult {
  /** The principal eigenvector, summing to 1. */
  readonly weights: readonly number[];
  readonly lambdaMax: number;
  readonly consistencyIndex: number;
  readonly consistencyRatio: number;
}

/**
 * Weights and consistency of a pairwise comparison matrix, or a ValidationError when it is not a
 * Saaty matrix (square, 1 to 11 items, positive entries from 1/9 to 9, ones on the diagonal,
 * reciprocal) or when CR ≥ 0.10.
 *
 * @example
 * const r = ahpWeights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]);
 * // r.weights ≈ [0.6370, 0.2583, 0.1047], r.lambdaMax ≈ 3.0385, r.consistencyRatio ≈ 0.0332
 */
export function ahpWeights(matrix: readonly (readonly number[])[], field = 'ahp'): AhpResult {
  const result = ahpEigen(matrix, field);
  if (result.consistencyRatio >= MAX_CONSISTENCY_RATIO) {
    throw new ValidationError(field, `the judgements are inconsistent: CR = ${result.consistencyRatio.toFixed(4)} (must be below ${MAX_CONSISTENCY_RATIO.toFixed(2)}); revise the comparisons`);
  }
  return result;
}

/** The eigenvector and consistency without the CR check (for showing a refused matrix). */
export function ahpEigen(matrix: readonly (readonly number[])[], field = 'ahp'): AhpResult {
  checkSaatyMatrix(matrix, field);
  const n = matrix.length;
  let w = new Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const next = multiply(matrix, w);
    const total = next.reduce((sum, value) => sum + value, 0);
    const normalised = next.map((value) => value / total);
    const moved = Math.max(...normalised.map((value, i) => Math.abs(value - w[i]!)));
    w = normalised;
    if (moved < TOLERANCE) break;
  }
  // λmax as the mean of (Aw)_i / w_i, exact for a consistent matrix and the usual textbook estimate.
  const aw = multiply(matrix, w);
  const lambdaMax = aw.reduce((sum, value, i) => sum + value / w[i]!, 0) / n;
  const consistencyIndex = n <= 2 ? 0 : Math.max(0, (lambdaMax - n) / (n - 1));
  const consistencyRatio = n <= 2 ? 0 : consistencyIndex / RANDOM_INDEX[n]!;
  return { weights: w, lambdaMax, consistencyIndex, consistencyRatio };
}

function multiply(matrix: readonly (readonly number[])[], vector: readonly number[]): number[] {
  return matrix.map((row) => row.reduce((sum, value, j) => sum + value * vector[j]!, 0));
}

function checkSaatyMatrix(matrix: readonly (readonly number[])[], field: string): void {
  const n = matrix.length;
  if (n < 1 || n > RANDOM_INDEX.length - 1) throw new ValidationError(field, `must compare 1 to ${RANDOM_INDEX.length - 1} items, not ${n}`);
  matrix.forEach((row, i) => {
    if (row.length !== n) throw new ValidationError(`${field}.${i}`, `row ${i + 1} has ${row.length} entries; the matrix must be ${n} × ${n}`);
    row.forEach((value, j) => {
      if (!Number.isFinite(value) || value < 1 / 9 - 1e-9 || value > 9 + 1e-9) throw new ValidationError(`${field}.${i}.${j}`, `entry ${value} is not on Saaty's scale 1/9 to 9`);
      if (i === j && value !== 1) throw new ValidationError(`${field}.${i}.${j}`, 'the diagonal must be 1');
      const mirror = matrix[j]![i]!;
      if (i < j && Math.abs(value * mirror - 1) > RECIPROCAL_TOLERANCE) throw new ValidationError(`${field}.${j}.${i}`, `must be the reciprocal of ${value} (1/${value}), not ${mirror}`);
    });
  });
}

/**
 * A Saaty entry from text: a number or a fraction such as `1/3`.
 *
 * @example
 * parseJudgement('1/3', 'ahp'); // 0.3333…
 */
export function parseJudgement(text: string, field: string): number {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:\/\s*([0-9]+(?:\.[0-9]+)?))?\s*$/.exec(text);
  if (!match) throw new ValidationError(field, `'${text}' is not a judgement (a number or a fraction like 1/3)`);
  const value = Number(match[1]) / (match[2] === undefined ? 1 : Number(match[2]));
  if (!Number.isFinite(value) || value <= 0) throw new ValidationError(field, `'${text}' must be positive`);
  return value;
}
