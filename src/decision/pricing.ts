/**
 * Risk-based pricing: the LPR for the date plus a spread by score band, less the inclusive-finance
 * and repeat-borrower discounts, never below a floor. All in rate units (percent × 10^4), so no
 * rounding happens anywhere.
 */
import { rateUnits, type RateUnits } from '../pricing/rate-units.js';
import type { ScoreBand } from './score-band.js';

export interface PricingPolicy {
  readonly version: string;
  /** Rate units over the LPR by band (1.35% = 13500). */
  readonly spreadUnits: Readonly<Record<Exclude<ScoreBand, 'E'>, bigint>>;
  /** Off for an inclusive small-micro loan (普惠); e.g. re-lending-backed loans 0.25 pp lower (2025). */
  readonly inclusiveDiscountUnits: bigint;
  /** Off for a borrower who repaid a loan with the bank before. */
  readonly repeatDiscountUnits: bigint;
  /** The lowest rate the bank lends at. */
  readonly floorUnits: bigint;
}

export const DEFAULT_PRICING_POLICY: PricingPolicy = {
  version: 'pricing-2025-06',
  // 1-year LPR 3.00% + spread: A 3.85%, B 4.35%, C 5.20%, D 6.50% before discounts — inside the
  // 2021 survey's 5.1–7% band of bank lending to small firms once discounts apply (seed 001).
  spreadUnits: { A: 8_500n, B: 13_500n, C: 22_000n, D: 35_000n },
  inclusiveDiscountUnits: 2_500n,
  repeatDiscountUnits: 1_000n,
  floorUnits: 30_000n,
};

export interface PriceInput {
  readonly lprUnits: bigint;
  readonly band: Exclude<ScoreBand, 'E'>;
  readonly inclusive: boolean;
  readonly repeatBorrower: boolean;
  /** The regional factor's spread adjustment (`regional-factor.ts`), rate units, may be negative. */
  readonly regionalSpreadUnits?: bigint;
}

export interface PriceResult {
  readonly rateUnits: RateUnits;
  readonly components: { readonly lpr: bigint; readonly spread: bigint; readonly inclusiveDiscount: bigint; readonly repeatDiscount: bigint; readonly regional?: bigint; readonly floored: boolean };
}

/**
 * @example
 * priceLoan({ lprUnits: 30_000n, band: 'B', inclusive: true, repeatBorrower: false }, DEFAULT_PRICING_POLICY).rateUnits; // 41_000n (4.10%)
 */
export function priceLoan(input: PriceInput, policy: PricingPolicy): PriceResult {
  const spread = policy.spreadUnits[input.band];
  const inclusiveDiscount = input.inclusive ? policy.inclusiveDiscountUnits : 0n;
  const repeatDiscount = input.repeatBorrower ? policy.repeatDiscountUnits : 0n;
  const regional = input.regionalSpreadUnits ?? 0n;
  const raw = input.lprUnits + spread + regional - inclusiveDiscount - repeatDiscount;
  const floored = raw < policy.floorUnits;
  // The regional component only when a region was read, so older decisions replay to their record.
  return { rateUnits: rateUnits(floored ? policy.floorUnits : raw), components: { lpr: input.lprUnits, spread, inclusiveDiscount, repeatDiscount, ...(input.regionalSpreadUnits === undefined ? {} : { regional }), floored } };
}
