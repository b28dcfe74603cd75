/**
 * ChiMerge (Kerber, "ChiMerge: Discretization of Numeric Attributes", AAAI 1992): start from the
 * fine classes and repeatedly merge the adjacent pair whose bad rates are least distinguishable
 * by a χ² test, until every adjacent pair differs significantly and there are at most `maxBins`
 * bins. Runs smaller than `minCount` are then merged into their more similar neighbour.
 *
 * @example
 * chiMerge(classes, { maxBins: 6, minCount: 50, threshold: CHI_SQUARE_95 }); // e.g. [0, 4, 9, 17]
 */
import { mergeRuns } from './fine-classes.js';
import type { GoodBad } from './woe-iv.js';

/** χ² critical value at 95% confidence with one degree of freedom (a 2×2 table). */
export const CHI_SQUARE_95 = 3.841458820694124;

/** Options for {@link chiMerge}. */
export interface ChiMergeOptions {
  readonly maxBins: number;
  /** Smallest count a bin may have (from the minimum bin share). */
  readonly minCount: number;
  /** Merge while the smallest adjacent χ² is below this. */
  readonly threshold: number;
}

/**
 * Pearson's χ² of the 2×2 table of two groups' goods and bads; 0 when a margin is empty (the
 * groups cannot be told apart).
 *
 * @example
 * chiSquare({ goods: 10, bads: 10 }, { goods: 10, bads: 10 }); // 0
 * chiSquare({ goods: 20, bads: 0 }, { goods: 0, bads: 20 }); // 40
 */
export function chiSquare(a: GoodBad, b: GoodBad): number {
  const n = a.goods + a.bads + b.goods + b.bads;
  const goods = a.goods + b.goods;
  const bads = a.bads + b.bads;
  const na = a.goods + a.bads;
  const nb = b.goods + b.bads;
  if (n === 0 || goods === 0 || bads === 0 || na === 0 || nb === 0) return 0;
  const cell = (observed: number, rowTotal: number, columnTotal: number) => {
    const expected = (rowTotal * columnTotal) / n;
    return ((observed - expected) * (observed - expected)) / expected;
  };
  return cell(a.goods, na, goods) + cell(a.bads, na, bads) + cell(b.goods, nb, goods) + cell(b.bads, nb, bads);
}

/**
 * Partitions the fine classes by ChiMerge. Returns run starts (see `fine-classes.ts`).
 *
 * @example
 * chiMerge([{ goods: 50, bads: 5 }, { goods: 48, bads: 6 }, { goods: 10, bads: 40 }], { maxBins: 5, minCount: 1, threshold: CHI_SQUARE_95 });
 * // [0, 2]: the first two classes have the same bad rate and are merged
 */
export function chiMerge(classes: readonly GoodBad[], options: ChiMergeOptions): number[] {
  const starts = classes.map((_, i) => i);
  let groups = mergeRuns(classes, starts);
  // Each pass removes one run, so at most classes.length passes.
  for (let pass = 0; pass < classes.length && starts.length > 1; pass++) {
    let best = -1;
    let bestChi = Number.POSITIVE_INFINITY;
    for (let i = 0; i + 1 < groups.length; i++) {
      const chi = chiSquare(groups[i] as GoodBad, groups[i + 1] as GoodBad);
      if (chi < bestChi) {
        bestChi = chi;
        best = i;
      }
    }
    if (bestChi >= options.threshold && starts.length <= options.maxBins) break;
    starts.splice(best + 1, 1);
    groups = mergeRuns(classes, starts);
  }
  return mergeSmallRuns(classes, starts, options.minCount);
}

/**
 * Merges every run with fewer than `minCount` observations into the neighbour it is least
 * distinguishable from (smaller χ²), smallest run first.
 *
 * @example
 * mergeSmallRuns([{ goods: 50, bads: 5 }, { goods: 1, bads: 0 }, { goods: 10, bads: 40 }], [0, 1, 2], 10); // [0, 2]
 */
export function mergeSmallRuns(classes: readonly GoodBad[], starts: readonly number[], minCount: number): number[] {
  const result = [...starts];
  for (let pass = 0; pass < starts.length && result.length > 1; pass++) {
    const groups = mergeRuns(classes, result);
    let smallest = -1;
    let smallestCount = minCount;
    groups.forEach((group, i) => {
      const count = group.goods + group.bads;
      if (count < smallestCount) {
        smallestCount = count;
        smallest = i;
      }
    });
    if (smallest < 0) break;
    const left = smallest > 0 ? chiSquare(groups[smallest - 1] as GoodBad, groups[smallest] as GoodBad) : Number.POSITIVE_INFINITY;
    const right = smallest + 1 < groups.length ? chiSquare(groups[smallest] as GoodBad, groups[smallest + 1] as GoodBad) : Number.POSITIVE_INFINITY;
    // Merging with the left neighbour removes this run's start; with the right, the next one's.
    result.splice(left <= right ? smallest : smallest + 1, 1);
  }
  return result;
}
