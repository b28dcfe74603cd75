/**
 * The credit limit (授信额度): a share of verified annual sales by score band, rounded down to a
 * thousand yuan, within the product's bounds and the inclusive-finance ceiling per borrower
 * (普惠型小微企业贷款: total credit ≤ 10 million yuan), less what the borrower already owes.
 */
import { minor, type Minor } from '../money/minor.js';
import type { ScoreBand } from './score-band.js';

export interface LimitPolicy {
  readonly version: string;
  /** Basis points of verified annual sales lent at most, by band. */
  readonly salesShareBp: Readonly<Record<Exclude<ScoreBand, 'E'>, number>>;
  /** Total credit per borrower to stay an inclusive small-micro loan, fen. */
  readonly inclusiveCeiling: bigint;
  /** Limits are whole multiples of this, fen. */
  readonly granularity: bigint;
}

export const DEFAULT_LIMIT_POLICY: LimitPolicy = {
  version: 'limits-2025-06',
  // A working-capital line rarely exceeds a quarter of annual sales (seed 001: 3–5 million for firms selling 10–20 million).
  salesShareBp: { A: 3000, B: 2500, C: 2000, D: 1000 },
  inclusiveCeiling: 10_000_000_00n,
  granularity: 1_000_00n,
};

export interface LimitInput {
  /** Invoiced sales of the last 12 months as verified from tax data, fen. */
  readonly verifiedAnnualSales: bigint;
  readonly band: ScoreBand;
  readonly productMin: bigint;
  readonly productMax: bigint;
  /** Credit the borrower already has with the bank (lines' limits and loans outside them), fen. */
  readonly existingExposure: bigint;
  /** The regional factor's multiplier on the sales-based limit, basis points (10000 = none). */
  readonly multiplierBp?: number;
}

/** What bound a limit, a closed list: sales, the product's maximum, the inclusive-finance ceiling, the product's minimum, a band-E score. */
export const LIMIT_BOUNDS = ['sales', 'product-max', 'inclusive-ceiling', 'below-product-min', 'band-e'] as const;
export type LimitBound = (typeof LIMIT_BOUNDS)[number];

export interface LimitResult {
  /** 0 when no limit at or above the product minimum fits. */
  readonly limit: Minor;
  /** What bound the limit: sales, product maximum, inclusive ceiling, or none possible. */
  readonly boundBy: LimitBound;
}

/**
 * @example
 * assignLimit({ verifiedAnnualSales: 2_000_000_00n, band: 'B', productMin: 100_00n, productMax: 3_000_000_00n, existingExposure: 0n }, DEFAULT_LIMIT_POLICY);
 * // { limit: 500_000_00n, boundBy: 'sales' }
 */
export function assignLimit(input: LimitInput, policy: LimitPolicy): LimitResult {
  if (input.band === 'E') return { limit: minor(0n), boundBy: 'band-e' };
  // Multiplied before the one division, so the regional factor adds no rounding of its own.
  const bySales = input.multiplierBp === undefined ? (input.verifiedAnnualSales * BigInt(policy.salesShareBp[input.band])) / 10_000n : (input.verifiedAnnualSales * BigInt(policy.salesShareBp[input.band]) * BigInt(input.multiplierBp)) / 100_000_000n;
  const room = policy.inclusiveCeiling - input.existingExposure;
  let limit = bySales;
  let boundBy: LimitResult['boundBy'] = 'sales';
  if (input.productMax < limit) {
    limit = input.productMax;
    boundBy = 'product-max';
  }
  if (room < limit) {
    limit = room;
    boundBy = 'inclusive-ceiling';
  }
  limit = limit > 0n ? limit - (limit % policy.granularity) : 0n;
  if (limit < input.productMin) return { limit: minor(0n), boundBy: 'below-product-min' };
  return { limit: minor(limit), boundBy };
}
