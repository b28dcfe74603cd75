/**
 * The regional financial ecology index: a panel and an indicator system in, weights, composite
 * and per-dimension scores, ranks and grades out. Pure: the formulas are in docs/ecology.md and
 * in `entropy-method.ts` and `ahp.ts`; file reading is in `ecology-files.ts`.
 *
 * One code path serves both modes: the year mode normalises over the regions of one year, the
 * pooled panel mode over every region-year of several years, so that scores compare across years.
 */
import { invariant, ValidationError } from '../errors.js';
import { ahpWeights } from './ahp.js';
import { displayScores, entropy, entropyWeights, median, normalise, ranks, shares } from './entropy-method.js';
import { DIMENSIONS, type Dimension, type IndicatorSystem } from './indicator-system.js';
import type { Panel } from './panel.js';
import { findProvince } from './provinces.js';

export const METHODS = ['entropy', 'ahp', 'combined'] as const;
export type EcologyMethod = (typeof METHODS)[number];
export type RegionGrade = 'A' | 'B' | 'C' | 'D';

/** Lowest display score of each grade; below C's is D. */
export interface GradeCuts {
  readonly A: number;
  readonly B: number;
  readonly C: number;
}
export const DEFAULT_GRADE_CUTS: GradeCuts = { A: 80, B: 70, C: 60 };

/** A Saaty matrix over some items, in the order of `items`. */
export interface Judgements {
  readonly items: readonly string[];
  readonly matrix: readonly (readonly number[])[];
}

/** Expert judgements: the five dimensions compared, and optionally indicators within a dimension. */
export interface AhpJudgements {
  /** Over DIMENSIONS in their order (economic, financial, legal, credit, administrative). */
  readonly dimensions: readonly (readonly number[])[];
  readonly within?: Readonly<Partial<Record<Dimension, Judgements>>>;
}

/**
 * The built-in expert matrix (λmax ≈ 5.0133, CR ≈ 0.0030; weights ≈ 0.369, 0.206, 0.109, 0.206, 0.109): the economic base matters most (seed 000 §2: the
 * economy is the soil finance grows in), financial resources and the credit environment next,
 * the legal and administrative environments least. A bank replaces it with its own panel's.
 */
export const DEFAULT_AHP: AhpJudgements = {
  dimensions: [
    [1, 2, 3, 2, 3],
    [1 / 2, 1, 2, 1, 2],
    [1 / 3, 1 / 2, 1, 1 / 2, 1],
    [1 / 2, 1, 2, 1, 2],
    [1 / 3, 1 / 2, 1, 1 / 2, 1],
  ],
};

export interface EcologyOptions {
  readonly method: EcologyMethod;
  /** One year (year mode) or several (pooled panel mode). */
  readonly years: readonly number[];
  /** Weight of the AHP weights in the combined method, 0 to 1 (default 0.5). */
  readonly alpha?: number;
  readonly ahp?: AhpJudgements;
  readonly gradeCuts?: GradeCuts;
}

export interface ScoredRegion {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly year: number;
  /** S_i = Σ w_j·x″_ij. */
  readonly composite: number;
  /** 0 to 100 over the regions (and years) scored together. */
  readonly score: number;
  /** Within its year. */
  readonly rank: number;
  readonly grade: RegionGrade;
  /** Each dimension's display score, 0 to 100; dimensions without indicators are absent. */
  readonly dimensions: Readonly<Partial<Record<Dimension, number>>>;
}

export interface EcologyIndex {
  readonly method: EcologyMethod;
  readonly systemVersion: string;
  readonly years: readonly number[];
  readonly alpha: number;
  /** The weights used, by indicator (summing to 1). */
  readonly weights: Readonly<Record<string, number>>;
  readonly entropyWeights: Readonly<Record<string, number>>;
  /** Present for the ahp and combined methods. */
  readonly ahpWeights?: Readonly<Record<string, number>>;
  readonly consistencyRatio?: number;
  /** Σ of the weights of each dimension's indicators (0 for a dimension without any). */
  readonly dimensionWeights: Readonly<Record<Dimension, number>>;
  /** By year, then rank. */
  readonly regions: readonly ScoredRegion[];
  /** Cells that were missing and took the year's median (the documented rule). */
  readonly imputed: readonly { readonly code: string; readonly year: number; readonly indicator: string; readonly value: number }[];
  /** Indicators of the system left out, and why. */
  readonly excluded: readonly { readonly indicator: string; readonly reason: string }[];
}

