/**
 * Seeded pseudo-random numbers for the simulated data: every draw is a pure function of a seed
 * and a label ("the tax of firm C in month M under seed 42"), so the same firm has the same data
 * in every run, window and process, and no `Math.random` is involved.
 *
 * @example
 * const random = randomFor(42, '91350100M000100Y43', 'tax', '2025-05');
 * random.uniform(); // the same number every run
 */

import { seededRandom } from '../random/seeded-random.js';

/** A stream of draws. */
export interface Random {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Poisson with mean `lambda` (Knuth's method; bounded for large means). */
  poisson(lambda: number): number;
  /** An integer in [0, n). */
  below(n: number): number;
  /** One of `items`, by optional weights. */
  pick<T>(items: readonly T[], weights?: readonly number[]): T;
}

/**
 * A 32-bit hash of the labels (FNV-1a, then the murmur3 finaliser for avalanche), the seed of a
 * stream.
 */
export function hashLabels(labels: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const label of labels) {
    const text = typeof label === 'string' ? label : String(label);
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    // The terminator \u0000: xor with 0 leaves h as it is, the multiply remains.
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The stream for `labels`: Sprout's seeded generator (src/random/) seeded by the labels' hash.
 *
 * @example
 * randomFor(1, 'a').uniform() === randomFor(1, 'a').uniform(); // true
 */
export function randomFor(...labels: readonly (string | number)[]): Random {
  const uniform = seededRandom(hashLabels(labels));
  return {
    uniform,
    normal() {
      // 1 − u keeps the logarithm's argument in (0, 1].
      const u = 1 - uniform();
      const v = uniform();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    poisson(lambda) {
      if (lambda <= 0) return 0;
      // Knuth's product method; the loop is bounded (mean ≤ 30 here, the bound is far above).
      const limit = Math.exp(-Math.min(lambda, 30));
      let k = 0;
      let p = uniform();
      while (p > limit && k < 200) {
        k++;
        p *= uniform();
      }
      return k;
    },
    below(n) {
      return Math.floor(uniform() * n);
    },
    pick(items, weights) {
      if (weights === undefined) return items[Math.floor(uniform() * items.length)]!;
      const total = weights.reduce((a, b) => a + b, 0);
      let r = uniform() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i]!;
        if (r < 0) return items[i]!;
      }
      return items[items.length - 1]!;
    },
  };
}
