/**
 * Tolerances of the cross-checks (交叉验证) between what a firm declares and what its tax, power
 * and social-security records show, as dated, versioned configuration. A bank tightens or loosens
 * them by adding a version, never by editing one that decisions have used.
 *
 * @example
 * toleranceFor('2025-06-30').declaredRevenueToSales; // 1.5
 */
import { invariant } from '../errors.js';

export interface CrossCheckTolerances {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly source: string;
  /** Flag when declared annual revenue > this × invoiced sales of the last 12 months. */
  readonly declaredRevenueToSales: number;
  /**
   * Flag when sales per kWh rose by more than this year on year, i.e. (1 + sales growth) ÷
   * (1 + power growth) − 1 > tolerance: sales growth the meter does not show.
   */
  readonly salesGrowthOverPower: number;
  /** Flag when declared employees > this × insured employees (latest month)… */
  readonly declaredEmployeesToInsured: number;
  /** …and exceed them by at least this many people (small firms round differently). */
  readonly declaredEmployeesExcess: number;
}

/**
 * Sprout's defaults (2025): a declared revenue half again above invoiced sales; invoiced sales
 * per kWh up 30% in a year; declared staff half again above (and 5 more than) those insured.
 * Invoices miss cash sales and power varies with weather and equipment, hence generous bounds.
 */
export const TOLERANCES_2025: CrossCheckTolerances = {
  version: '2025-01',
  effectiveFrom: '2025-01-01',
  source: 'Sprout defaults; see docs/features.md',
  declaredRevenueToSales: 1.5,
  salesGrowthOverPower: 0.3,
  declaredEmployeesToInsured: 1.5,
  declaredEmployeesExcess: 5,
};

/** Every version, oldest first. */
export const CROSS_CHECK_TOLERANCES: readonly CrossCheckTolerances[] = [TOLERANCES_2025];

/**
 * The tolerances in force on `date` (the earliest version for dates before all of them).
 *
 * @example
 * toleranceFor('2025-06-30').version; // '2025-01'
 */
export function toleranceFor(date: string, versions: readonly CrossCheckTolerances[] = CROSS_CHECK_TOLERANCES): CrossCheckTolerances {
  invariant(versions.length > 0, 'no cross-check tolerances configured');
  let found = versions[0]!;
  for (const v of versions) if (v.effectiveFrom <= date && v.effectiveFrom >= found.effectiveFrom) found = v;
  return found;
}
