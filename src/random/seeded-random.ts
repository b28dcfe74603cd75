/**
 * A seeded pseudo-random generator (mulberry32), for everything in Sprout that needs chance —
 * cross-validation folds, synthetic loan books, benchmark data — so every run gives the same result.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // a number in [0, 1), the same every run
 */

/**
 * mulberry32: 32-bit state, period 2³², good enough for shuffling and simulation (not crypto).
 *
 * @example
 * seededRandom(1)() === seededRandom(1)(); // true
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher–Yates shuffle of a copy.
 *
 * @example
 * shuffled([1, 2, 3], seededRandom(7));
 */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}