/**
 * Computes the index.
 *
 * Missing values (never a silent zero): for each indicator and year, a region without a value
 * takes the median of the regions that have one that year, and is listed in `imputed`; an
 * indicator present for fewer than half the regions of any year scored is left out and listed in
 * `excluded`, so a bank's partial file cannot stand in for a national indicator.
 *
 * @example
 * const index = ecologyIndex(panel, DEFAULT_INDICATOR_SYSTEM, { method: 'entropy', years: [2023] });
 * index.regions[0]; // { code: '110000', name: '北京市', score: 100, rank: 1, grade: 'A', … }
 */
export function ecologyIndex(panel: Panel, system: IndicatorSystem, options: EcologyOptions): EcologyIndex {
  const alpha = options.alpha ?? 0.5;
  if (!(alpha >= 0 && alpha <= 1)) throw new ValidationError('alpha', 'must be from 0 to 1');
  const cuts = options.gradeCuts ?? DEFAULT_GRADE_CUTS;
  if (!(cuts.A > cuts.B && cuts.B > cuts.C)) throw new ValidationError('gradeCuts', 'must fall from A to B to C');
  if (options.years.length === 0) throw new ValidationError('year', 'no year to score');
  const years = [...new Set(options.years)].sort((a, b) => a - b);
  const rows = panel.observations.filter((observation) => years.includes(observation.year)).sort((a, b) => a.year - b.year || a.code.localeCompare(b.code));
  for (const year of years) {
    const count = rows.filter((row) => row.year === year).length;
    if (count < 2) throw new ValidationError('year', `${year} has ${count} region${count === 1 ? '' : 's'} in the data; the index needs at least 2`);
  }

  // Which indicators have enough data, and the value of every cell after the missing-value rule.
  const excluded: { indicator: string; reason: string }[] = [];
  const imputed: { code: string; year: number; indicator: string; value: number }[] = [];
  const used: { indicator: string; dimension: Dimension; direction: '+' | '-'; column: number[] }[] = [];
  for (const definition of system.indicators) {
    const thin = years.map((year) => {
      const inYear = rows.filter((row) => row.year === year);
      return { year, present: inYear.filter((row) => row.values[definition.indicator] !== undefined).length, of: inYear.length };
    }).find(({ present, of }) => present * 2 < of);
    if (thin !== undefined) {
      excluded.push({ indicator: definition.indicator, reason: `${thin.year}: a value for ${thin.present} of ${thin.of} regions (fewer than half)` });
      continue;
    }
    const medians = new Map(years.map((year) => [year, median(rows.filter((row) => row.year === year).map((row) => row.values[definition.indicator]).filter((value): value is number => value !== undefined))]));
    const column = rows.map((row) => {
      const value = row.values[definition.indicator];
      if (value !== undefined) return value;
      const filled = medians.get(row.year)!;
      imputed.push({ code: row.code, year: row.year, indicator: definition.indicator, value: filled });
      return filled;
    });
    used.push({ indicator: definition.indicator, dimension: definition.dimension, direction: definition.direction, column });
  }
  if (used.length === 0) throw new ValidationError('indicators', `no indicator of ${system.version} has data for ${years.join(', ')}: ${excluded.map((e) => `${e.indicator} (${e.reason})`).join('; ')}`);

  const normalised = used.map((indicator) => normalise(indicator.column, indicator.direction));
  const byEntropy = entropyWeights(normalised.map((x) => entropy(shares(x))));
  let ahp: number[] | undefined;
  let consistencyRatio: number | undefined;
  if (options.method !== 'entropy') {
    const expert = ahpIndicatorWeights(used, options.ahp ?? DEFAULT_AHP);
    ahp = expert.weights;
    consistencyRatio = expert.consistencyRatio;
  }
  const weights = options.method === 'entropy' ? byEntropy : options.method === 'ahp' ? ahp! : ahp!.map((w, j) => alpha * w + (1 - alpha) * byEntropy[j]!);
  invariant(Math.abs(weights.reduce((sum, w) => sum + w, 0) - 1) < 1e-9, 'weights sum to 1');

  const composite = rows.map((_, i) => weights.reduce((sum, w, j) => sum + w * normalised[j]![i]!, 0));
  const scores = displayScores(composite);
  const dimensionScores = new Map<Dimension, number[]>();
  for (const dimension of DIMENSIONS) {
    const members = used.map((indicator, j) => ({ indicator, j })).filter(({ indicator }) => indicator.dimension === dimension);
    if (members.length === 0) continue;
    dimensionScores.set(dimension, displayScores(rows.map((_, i) => members.reduce((sum, { j }) => sum + weights[j]! * normalised[j]![i]!, 0))));
  }
  const rankInYear = new Map<number, number>();
  for (const year of years) {
    const indexes = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.year === year).map(({ i }) => i);
    const yearRanks = ranks(indexes.map((i) => scores[i]!));
    indexes.forEach((i, k) => rankInYear.set(i, yearRanks[k]!));
  }
  const regions = rows
    .map((row, i): ScoredRegion => {
      const province = findProvince(row.code);
      return {
        code: row.code,
        name: province?.name ?? row.code,
        nameEn: province?.nameEn ?? row.code,
        year: row.year,
        composite: composite[i]!,
        score: scores[i]!,
        rank: rankInYear.get(i)!,
        grade: gradeOf(scores[i]!, cuts),
        dimensions: Object.fromEntries([...dimensionScores].map(([dimension, values]) => [dimension, values[i]!])),
      };
    })
    .sort((a, b) => a.year - b.year || a.rank - b.rank || a.code.localeCompare(b.code));
  const byIndicator = (values: readonly number[]): Record<string, number> => Object.fromEntries(used.map((indicator, j) => [indicator.indicator, values[j]!]));
  return {
    method: options.method,
    systemVersion: system.version,
    years,
    alpha,
    weights: byIndicator(weights),
    entropyWeights: byIndicator(byEntropy),
    ...(ahp === undefined ? {} : { ahpWeights: byIndicator(ahp), consistencyRatio: consistencyRatio! }),
    dimensionWeights: Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, used.reduce((sum, indicator, j) => sum + (indicator.dimension === dimension ? weights[j]! : 0), 0)])) as Record<Dimension, number>,
    regions,
    imputed,
    excluded,
  };
}

