/**
 * Renewal without repaying principal (无还本续贷): who may have it, as dated, versioned policy.
 *
 * Source: 国家金融监督管理总局《关于做好续贷工作 提高小微企业金融服务水平的通知》
 * (金规〔2024〕13号, 2024-09-24): working-capital loans of small and micro enterprises with real
 * financing needs and temporary cash difficulty; medium enterprises' working-capital loans maturing
 * before 2027-09-30; applied for before maturity; may stay 正常 if the original loan was normal and
 * the borrower operates lawfully and stably, has good credit with no misuse of funds, interest
 * arrears or debt evasion, and meets the bank's lending criteria.
 */
import type { SizeClass } from '../enterprises/enterprises.js';

export interface RenewalPolicy {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly sizeClasses: readonly SizeClass[];
  /** Medium enterprises qualify only for loans maturing before this date. */
  readonly mediumMaturingBefore: string;
  readonly workingCapitalOnly: boolean;
}

/** The policy in force since the 2024 notice. */
export const RENEWAL_POLICY_2024: RenewalPolicy = {
  version: 'jingui-2024-13',
  effectiveFrom: '2024-09-24',
  sizeClasses: ['small', 'micro'],
  mediumMaturingBefore: '2027-09-30',
  workingCapitalOnly: true,
};

/** What the reviewing officer attests about the borrower (the notice's conditions). */
export interface RenewalAttestation {
  readonly lawfulOperation: boolean;
  readonly stableOperation: boolean;
  /** Good credit: no misuse of funds, no debt evasion. */
  readonly goodCredit: boolean;
  readonly meetsLendingCriteria: boolean;
}

/** The loan and borrower facts the policy looks at. */
export interface RenewalFacts {
  readonly today: string;
  readonly loanStatus: string;
  readonly maturityOn: string;
  readonly workingCapital: boolean;
  readonly sizeClass: SizeClass;
  readonly overdue: boolean;
  /** Billed interest or penalty unpaid (interest arrears 欠息). */
  readonly interestArrears: boolean;
  /** An early warning stopped the line's renewal eligibility (src/monitoring/); absent: none. */
  readonly earlyWarningHold?: boolean;
}

/** Why a renewal is refused, a closed list: the system's checks, then the officer's attestations. */
export const RENEWAL_REFUSAL_CODES = ['POLICY_NOT_IN_FORCE', 'NOT_ACTIVE', 'AFTER_MATURITY', 'NOT_WORKING_CAPITAL', 'SIZE_CLASS', 'OVERDUE', 'INTEREST_ARREARS', 'NOT_LAWFUL', 'NOT_STABLE', 'BAD_CREDIT', 'LENDING_CRITERIA', 'EARLY_WARNING'] as const;
export type RenewalRefusalCode = (typeof RENEWAL_REFUSAL_CODES)[number];

export interface RenewalRefusal {
  readonly code: RenewalRefusalCode;
  readonly message: string;
}

/**
 * The reasons a renewal is refused under `policy`; empty when it may go ahead.
 *
 * @example
 * renewalRefusals(RENEWAL_POLICY_2024, facts, attestation); // [] or [{ code: 'AFTER_MATURITY', … }]
 */
export function renewalRefusals(policy: RenewalPolicy, facts: RenewalFacts, attestation: RenewalAttestation): RenewalRefusal[] {
  const refusals: RenewalRefusal[] = [];
  const refuse = (code: RenewalRefusalCode, message: string) => refusals.push({ code, message });
  if (facts.today < policy.effectiveFrom) refuse('POLICY_NOT_IN_FORCE', `renewal policy ${policy.version} applies from ${policy.effectiveFrom}`);
  if (facts.loanStatus !== 'active') refuse('NOT_ACTIVE', `the loan is ${facts.loanStatus}`);
  if (facts.today >= facts.maturityOn) refuse('AFTER_MATURITY', `renewal must be applied for before maturity (${facts.maturityOn})`);
  if (policy.workingCapitalOnly && !facts.workingCapital) refuse('NOT_WORKING_CAPITAL', 'only working-capital (流动资金) loans may be renewed');
  const eligibleSize = policy.sizeClasses.includes(facts.sizeClass) || (facts.sizeClass === 'medium' && facts.maturityOn < policy.mediumMaturingBefore);
  if (!eligibleSize) refuse('SIZE_CLASS', `a ${facts.sizeClass} enterprise's loan maturing ${facts.maturityOn} is outside the policy`);
  if (facts.overdue) refuse('OVERDUE', 'the loan has overdue amounts');
  if (facts.interestArrears) refuse('INTEREST_ARREARS', 'billed interest or penalty is unpaid');
  // Not "operates stably" while a post-lending warning says otherwise (seed 001 §3.1.2c).
  if (facts.earlyWarningHold === true) refuse('EARLY_WARNING', 'a post-lending early warning stopped renewal eligibility');
  if (!attestation.lawfulOperation) refuse('NOT_LAWFUL', 'the borrower does not operate lawfully and compliantly');
  if (!attestation.stableOperation) refuse('NOT_STABLE', 'the borrower does not operate stably with going-concern ability');
  if (!attestation.goodCredit) refuse('BAD_CREDIT', 'the borrower misused funds, evaded debt or has a poor credit record');
  if (!attestation.meetsLendingCriteria) refuse('LENDING_CRITERIA', "the borrower does not meet the bank's lending criteria");
  return refusals;
}
