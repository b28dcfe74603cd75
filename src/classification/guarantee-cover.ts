/**
 * Where a guarantee may count in the five-category classification (五级分类), pure.
 *
 * The 2023 measures (商业银行金融资产风险分类办法) classify by the debtor's ability to repay and
 * let a bank weigh the guarantee when it judges whether a loss is likely, but the overdue floors
 * hold "even with sufficient collateral or guarantee": overdue → at least special mention, more
 * than 90 days → at least substandard, more than 270 → doubtful, more than 360 → loss. So the only
 * category a guarantee can change here is one above those floors: a loan no more than 90 days past
 * due that the debtor-level rule (or a reviewer's judgement) made non-performing, while a valid
 * joint and several guarantee from a guarantee company covers all it owes, may stay at its floor
 * (special mention if overdue at all, else normal). Beyond 90 days past due nothing changes: the
 * loan stays non-performing whatever secures it.
 */
import type { Classification } from './classification.js';
import type { ClassificationRules } from './classification-rules.js';
import { classifyByDaysPastDue, isNonPerforming } from './classify.js';

/** A guarantee as classification weighs it. */
export interface GuaranteeCover {
  /** The guarantee is joint and several (连带责任保证) from a guarantee company, held and in its period. */
  readonly jointFromCompany: boolean;
  /** The guaranteed amount covers principal, interest and penalty owed. */
  readonly coversExposure: boolean;
}

/**
 * The category once the guarantee is weighed.
 *
 * @example
 * classifyWithGuarantee('substandard', 30, { jointFromCompany: true, coversExposure: true }, RULES_2023); // 'special-mention'
 * classifyWithGuarantee('substandard', 91, { jointFromCompany: true, coversExposure: true }, RULES_2023); // 'substandard'
 */
export function classifyWithGuarantee(category: Classification, dpd: number, cover: GuaranteeCover, rules: ClassificationRules): Classification {
  const floor = classifyByDaysPastDue(dpd, rules);
  if (isNonPerforming(floor)) return category;
  if (!isNonPerforming(category) || !cover.jointFromCompany || !cover.coversExposure) return category;
  return floor;
}
