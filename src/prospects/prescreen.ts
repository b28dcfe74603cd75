/**
 * Pre-screening a prospect (预授信 / 白名单): before an enterprise has applied or consented, a bank
 * may consult only public records — the market-regulation registry (企业信用信息公示系统:
 * registration changes, administrative penalties) and the courts (中国裁判文书网 / 中国执行信息公开网:
 * lawsuits, the dishonest-debtor list) — and its own registry. Tax, power, water, social-security
 * and credit-bureau data need the enterprise's authorisation and wait for its full application.
 *
 * So a pre-screen is knock-out rules over public records and an indicative limit by the list's
 * source, conditional on a full application with authorised data: the offer says "you may get up
 * to", never "you have".
 *
 * @example
 * prescreen({ source: 'supply-chain', records: [], registeredOn: null, asOf: '2025-06-30' }, DEFAULT_PRESCREEN_POLICY);
 * // { status: 'pre-approved', indicativeLimit: 500_000_00n, reasons: [] }
 */
import { addMonths, type BusinessDate } from '../calendar/index.js';
import type { DataRecord } from '../data/index.js';
import { minor, type Minor } from '../money/minor.js';

/** Where a prospect list came from: a core enterprise's suppliers, a business district, a platform. */
export type ProspectSource = 'supply-chain' | 'business-district' | 'platform';

export const PROSPECT_SOURCES = ['supply-chain', 'business-district', 'platform'] as const satisfies readonly ProspectSource[];

/** The bank's pre-screen rules, versioned like the decision's. */
export interface PrescreenPolicy {
  readonly version: string;
  /** Months of public records looked at. */
  readonly months: number;
  /** Indicative limit by source, fen: a core enterprise's supplier is known to trade; a district's shop less so. */
  readonly indicativeLimit: Readonly<Record<ProspectSource, Minor>>;
  /** Administrative penalties in the window from which the prospect is declined. */
  readonly maxPenalties: number;
  /** Lawsuits as defendant still pending from which the prospect is declined. */
  readonly maxPendingSuitsAsDefendant: number;
  /** Legal-representative or shareholder changes in the last 12 months from which control is unstable. */
  readonly maxControlChanges12m: number;
  /** Minimum years since registration, when the registry knows the date. */
  readonly minYearsInBusiness: number;
}

export const DEFAULT_PRESCREEN_POLICY: PrescreenPolicy = {
  version: 'prescreen-2025-06',
  months: 24,
  indicativeLimit: { 'supply-chain': minor(500_000_00n), 'business-district': minor(200_000_00n), platform: minor(300_000_00n) },
  maxPenalties: 2,
  maxPendingSuitsAsDefendant: 2,
  maxControlChanges12m: 2,
  minYearsInBusiness: 1,
};

export interface PrescreenInput {
  readonly source: ProspectSource;
  /** Public records only: registration and courts. */
  readonly records: readonly DataRecord[];
  /** From the bank's registry when the enterprise is already there; null otherwise. */
  readonly registeredOn: BusinessDate | null;
  readonly asOf: BusinessDate;
}

/** Why a prospect was declined, or the findings that halved a pre-approval's limit: a closed list. */
export const PRESCREEN_REASON_CODES = ['DISHONEST_DEBTOR', 'ADMINISTRATIVE_PENALTIES', 'PENDING_LAWSUITS', 'UNSTABLE_CONTROL', 'TOO_YOUNG', 'ADMINISTRATIVE_PENALTY', 'PENDING_LAWSUIT'] as const;
export type PrescreenReasonCode = (typeof PRESCREEN_REASON_CODES)[number];

export interface PrescreenResult {
  readonly status: 'pre-approved' | 'declined';
  /** Fen; null when declined. */
  readonly indicativeLimit: Minor | null;
  /** Decline reasons; for a pre-approval, the findings that halved the limit. */
  readonly reasons: readonly PrescreenReasonCode[];
}

/**
 * Knock-outs: on the dishonest-debtor list now; too many administrative penalties; too many
 * pending suits as defendant; control changing hands repeatedly; under a year in business (when
 * known). One penalty or one pending suit is a finding, not a knock-out: it halves the limit.
 */
export function prescreen(input: PrescreenInput, policy: PrescreenPolicy): PrescreenResult {
  const yearAgo = addMonths(input.asOf, -12);
  let listed = false;
  let penalties = 0;
  let pendingSuits = 0;
  let controlChanges = 0;
  for (const record of input.records) {
    if (record.kind === 'dishonest-debtor' && record.date <= input.asOf && (record.removedOn === null || record.removedOn > input.asOf)) listed = true;
    if (record.kind === 'administrative-penalty') penalties++;
    if (record.kind === 'lawsuit' && record.role === 'defendant' && record.status === 'pending') pendingSuits++;
    if (record.kind === 'registration-change' && (record.item === 'legal-representative' || record.item === 'shareholders') && record.date > yearAgo) controlChanges++;
  }
  const declines: PrescreenReasonCode[] = [
    ...(listed ? (['DISHONEST_DEBTOR'] as const) : []),
    ...(penalties >= policy.maxPenalties ? (['ADMINISTRATIVE_PENALTIES'] as const) : []),
    ...(pendingSuits >= policy.maxPendingSuitsAsDefendant ? (['PENDING_LAWSUITS'] as const) : []),
    ...(controlChanges >= policy.maxControlChanges12m ? (['UNSTABLE_CONTROL'] as const) : []),
    ...(input.registeredOn !== null && addMonths(input.registeredOn, 12 * policy.minYearsInBusiness) > input.asOf ? (['TOO_YOUNG'] as const) : []),
  ];
  if (declines.length > 0) return { status: 'declined', indicativeLimit: null, reasons: declines };
  const findings: PrescreenReasonCode[] = [...(penalties > 0 ? (['ADMINISTRATIVE_PENALTY'] as const) : []), ...(pendingSuits > 0 ? (['PENDING_LAWSUIT'] as const) : [])];
  const base = policy.indicativeLimit[input.source];
  return { status: 'pre-approved', indicativeLimit: findings.length > 0 ? minor(base / 2n) : base, reasons: findings };
}
