/**
 * The one-second decision (310: three minutes to apply, one second to decide, zero people), pure:
 * the applicant's inputs and the bank's configuration in, an outcome with every reason out. The
 * service (`apply-for-credit.ts`) gathers the inputs and stores them with the result, so any
 * decision can be replayed to the same result (`replayDecision`).
 */
import { createHash } from 'node:crypto';
import { scoreApplicant, type ReasonCode, type ScorecardModel } from '../scoring/index.js';
import { minor } from '../money/minor.js';
import { assignLimit, DEFAULT_LIMIT_POLICY, type LimitPolicy, type LimitResult } from './limit.js';
import { DEFAULT_POLICY, evaluatePolicy, POLICY_REASON_CODES, type FeatureValue, type Policy, type PolicyResult } from './policy-rules.js';
import { countedSecurity, securityBound, type SecurityInput, type SecurityResult } from '../collateral/security-limit.js';
import { SECURITY_POLICY_2025, type SecurityPolicy } from '../collateral/security-policy.js';
import { DEFAULT_PRICING_POLICY, priceLoan, type PriceResult, type PricingPolicy } from './pricing.js';
import { DEFAULT_REGIONAL_POLICY, regionalFactor, type RegionalFactor, type RegionalPolicy, type RegionInput } from './regional-factor.js';
import { DEFAULT_BAND_CUTS, scoreBand, type BandCuts, type ScoreBand } from './score-band.js';
import { mainFactors } from './main-factors.js';
import type { FeatureName } from '../features/feature-names.js';

/** Everything about the applicant a decision reads; stored verbatim with the decision. */
export interface DecisionInputs {
  readonly date: string;
  readonly features: Readonly<Record<string, FeatureValue>>;
  readonly sizeClass: string;
  readonly product: { readonly code: string; readonly minAmount: string; readonly maxAmount: string };
  /** Fen, as a decimal integer string (JSON has no bigint). */
  readonly existingExposure: string;
  readonly lprUnits: string;
  readonly repeatBorrower: boolean;
  /**
   * The enterprise's province on the regional ecology index, as read when deciding; null when its
   * region is unknown or has no data (no factor); absent in records made before the index existed.
   */
  readonly region?: RegionInput | null;
  /**
   * The borrower's security not yet tied to a line (src/collateral): eligible collateral by type
   * and guarantees held. Absent in records made before secured lending, which keep their result.
   */
  readonly security?: SecurityInput;
}

/** The bank's configuration a decision reads; versions are stored with the decision. */
export interface DecisionConfig {
  readonly policy: Policy;
  readonly bands: BandCuts;
  readonly limits: LimitPolicy;
  readonly pricing: PricingPolicy;
  /** The regional factor by ecology grade; absent: `DEFAULT_REGIONAL_POLICY`. */
  readonly regional?: RegionalPolicy;
  readonly model: ScorecardModel;
  /** The approved policy version these parts come from (`policy-versions.ts`); absent for the built-in defaults. */
  readonly policySet?: number;
  /** Product security requirements; absent: `SECURITY_POLICY_2025`. */
  readonly security?: SecurityPolicy;
  /**
   * A challenger scored in shadow on every decision (src/decision/deployed-models.ts): its score is
   * recorded on the decision and changes nothing about it.
   */
  readonly shadow?: { readonly id: string; readonly model: ScorecardModel };
}

export const DEFAULT_DECISION_CONFIG = (model: ScorecardModel): DecisionConfig => ({
  policy: DEFAULT_POLICY,
  bands: DEFAULT_BAND_CUTS,
  limits: DEFAULT_LIMIT_POLICY,
  pricing: DEFAULT_PRICING_POLICY,
  regional: DEFAULT_REGIONAL_POLICY,
  model,
});

