/**
 * The five-category classification (五级分类) and provisioning (拨备) parameters, as dated,
 * versioned configuration: a bank changes them by adding a version with a later `effectiveFrom`,
 * never by editing one that has been applied (end-of-day runs record the version they used).
 */
import { invariant } from '../errors.js';
import type { Classification } from './classification.js';

/** Provision rates in basis points of principal (2% = 200), by category. */
export type ProvisionRates = Readonly<Record<Classification, number>>;

export interface ClassificationRules {
  /** Recorded on each end-of-day run. */
  readonly version: string;
  /** First business date the rules apply to ('YYYY-MM-DD'). */
  readonly effectiveFrom: string;
  /** Why: the regulation or the bank's decision. */
  readonly source: string;
  /**
   * Days past due strictly above which a loan is at least the category: any overdue amount makes
   * it special mention, over 90 days substandard, over 270 doubtful, over 360 loss.
   */
  readonly overdueDaysAbove: {
    readonly 'special-mention': number;
    readonly substandard: number;
    readonly doubtful: number;
    readonly loss: number;
  };
  /**
   * Debtor level: when strictly more than this share (basis points of the borrower's active
   * principal) is non-performing, all the borrower's loans become at least substandard.
   */
  readonly debtorNonPerformingShareBp: number;
  /** Specific provision by category; the general provision is not modelled (see docs/end-of-day.md). */
  readonly provisionRateBp: ProvisionRates;
}

/**
 * 商业银行金融资产风险分类办法 (CBIRC and PBOC, 2023), effective 2023-07-01: any
 * overdue → at least 关注; > 90 days → at least 次级; > 270 → at least 可疑; > 360 → 损失; a
 * debtor with more than 10% of its claims non-performing has all claims non-performing.
 * Provision rates: the commonly used specific rates 关注 2%, 次级 25%, 可疑 50%, 损失 100%.
 */
export const RULES_2023: ClassificationRules = {
  version: '2023-07-01',
  effectiveFrom: '2023-07-01',
  source: '商业银行金融资产风险分类办法 (2023), commonly used specific-provision rates',
  overdueDaysAbove: { 'special-mention': 0, substandard: 90, doubtful: 270, loss: 360 },
  debtorNonPerformingShareBp: 1000,
  provisionRateBp: { normal: 0, 'special-mention': 200, substandard: 2500, doubtful: 5000, loss: 10000 },
};

/** Every version, oldest first. Add new ones at the end. */
export const CLASSIFICATION_RULES: readonly ClassificationRules[] = [RULES_2023];

/**
 * The rules in force on `date`: the latest version whose `effectiveFrom` is on or before it.
 *
 * @example
 * rulesFor('2025-06-30').version; // '2023-07-01'
 */
export function rulesFor(date: string, versions: readonly ClassificationRules[] = CLASSIFICATION_RULES): ClassificationRules {
  let found: ClassificationRules | undefined;
  for (const rules of versions) if (rules.effectiveFrom <= date && (found === undefined || rules.effectiveFrom >= found.effectiveFrom)) found = rules;
  invariant(found !== undefined, `no classification rules in force on ${date}`);
  checkRules(found);
  return found;
}

/** The thresholds must rise with severity and the rates lie within 0–100%. */
export function checkRules(rules: ClassificationRules): void {
  const days = rules.overdueDaysAbove;
  invariant(days['special-mention'] >= 0 && days['special-mention'] < days.substandard && days.substandard < days.doubtful && days.doubtful < days.loss,
    `classification rules ${rules.version}: thresholds must rise with severity`);
  for (const rate of Object.values(rules.provisionRateBp)) invariant(Number.isInteger(rate) && rate >= 0 && rate <= 10000, `classification rules ${rules.version}: provision rate ${rate} bp`);
  invariant(Number.isInteger(rules.debtorNonPerformingShareBp) && rules.debtorNonPerformingShareBp >= 0 && rules.debtorNonPerformingShareBp < 10000,
    `classification rules ${rules.version}: debtor share ${rules.debtorNonPerformingShareBp} bp`);
}
