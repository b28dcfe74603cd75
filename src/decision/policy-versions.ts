/**
 * The decision policy — rules, score bands, limit settings and pricing — as versioned data in the
 * database. A risk officer proposes a new version (`policy.change`, maker-checker); when another
 * risk officer or an admin approves it, it becomes version N+1, and the highest version is the
 * active one. Until the first is approved, decisions use the built-in defaults.
 *
 * New applications decide with the active version; each decision records the version it used
 * (`versions.policySet`), and a replay loads that version, so an old decision replays to the same
 * result after the policy moved on. The scorecard is not part of it: models have their own
 * registry (`scoring/model-registry.ts`).
 *
 * On the wire and in the database money is decimal yuan ("10000000.00") and rates are percent
 * ("1.35"), as everywhere in the API; in memory they are fen and rate units.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/sqlstate.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import { parseMoney } from '../money/parse-money.js';
import { rateToUnits, unitsToRate, type RateUnits } from '../pricing/rate-units.js';
import { replayApplication } from './apply-for-credit.js';
import { modelId, type Decision, type DecisionConfig } from './decide.js';
import { deployedModelOfVersion, withDeployedModels } from './deployed-models.js';
import type { LimitPolicy } from './limit.js';
import { checkPolicy, type Policy } from './policy-rules.js';
import type { PricingPolicy } from './pricing.js';
import type { BandCuts } from './score-band.js';
import { ahpWeights } from '../ecology/ahp.js';
import { METHODS, type EcologyMethod, type GradeCuts } from '../ecology/ecology-index.js';
import { checkIndicatorSystem, type IndicatorSystem } from '../ecology/indicator-system.js';
import { DEFAULT_REGIONAL_POLICY, REGION_GRADES, type RegionalPolicy } from './regional-factor.js';

const BANDS = ['A', 'B', 'C', 'D'] as const;
type Band = (typeof BANDS)[number];

/** A policy as the API and the database hold it (JSON: no bigints). */
export interface PolicyDocument {
  readonly policy: Policy;
  readonly bands: BandCuts;
  readonly limits: { readonly version: string; readonly salesShareBp: Readonly<Record<Band, number>>; readonly inclusiveCeiling: string; readonly granularity: string };
  readonly pricing: { readonly version: string; readonly spreads: Readonly<Record<Band, string>>; readonly inclusiveDiscount: string; readonly repeatDiscount: string; readonly floor: string };
  /** The regional factor; absent in versions approved before it existed (they use the default). */
  readonly regional?: RegionalDocument;
}

/** The regional factor as JSON: spreads as signed percent ("-0.20"), multipliers in basis points. */
export interface RegionalDocument {
  readonly version: string;
  readonly method: EcologyMethod;
  readonly alpha: number;
  /** Saaty matrix over economic, financial, legal, credit, administrative; absent: the built-in one. */
  readonly ahp?: readonly (readonly number[])[];
  readonly gradeCuts: GradeCuts;
  readonly spreads: Readonly<Record<Band, string>>;
  readonly limitMultiplierBp: Readonly<Record<Band, number>>;
  readonly indicators: IndicatorSystem;
}

/** What a maker proposes: the new policy and why. Stored verbatim as the request's payload. */
export interface PolicyChange extends PolicyDocument {
  readonly note: string;
}

/** An approved version. */
export interface PolicyVersion {
  readonly version: number;
  readonly note: string;
  readonly madeBy: string;
  readonly checkedBy: string;
  readonly activatedAt: string;
  readonly document: PolicyDocument;
}

/** The parts of a decision configuration a policy version sets. */
type PolicyParts = Pick<DecisionConfig, 'policy' | 'bands' | 'limits' | 'pricing' | 'regional'>;

/** The subject of every `policy.change` request: one pending change at a time. */
export const POLICY_SUBJECT = 'decision-policy';

/**
 * Parts as a document.
 *
 * @example
 * policyDocument(DEFAULT_DECISION_CONFIG(model)).limits.inclusiveCeiling; // '10000000.00'
 */
export function policyDocument(parts: PolicyParts): PolicyDocument {
  return {
    policy: parts.policy,
    bands: parts.bands,
    limits: { version: parts.limits.version, salesShareBp: { ...parts.limits.salesShareBp }, inclusiveCeiling: formatMoney(parts.limits.inclusiveCeiling), granularity: formatMoney(parts.limits.granularity) },
    pricing: {
      version: parts.pricing.version,
      spreads: Object.fromEntries(BANDS.map((band) => [band, unitsToRate(parts.pricing.spreadUnits[band])])) as Record<Band, string>,
      inclusiveDiscount: unitsToRate(parts.pricing.inclusiveDiscountUnits),
      repeatDiscount: unitsToRate(parts.pricing.repeatDiscountUnits),
      floor: unitsToRate(parts.pricing.floorUnits),
    },
    regional: regionalDocument(parts.regional ?? DEFAULT_REGIONAL_POLICY),
  };
}

