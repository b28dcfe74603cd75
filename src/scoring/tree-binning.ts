/**
 * Decision-tree binning: split the ordered fine classes where the split gains the most
 * information (entropy of the bad flag, as a classification tree does), best split first, until
 * `maxBins` bins or no split gains at least `minGain`. Each side of a split must keep `minCount`
 * observations, so the minimum bin share holds by construction.
 *
 * @example
 * treeBins(classes, { maxBins: 6, minCount: 50, minGain: 1e-4 }); // e.g. [0, 3, 11]
 */
import type { GoodBad } from './woe-iv.js';

/** Options for {@link treeBins}. */
export interface TreeBinningOptions {
  readonly maxBins: number;
  readonly minCount: number;
  /** Smallest information gain (in nats per observation of the whole variable) worth a split. */
  readonly minGain: number;
}

function entropyTimesCount(goods: number, bads: number): number {
  const n = goods + bads;
  let h = 0;
  if (goods > 0) h -= goods * Math.log(goods / n);
  if (bads > 0) h -= bads * Math.log(bads / n);
  return h;
}

interface Split {
  readonly at: number;
  readonly gain: number;
}

function bestSplit(classes: readonly GoodBad[], start: number, end: number, minCount: number, total: number): Split | undefined {
  let goods = 0;
  let bads = 0;
  for (let k = start; k < end; k++) {
    goods += (classes[k] as GoodBad).goods;
    bads += (classes[k] as GoodBad).bads;
  }
  const parent = entropyTimesCount(goods, bads);
  let best: Split | undefined;
  let leftGoods = 0;
  let leftBads = 0;
  for (let k = start; k + 1 < end; k++) {
    leftGoods += (classes[k] as GoodBad).goods;
    leftBads += (classes[k] as GoodBad).bads;
    if (leftGoods + leftBads < minCount) continue;
    const rightGoods = goods - leftGoods;
    const rightBads = bads - leftBads;
    if (rightGoods + rightBads < minCount) break;
    const gain = (parent - entropyTimesCount(leftGoods, leftBads) - entropyTimesCount(rightGoods, rightBads)) / total;
    if (best === undefined || gain > best.gain) best = { at: k + 1, gain };
  }
  return best;
}

/**
 * Partitions the fine classes by best-first binary splits. Returns run starts.
 *
 * @example
 * treeBins([{ goods: 50, bads: 5 }, { goods: 48, bads: 6 }, { goods: 10, bads: 40 }], { maxBins: 4, minCount: 10, minGain: 0.001 });
 * // [0, 2]
 */
export function treeBins(classes: readonly GoodBad[], options: TreeBinningOptions): number[] {
  let total = 0;
  for (const c of classes) total += c.goods + c.bads;
  const starts = [0];
  if (classes.length === 0 || total === 0) return starts;
  // Candidate splits of each current run, keyed by the run's start.
  const candidates = new Map<number, Split | undefined>();
  const endOf = (start: number) => starts.find((s) => s > start) ?? classes.length;
  candidates.set(0, bestSplit(classes, 0, classes.length, options.minCount, total));
  // Each iteration adds one bin, so at most maxBins − 1 iterations.
  while (starts.length < options.maxBins) {
    let chosen: [number, Split] | undefined;
    for (const [start, split] of candidates) {
      if (split !== undefined && split.gain >= options.minGain && (chosen === undefined || split.gain > chosen[1].gain)) chosen = [start, split];
    }
    if (chosen === undefined) break;
    const [start, split] = chosen;
    const end = endOf(start);
    starts.push(split.at);
    starts.sort((a, b) => a - b);
    candidates.set(start, bestSplit(classes, start, split.at, options.minCount, total));
    candidates.set(split.at, bestSplit(classes, split.at, end, options.minCount, total));
  }
  return starts;
}
