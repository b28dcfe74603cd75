/**
 * Population stability of a scorecard between two data sets (training or a past month as
 * "expected", a recent month as "actual"): the PSI of the score distribution over the expected
 * data's score deciles, and the PSI of each variable over the model's own bins (the
 * characteristic analysis that says *which* input moved).
 *
 * @example
 * const report = populationStability(model, expectedData, actualData);
 * report.total; // 0.04: stable
 * report.variables.find((v) => v.name === 'age')?.psi;
 */
import { describeRule } from './bin-rule.js';
import type { Dataset } from './dataset.js';
import { scoreDataset } from './apply-scorecard.js';
import { psiContributions } from './psi.js';
import type { ScorecardModel } from './scorecard-model.js';
import { ValidationError } from '../errors.js';

/** One bin of a PSI table. */
export interface PsiBin {
  readonly bin: string;
  readonly expected: number;
  readonly actual: number;
  readonly contribution: number;
}

/** A PSI with its table. */
export interface PsiTable {
  readonly psi: number;
  readonly bins: readonly PsiBin[];
}

/** Score and per-variable stability. */
export interface PopulationStability {
  /** PSI of the score over the expected data's score deciles. */
  readonly total: number;
  readonly score: PsiTable;
  readonly variables: readonly (PsiTable & { readonly name: string })[];
  readonly expectedRows: number;
  readonly actualRows: number;
}

/**
 * Cut points at the deciles (or `groups`-iles) of the scores; equal cut points collapse, so a
 * score with few distinct values gets fewer bands.
 *
 * @example
 * scoreBands(Float64Array.of(1, 2, 3, 4), 2); // [3]
 */
export function scoreBands(scores: Float64Array, groups = 10): number[] {
  const sorted = Float64Array.from(scores).sort();
  const cuts: number[] = [];
  for (let g = 1; g < groups; g++) {
    const cut = sorted[Math.floor((g * sorted.length) / groups)];
    if (cut !== undefined && cut > (sorted[0] as number) && cut !== cuts[cuts.length - 1]) cuts.push(cut);
  }
  return cuts;
}

/**
 * Counts of scores per band: band i holds the scores from cut i − 1 (inclusive) below cut i.
 *
 * @example
 * bandCounts(Float64Array.of(1, 2, 3, 4), [3]); // [2, 2]
 */
export function bandCounts(scores: ArrayLike<number>, cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    let band = 0;
    while (band < cuts.length && score >= (cuts[band] as number)) band++;
    counts[band] = (counts[band] as number) + 1;
  }
  return counts;
}

/** The bands' ranges as text, bounds to two decimals. */
function bandLabels(cuts: readonly number[]): string[] {
  return [...cuts, null].map((upper, i) => {
    const lower = i === 0 ? null : (cuts[i - 1] as number);
    return describeRule({ kind: 'range', lower: lower === null ? null : Math.round(lower * 100) / 100, upper: upper === null ? null : Math.round(upper * 100) / 100 });
  });
}

function table(labels: readonly string[], expected: readonly number[], actual: readonly number[]): PsiTable {
  const terms = psiContributions(expected, actual);
  return {
    psi: terms.reduce((a, b) => a + b, 0),
    bins: labels.map((bin, i) => ({ bin, expected: expected[i] as number, actual: actual[i] as number, contribution: terms[i] as number })),
  };
}

/**
 * Compares two data sets read with `scoringDataset` for the same model.
 *
 * @example
 * populationStability(model, scoringDataset(model, a), scoringDataset(model, b)).total;
 */
export function populationStability(model: ScorecardModel, expected: Dataset, actual: Dataset): PopulationStability {
  const e = scoreDataset(model, expected);
  const a = scoreDataset(model, actual);
  const cuts = scoreBands(e.scores);
  const score = table(bandLabels(cuts), bandCounts(e.scores, cuts), bandCounts(a.scores, cuts));
  const variables = model.variables.map((variable, v) => {
    const count = (assigned: Int32Array) => {
      const counts = new Array<number>(variable.bins.length).fill(0);
      for (const b of assigned) counts[b] = (counts[b] as number) + 1;
      return counts;
    };
    const bins = variable.bins.map((bin) => describeRule(bin.rule));
    return { name: variable.name, ...table(bins, count(e.bins[v] as Int32Array), count(a.bins[v] as Int32Array)) };
  });
  return { total: score.psi, score, variables, expectedRows: expected.rows, actualRows: actual.rows };
}

/**
 * A population's score distribution kept with a model: the cut points of its score deciles and
 * how many of its scores fell in each band, so live scores can be compared with it later without
 * the data it came from.
 */
export interface ScoreDistribution {
  readonly cuts: readonly number[];
  readonly counts: readonly number[];
}

/**
 * The decile cuts of `scores` and their counts.
 *
 * @example
 * scoreDistribution(Float64Array.of(1, 2, 3, 4), 2); // { cuts: [3], counts: [2, 2] }
 */
export function scoreDistribution(scores: Float64Array, groups = 10): ScoreDistribution {
  const cuts = scoreBands(scores, groups);
  return { cuts, counts: bandCounts(scores, cuts) };
}

/**
 * The PSI of live scores against a kept distribution, over its bands, with each band's table row.
 *
 * @example
 * scoreStability({ cuts: [500], counts: [50, 50] }, [400, 400, 400, 600]).psi; // (0.75 − 0.5) ln 1.5 + (0.25 − 0.5) ln 0.5 ≈ 0.2747
 */
export function scoreStability(expected: ScoreDistribution, scores: ArrayLike<number>): PsiTable {
  if (expected.counts.length !== expected.cuts.length + 1) throw new ValidationError('trainingScores', 'needs one more count than cuts');
  return table(bandLabels(expected.cuts), expected.counts, bandCounts(scores, expected.cuts));
}
