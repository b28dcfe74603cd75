import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayScores, entropy, entropyWeights, median, normalise, ranks, shares } from '../../src/ecology/entropy-method.js';

const close = (actual: readonly number[], expected: readonly number[], digits = 1e-9): void => {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]!) < digits, `[${i}] ${value} ≠ ${expected[i]}`));
};

describe('entropy method, formula by formula (hand-computed)', () => {
  it('min–max normalisation shifted to 0.01 + 0.99·x′: 2, 4, 6 → 0.01, 0.505, 1', () => {
    close(normalise([2, 4, 6], '+'), [0.01, 0.505, 1]);
  });

  it('a lower-is-better indicator is reversed: 10, 30, 20 → x′ 1, 0, 0.5 → 1, 0.01, 0.505', () => {
    close(normalise([10, 30, 20], '-'), [1, 0.01, 0.505]);
  });

  it('a constant indicator normalises to 1 everywhere, so its shares are equal and its entropy is 1', () => {
    const x = normalise([5, 5, 5], '+');
    close(x, [1, 1, 1]);
    close(shares(x), [1 / 3, 1 / 3, 1 / 3]);
    assert.ok(Math.abs(entropy(shares(x)) - 1) < 1e-12);
  });

  it('shares p_ij = x″/Σx″: 0.01, 0.505, 1 over 1.515', () => {
    close(shares([0.01, 0.505, 1]), [0.01 / 1.515, 0.505 / 1.515, 1 / 1.515]);
    close(shares([0.01, 0.505, 1]), [0.00660066, 0.33333333, 0.66006601], 1e-8);
  });

  it('entropy e = −(1/ln n)·Σ p ln p: (0.25, 0.75) → 0.811278; (0.0066, 0.3333, 0.6601) → 0.613087', () => {
    assert.ok(Math.abs(entropy([0.25, 0.75]) - 0.8112781245) < 1e-9);
    assert.ok(Math.abs(entropy(shares([0.01, 0.505, 1])) - 0.6130869753) < 1e-9);
    assert.equal(entropy([0.5, 0.5]), 1);
    assert.throws(() => entropy([1]), /at least 2 regions/);
  });

  it('weights w = (1 − e)/Σ(1 − e): entropies 0.9, 0.7, 1 → 0.25, 0.75, 0; all constant → equal', () => {
    close(entropyWeights([0.9, 0.7, 1]), [0.25, 0.75, 0]);
    close(entropyWeights([1, 1, 1, 1]), [0.25, 0.25, 0.25, 0.25]);
  });

  it('display score 100·(S − min)/(max − min), ranks with ties sharing, and the median', () => {
    close(displayScores([0.2, 0.5, 0.4]), [0, 100, 200 / 3]);
    close(displayScores([0.3, 0.3]), [100, 100]);
    assert.deepEqual(ranks([50, 80, 50, 10]), [2, 1, 2, 4]);
    assert.equal(median([3, 1, 2, 10]), 2.5);
    assert.equal(median([7, 1, 3]), 3);
  });
});