/** A decision's outcome, a closed list. */
export const OUTCOMES = ['approved', 'declined', 'referred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Every reason a decision can give, a closed list: the policy's, and the score's and limit's own
 * (a score in band E; a limit below the product's minimum, or none at all).
 */
export const DECISION_REASON_CODES = [...POLICY_REASON_CODES, 'SCORE_TOO_LOW', 'LIMIT_BELOW_PRODUCT_MINIMUM', 'NO_LIMIT'] as const;
export type DecisionReasonCode = (typeof DECISION_REASON_CODES)[number];

/**
 * An application's status: its decision's outcome; a referral becomes `approved` or `declined` by
 * review, or waits in `pending-confirmation` for a second approver; `accepted` once the offer
 * became a line.
 */
export type ApplicationStatus = Outcome | 'accepted' | 'pending-confirmation';

export interface Decision {
  readonly outcome: Outcome;
  /** Why, for the applicant (declines) or the reviewer (referrals); empty when approved. */
  readonly reasonCodes: readonly DecisionReasonCode[];
  readonly policy: PolicyResult;
  readonly score: number;
  readonly probability: number;
  readonly band: ScoreBand;
  /** The variables that cost the applicant most points. */
  readonly scoreReasons: readonly ReasonCode[];
  /**
   * The main factors behind a decline or a referral, named by the engine when it decides (up to
   * three features that cost the most points, largest first; `main-factors.ts`); empty for an
   * approval. Records written before the engine named them lack it (`recordedMainFactors`).
   */
  readonly mainFactors: readonly FeatureName[];
  readonly limit: LimitResult;
  readonly price: PriceResult | null;
  /** The regional factor applied (null: region unknown, none applied); absent before the index existed. */
  readonly regional?: RegionalFactor | null;
  /**
   * The security bound (when the inputs carry security): which of the scorecard's limit, the
   * pure-credit ceiling or the security held set the limit, and what more security would lend the
   * scorecard's limit.
   */
  readonly security?: SecurityResult;
  readonly versions: { readonly policy: string; readonly bands: string; readonly limits: string; readonly pricing: string; readonly model: string; readonly policySet?: number };
  /** The shadow challenger's score of the same inputs, when one is deployed; it decided nothing. */
  readonly shadow?: ShadowScore;
}

/** A challenger's score in shadow. */
export interface ShadowScore {
  /** The deployed model's name ("pd-2026-12"). */
  readonly model: string;
  /** Its content hash, as `versions.model` names a champion. */
  readonly version: string;
  readonly score: number;
  readonly probability: number;
  readonly band: ScoreBand;
}

// Models are immutable once loaded: hash each once, not once per decision (it showed in the profile).
const MODEL_IDS = new WeakMap<ScorecardModel, string>();

/** A short, stable id of a model: the hash of its file. */
export function modelId(model: ScorecardModel): string {
  let id = MODEL_IDS.get(model);
  if (id === undefined) {
    id = `scorecard-${createHash('sha256').update(JSON.stringify(model)).digest('hex').slice(0, 16)}`;
    MODEL_IDS.set(model, id);
  }
  return id;
}

/** Small and micro firms' loans within the ceiling are inclusive (普惠型小微企业贷款). */
const INCLUSIVE_SIZES = new Set(['small', 'micro']);

/**
 * Decides.
 *
 * @example
 * const decision = decide(inputs, DEFAULT_DECISION_CONFIG(model)); // decision.outcome === 'approved'
 */
export function decide(inputs: DecisionInputs, config: DecisionConfig): Decision {
  const features = { ...inputs.features };
  const policy = evaluatePolicy(config.policy, features);
  // The scorecard reads numbers and categories; a boolean flag is scored as 1 or 0.
  const scoreInputs = Object.fromEntries(Object.entries(features).map(([name, value]) => [name, typeof value === 'boolean' ? Number(value) : value]));
  const scored = scoreApplicant(config.model, scoreInputs);
  const band = scoreBand(scored.score, config.bands);
  const regional = inputs.region === undefined ? undefined : inputs.region === null ? null : regionalFactor(inputs.region, config.regional ?? DEFAULT_REGIONAL_POLICY);
  const scoredLimit = assignLimit(
    {
      verifiedAnnualSales: yuanToFen(features.sales_12m_yuan),
      band,
      productMin: BigInt(inputs.product.minAmount),
      productMax: BigInt(inputs.product.maxAmount),
      existingExposure: BigInt(inputs.existingExposure),
      ...(regional ? { multiplierBp: regional.limitMultiplierBp } : {}),
    },
    config.limits,
  );
  const { limit, security } = boundBySecurity(scoredLimit, inputs, config);
  const price = band === 'E' ? null : priceLoan({ lprUnits: BigInt(inputs.lprUnits), band, inclusive: INCLUSIVE_SIZES.has(inputs.sizeClass), repeatBorrower: inputs.repeatBorrower, ...(regional ? { regionalSpreadUnits: regional.spreadUnits } : {}) }, config.pricing);
  const versions = {
    policy: config.policy.version,
    bands: config.bands.version,
    limits: config.limits.version,
    pricing: config.pricing.version,
    model: modelId(config.model),
    // Only when set, so decisions under the built-in defaults keep the record they always had.
    ...(config.policySet === undefined ? {} : { policySet: config.policySet }),
  };
  const shadow = config.shadow === undefined ? undefined : shadowScore(config.shadow, scoreInputs, config.bands);
  const common = { policy, score: scored.score, probability: scored.probability, band, scoreReasons: scored.reasons, limit, price, ...(regional === undefined ? {} : { regional }), ...(security === undefined ? {} : { security }), versions, ...(shadow === undefined ? {} : { shadow }) };

  const declines: DecisionReasonCode[] = [
    ...(policy.outcome === 'decline' ? policy.reasonCodes.filter((code) => config.policy.rules.some((rule) => rule.reasonCode === code && rule.outcome === 'decline')) : []),
    ...(band === 'E' ? (['SCORE_TOO_LOW'] as const) : []),
    ...(band !== 'E' && limit.limit === 0n ? [limit.boundBy === 'below-product-min' ? ('LIMIT_BELOW_PRODUCT_MINIMUM' as const) : ('NO_LIMIT' as const)] : []),
  ];
  if (declines.length > 0) return { ...common, outcome: 'declined', reasonCodes: declines, mainFactors: mainFactors({ outcome: 'declined', scoreReasons: scored.reasons }) };
  if (policy.outcome === 'refer') return { ...common, outcome: 'referred', reasonCodes: policy.reasonCodes, mainFactors: mainFactors({ outcome: 'referred', scoreReasons: scored.reasons }) };
  return { ...common, outcome: 'approved', reasonCodes: [], mainFactors: [] };
}

function shadowScore(shadow: NonNullable<DecisionConfig['shadow']>, inputs: Parameters<typeof scoreApplicant>[1], bands: BandCuts): ShadowScore {
  const scored = scoreApplicant(shadow.model, inputs);
  return { model: shadow.id, version: modelId(shadow.model), score: scored.score, probability: scored.probability, band: scoreBand(scored.score, bands) };
}

/**
 * The lesser of the scorecard's limit and what the security carries (`collateral/security-limit.ts`),
 * rounded down to the limit granularity; below the product's minimum it is no limit.
 */
function boundBySecurity(scored: LimitResult, inputs: DecisionInputs, config: DecisionConfig): { limit: LimitResult; security?: SecurityResult } {
  if (inputs.security === undefined || scored.limit === 0n) return { limit: scored };
  const { counting } = countedSecurity(inputs.security, inputs.date);
  const bound = securityBound(scored.limit, BigInt(inputs.existingExposure), inputs.product.code, inputs.security, config.security ?? SECURITY_POLICY_2025);
  const security: SecurityResult = counting === undefined ? bound : { ...bound, ...counting };
  if (security.boundBy === 'scorecard') return { limit: scored, security };
  const rounded = security.limit - (security.limit % config.limits.granularity);
  if (rounded < BigInt(inputs.product.minAmount)) return { limit: { limit: minor(0n), boundBy: 'below-product-min' }, security };
  return { limit: { limit: minor(rounded), boundBy: scored.boundBy }, security };
}

/** Verified sales in fen from the yuan feature (null or negative: none). */
function yuanToFen(value: FeatureValue | undefined): bigint {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return 0n;
  // The feature is a sum of fen amounts shown in yuan; rounding to the fen recovers it exactly.
  return BigInt(Math.round(value * 100));
}
