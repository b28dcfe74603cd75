/**
 * Stratified k-fold cross-validation: every fold has (within one row) the same share of bads as
 * the whole data, so each test fold's AUC measures the same problem.
 *
 * @example
 * const folds = stratifiedFolds(data.target, 5, 2024);
 * folds[0].test.length; // ≈ rows / 5
 */
import { ValidationError } from '../errors.js';
import { seededRandom, shuffled } from '../random/seeded-random.js';

/** One fold: row indices to train on and to test on, each ascending. */
export interface Fold {
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/**
 * Splits rows into `k` folds, stratified by the 0/1 target, shuffled with `seed`.
 *
 * @example
 * stratifiedFolds(Uint8Array.of(0, 1, 0, 1), 2, 1).map((f) => f.test.length); // [2, 2]
 */
export function stratifiedFolds(target: Uint8Array, k: number, seed: number): Fold[] {
  if (!(Number.isInteger(k) && k >= 2 && k <= target.length)) throw new ValidationError('k', `must be a whole number from 2 to ${target.length}`);
  const random = seededRandom(seed);
  const bads: number[] = [];
  const goods: number[] = [];
  target.forEach((t, i) => (t === 1 ? bads : goods).push(i));
  const foldOf = new Int32Array(target.length);
  // Deal the shuffled bads, then the shuffled goods, round-robin; goods continue where bads
  // stopped so fold sizes differ by at most one.
  let next = 0;
  for (const i of [...shuffled(bads, random), ...shuffled(goods, random)]) foldOf[i] = next++ % k;
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    foldOf.forEach((fold, i) => (fold === f ? test : train).push(i));
    return { train, test };
  });
}
