/**
 * Logistic regression of the bad flag on a few predictors, fitted by iteratively reweighted
 * least squares (Newton–Raphson on the log-likelihood; McCullagh & Nelder, *Generalized Linear
 * Models*, §4.4), with an optional L2 penalty on the slopes (never on the intercept).
 *
 * Standard errors are the square roots of the diagonal of the inverse (penalised) information
 * matrix at the optimum; p-values are two-sided Wald tests. With `l2 > 0` they are approximate,
 * as for any penalised fit.
 *
 * @example
 * const fit = fitLogisticRegression([Float64Array.of(0, 0, 1, 1)], Uint8Array.of(0, 1, 1, 1));
 * fit.coefficients; // [intercept, slope]
 */
import { SproutError, ValidationError, invariant } from '../errors.js';
import { twoSidedPValue } from './normal-distribution.js';
import { invertSymmetric, solveSymmetric } from './symmetric-matrix.js';

/** Options for {@link fitLogisticRegression}. */
export interface LogisticOptions {
  /** L2 penalty λ: the fit maximises log L − λ/2 Σ βⱼ² over the slopes. */
  readonly l2?: number;
  readonly maxIterations?: number;
  /** Converged when no coefficient moves by more than this in an iteration. */
  readonly tolerance?: number;
  /** Starting coefficients (intercept first), e.g. the previous fit when one variable was dropped. */
  readonly start?: readonly number[];
}

/** A fitted model: index 0 is the intercept, then one entry per predictor in order. */
export interface LogisticFit {
  readonly coefficients: readonly number[];
  readonly standardErrors: readonly number[];
  readonly zValues: readonly number[];
  readonly pValues: readonly number[];
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Fits P(bad) = 1 / (1 + exp(−(β₀ + Σ βⱼ xⱼ))).
 *
 * @example
 * // A 2×2 table: the MLE is the log odds ratio, with SE √(1/a + 1/b + 1/c + 1/d).
 * fitLogisticRegression([x], y).coefficients[1];
 */
export function fitLogisticRegression(predictors: readonly Float64Array[], target: Uint8Array, options: LogisticOptions = {}): LogisticFit {
  const n = target.length;
  const p = predictors.length + 1;
  const l2 = options.l2 ?? 0;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  if (!(l2 >= 0)) throw new ValidationError('l2', 'must be zero or positive');
  for (const column of predictors) invariant(column.length === n, 'one predictor value per row');
  if (n === 0) throw new ValidationError('data', 'no rows to fit');
  const x = [Float64Array.from({ length: n }, () => 1), ...predictors];
  let bads = 0;
  for (let i = 0; i < n; i++) bads += target[i] as number;
  if (bads === 0 || bads === n) throw new ValidationError('target', 'both goods and bads are needed to fit a model');

  const beta = new Float64Array(p);
  if (options.start !== undefined) {
    if (options.start.length !== p || !options.start.every(Number.isFinite)) throw new ValidationError('start', `must be ${p} finite coefficients`);
    beta.set(options.start);
  } else {
    beta[0] = Math.log(bads / (n - bads)); // start at the base rate
  }
  const eta = new Float64Array(n);
  const updateEta = (b: Float64Array) => {
    eta.fill(0);
    for (let j = 0; j < p; j++) {
      const bj = b[j] as number;
      if (bj === 0) continue;
      const column = x[j] as Float64Array;
      for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + bj * (column[i] as number);
    }
  };
  const penalisedLogLikelihood = (b: Float64Array) => {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const e = eta[i] as number;
      // log(1 + exp(e)) computed without overflow.
      const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
      ll += (target[i] as number) * e - softplus;
    }
    let penalty = 0;
    for (let j = 1; j < p; j++) penalty += (b[j] as number) ** 2;
    return ll - (l2 / 2) * penalty;
  };
  updateEta(beta);
  let objective = penalisedLogLikelihood(beta);
  const weights = new Float64Array(n);
  const residual = new Float64Array(n);
  const weighted = new Float64Array(n);
  const information = new Float64Array(p * p);
  const fillInformation = () => {
    for (let i = 0; i < n; i++) {
      const probability = 1 / (1 + Math.exp(-(eta[i] as number)));
      weights[i] = probability * (1 - probability);
      residual[i] = (target[i] as number) - probability;
    }
    information.fill(0);
    for (let j = 0; j < p; j++) {
      const xj = x[j] as Float64Array;
      // w·xⱼ once per column, so the inner loop over rows is one multiply-add.
      for (let i = 0; i < n; i++) weighted[i] = (weights[i] as number) * (xj[i] as number);
      for (let k = 0; k <= j; k++) {
        const xk = x[k] as Float64Array;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (weighted[i] as number) * (xk[i] as number);
        information[j * p + k] = sum;
        information[k * p + j] = sum;
      }
      if (j > 0) information[j * p + j] = (information[j * p + j] as number) + l2;
    }
  };

  let converged = false;
  let iterations = 0;
  // Newton steps, halved while they lower the objective (which only happens far from the optimum
  // or under quasi-separation); bounded by maxIterations.
  for (; iterations < maxIterations && !converged; iterations++) {
    fillInformation();
    const gradient = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      const xj = x[j] as Float64Array;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (residual[i] as number) * (xj[i] as number);
      gradient[j] = sum - (j > 0 ? l2 * (beta[j] as number) : 0);
    }
    const step = solveSymmetric(information, p, gradient, 'the information matrix');
    let scale = 1;
    let candidate = beta;
    let candidateObjective = objective;
    for (let halving = 0; halving < 30; halving++) {
      candidate = Float64Array.from(beta, (b, j) => b + scale * (step[j] as number));
      updateEta(candidate);
      candidateObjective = penalisedLogLikelihood(candidate);
      if (candidateObjective >= objective - 1e-12 * Math.abs(objective)) break;
      scale /= 2;
    }
    let largest = 0;
    for (let j = 0; j < p; j++) largest = Math.max(largest, Math.abs((candidate[j] as number) - (beta[j] as number)));
    beta.set(candidate);
    objective = candidateObjective;
    converged = largest < tolerance;
  }
  updateEta(beta);
  fillInformation();
  const covariance = invertSymmetric(information, p, 'the information matrix');
  const standardErrors = Array.from({ length: p }, (_, j) => Math.sqrt(covariance[j * p + j] as number));
  const coefficients = Array.from(beta);
  for (const b of coefficients) if (!Number.isFinite(b)) throw new SproutError('INTERNAL', 'the logistic regression diverged');
  const zValues = coefficients.map((b, j) => b / (standardErrors[j] as number));
  let logLikelihood = 0;
  for (let i = 0; i < n; i++) {
    const e = eta[i] as number;
    logLikelihood += (target[i] as number) * e - (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e)));
  }
  return { coefficients, standardErrors, zValues, pValues: zValues.map(twoSidedPValue), logLikelihood, iterations, converged };
}
