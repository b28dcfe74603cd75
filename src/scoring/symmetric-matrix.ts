/**
 * The little linear algebra a scorecard needs: Cholesky factorisation of a symmetric positive
 * definite matrix (the logistic regression's Hessian, a correlation matrix), solving with it and
 * inverting it. Matrices are row-major `Float64Array`s of size p × p; p is at most a few hundred.
 *
 * @example
 * const a = Float64Array.of(4, 2, 2, 3);
 * solveSymmetric(a, 2, Float64Array.of(2, 1)); // [0.5, 0]
 */
import { SproutError } from '../errors.js';

/**
 * The lower-triangular L with A = L Lᵀ, or `undefined` when A is not (numerically) positive
 * definite, which for a Hessian means perfectly collinear predictors.
 *
 * @example
 * cholesky(Float64Array.of(4, 2, 2, 3), 2); // [2, 0, 1, √2]
 */
export function cholesky(a: Float64Array, p: number): Float64Array | undefined {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * p + k] as number) * (l[j * p + k] as number);
      if (i === j) {
        // Relative tolerance: a pivot this small against the diagonal means rank deficiency.
        if (!(sum > 1e-12 * Math.max(1, Math.abs(a[i * p + i] as number)))) return undefined;
        l[i * p + i] = Math.sqrt(sum);
      } else {
        l[i * p + j] = sum / (l[j * p + j] as number);
      }
    }
  }
  return l;
}

/**
 * Solves A x = b given A's Cholesky factor L.
 *
 * @example
 * choleskySolve(cholesky(a, 2)!, 2, Float64Array.of(2, 1));
 */
export function choleskySolve(l: Float64Array, p: number, b: Float64Array): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * p + k] as number) * (y[k] as number);
    y[i] = sum / (l[i * p + i] as number);
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < p; k++) sum -= (l[k * p + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * p + i] as number);
  }
  return x;
}

function factor(a: Float64Array, p: number, what: string): Float64Array {
  const l = cholesky(a, p);
  if (l === undefined) throw new SproutError('INTERNAL', `${what} is singular: some predictors are perfectly collinear`);
  return l;
}

/**
 * Solves A x = b for symmetric positive definite A.
 *
 * @example
 * solveSymmetric(Float64Array.of(4, 2, 2, 3), 2, Float64Array.of(2, 1)); // [0.5, 0]
 */
export function solveSymmetric(a: Float64Array, p: number, b: Float64Array, what = 'the matrix'): Float64Array {
  return choleskySolve(factor(a, p, what), p, b);
}

/**
 * The inverse of a symmetric positive definite matrix.
 *
 * @example
 * invertSymmetric(Float64Array.of(4, 2, 2, 3), 2); // [0.375, −0.25, −0.25, 0.5]
 */
export function invertSymmetric(a: Float64Array, p: number, what = 'the matrix'): Float64Array {
  const l = factor(a, p, what);
  const inverse = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    const column = choleskySolve(l, p, e);
    for (let i = 0; i < p; i++) inverse[i * p + j] = column[i] as number;
  }
  return inverse;
}
