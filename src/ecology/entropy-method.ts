/**
 * The entropy weight method (熵值法) step by step, each a pure function over plain numbers so
 * each formula of docs/ecology.md has its own test.
 */
import { invariant, ValidationError } from '../errors.js';
import type { Direction } from './indicator-system.js';

/** The shift that keeps every normalised value, and so every share p_ij, above zero. */
export const SHIFT_FLOOR = 0.01;

/**
 * Min–max normalisation of one indicator over the regions, reversed for lower-is-better, then
 * shifted: x′ = (x − min)/(max − min) for `+`, (max − x)/(max − min) for `-`; x″ = 0.01 + 0.99·x′.
 * A constant indicator (max = min) tells no region from another: every x′ is 1, so its shares are
 * equal, its entropy is 1 and its entropy weight 0.
 *
 * @example
 * normalise([2, 4, 6], '+'); // [0.01, 0.505, 1]
 * normalise([2, 4, 6], '-'); // [1, 0.505, 0.01]
 */
export function normalise(values: readonly number[], direction: Direction): number[] {
  invariant(values.length > 0 && values.every(Number.isFinite), 'normalise needs finite values');
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (max === min) return values.map(() => SHIFT_FLOOR + (1 - SHIFT_FLOOR));
  return values.map((x) => SHIFT_FLOOR + (1 - SHIFT_FLOOR) * (direction === '+' ? (x - min) / (max - min) : (max - x) / (max - min)));
}

/**
 * Shares p_ij = x″_ij / Σ_i x″_ij of one normalised indicator.
 *
 * @example
 * shares([0.01, 0.505, 1]); // [0.00662…, 0.33444…, 0.66225…]
 */
export function shares(normalised: readonly number[]): number[] {
  const total = normalised.reduce((sum, x) => sum + x, 0);
  invariant(total > 0, 'shares need a positive total (normalised values are at least 0.01)');
  return normalised.map((x) => x / total);
}

/**
 * Entropy e_j = −(1/ln n)·Σ_i p_ij·ln p_ij of one indicator's shares over n ≥ 2 regions; 1 when
 * every region has the same share, lower the more the indicator tells regions apart.
 *
 * @example
 * entropy([0.5, 0.5]); // 1
 * entropy([0.25, 0.75]); // 0.81128…
 */
export function entropy(p: readonly number[]): number {
  if (p.length < 2) throw new ValidationError('regions', `the entropy method needs at least 2 regions, not ${p.length}`);
  return -p.reduce((sum, share) => sum + (share > 0 ? share * Math.log(share) : 0), 0) / Math.log(p.length);
}

/**
 * Entropy weights w_j = (1 − e_j)/Σ_k (1 − e_k). When every indicator is constant (every e_j = 1)
 * nothing tells the regions apart and the weights are equal.
 *
 * @example
 * entropyWeights([0.9, 0.7, 1]); // [0.25, 0.75, 0]
 */
export function entropyWeights(entropies: readonly number[]): number[] {
  // Rounding can put an entropy a hair above 1; a divergence is never negative.
  const divergence = entropies.map((e) => Math.max(0, 1 - e));
  const total = divergence.reduce((sum, d) => sum + d, 0);
  if (total === 0) return entropies.map(() => 1 / entropies.length);
  return divergence.map((d) => d / total);
}

/**
 * The display score 100·(S_i − min S)/(max S − min S): the best region 100, the worst 0. When
 * every composite is the same, no region is worse than another and every one scores 100.
 *
 * @example
 * displayScores([0.2, 0.5, 0.4]); // [0, 100, 66.66…]
 */
export function displayScores(composites: readonly number[]): number[] {
  const min = Math.min(...composites);
  const max = Math.max(...composites);
  if (max === min) return composites.map(() => 100);
  return composites.map((s) => (100 * (s - min)) / (max - min));
}

const TIE = 1e-9;

/**
 * Competition ranks by score, highest first: equal scores share a rank and the next rank skips
 * (1, 2, 2, 4). Scores within 1e-9 of each other are equal: two regions the formulas tie must
 * not be told apart by the last bit of a floating-point sum.
 *
 * @example
 * ranks([50, 80, 50, 10]); // [2, 1, 2, 4]
 */
export function ranks(scores: readonly number[]): number[] {
  return scores.map((score) => 1 + scores.filter((other) => other > score + TIE).length);
}

/**
 * The median of some numbers (the mean of the middle two for an even count).
 *
 * @example
 * median([3, 1, 2, 10]); // 2.5
 */
export function median(values: readonly number[]): number {
  invariant(values.length > 0, 'median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
