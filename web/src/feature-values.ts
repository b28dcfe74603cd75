/**
 * A feature's value in plain words with its unit, as a credit analyst reads it: "¥3,200,000",
 * "12 个月", "下降 8.5%", "8.53 倍", "是" — never a raw float like `declared_revenue_to_sales 8.531`.
 * The unit follows from the feature's name (src/features/feature-names.ts: `_yuan`, `_kwh`,
 * `_m3`, `_growth`, `_trend`, `_cv`, `_to_`…), a closed list, so every feature is covered.
 */
import type { FeatureName } from './api-portal';
import { groupDigits } from './format';
import type { I18n } from './i18n';
import { featureText, industryText } from './portal-text';

type Value = number | string | boolean | null | undefined;

const YES_NO: readonly FeatureName[] = ['dishonest_debtor_listed', 'cross_check_failed'];
/** Fractions shown as percentages of change. */
const CHANGE: RegExp = /(_growth_|_change$|_trend_)/;

/**
 * @example
 * featureValueText(i18n, 'declared_revenue_to_sales', 8.531); // "8.53 倍"
 * featureValueText(i18n, 'power_yoy_growth_12m', -0.085);     // "−8.5%"
 */
export function featureValueText(i18n: I18n, name: FeatureName, value: Value): string {
  const zh = i18n.language === 'zh';
  if (value === null || value === undefined || value === '') return zh ? '无数据' : 'no data';
  if (name === 'industry') return industryText(i18n, String(value) as Parameters<typeof industryText>[1]);
  if (YES_NO.includes(name)) return value === true || value === 1 ? (zh ? '是' : 'yes') : zh ? '否' : 'no';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  const whole = (x: number) => groupDigits(String(Math.round(x)));
  const pct = (x: number, digits = 1) => `${x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(digits)}%`;
  if (name.endsWith('_yuan')) return `¥${whole(n)}`;
  if (name.startsWith('power_kwh')) return zh ? `${whole(n)} 千瓦时` : `${whole(n)} kWh`;
  if (name.startsWith('water_m3')) return zh ? `${whole(n)} 吨` : `${whole(n)} t`;
  if (name === 'years_in_business') return zh ? `${n.toFixed(1)} 年` : `${n.toFixed(1)} years`;
  if (name.includes('_months_')) return zh ? `${whole(n)} 个月` : `${whole(n)} months`;
  if (name.includes('_dpd_')) return zh ? `${whole(n)} 天` : `${whole(n)} days`;
  if (name === 'loan_to_value' || name === 'tax_to_sales_12m') return pct(n);
  if (name.includes('_cv_')) return pct(n);
  if (CHANGE.test(name)) return pct(n);
  if (name === 'declared_revenue_to_sales' || name === 'declared_employees_to_insured') return zh ? `${n.toFixed(2)} 倍` : `${n.toFixed(2)}×`;
  if (name === 'bureau_active_loans') return zh ? `${whole(n)} 笔` : `${whole(n)}`;
  if (name === 'insured_employees') return zh ? `${whole(n)} 人` : `${whole(n)}`;
  return zh ? `${whole(n)} 次` : whole(n);
}

/**
 * A decline's or referral's main factors in one sentence: "主要原因：近 12 个月用电趋势、近 12 个月零纳税月数".
 * Empty when there are none (an approval, or a decline by a policy rule alone).
 */
export function mainFactorsText(i18n: I18n, factors: readonly FeatureName[]): string {
  if (factors.length === 0) return '';
  const names = factors.map((name) => featureText(i18n, name)).join(i18n.language === 'zh' ? '、' : ', ');
  return i18n.t('declineMainFactors').replace('{factors}', names);
}
