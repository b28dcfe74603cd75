/**
 * The security bound on a decision's limit, pure. The limit is the lesser of the scorecard's limit
 * and what the borrower's security carries: the pure-credit room left under the ceiling, or — when
 * security exists — the eligible collateral value at the maximum loan-to-value plus the
 * guaranteed amount, whichever is larger. The result says which bound applied and, when the
 * scorecard would lend more than the security carries, how much more security that would take.
 */
import { minor, type Minor } from '../money/minor.js';
import { invariant } from '../errors.js';
import { type CollateralType, type GuarantorKind, type GuarantorStanding } from './collateral-terms.js';
import { securedCapacity } from './eligible-value.js';
import { countGuarantees, guarantorCountingVersion, type GuaranteeCountReason } from './guarantor-counting.js';
import { maxLtvFor, type SecurityPolicy } from './security-policy.js';

/** The borrower's security as the decision reads it; fen as decimal strings (stored with the inputs). */
export interface SecurityInput {
  /** Eligible value not yet allocated to another line, by type: the numerator over 10000 of fen. */
  readonly eligibleByType: Readonly<Partial<Record<CollateralType, string>>>;
  /** Guarantees held for the borrower and not yet tied to a line that count (`guarantor-counting.ts`), fen. */
  readonly guaranteed: string;
  /**
   * The guarantor counting policy version the guarantees were counted under; absent in records
   * made before it, whose `guaranteed` left out adverse guarantors only.
   */
  readonly countingPolicy?: string;
  /**
   * Each of those guarantees with its guarantor's standing from the guarantor's own data
   * (`guarantor-data.ts`) and whether it counted; absent when there are none (older records).
   */
  readonly guarantors?: readonly SecurityGuarantor[];
}

/** A guarantee as the decision record shows it. */
export interface SecurityGuarantor {
  readonly guaranteeId: string;
  readonly guarantorId: string;
  readonly kind: GuarantorKind;
  readonly standing: GuarantorStanding;
  readonly checkedOn: string | null;
  /** Fen. */
  readonly amount: string;
  /** Whether it added to `guaranteed`. */
  readonly counted: boolean;
  /** Why (absent in records made before the counting policy, where only adverse guarantors did not count). */
  readonly reason?: GuaranteeCountReason;
}

/** Which bound set the limit: the scorecard's, the pure-credit ceiling's, or the security's. */
export const SECURITY_BOUNDS = ['scorecard', 'pure-credit', 'security'] as const;
export type SecurityBound = (typeof SECURITY_BOUNDS)[number];

export interface SecurityResult {
  readonly boundBy: SecurityBound;
  /** The limit after the security bound, fen (before rounding to the product's granularity). */
  readonly limit: Minor;
  /** Credit left under the pure-credit ceiling, fen. */
  readonly pureCreditRoom: Minor;
  /** Collateral at its maximum loan-to-value, fen. */
  readonly collateralCapacity: Minor;
  readonly guaranteed: Minor;
  /** More secured capacity needed to lend the scorecard's limit, fen (0 when none). */
  readonly securityNeeded: Minor;
  readonly policy: string;
  /** The guarantor counting policy applied (when the inputs name one). */
  readonly guarantorCounting?: string;
  /** Each guarantee read, whether it counted and why (when the inputs name a counting policy). */
  readonly guarantees?: readonly SecurityGuarantor[];
}

/**
 * Counts the input's guarantees again under the version it names, on the decision's date: the
 * decision record then says why each guarantee did or did not count, and a replay recounts.
 * Inputs without a counting policy (older records, hand-made inputs) are returned as they are.
 */
export function countedSecurity(security: SecurityInput, date: string): { security: SecurityInput; counting?: { guarantorCounting: string; guarantees: readonly SecurityGuarantor[] } } {
  if (security.countingPolicy === undefined) return { security };
  const recount = countGuarantees(security.guarantors ?? [], date, guarantorCountingVersion(security.countingPolicy));
  invariant(recount.guaranteed === security.guaranteed, `stored guaranteed ${security.guaranteed} fen, counted ${recount.guaranteed} under ${security.countingPolicy}`);
  return { security, counting: { guarantorCounting: security.countingPolicy, guarantees: recount.guarantees } };
}

/**
 * @example
 * // Scorecard 8,000,000; no credit yet; a house with eligible 7,000,000 at 90%; a 1,000,000 guarantee:
 * securityBound(800_000_000n, 0n, 'TERM-LOAN', { eligibleByType: { 'residential-real-estate': '7000000000000' }, guaranteed: '100000000' }, SECURITY_POLICY_2025);
 * // { boundBy: 'security', limit: 730_000_000n, collateralCapacity: 630_000_000n, guaranteed: 100_000_000n, securityNeeded: 70_000_000n, … }
 */
export function securityBound(scorecardLimit: bigint, existingExposure: bigint, productCode: string, security: SecurityInput, policy: SecurityPolicy): SecurityResult {
  const pureCreditRoom = minor(policy.pureCreditCeiling > existingExposure ? policy.pureCreditCeiling - existingExposure : 0n);
  let collateralCapacity = 0n;
  for (const [type, numerator] of Object.entries(security.eligibleByType) as [CollateralType, string][]) {
    collateralCapacity += securedCapacity({ numerator: BigInt(numerator), denominator: 10_000n }, maxLtvFor(policy, productCode, type));
  }
  const guaranteed = minor(BigInt(security.guaranteed));
  const secured = collateralCapacity + guaranteed;
  const carried = secured > pureCreditRoom ? secured : pureCreditRoom;
  const common = { pureCreditRoom, collateralCapacity: minor(collateralCapacity), guaranteed, policy: policy.version };
  if (scorecardLimit <= carried) return { ...common, boundBy: 'scorecard', limit: minor(scorecardLimit), securityNeeded: minor(0n) };
  return { ...common, boundBy: secured > pureCreditRoom ? 'security' : 'pure-credit', limit: minor(carried), securityNeeded: minor(scorecardLimit - carried) };
}