function regionalDocument(policy: RegionalPolicy): RegionalDocument {
  return {
    version: policy.version,
    method: policy.index.method,
    alpha: policy.index.alpha,
    ...(policy.index.ahp === undefined ? {} : { ahp: policy.index.ahp.dimensions }),
    gradeCuts: policy.index.gradeCuts,
    spreads: Object.fromEntries(REGION_GRADES.map((grade) => [grade, signedRate(policy.spreadUnits[grade])])) as Record<Band, string>,
    limitMultiplierBp: { ...policy.limitMultiplierBp },
    indicators: policy.index.system,
  };
}

function signedRate(units: bigint): string {
  return units < 0n ? `-${unitsToRate(-units)}` : unitsToRate(units);
}

function parseSignedRate(text: string, field: string): bigint {
  return text.startsWith('-') ? -rateToUnits(text.slice(1), field) : rateToUnits(text, field);
}

/** A regional document checked (an inconsistent expert matrix is refused with its CR) into the policy. */
function regionalPolicy(document: RegionalDocument | undefined): RegionalPolicy {
  if (document === undefined) return DEFAULT_REGIONAL_POLICY;
  if (!(METHODS as readonly string[]).includes(document.method)) throw new ValidationError('regional.method', `must be one of ${METHODS.join(', ')}`);
  if (!(document.alpha >= 0 && document.alpha <= 1)) throw new ValidationError('regional.alpha', 'must be from 0 to 1');
  if (document.ahp !== undefined) ahpWeights(document.ahp, 'regional.ahp');
  const cuts = document.gradeCuts;
  if (!(cuts.A <= 100 && cuts.A > cuts.B && cuts.B > cuts.C && cuts.C >= 0)) throw new ValidationError('regional.gradeCuts', 'must fall from A to B to C within 0 to 100');
  for (const grade of REGION_GRADES) {
    const bp = document.limitMultiplierBp[grade];
    if (!Number.isInteger(bp) || bp < 0 || bp > 30_000) throw new ValidationError(`regional.limitMultiplierBp.${grade}`, 'must be basis points from 0 to 30000 (10000 = unchanged)');
  }
  return {
    version: document.version,
    index: { method: document.method, alpha: document.alpha, ...(document.ahp === undefined ? {} : { ahp: { dimensions: document.ahp } }), gradeCuts: { ...cuts }, system: checkIndicatorSystem(document.indicators, 'regional.indicators') },
    spreadUnits: Object.fromEntries(REGION_GRADES.map((grade) => [grade, parseSignedRate(document.spreads[grade], `regional.spreads.${grade}`)])) as Record<Band, bigint>,
    limitMultiplierBp: { ...document.limitMultiplierBp },
  };
}

/**
 * A document checked and turned into parts; a ValidationError names the field at fault.
 */
export function policyParts(document: PolicyDocument): PolicyParts {
  try {
    checkPolicy(document.policy);
  } catch (error) {
    // checkPolicy names fields within the policy; here it is one part of the document.
    if (error instanceof ValidationError && error.field !== undefined) throw new ValidationError(`policy.${error.field}`, error.message.slice(error.field.length + 2));
    throw error;
  }
  const cuts = document.bands.cuts;
  if (cuts.map((cut) => cut.band).join('') !== BANDS.join('')) throw new ValidationError('bands.cuts', 'must list bands A, B, C, D once each, best first');
  for (let index = 1; index < cuts.length; index++) {
    if (cuts[index]!.minScore >= cuts[index - 1]!.minScore) throw new ValidationError(`bands.cuts.${index}.minScore`, `must be below band ${cuts[index - 1]!.band}'s ${cuts[index - 1]!.minScore}`);
  }
  for (const band of BANDS) {
    const share = document.limits.salesShareBp[band];
    if (!Number.isInteger(share) || share < 0 || share > 10_000) throw new ValidationError(`limits.salesShareBp.${band}`, 'must be basis points of annual sales, 0 to 10000');
  }
  const limits: LimitPolicy = {
    version: document.limits.version,
    salesShareBp: { ...document.limits.salesShareBp },
    inclusiveCeiling: positive(parseMoney(document.limits.inclusiveCeiling, 'limits.inclusiveCeiling'), 'limits.inclusiveCeiling'),
    granularity: positive(parseMoney(document.limits.granularity, 'limits.granularity'), 'limits.granularity'),
  };
  const pricing: PricingPolicy = {
    version: document.pricing.version,
    spreadUnits: Object.fromEntries(BANDS.map((band) => [band, rateToUnits(document.pricing.spreads[band], `pricing.spreads.${band}`)])) as Record<Band, RateUnits>,
    inclusiveDiscountUnits: rateToUnits(document.pricing.inclusiveDiscount, 'pricing.inclusiveDiscount'),
    repeatDiscountUnits: rateToUnits(document.pricing.repeatDiscount, 'pricing.repeatDiscount'),
    floorUnits: rateToUnits(document.pricing.floor, 'pricing.floor'),
  };
  return { policy: document.policy, bands: document.bands, limits, pricing, regional: regionalPolicy(document.regional) };
}

