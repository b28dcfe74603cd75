/**
 * Choosing the variables a scorecard uses, from their WOE-transformed columns: enough predictive
 * power (IV), not a near-copy of a stronger variable (pairwise correlation), and not explained by
 * the others together (variance inflation factor). Each rule keeps the stronger variable, by IV,
 * because it is the one a risk officer would defend.
 *
 * @example
 * const kept = selectVariables(candidates, { minIv: 0.02, maxCorrelation: 0.7, maxVif: 10 });
 * kept.filter((c) => c.status === 'selected').map((c) => c.name);
 */
import { invariant } from '../errors.js';
import { invertSymmetric, cholesky } from './symmetric-matrix.js';

/** A candidate: its name, IV and WOE-transformed values. */
export interface Candidate {
  readonly name: string;
  readonly iv: number;
  readonly woe: Float64Array;
}

/** Why a variable is in or out of the model. */
export type SelectionStatus = 'selected' | 'low-iv' | 'correlated' | 'high-vif' | 'wrong-sign';

/** A candidate's verdict; `detail` says which rule and against what. */
export interface Selection {
  readonly name: string;
  readonly iv: number;
  readonly status: SelectionStatus;
  readonly detail: string;
}

/** Thresholds for {@link selectVariables}. */
export interface SelectionOptions {
  /** Drop variables whose IV is below this (0.02: "useless" in Siddiqi's reading). */
  readonly minIv: number;
  /** Drop the weaker of two variables whose WOE columns correlate more than this in absolute value. */
  readonly maxCorrelation: number;
  /** Drop variables, highest VIF first, until every VIF is at most this. */
  readonly maxVif: number;
}

/**
 * Pearson correlation of two columns; 0 when either is constant.
 *
 * @example
 * correlation(Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 6)); // 1
 */
export function correlation(a: Float64Array, b: Float64Array): number {
  invariant(a.length === b.length, 'columns of equal length');
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

/**
 * Variance inflation factors: VIFⱼ = 1 / (1 − Rⱼ²), read off the diagonal of the inverse of the
 * correlation matrix (no regressions needed). Infinite when the columns are exactly collinear.
 *
 * @example
 * varianceInflationFactors([x, y]); // [1 / (1 − r²), 1 / (1 − r²)]
 */
export function varianceInflationFactors(columns: readonly Float64Array[]): number[] {
  const p = columns.length;
  const r = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    r[i * p + i] = 1;
    for (let j = 0; j < i; j++) {
      const c = correlation(columns[i] as Float64Array, columns[j] as Float64Array);
      r[i * p + j] = c;
      r[j * p + i] = c;
    }
  }
  if (cholesky(r, p) === undefined) return Array.from({ length: p }, () => Number.POSITIVE_INFINITY);
  const inverse = invertSymmetric(r, p);
  return Array.from({ length: p }, (_, j) => inverse[j * p + j] as number);
}

/**
 * Applies the IV, correlation and VIF rules in that order. Returns a verdict per candidate, in
 * descending IV order.
 *
 * @example
 * selectVariables([{ name: 'age', iv: 0.09, woe }], { minIv: 0.02, maxCorrelation: 0.7, maxVif: 10 })[0].status; // 'selected'
 */
export function selectVariables(candidates: readonly Candidate[], options: SelectionOptions): Selection[] {
  const ordered = [...candidates].sort((a, b) => b.iv - a.iv || (a.name < b.name ? -1 : 1));
  const verdicts = new Map<string, Selection>();
  const kept: Candidate[] = [];
  for (const candidate of ordered) {
    // An IV of 0 means one bin (or bins with equal WOE): a constant column that cannot enter a
    // regression, whatever the floor.
    if (!(candidate.iv >= options.minIv) || candidate.iv <= 0) {
      const detail = candidate.iv <= 0 ? 'IV 0: one bin, no information' : `IV ${candidate.iv.toFixed(4)} < ${options.minIv}`;
      verdicts.set(candidate.name, { name: candidate.name, iv: candidate.iv, status: 'low-iv', detail });
      continue;
    }
    const twin = kept.find((other) => Math.abs(correlation(other.woe, candidate.woe)) > options.maxCorrelation);
    if (twin !== undefined) {
      const r = correlation(twin.woe, candidate.woe);
      verdicts.set(candidate.name, { name: candidate.name, iv: candidate.iv, status: 'correlated', detail: `correlation ${r.toFixed(3)} with ${twin.name} (higher IV)` });
      continue;
    }
    kept.push(candidate);
  }
  // Each pass drops one variable, so at most kept.length passes.
  for (let pass = 0; pass < candidates.length && kept.length > 1; pass++) {
    const vif = varianceInflationFactors(kept.map((c) => c.woe));
    let worst = 0;
    vif.forEach((v, i) => {
      if (v > (vif[worst] as number) || (v === vif[worst] && (kept[i] as Candidate).iv < (kept[worst] as Candidate).iv)) worst = i;
    });
    if (!((vif[worst] as number) > options.maxVif)) break;
    const [dropped] = kept.splice(worst, 1) as [Candidate];
    verdicts.set(dropped.name, { name: dropped.name, iv: dropped.iv, status: 'high-vif', detail: `VIF ${(vif[worst] as number).toFixed(2)} > ${options.maxVif}` });
  }
  for (const candidate of kept) verdicts.set(candidate.name, { name: candidate.name, iv: candidate.iv, status: 'selected', detail: '' });
  return ordered.map((candidate) => verdicts.get(candidate.name) as Selection);
}
