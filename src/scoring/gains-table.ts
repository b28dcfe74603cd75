/**
 * The gains (decile) table: rows sorted riskiest first and cut into groups of equal size; per
 * group its score range, bads, bad rate, the cumulative shares of bads and goods captured, the
 * KS gap and the lift over the average bad rate. It is how a risk officer sets a cut-off.
 *
 * @example
 * const table = gainsTable(scores, target, 10);
 * table[0].cumulativeBadShare; // share of all bads in the lowest-scoring tenth
 */
import { ValidationError, invariant } from '../errors.js';

/** One group of the gains table. */
export interface GainsRow {
  readonly group: number;
  readonly count: number;
  readonly minScore: number;
  readonly maxScore: number;
  readonly bads: number;
  readonly goods: number;
  readonly badRate: number;
  readonly cumulativeBadShare: number;
  readonly cumulativeGoodShare: number;
  /** cumulativeBadShare − cumulativeGoodShare. */
  readonly ks: number;
  /** This group's bad rate over the overall bad rate. */
  readonly lift: number;
}

/**
 * Builds the table from scores (higher = safer) and the 0/1 target. Rows with equal scores may
 * fall into neighbouring groups: groups are equal in size, as a cut-off table needs.
 *
 * @example
 * gainsTable(Float64Array.of(500, 600, 700, 800), Uint8Array.of(1, 1, 0, 0), 2)[0].badRate; // 1
 */
export function gainsTable(scores: Float64Array, target: Uint8Array, groups = 10): GainsRow[] {
  invariant(scores.length === target.length, 'one score per row');
  if (!(Number.isInteger(groups) && groups >= 1 && groups <= 1000)) throw new ValidationError('groups', 'must be a whole number from 1 to 1000');
  const n = scores.length;
  let totalBads = 0;
  for (let i = 0; i < n; i++) totalBads += target[i] as number;
  const totalGoods = n - totalBads;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b);
  const rows: GainsRow[] = [];
  let cumulativeBads = 0;
  let cumulativeGoods = 0;
  for (let g = 0; g < groups; g++) {
    const start = Math.floor((g * n) / groups);
    const end = Math.floor(((g + 1) * n) / groups);
    if (end <= start) continue;
    let bads = 0;
    for (let k = start; k < end; k++) bads += target[order[k] as number] as number;
    const count = end - start;
    cumulativeBads += bads;
    cumulativeGoods += count - bads;
    const cumulativeBadShare = totalBads === 0 ? 0 : cumulativeBads / totalBads;
    const cumulativeGoodShare = totalGoods === 0 ? 0 : cumulativeGoods / totalGoods;
    rows.push({
      group: g + 1,
      count,
      minScore: scores[order[start] as number] as number,
      maxScore: scores[order[end - 1] as number] as number,
      bads,
      goods: count - bads,
      badRate: bads / count,
      cumulativeBadShare,
      cumulativeGoodShare,
      ks: cumulativeBadShare - cumulativeGoodShare,
      lift: totalBads === 0 ? 0 : bads / count / (totalBads / n),
    });
  }
  return rows;
}