/**
 * The grade of a display score.
 *
 * @example
 * gradeOf(72.5, DEFAULT_GRADE_CUTS); // 'B'
 */
export function gradeOf(score: number, cuts: GradeCuts): RegionGrade {
  return score >= cuts.A ? 'A' : score >= cuts.B ? 'B' : score >= cuts.C ? 'C' : 'D';
}

/**
 * AHP weights of the indicators in use: each dimension's eigenvector weight, renormalised over the
 * dimensions that have an indicator, shared within the dimension by its own matrix when one is
 * given (over the indicators in use) or equally.
 */
function ahpIndicatorWeights(used: readonly { indicator: string; dimension: Dimension }[], judgements: AhpJudgements): { weights: number[]; consistencyRatio: number } {
  const top = ahpWeights(judgements.dimensions, 'ahp.dimensions');
  if (top.weights.length !== DIMENSIONS.length) throw new ValidationError('ahp.dimensions', `must compare the ${DIMENSIONS.length} dimensions (${DIMENSIONS.join(', ')})`);
  const present = DIMENSIONS.map((dimension, d) => ({ dimension, weight: top.weights[d]! })).filter(({ dimension }) => used.some((indicator) => indicator.dimension === dimension));
  const presentTotal = present.reduce((sum, { weight }) => sum + weight, 0);
  const dimensionWeight = new Map(present.map(({ dimension, weight }) => [dimension, weight / presentTotal]));
  const withinWeight = new Map<string, number>();
  let worst = top.consistencyRatio;
  for (const dimension of DIMENSIONS) {
    const members = used.filter((indicator) => indicator.dimension === dimension).map((indicator) => indicator.indicator);
    if (members.length === 0) continue;
    const given = judgements.within?.[dimension];
    if (given === undefined) {
      for (const member of members) withinWeight.set(member, 1 / members.length);
      continue;
    }
    const result = ahpWeights(given.matrix, `ahp.within.${dimension}`);
    worst = Math.max(worst, result.consistencyRatio);
    const missing = members.filter((member) => !given.items.includes(member));
    if (missing.length > 0) throw new ValidationError(`ahp.within.${dimension}`, `does not compare ${missing.join(', ')}`);
    const total = members.reduce((sum, member) => sum + result.weights[given.items.indexOf(member)]!, 0);
    for (const member of members) withinWeight.set(member, result.weights[given.items.indexOf(member)]! / total);
  }
  return { weights: used.map((indicator) => dimensionWeight.get(indicator.dimension)! * withinWeight.get(indicator.indicator)!), consistencyRatio: worst };
}

/**
 * The year a decision's index reads: the latest year up to `upTo` in which every indicator of the
 * system has data for at least half the regions (the NBS file ends in 2023, so a 2025 decision
 * reads 2023); failing that, the latest year the index can be computed for at all; undefined when
 * there is none.
 *
 * @example
 * scoringYear(shippedPanel(), DEFAULT_INDICATOR_SYSTEM, 2025); // 2023
 */
export function scoringYear(panel: Panel, system: IndicatorSystem, upTo: number): number | undefined {
  const years = [...new Set(panel.observations.map((observation) => observation.year))].filter((year) => year <= upTo).sort((a, b) => b - a);
  let fallback: number | undefined;
  for (const year of years) {
    try {
      const index = ecologyIndex(panel, system, { method: 'entropy', years: [year] });
      if (index.excluded.length === 0) return year;
      fallback ??= year;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
    }
  }
  return fallback;
}
