/**
 * Which guarantees a decision counts (保证担保的认定), as dated, versioned policy data, pure.
 *
 * A bank lends on a guarantee because it has checked the guarantor (担保人资信审查): a guarantee
 * from someone on the dishonest-debtor list, defending a pending case, or never looked at is a
 * promise the bank cannot weigh. So a guarantee adds to a decision's guaranteed amount only when
 * its guarantor's latest check (`guarantor-data.ts`) was clean and is recent enough:
 *
 * | reason | counted | when |
 * |---|---|---|
 * | `clean-check` | yes | the latest check found nothing adverse, at most `maxCheckAgeDays` before the decision |
 * | `adverse` | no | the latest check found a dishonest-debtor listing or a pending case as defendant |
 * | `unchecked` | no | no check yet (the guarantor's authorisation and a check come first) |
 * | `check-stale` | no | the latest check was clean but older than `maxCheckAgeDays` |
 *
 * The decision stores the version it counted under with its inputs (`SecurityInput.countingPolicy`)
 * and the reason for each guarantee in its record (`SecurityResult.guarantees`), and a replay
 * counts again under that version. Records made before this policy (no `countingPolicy`) keep
 * their stored guaranteed amount, in which a guarantor not yet checked still counted.
 *
 * @example
 * guaranteeCounts({ standing: 'clear', checkedOn: '2025-06-01' }, '2025-06-30', GUARANTOR_COUNTING_2025); // { counted: true, reason: 'clean-check' }
 * guaranteeCounts({ standing: 'unchecked', checkedOn: null }, '2025-06-30', GUARANTOR_COUNTING_2025); // { counted: false, reason: 'unchecked' }
 */
import { daysBetween, parseBusinessDate } from '../calendar/business-date.js';
import { invariant } from '../errors.js';
import type { GuarantorStanding } from './collateral-terms.js';

/** Why a guarantee did or did not count in a decision, a closed list. */
export const GUARANTEE_COUNT_REASONS = ['clean-check', 'adverse', 'unchecked', 'check-stale'] as const;
export type GuaranteeCountReason = (typeof GUARANTEE_COUNT_REASONS)[number];

export interface GuarantorCountingPolicy {
  readonly version: string;
  readonly effectiveFrom: string;
  /**
   * A clean check older than this many days before the decision no longer counts. Court listings
   * change; six months is the shelf life banks commonly give pre-loan investigation material
   * (贷前调查资料), and a bank that wants another changes it by adding a version.
   */
  readonly maxCheckAgeDays: number;
}

export const GUARANTOR_COUNTING_2025: GuarantorCountingPolicy = { version: 'guarantor-counting-2025-01', effectiveFrom: '2025-01-01', maxCheckAgeDays: 180 };

/** Every version, oldest first; a new one is appended with its own effective date. */
export const GUARANTOR_COUNTING_POLICIES: readonly GuarantorCountingPolicy[] = [GUARANTOR_COUNTING_2025];

/** Bound on a check's shelf life: ten years. */
const MAX_CHECK_AGE_DAYS = 3660;

/** The version in force on `date`. */
export function guarantorCountingFor(date: string, versions: readonly GuarantorCountingPolicy[] = GUARANTOR_COUNTING_POLICIES): GuarantorCountingPolicy {
  let found: GuarantorCountingPolicy | undefined;
  for (const policy of versions) if (policy.effectiveFrom <= date && (found === undefined || policy.effectiveFrom >= found.effectiveFrom)) found = policy;
  invariant(found !== undefined, `no guarantor counting policy in force on ${date}`);
  return found;
}

/** A version by its name, as a stored decision names it. */
export function guarantorCountingVersion(version: string, versions: readonly GuarantorCountingPolicy[] = GUARANTOR_COUNTING_POLICIES): GuarantorCountingPolicy {
  const found = versions.find((policy) => policy.version === version);
  invariant(found !== undefined, `unknown guarantor counting policy ${version}`);
  return found;
}

/** Whether one guarantee counts on `date`, and why. */
export function guaranteeCounts(guarantor: { readonly standing: GuarantorStanding; readonly checkedOn: string | null }, date: string, policy: GuarantorCountingPolicy): { counted: boolean; reason: GuaranteeCountReason } {
  invariant(Number.isInteger(policy.maxCheckAgeDays) && policy.maxCheckAgeDays >= 0 && policy.maxCheckAgeDays <= MAX_CHECK_AGE_DAYS, `maxCheckAgeDays ${policy.maxCheckAgeDays}`);
  if (guarantor.standing === 'adverse') return { counted: false, reason: 'adverse' };
  if (guarantor.standing === 'unchecked' || guarantor.checkedOn === null) return { counted: false, reason: 'unchecked' };
  // A check dated after the decision date (the business date behind the wall clock) is fresh.
  if (daysBetween(parseBusinessDate(guarantor.checkedOn, 'checkedOn'), parseBusinessDate(date, 'date')) > policy.maxCheckAgeDays) return { counted: false, reason: 'check-stale' };
  return { counted: true, reason: 'clean-check' };
}

/**
 * Counts a decision's guarantees: each with whether it counted and why, and the sum that counted
 * (fen as decimal strings, as the decision inputs hold them).
 *
 * @example
 * countGuarantees([{ guaranteeId, guarantorId, kind: 'company', standing: 'clear', checkedOn: '2025-06-30', amount: '200000000' }], '2025-06-30', GUARANTOR_COUNTING_2025).guaranteed; // '200000000'
 */
export function countGuarantees<G extends { readonly standing: GuarantorStanding; readonly checkedOn: string | null; readonly amount: string }>(
  guarantees: readonly G[],
  date: string,
  policy: GuarantorCountingPolicy,
): { guaranteed: string; guarantees: (G & { counted: boolean; reason: GuaranteeCountReason })[] } {
  let sum = 0n;
  const counted = guarantees.map((g) => {
    const verdict = guaranteeCounts(g, date, policy);
    const amount = BigInt(g.amount);
    invariant(amount > 0n, `a guarantee of ${g.amount} fen`);
    if (verdict.counted) sum += amount;
    return { ...g, ...verdict };
  });
  return { guaranteed: sum.toString(), guarantees: counted };
}
