/**
 * Five-category classification (五级分类) of one loan from its days past due (逾期天数).
 *
 * End of day recomputes the category every night from days past due, with one exception: a
 * non-performing loan (次级/可疑/损失) is never upgraded automatically. The 2023 rules allow an
 * upgrade only once all overdue amounts are repaid and the borrower has paid normally for a period
 * (the bank's review), so that is an operator's decision, not a batch's. Performing loans move
 * both ways: special mention back to normal once nothing is overdue.
 */
import type { Classification } from './classification.js';
import type { ClassificationRules } from './classification-rules.js';

/** The categories from best to worst; the index is the category's rank. */
export const CATEGORIES: readonly Classification[] = ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'];

/** 0 for normal … 4 for loss. */
export function rankOf(category: Classification): number {
  return CATEGORIES.indexOf(category);
}

/** The worse of two categories. */
export function worseOf(a: Classification, b: Classification): Classification {
  return rankOf(a) >= rankOf(b) ? a : b;
}

/** Non-performing (不良): substandard, doubtful or loss. */
export function isNonPerforming(category: Classification): boolean {
  return rankOf(category) >= rankOf('substandard');
}

/**
 * The category the overdue rules give for `dpd` days past due.
 *
 * @example
 * classifyByDaysPastDue(0, RULES_2023);   // 'normal'
 * classifyByDaysPastDue(1, RULES_2023);   // 'special-mention'
 * classifyByDaysPastDue(91, RULES_2023);  // 'substandard'
 */
export function classifyByDaysPastDue(dpd: number, rules: ClassificationRules): Classification {
  const above = rules.overdueDaysAbove;
  if (dpd > above.loss) return 'loss';
  if (dpd > above.doubtful) return 'doubtful';
  if (dpd > above.substandard) return 'substandard';
  if (dpd > above['special-mention']) return 'special-mention';
  return 'normal';
}

/**
 * Tonight's category of a loan now `current` with `dpd` days past due.
 *
 * @example
 * nextClassification('special-mention', 0, RULES_2023); // 'normal' (the overdue amount was repaid)
 * nextClassification('substandard', 0, RULES_2023);     // 'substandard' (no automatic upgrade)
 */
export function nextClassification(current: Classification, dpd: number, rules: ClassificationRules): Classification {
  const byDays = classifyByDaysPastDue(dpd, rules);
  return isNonPerforming(current) ? worseOf(current, byDays) : byDays;
}
