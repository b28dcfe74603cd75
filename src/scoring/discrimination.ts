/**
 * How well a risk measure separates bads from goods: the ROC curve, its area (AUC), the Gini
 * coefficient and the Kolmogorov–Smirnov statistic. `risk` is anything where higher means more
 * likely bad (a probability of bad; a score with its sign flipped); ties are handled exactly.
 *
 * @example
 * auc(Float64Array.of(0.9, 0.2, 0.6, 0.1), Uint8Array.of(1, 0, 1, 0)); // 1
 */
import { ValidationError, invariant } from '../errors.js';

/** One point of the ROC curve: at risk ≥ threshold, the share of bads and of goods caught. */
export interface RocPoint {
  readonly threshold: number;
  /** True-positive rate: cumulative share of bads. */
  readonly tpr: number;
  /** False-positive rate: cumulative share of goods. */
  readonly fpr: number;
}

function counts(target: Uint8Array): { bads: number; goods: number } {
  let bads = 0;
  for (let i = 0; i < target.length; i++) bads += target[i] as number;
  const goods = target.length - bads;
  if (bads === 0 || goods === 0) throw new ValidationError('target', 'both goods and bads are needed to measure discrimination');
  return { bads, goods };
}

/**
 * The ROC curve from (0, 0) to (1, 1), one point per distinct risk value, riskiest first.
 *
 * @example
 * rocCurve(Float64Array.of(0.9, 0.1), Uint8Array.of(1, 0));
 * // [{ threshold: ∞, tpr: 0, fpr: 0 }, { threshold: 0.9, tpr: 1, fpr: 0 }, { threshold: 0.1, tpr: 1, fpr: 1 }]
 */
export function rocCurve(risk: Float64Array, target: Uint8Array): RocPoint[] {
  invariant(risk.length === target.length, 'one risk per row');
  const { bads, goods } = counts(target);
  const order = Array.from({ length: risk.length }, (_, i) => i).sort((a, b) => (risk[b] as number) - (risk[a] as number));
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, tpr: 0, fpr: 0 }];
  let caughtBads = 0;
  let caughtGoods = 0;
  for (let k = 0; k < order.length; ) {
    const threshold = risk[order[k] as number] as number;
    // Every row with the same risk is on the same side of any threshold.
    while (k < order.length && risk[order[k] as number] === threshold) {
      if (target[order[k] as number] === 1) caughtBads++;
      else caughtGoods++;
      k++;
    }
    points.push({ threshold, tpr: caughtBads / bads, fpr: caughtGoods / goods });
  }
  return points;
}

/**
 * Area under the ROC curve: the probability that a random bad is riskier than a random good,
 * ties counting one half (the Mann–Whitney U statistic over bads × goods).
 *
 * @example
 * auc(Float64Array.of(0.8, 0.5, 0.5, 0.1), Uint8Array.of(1, 1, 0, 0)); // 0.875
 */
export function auc(risk: Float64Array, target: Uint8Array): number {
  const curve = rocCurve(risk, target);
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1] as RocPoint;
    const b = curve[i] as RocPoint;
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2; // trapezoid = exact tie correction
  }
  return area;
}

/**
 * Gini coefficient (accuracy ratio): 2 × AUC − 1.
 *
 * @example
 * gini(0.8); // 0.6
 */
export function gini(areaUnderCurve: number): number {
  return 2 * areaUnderCurve - 1;
}

/**
 * Kolmogorov–Smirnov statistic: the largest gap between the cumulative shares of bads and goods
 * over all thresholds, and the risk where it is reached.
 *
 * @example
 * ks(Float64Array.of(0.8, 0.5, 0.5, 0.1), Uint8Array.of(1, 1, 0, 0)); // { ks: 0.5, threshold: 0.8 }
 */
export function ks(risk: Float64Array, target: Uint8Array): { ks: number; threshold: number } {
  let best = { ks: 0, threshold: Number.POSITIVE_INFINITY };
  for (const point of rocCurve(risk, target)) if (point.tpr - point.fpr > best.ks) best = { ks: point.tpr - point.fpr, threshold: point.threshold };
  return best;
}
