/**
 * Seeded pseudo-random numbers for the simulated data: every draw is a pure function of a seed
 * and a label ("the tax of firm C in month M under seed 42"), so the same firm has the same data
 * in every run, window and process, and no `Math.random` is involved.
 *
 * @example
 * const random = randomFor(42, '91350100M000100Y43', 'tax', '2025-05');
 * random.uniform(); // the same number every run
 */

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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over one label and its terminator, continuing from `h`. */
function absorb(h: number, label: string | number): number {
  const text = typeof label === 'string' ? label : String(label);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  // The terminator \u0000: xor with 0 leaves h as it is, the multiply remains.
  return Math.imul(h, FNV_PRIME);
}

/** The murmur3 finaliser, for avalanche. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash of the labels (FNV-1a, then the murmur3 finaliser for avalanche), the seed of a
 * stream.
 */
export function hashLabels(labels: readonly (string | number)[]): number {
  let h = FNV_OFFSET;
  for (const label of labels) h = absorb(h, label);
  return finish(h);
}

/**
 * A stream: one object with its generator's state in a field, so drawing a stream allocates once
 * (the simulator draws hundreds a borrower). `uniform` is `seededRandom` (src/random/) step for
 * step — test/data/seeded-random.test.ts holds them equal.
 */
class Stream implements Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  normal(): number {
    // 1 − u keeps the logarithm's argument in (0, 1].
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    // Knuth's product method; the loop is bounded (mean ≤ 30 here, the bound is far above).
    const limit = Math.exp(-Math.min(lambda, 30));
    let k = 0;
    let p = this.uniform();
    while (p > limit && k < 200) {
      k++;
      p *= this.uniform();
    }
    return k;
  }

  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  pick<T>(items: readonly T[], weights?: readonly number[]): T {
    if (weights === undefined) return items[Math.floor(this.uniform() * items.length)]!;
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.uniform() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }
}

/**
 * The stream for `labels`: Sprout's seeded generator (src/random/) seeded by the labels' hash.
 *
 * @example
 * randomFor(1, 'a').uniform() === randomFor(1, 'a').uniform(); // true
 */
export function randomFor(...labels: readonly (string | number)[]): Random {
  return new Stream(hashLabels(labels));
}

/**
 * Streams whose labels start with `prefix`: `under(...rest)` is `randomFor(...prefix, ...rest)`,
 * with the prefix hashed once (FNV-1a reads the labels in order), for the many streams of one
 * simulated firm.
 *
 * @example
 * const firmRandom = randomsUnder(42, '91350100M000100Y43');
 * firmRandom('tax', '2025-05').uniform() === randomFor(42, '91350100M000100Y43', 'tax', '2025-05').uniform(); // true
 */
export function randomsUnder(...prefix: readonly (string | number)[]): (...rest: readonly (string | number)[]) => Random {
  let start = FNV_OFFSET;
  for (const label of prefix) start = absorb(start, label);
  return (...rest) => {
    let h = start;
    for (const label of rest) h = absorb(h, label);
    return new Stream(finish(h));
  };
}
