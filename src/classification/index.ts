/**
 * Five-category classification (五级分类) and provisioning: pure rules over plain data. End of
 * day (src/eod/) applies the same rules in SQL, with these values as parameters.
 */
export type { Classification } from './classification.js';
export { CLASSIFICATION_RULES, RULES_2023, rulesFor, checkRules, type ClassificationRules, type ProvisionRates } from './classification-rules.js';
export { CATEGORIES, rankOf, worseOf, isNonPerforming, classifyByDaysPastDue, nextClassification } from './classify.js';
export { debtorIsNonPerforming, applyDebtorRule, type DebtorLoan } from './debtor-rule.js';
export { provisionFor } from './provision.js';
export { classifyWithGuarantee, type GuaranteeCover } from './guarantee-cover.js';
