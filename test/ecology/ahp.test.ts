import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ahpEigen, ahpWeights, parseJudgement, RANDOM_INDEX } from '../../src/ecology/ahp.js';
import { SproutError } from '../../src/errors.js';

const near = (actual: number, expected: number, tolerance: number): void => assert.ok(Math.abs(actual - expected) < tolerance, `${actual} ≠ ${expected}`);

describe('AHP', () => {
  it("the textbook 3 × 3 matrix [[1,3,5],[1/3,1,3],[1/5,1/3,1]]: weights 0.6370, 0.2583, 0.1047; λmax 3.0385; CR 0.0332", () => {
    const result = ahpWeights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]);
    near(result.weights[0]!, 0.63699, 5e-5);
    near(result.weights[1]!, 0.25828, 5e-5);
    near(result.weights[2]!, 0.10473, 5e-5);
    near(result.lambdaMax, 3.03851, 5e-5);
    near(result.consistencyIndex, 0.019256, 5e-6);
    near(result.consistencyRatio, 0.03320, 5e-5);
  });

  it('Saaty 4 × 4 [[1,5,3,7],[1/5,1,1/3,3],[1/3,3,1,5],[1/7,1/3,1/5,1]]: 0.5650, 0.1175, 0.2622, 0.0553; λmax 4.1170; CR 0.0433', () => {
    const result = ahpWeights([[1, 5, 3, 7], [1 / 5, 1, 1 / 3, 3], [1 / 3, 3, 1, 5], [1 / 7, 1 / 3, 1 / 5, 1]]);
    [0.56501, 0.1175, 0.2622, 0.05529].forEach((weight, i) => near(result.weights[i]!, weight, 5e-5));
    near(result.lambdaMax, 4.11698, 5e-5);
    near(result.consistencyRatio, 0.04333, 5e-5);
  });

  it('a consistent matrix gives its ratios exactly and CR 0', () => {
    const result = ahpWeights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]);
    [4 / 7, 2 / 7, 1 / 7].forEach((weight, i) => near(result.weights[i]!, weight, 1e-12));
    near(result.lambdaMax, 3, 1e-12);
    near(result.consistencyRatio, 0, 1e-12);
  });

  it('an inconsistent matrix (a > b, b > c, c > a, all 9) is refused with its CR 6.1303 shown', () => {
    const cyclic = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]];
    near(ahpEigen(cyclic).consistencyRatio, 6.13027, 5e-5);
    assert.throws(
      () => ahpWeights(cyclic, 'ahp.dimensions'),
      (error: unknown) => error instanceof SproutError && error.code === 'VALIDATION' && error.field === 'ahp.dimensions' && /CR = 6\.1303/.test(error.message),
    );
  });

  it("a matrix off Saaty's scale, not reciprocal, or not square is refused naming the entry", () => {
    assert.throws(() => ahpWeights([[1, 12], [1 / 12, 1]]), /not on Saaty's scale/);
    assert.throws(() => ahpWeights([[1, 3], [3, 1]]), (error: unknown) => error instanceof SproutError && error.field === 'ahp.1.0');
    assert.throws(() => ahpWeights([[1, 3], [1 / 3]]), /must be 2 × 2/);
    assert.throws(() => ahpWeights([[2]]), /diagonal/);
  });

  it("Saaty's random index, and judgements as fractions", () => {
    assert.deepEqual(RANDOM_INDEX.slice(3, 6), [0.58, 0.9, 1.12]);
    near(parseJudgement('1/3', 'f'), 1 / 3, 1e-15);
    assert.equal(parseJudgement(' 7 ', 'f'), 7);
    assert.throws(() => parseJudgement('-2', 'f'), /not a judgement/);
  });
});
