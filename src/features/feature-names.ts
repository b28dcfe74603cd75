/**
 * The names of the features (三品三表) and cross-checks an application's record holds, closed lists:
 * policy rules may only test these features, and the web app has a text for each name
 * (test/web/code-texts.test.ts).
 *
 * @example
 * isFeatureName('sales_12m_yuan'); // true
 */

/** Every feature `extractFeatures` computes, plus `cross_check_failed` that the decision adds. */
export const FEATURE_NAMES = [
  // character (人品): credit bureau, courts, registration
  'owner_overdue_months_24m',
  'owner_max_dpd_24m',
  'enterprise_overdue_months_24m',
  'enterprise_max_dpd_24m',
  'bureau_active_loans',
  'bureau_active_balance_yuan',
  'dishonest_debtor_listed',
  'lawsuits_defendant_24m',
  'lawsuits_pending',
  'admin_penalties_24m',
  'registration_changes_12m',
  'years_in_business',
  'industry',
  // the three tables (三表): sales, headcount, power, water, tax
  'sales_12m_yuan',
  'sales_trend_12m',
  'sales_cv_12m',
  'sales_yoy_growth_12m',
  'sales_yoy_growth_3m',
  'insured_employees',
  'insured_employees_trend_12m',
  'collateral_value_yuan',
  'loan_to_value',
  'power_kwh_12m',
  'power_trend_12m',
  'power_cv_12m',
  'power_yoy_growth_12m',
  'water_m3_12m',
  'water_trend_12m',
  'water_cv_12m',
  'tax_paid_12m_yuan',
  'tax_trend_12m',
  'tax_cv_12m',
  'tax_zero_months_12m',
  'tax_to_sales_12m',
  // cross-checks as numbers
  'declared_revenue_to_sales',
  'sales_per_kwh_yoy_change',
  'declared_employees_to_insured',
  // added by the decision: 1 when any cross-check is flagged
  'cross_check_failed',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** The cross-checks of declared figures against independent data. */
export const CROSS_CHECK_IDS = ['declared-revenue-vs-sales', 'sales-growth-vs-power', 'declared-employees-vs-insured'] as const;

export type CrossCheckId = (typeof CROSS_CHECK_IDS)[number];

/** True when `name` is one of `FEATURE_NAMES`. */
export function isFeatureName(name: string): name is FeatureName {
  return (FEATURE_NAMES as readonly string[]).includes(name);
}
