/**
 * Policy rules as versioned data (准入规则): hard declines and referrals to a person, evaluated on
 * an applicant's features with a trace of every rule, fired or not, so a decision can be
 * explained and replayed.
 */
import { ValidationError } from '../errors.js';
import type { FeatureName } from '../features/feature-names.js';

/**
 * The rules a policy may hold, a closed catalogue: a rule's id names what it checks, so the web
 * app can say it in words (test/web/code-texts.test.ts). A version may drop rules or change their
 * thresholds; a new kind of rule is a code change here, with its texts. D99 pauses all lending and
 * R99 sends every application to a person (for a review period or a new product's first weeks).
 */
export const POLICY_RULE_IDS = ['D01', 'D02', 'D03', 'D04', 'D99', 'R01', 'R02', 'R03', 'R99'] as const;
export type PolicyRuleId = (typeof POLICY_RULE_IDS)[number];

/** What a fired rule tells the applicant (declines) or the reviewer (referrals), a closed list. */
export const POLICY_REASON_CODES = ['DISHONEST_DEBTOR', 'TOO_YOUNG', 'SERIOUS_DELINQUENCY', 'NO_SALES', 'CROSS_CHECK_FAILED', 'LAWSUITS', 'ADMIN_PENALTIES', 'LENDING_PAUSED', 'MANUAL_REVIEW'] as const;
export type PolicyReasonCode = (typeof POLICY_REASON_CODES)[number];

/** A feature value as rules see it. */
export type FeatureValue = number | string | boolean | null;

/** A comparison of one feature with a constant. A missing feature never satisfies a condition. */
export interface Condition {
  readonly feature: FeatureName;
  readonly op: '<' | '<=' | '>' | '>=' | '==' | '!=' | 'in';
  readonly value: FeatureValue | readonly FeatureValue[];
}

export interface PolicyRule {
  readonly id: PolicyRuleId;
  readonly description: string;
  /** All conditions must hold for the rule to fire. */
  readonly when: readonly Condition[];
  readonly outcome: 'decline' | 'refer';
  /** Shown to the applicant (declines) or the reviewer (referrals). */
  readonly reasonCode: PolicyReasonCode;
}

export interface Policy {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly rules: readonly PolicyRule[];
}

export interface RuleTrace {
  readonly ruleId: PolicyRuleId;
  readonly fired: boolean;
  readonly outcome: PolicyRule['outcome'];
  readonly reasonCode: PolicyReasonCode;
  /** The features the rule looked at, as they were. */
  readonly inputs: Readonly<Record<string, FeatureValue>>;
}

export interface PolicyResult {
  readonly version: string;
  /** decline if any decline rule fired, else refer if any referral fired, else pass. */
  readonly outcome: 'pass' | 'refer' | 'decline';
  readonly reasonCodes: readonly PolicyReasonCode[];
  readonly trace: readonly RuleTrace[];
}

/**
 * Evaluates every rule (never stopping at the first) so the record shows all of them.
 *
 * @example
 * evaluatePolicy(DEFAULT_POLICY, { dishonest_debtor_listed: 1, years_in_business: 3 }).outcome; // 'decline'
 */
export function evaluatePolicy(policy: Policy, features: Readonly<Record<string, FeatureValue>>): PolicyResult {
  const trace = policy.rules.map((rule) => {
    const inputs = Object.fromEntries(rule.when.map((condition) => [condition.feature, features[condition.feature] ?? null]));
    const fired = rule.when.every((condition) => holds(condition, features[condition.feature]));
    return { ruleId: rule.id, fired, outcome: rule.outcome, reasonCode: rule.reasonCode, inputs };
  });
  const fired = trace.filter((rule) => rule.fired);
  const outcome = fired.some((rule) => rule.outcome === 'decline') ? 'decline' : fired.length > 0 ? 'refer' : 'pass';
  return { version: policy.version, outcome, reasonCodes: fired.map((rule) => rule.reasonCode), trace };
}

function holds(condition: Condition, actual: FeatureValue | undefined): boolean {
  if (actual === undefined || actual === null) return false;
  const expected = condition.value;
  switch (condition.op) {
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (condition.op === '<') return actual < expected;
      if (condition.op === '<=') return actual <= expected;
      if (condition.op === '>') return actual > expected;
      return actual >= expected;
    }
  }
}

/** Rejects a policy a bank could not mean: duplicate ids, empty conditions. */
export function checkPolicy(policy: Policy): void {
  const ids = new Set<string>();
  for (const [index, rule] of policy.rules.entries()) {
    if (ids.has(rule.id)) throw new ValidationError(`rules.${index}.id`, `duplicate rule id ${rule.id}`);
    ids.add(rule.id);
    if (rule.when.length === 0) throw new ValidationError(`rules.${index}.when`, 'a rule needs at least one condition');
  }
}

/**
 * The default policy. Each rule cites why: 失信被执行人 cannot borrow (最高法《关于公布失信被执行人
 * 名单信息的若干规定》); a firm under a year old has no three tables to read; a failed cross-check of
 * declared revenue, invoiced sales and power use is the classic sign of false statements (seed 001,
 * "三品三表").
 */
export const DEFAULT_POLICY: Policy = {
  version: 'policy-2025-06',
  effectiveFrom: '2025-06-01',
  rules: [
    { id: 'D01', description: 'on the dishonest-debtor list', when: [{ feature: 'dishonest_debtor_listed', op: '==', value: 1 }], outcome: 'decline', reasonCode: 'DISHONEST_DEBTOR' },
    { id: 'D02', description: 'under one year in business', when: [{ feature: 'years_in_business', op: '<', value: 1 }], outcome: 'decline', reasonCode: 'TOO_YOUNG' },
    { id: 'D03', description: 'more than 90 days overdue elsewhere in 24 months (credit bureau)', when: [{ feature: 'enterprise_max_dpd_24m', op: '>', value: 90 }], outcome: 'decline', reasonCode: 'SERIOUS_DELINQUENCY' },
    { id: 'D04', description: 'no invoiced sales in the last 12 months', when: [{ feature: 'sales_12m_yuan', op: '<=', value: 0 }], outcome: 'decline', reasonCode: 'NO_SALES' },
    { id: 'R01', description: 'declared revenue, invoiced sales, power use or headcount disagree', when: [{ feature: 'cross_check_failed', op: '==', value: 1 }], outcome: 'refer', reasonCode: 'CROSS_CHECK_FAILED' },
    { id: 'R02', description: 'three or more lawsuits as defendant in 24 months', when: [{ feature: 'lawsuits_defendant_24m', op: '>=', value: 3 }], outcome: 'refer', reasonCode: 'LAWSUITS' },
    { id: 'R03', description: 'two or more administrative penalties in 24 months', when: [{ feature: 'admin_penalties_24m', op: '>=', value: 2 }], outcome: 'refer', reasonCode: 'ADMIN_PENALTIES' },
  ],
};
