import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitLogisticRegression } from '../../src/scoring/logistic-regression.js';
import { invertSymmetric, solveSymmetric } from '../../src/scoring/symmetric-matrix.js';

const close = (actual: number, expected: number, tolerance = 1e-7) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

/** Rows for a table of (x, bads, goods) cells. */
function rowsOf(cells: readonly [number[], number, number][]): { x: Float64Array[]; y: Uint8Array } {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (const [x, bads, goods] of cells) {
    for (let i = 0; i < bads; i++) (xs.push(x), ys.push(1));
    for (let i = 0; i < goods; i++) (xs.push(x), ys.push(0));
  }
  const p = cells[0]![0].length;
  return { x: Array.from({ length: p }, (_, j) => Float64Array.from(xs, (row) => row[j]!)), y: Uint8Array.from(ys) };
}

describe('logistic regression by IRLS', () => {
  it('a 2×2 table: the MLE is the log odds ratio, SE √(1/a + 1/b + 1/c + 1/d), Wald p from the normal', () => {
    // x = 0: 10 bads, 30 goods; x = 1: 20 bads, 20 goods.
    const { x, y } = rowsOf([[[0], 10, 30], [[1], 20, 20]]);
    const fit = fitLogisticRegression(x, y);
    assert.ok(fit.converged);
    close(fit.coefficients[0]!, Math.log(10 / 30));
    close(fit.coefficients[1]!, Math.log(3));
    close(fit.standardErrors[0]!, Math.sqrt(1 / 10 + 1 / 30));
    close(fit.standardErrors[1]!, Math.sqrt(1 / 10 + 1 / 30 + 1 / 20 + 1 / 20));
    // z = ln 3 / 0.483046 = 2.274344; two-sided p = erfc(z/√2) = 0.0229453 (Python math.erfc)
    close(fit.zValues[1]!, 2.2743435, 1e-6);
    close(fit.pValues[1]!, 0.0229453, 1e-6);
    close(fit.pValues[0]!, 0.0026239, 1e-6);
  });

  it('three groups with dummies: each coefficient is that group\'s log odds ratio to the reference', () => {
    // reference: 15 bads / 45 goods; group B: 30/30; group C: 5/45
    const { x, y } = rowsOf([[[0, 0], 15, 45], [[1, 0], 30, 30], [[0, 1], 5, 45]]);
    const fit = fitLogisticRegression(x, y);
    close(fit.coefficients[0]!, Math.log(15 / 45));
    close(fit.coefficients[1]!, Math.log(30 / 30) - Math.log(15 / 45));
    close(fit.coefficients[2]!, Math.log(5 / 45) - Math.log(15 / 45));
    close(fit.standardErrors[2]!, Math.sqrt(1 / 15 + 1 / 45 + 1 / 5 + 1 / 45));
    // The log-likelihood of a saturated model is Σ n·[p ln p + (1−p) ln(1−p)] over groups.
    const ll = (b: number, g: number) => b * Math.log(b / (b + g)) + g * Math.log(g / (b + g));
    close(fit.logLikelihood, ll(15, 45) + ll(30, 30) + ll(5, 45), 1e-8);
  });

  it('a continuous predictor: the fit satisfies the score equations Xᵀ(y − p) = 0', () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => (i % 20) / 4 - 2.5);
    const y = Uint8Array.from({ length: 200 }, (_, i) => ((i * 7919) % 100 < 30 + 8 * ((i % 20) / 4 - 2.5) ? 1 : 0));
    const fit = fitLogisticRegression([x], y);
    let g0 = 0;
    let g1 = 0;
    x.forEach((xi, i) => {
      const p = 1 / (1 + Math.exp(-(fit.coefficients[0]! + fit.coefficients[1]! * xi)));
      g0 += y[i]! - p;
      g1 += (y[i]! - p) * xi;
    });
    close(g0, 0, 1e-8);
    close(g1, 0, 1e-8);
    assert.ok(fit.coefficients[1]! > 0);
  });

  it('with an L2 penalty the slope shrinks and Xᵀ(y − p) = λβ holds', () => {
    const { x, y } = rowsOf([[[0], 10, 30], [[1], 20, 20]]);
    const fit = fitLogisticRegression(x, y, { l2: 5 });
    assert.ok(fit.coefficients[1]! < Math.log(3) && fit.coefficients[1]! > 0);
    let g1 = 0;
    let g0 = 0;
    x[0]!.forEach((xi, i) => {
      const p = 1 / (1 + Math.exp(-(fit.coefficients[0]! + fit.coefficients[1]! * xi)));
      g0 += y[i]! - p;
      g1 += (y[i]! - p) * xi;
    });
    close(g0, 0, 1e-8); // the intercept is not penalised
    close(g1, 5 * fit.coefficients[1]!, 1e-8);
  });

  it('refuses a target with no bads', () => {
    assert.throws(() => fitLogisticRegression([Float64Array.of(1, 2)], Uint8Array.of(0, 0)), /both goods and bads/);
  });
});

describe('symmetric matrices', () => {
  it('solves and inverts by Cholesky', () => {
    const a = Float64Array.of(4, 2, 2, 3);
    assert.deepEqual([...solveSymmetric(a, 2, Float64Array.of(2, 1))].map((v) => Number(v.toFixed(12))), [0.5, 0]);
    assert.deepEqual([...invertSymmetric(a, 2)].map((v) => Number(v.toFixed(12))), [0.375, -0.25, -0.25, 0.5]);
  });
});
