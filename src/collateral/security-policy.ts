/**
 * Product security requirements (担保要求) as dated data: credit up to the pure-credit ceiling per
 * borrower (信用贷款, 5 million yuan in seed 001 §3.1.1c) needs no security; above it the excess
 * must be secured or guaranteed, each collateral type lending at most its maximum loan-to-value
 * (抵质押率). A product may set its own maximums; otherwise the bank-wide ones apply.
 */
import { invariant } from '../errors.js';
import { COLLATERAL_TYPES, type CollateralType } from './collateral-terms.js';

export interface SecurityPolicy {
  readonly version: string;
  readonly effectiveFrom: string;
  /** Total credit per borrower that needs no security, fen. */
  readonly pureCreditCeiling: bigint;
  /** Maximum loan-to-value of eligible value, basis points, by collateral type. */
  readonly maxLtvBp: Readonly<Record<CollateralType, number>>;
  /** Products with their own maximums (a stricter term loan, say), by product code. */
  readonly productMaxLtvBp: Readonly<Record<string, Partial<Record<CollateralType, number>>>>;
}

export const SECURITY_POLICY_2025: SecurityPolicy = {
  version: 'security-2025-01',
  effectiveFrom: '2025-01-01',
  pureCreditCeiling: 5_000_000_00n,
  // Of the eligible value (after haircut): the haircut already prices the collateral's risk, so
  // the maximum is the bank's margin against a fall in value before it can sell.
  maxLtvBp: {
    'residential-real-estate': 9000,
    'commercial-real-estate': 8500,
    'land-use-right': 8500,
    plant: 8000,
    'equipment-vehicles': 8000,
    inventory: 7000,
    receivables: 9000,
    'deposits-certificates': 10000,
    equity: 7000,
    'intellectual-property': 6000,
  },
  productMaxLtvBp: { 'TERM-LOAN': { inventory: 6000, equity: 6000 } },
};

export const SECURITY_POLICIES: readonly SecurityPolicy[] = [SECURITY_POLICY_2025];

/** The policy in force on `date`. */
export function securityPolicyFor(date: string, versions: readonly SecurityPolicy[] = SECURITY_POLICIES): SecurityPolicy {
  let found: SecurityPolicy | undefined;
  for (const policy of versions) if (policy.effectiveFrom <= date && (found === undefined || policy.effectiveFrom >= found.effectiveFrom)) found = policy;
  invariant(found !== undefined, `no security policy in force on ${date}`);
  return found;
}

/**
 * The maximum loan-to-value of `type` under `productCode`, basis points.
 *
 * @example
 * maxLtvFor(SECURITY_POLICY_2025, 'TERM-LOAN', 'inventory'); // 6000
 * maxLtvFor(SECURITY_POLICY_2025, 'MICRO-LINE', 'inventory'); // 7000
 */
export function maxLtvFor(policy: SecurityPolicy, productCode: string, type: CollateralType): number {
  const bp = policy.productMaxLtvBp[productCode]?.[type] ?? policy.maxLtvBp[type];
  invariant(COLLATERAL_TYPES.includes(type) && Number.isInteger(bp) && bp >= 0 && bp <= 10000, `max loan-to-value of ${type}: ${bp} bp`);
  return bp;
}
