/**
 * Monotonic-trend enforcement: merge adjacent bins until the bad rate only rises (or only falls)
 * along a numeric variable. Regulators and risk officers expect "longer duration, more risk" to
 * hold in every bin, not to zigzag with sampling noise (Siddiqi, ch. 6, "logical trend").
 *
 * The merging is pool-adjacent-violators: it yields the finest monotone coarsening of the bins.
 * With `auto`, both directions are tried and the one keeping the higher IV wins.
 *
 * @example
 * enforceMonotonic([{ goods: 90, bads: 10 }, { goods: 70, bads: 30 }, { goods: 80, bads: 20 }], [0, 1, 2], 'ascending');
 * // { starts: [0, 1], trend: 'ascending' }: the 30% and 20% bins are pooled
 */
import { badRate, mergeRuns } from './fine-classes.js';
import { informationValue, type GoodBad } from './woe-iv.js';

/** The bad-rate direction along a numeric variable. */
export type Trend = 'ascending' | 'descending';

/**
 * Pools adjacent runs that break the trend. Returns run starts and the trend applied.
 *
 * @example
 * enforceMonotonic(classes, starts, 'auto').trend; // 'descending' for age, typically
 */
export function enforceMonotonic(classes: readonly GoodBad[], starts: readonly number[], trend: Trend | 'auto'): { starts: number[]; trend: Trend } {
  if (trend !== 'auto') return { starts: pool(classes, starts, trend), trend };
  const up = pool(classes, starts, 'ascending');
  const down = pool(classes, starts, 'descending');
  const ivUp = informationValue(mergeRuns(classes, up));
  const ivDown = informationValue(mergeRuns(classes, down));
  return ivUp >= ivDown ? { starts: up, trend: 'ascending' } : { starts: down, trend: 'descending' };
}

function pool(classes: readonly GoodBad[], starts: readonly number[], trend: Trend): number[] {
  const runs = mergeRuns(classes, starts);
  // A stack of pooled runs: [start, goods, bads]. Equal rates are pooled too: two bins with the
  // same WOE tell the applicant nothing.
  const stack: { start: number; goods: number; bads: number }[] = [];
  runs.forEach((run, i) => {
    stack.push({ start: starts[i] as number, goods: run.goods, bads: run.bads });
    while (stack.length > 1) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const below = stack[stack.length - 2] as (typeof stack)[number];
      const rising = badRate(top) > badRate(below);
      const falling = badRate(top) < badRate(below);
      if (trend === 'ascending' ? rising : falling) break;
      stack.pop();
      below.goods += top.goods;
      below.bads += top.bads;
    }
  });
  return stack.map((run) => run.start);
}
