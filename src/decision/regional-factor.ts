/**
 * The regional factor: how the financial ecology of the borrower's province (its grade on the
 * regional financial ecology index, `src/ecology/`) moves the price and the limit. Part of the
 * versioned decision policy: which index (method, α, the expert matrix, the grade cuts, the
 * indicator system) and what each grade does — a spread adjustment in rate units and a multiplier
 * on the sales-based limit.
 *
 * Seed 000's argument is that a better ecology (economy, financial resources, law, credit culture,
 * government) lowers the risk of lending to its small firms; the factor prices that in, and the
 * decision records the region's score and grade it read so a replay gives the same result.
 */
import type { AhpJudgements, EcologyMethod, GradeCuts, RegionGrade } from '../ecology/ecology-index.js';
import { DEFAULT_GRADE_CUTS } from '../ecology/ecology-index.js';
import { DEFAULT_INDICATOR_SYSTEM, type IndicatorSystem } from '../ecology/indicator-system.js';

export const REGION_GRADES = ['A', 'B', 'C', 'D'] as const;

export interface RegionalPolicy {
  readonly version: string;
  /** The index the grade comes from. */
  readonly index: {
    readonly method: EcologyMethod;
    readonly alpha: number;
    /** The expert matrix over the five dimensions; absent: the built-in one (`DEFAULT_AHP`). */
    readonly ahp?: AhpJudgements;
    readonly gradeCuts: GradeCuts;
    readonly system: IndicatorSystem;
  };
  /** Rate units added to the spread by grade (negative: a discount). */
  readonly spreadUnits: Readonly<Record<RegionGrade, bigint>>;
  /** Basis points the sales-based limit is multiplied by (10000 = unchanged). */
  readonly limitMultiplierBp: Readonly<Record<RegionGrade, number>>;
}

export const DEFAULT_REGIONAL_POLICY: RegionalPolicy = {
  version: 'regional-2025-06',
  index: { method: 'entropy', alpha: 0.5, gradeCuts: DEFAULT_GRADE_CUTS, system: DEFAULT_INDICATOR_SYSTEM },
  // Grade D is the baseline: on the shipped 2023 data 29 of 31 provinces grade D (the display score
  // spreads Beijing and Shanghai far from the rest), so the factor rewards a better ecology rather
  // than surcharging nearly every province. 0.20 pp is a fifth of the A–B band spread gap.
  spreadUnits: { A: -2_000n, B: -1_000n, C: -500n, D: 0n },
  limitMultiplierBp: { A: 11_000, B: 10_500, C: 10_000, D: 10_000 },
};

/** What an application records about its region (in its inputs, so a replay reads the same). */
export interface RegionInput {
  /** The province's GB/T 2260 code. */
  readonly code: string;
  readonly name: string;
  /** The data year the index was computed for. */
  readonly year: number;
  /** Display score, 0 to 100, two decimals. */
  readonly score: number;
  readonly grade: RegionGrade;
}

/** The factor a decision applied, as its record shows it. */
export interface RegionalFactor extends RegionInput {
  readonly version: string;
  readonly spreadUnits: bigint;
  readonly limitMultiplierBp: number;
}

/**
 * The factor for a region under a policy.
 *
 * @example
 * regionalFactor({ code: '110000', name: '北京市', year: 2023, score: 100, grade: 'A' }, DEFAULT_REGIONAL_POLICY);
 * // { …, version: 'regional-2025-06', spreadUnits: -2000n, limitMultiplierBp: 11000 }
 */
export function regionalFactor(region: RegionInput, policy: RegionalPolicy): RegionalFactor {
  return { ...region, version: policy.version, spreadUnits: policy.spreadUnits[region.grade], limitMultiplierBp: policy.limitMultiplierBp[region.grade] };
}