function positive(fen: bigint, field: string): bigint {
  if (fen <= 0n) throw new ValidationError(field, 'must be more than 0.00');
  return fen;
}

/** Every approved version, newest (the active one) first. */
export async function listPolicyVersions(db: Kysely<Database>): Promise<PolicyVersion[]> {
  const rows = await db.selectFrom('decision_policy').selectAll().orderBy('version', 'desc').limit(500).execute();
  return rows.map((row) => ({ version: row.version, note: row.note, madeBy: row.made_by, checkedBy: row.checked_by, activatedAt: new Date(row.activated_at).toISOString(), document: row.config as PolicyDocument }));
}

/**
 * The configuration new decisions use: the active version's policy over `fallback` (which gives
 * the scorecard, and the policy itself while no version has been approved).
 *
 * @example
 * const config = await activeDecisionConfig(db, DEFAULT_DECISION_CONFIG(defaultScorecard()));
 */
export async function activeDecisionConfig(db: Kysely<Database> | Transaction<Database>, fallback: DecisionConfig): Promise<DecisionConfig> {
  const row = await db.selectFrom('decision_policy').select(['version', 'config']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  // The scorecards deployed under maker-checker (deployed-models.ts) replace the fallback's.
  return withDeployedModels(db, row === undefined ? fallback : { ...fallback, ...policyParts(row.config as PolicyDocument), policySet: row.version });
}

/** The configuration of one approved version over `fallback`'s scorecard. */
export async function decisionConfigOfVersion(db: Kysely<Database> | Transaction<Database>, version: number, fallback: DecisionConfig): Promise<DecisionConfig> {
  const row = await db.selectFrom('decision_policy').select('config').where('version', '=', version).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`decision policy version ${version}`);
  return { ...fallback, ...policyParts(row.config as PolicyDocument), policySet: version };
}

/**
 * Replays a recorded application with the policy version it was decided under (the built-in
 * policy of `fallback` when it records none).
 */
export async function replayWithRecordedPolicy(db: Kysely<Database>, applicationId: string, fallback: DecisionConfig): Promise<{ recorded: unknown; replayed: Decision; matches: boolean }> {
  const row = await db.selectFrom('application').select('decision').where('id', '=', applicationId).executeTakeFirst();
  if (!row) throw new NotFoundError(`application ${applicationId}`);
  const versions = (row.decision as { versions?: { policySet?: number; model?: string } }).versions;
  const version = versions?.policySet;
  const policyConfig = version === undefined ? fallback : await decisionConfigOfVersion(db, version, fallback);
  // A decision by a deployed scorecard replays with that scorecard.
  const deployed = versions?.model === undefined || versions.model === modelId(fallback.model) ? undefined : await deployedModelOfVersion(db, versions.model);
  return replayApplication(db, applicationId, deployed === undefined ? policyConfig : { ...policyConfig, model: deployed });
}

/**
 * Makes an approved change the active version (the `policy.change` action's effect).
 */
export async function activatePolicy(trx: Transaction<Database>, change: PolicyChange, maker: string, checker: string): Promise<{ version: number }> {
  const { note, ...document } = change;
  policyParts(document);
  const latest = await trx.selectFrom('decision_policy').select('version').orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
  const version = (latest?.version ?? 0) + 1;
  const activatedAt = new Date();
  try {
    await trx.insertInto('decision_policy').values({ version, config: JSON.stringify(document), note, made_by: maker, checked_by: checker, activated_at: activatedAt }).execute();
  } catch (error) {
    // Only the primary key is a race (another approval took this version number first); any other
    // failure is not ours to explain away.
    if (!isUniqueViolation(error)) throw error;
    throw new ConflictError(`decision policy version ${version} was activated at the same time; decide again`, 'version');
  }
  await appendAudit(trx, { actor: `${maker} (checked by ${checker})`, action: 'policy.activate', entityType: 'decision_policy', entityId: POLICY_SUBJECT, before: latest === undefined ? undefined : { version: latest.version }, after: { version, note, document } }, activatedAt);
  return { version };
}
