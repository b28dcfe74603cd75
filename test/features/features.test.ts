import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusinessDate } from '../../src/calendar/index.js';
import { dataWindow, type DataRecord, type DataSource, type Month, type PulledData, type SourceData } from '../../src/data/data-records.js';
import { extractFeatures, featureValues, type FeatureEnterprise } from '../../src/features/extract-features.js';
import { minor } from '../../src/money/index.js';

// A small fixed data set, hand-computed below. asOf 2025-06-30: the last 12 months are
// 2024-06 … 2025-05, the prior 12 are 2023-06 … 2024-05.
const ASOF = '2025-06-30' as BusinessDate;
const LAST12 = dataWindow(ASOF, 12);
const PRIOR12 = dataWindow(ASOF, 24).slice(0, 12);
const fen = (yuan: number) => minor(BigInt(Math.round(yuan * 100)));

const FIRM: FeatureEnterprise = { industry: 'retail', registeredOn: '2015-06-30' as BusinessDate, revenue: fen(2_000_000), employees: 16 };

function source<S extends DataSource>(name: S, records: DataRecord[]): SourceData<S> {
  return { source: name, pullId: `pull-${name}`, pulledAt: new Date('2025-06-30T02:00:00Z'), records: records as never };
}

function dataSet(powerLast = 10_000): PulledData {
  // Sales: 100,000 a month in the prior year; 90,000 + 2,000 i in month i of the last year.
  const sales = (month: Month, i: number, prior: boolean) => (prior ? 100_000 : 90_000 + 2_000 * i);
  const tax: DataRecord[] = [
    ...PRIOR12.map((month, i) => ({ source: 'tax' as const, kind: 'tax-month' as const, month, invoicedSales: fen(sales(month, i, true)), taxPaid: fen(1_000) })),
    // 1% tax each month, except an arrears month (2024-08, i = 2).
    ...LAST12.map((month, i) => ({ source: 'tax' as const, kind: 'tax-month' as const, month, invoicedSales: fen(sales(month, i, false)), taxPaid: fen(i === 2 ? 0 : sales(month, i, false) / 100) })),
  ];
  const electricity = [...PRIOR12.map((month) => ({ month, kwh: 10_000 })), ...LAST12.map((month) => ({ month, kwh: powerLast }))].map((r) => ({ source: 'electricity' as const, kind: 'electricity-month' as const, ...r }));
  const water = LAST12.map((month) => ({ source: 'water' as const, kind: 'water-month' as const, month, cubicMetres: 100 }));
  const headcount = LAST12.map((month) => ({ source: 'social-security' as const, kind: 'headcount-month' as const, month, insuredEmployees: 10 }));
  const bureau: DataRecord[] = [
    { source: 'credit-bureau', kind: 'bureau-overdue', subject: 'owner', month: '2023-01' as Month, daysPastDue: 95, amount: fen(3_000) }, // before the 24 months
    { source: 'credit-bureau', kind: 'bureau-overdue', subject: 'owner', month: '2024-03' as Month, daysPastDue: 35, amount: fen(2_000) },
    { source: 'credit-bureau', kind: 'bureau-overdue', subject: 'owner', month: '2025-01' as Month, daysPastDue: 12, amount: fen(1_000) },
    { source: 'credit-bureau', kind: 'bureau-loan', subject: 'enterprise', date: '2024-07-01' as BusinessDate, lender: '城市商业银行', amount: fen(100_000), balance: fen(50_000), maturityOn: '2025-12-31' as BusinessDate, status: 'active' },
    { source: 'credit-bureau', kind: 'bureau-loan', subject: 'owner', date: '2023-07-01' as BusinessDate, lender: '农村商业银行', amount: fen(80_000), balance: fen(0), maturityOn: '2024-07-01' as BusinessDate, status: 'closed' },
  ];
  const courts: DataRecord[] = [
    { source: 'courts', kind: 'lawsuit', date: '2022-01-05' as BusinessDate, caseNumber: 'A', role: 'defendant', cause: 'lease dispute', amount: fen(5_000), status: 'closed' },
    { source: 'courts', kind: 'lawsuit', date: '2024-02-10' as BusinessDate, caseNumber: 'B', role: 'defendant', cause: 'sale contract dispute', amount: fen(40_000), status: 'pending' },
    { source: 'courts', kind: 'lawsuit', date: '2024-05-01' as BusinessDate, caseNumber: 'C', role: 'plaintiff', cause: 'sale contract dispute', amount: fen(9_000), status: 'closed' },
    { source: 'courts', kind: 'dishonest-debtor', date: '2024-01-10' as BusinessDate, removedOn: '2024-12-31' as BusinessDate, court: '人民法院', caseNumber: 'D', amount: fen(60_000) },
  ];
  const registration: DataRecord[] = [
    { source: 'registration', kind: 'registration-change', date: '2024-03-01' as BusinessDate, item: 'address' },
    { source: 'registration', kind: 'administrative-penalty', date: '2024-07-15' as BusinessDate, authority: '市场监督管理局', reason: 'late annual report', amount: fen(2_000) },
    { source: 'registration', kind: 'registration-change', date: '2024-09-01' as BusinessDate, item: 'legal-representative' },
  ];
  return {
    asOf: ASOF,
    sources: {
      tax: source('tax', tax), electricity: source('electricity', electricity), water: source('water', water), 'social-security': source('social-security', headcount),
      'credit-bureau': source('credit-bureau', bureau), courts: source('courts', courts), registration: source('registration', registration),
    },
  };
}

const close = (actual: unknown, expected: number) => assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-12, `${actual} ≈ ${expected}`);

describe('features (三品三表) on a hand-computed data set', () => {
  const set = extractFeatures(FIRM, dataSet(), { collateral: { value: fen(500_000), loanAmount: fen(300_000) } });
  const v = featureValues(set);

  it('products: sales level, trend, volatility and year-on-year growth', () => {
    // Σ (90,000 + 2,000 i), i = 0…11 = 1,080,000 + 2,000 × 66 = 1,212,000; mean 101,000; slope 2,000.
    assert.equal(v.sales_12m_yuan, 1_212_000);
    close(v.sales_trend_12m, 2_000 / 101_000);
    // σ of 0…11 is √((12² − 1) / 12); × 2,000 ÷ 101,000.
    close(v.sales_cv_12m, (2_000 * Math.sqrt(143 / 12)) / 101_000);
    close(v.sales_yoy_growth_12m, 1_212_000 / 1_200_000 - 1); // 1%
    close(v.sales_yoy_growth_3m, (108_000 + 110_000 + 112_000) / 300_000 - 1); // 10%
    assert.equal(v.industry, 'retail');
    assert.equal(v.insured_employees, 10);
    assert.equal(v.insured_employees_trend_12m, 0);
  });

  it('three tables: tax, power and water level, trend, stability; the arrears month', () => {
    assert.equal(v.tax_paid_12m_yuan, 12_120 - 940);
    assert.equal(v.tax_zero_months_12m, 1);
    close(v.tax_to_sales_12m, 11_180 / 1_212_000);
    assert.equal(v.power_kwh_12m, 120_000);
    assert.equal(v.power_trend_12m, 0);
    assert.equal(v.power_cv_12m, 0);
    assert.equal(v.power_yoy_growth_12m, 0);
    assert.equal(v.water_m3_12m, 1_200);
    assert.equal(v.water_cv_12m, 0);
  });

  it('character: bureau history of owner and firm, courts, registration, years in business', () => {
    assert.equal(v.owner_overdue_months_24m, 2);
    assert.equal(v.owner_max_dpd_24m, 35);
    assert.equal(v.enterprise_overdue_months_24m, 0);
    assert.equal(v.enterprise_max_dpd_24m, 0);
    assert.equal(v.bureau_active_loans, 1);
    assert.equal(v.bureau_active_balance_yuan, 50_000);
    assert.equal(v.dishonest_debtor_listed, 0); // removed 2024-12-31
    assert.equal(v.lawsuits_defendant_24m, 1);
    assert.equal(v.lawsuits_pending, 1);
    assert.equal(v.admin_penalties_24m, 1);
    assert.equal(v.registration_changes_12m, 1);
    close(v.years_in_business, 3_653 / 365.25);
  });

  it('collateral: value and loan-to-value', () => {
    assert.equal(v.collateral_value_yuan, 500_000);
    close(v.loan_to_value, 0.6);
  });

  it('cross-checks: declared revenue 1.65 × invoiced sales and 16 declared vs 10 insured are flagged; power matches sales', () => {
    const flagged = Object.fromEntries(set.crossChecks.map((c) => [c.name, c.flagged]));
    assert.deepEqual(flagged, { 'declared-revenue-vs-sales': true, 'sales-growth-vs-power': false, 'declared-employees-vs-insured': true });
    close(v.declared_revenue_to_sales, 2_000_000 / 1_212_000);
    close(v.sales_per_kwh_yoy_change, 0.01);
    assert.equal(v.declared_employees_to_insured, 1.6);
    assert.match(set.crossChecks[0]!.message, /declared revenue is 1\.65 × invoiced sales/);
    assert.equal(set.tolerancesVersion, '2025-01');
  });

  it('sales growth the meter does not show is flagged: sales +1% while power −25% → sales per kWh +34.7%', () => {
    const check = extractFeatures(FIRM, dataSet(7_500)).crossChecks.find((c) => c.name === 'sales-growth-vs-power')!;
    close(check.value, 1.01 / 0.75 - 1);
    assert.equal(check.flagged, true);
    assert.equal(extractFeatures(FIRM, dataSet(8_000)).crossChecks.find((c) => c.name === 'sales-growth-vs-power')!.flagged, false); // +26.25%
  });

  it('keeps provenance: the source, pull, kinds and months or dates each feature used', () => {
    assert.deepEqual(set.features.sales_12m_yuan!.provenance, [{ source: 'tax', pullId: 'pull-tax', kinds: ['tax-month'], periods: LAST12 }]);
    assert.deepEqual(set.features.sales_yoy_growth_12m!.provenance[0]!.periods, [...PRIOR12, ...LAST12]);
    assert.deepEqual(set.features.owner_overdue_months_24m!.provenance, [{ source: 'credit-bureau', pullId: 'pull-credit-bureau', kinds: ['bureau-overdue'], periods: ['2024-03', '2025-01'] }]);
    assert.deepEqual(set.features.lawsuits_defendant_24m!.provenance[0]!.periods, ['2024-02-10']);
    assert.deepEqual(set.features.years_in_business!.provenance, [{ source: 'enterprise', pullId: null, kinds: ['registeredOn'], periods: [] }]);
    assert.deepEqual(set.features.declared_revenue_to_sales!.provenance.map((p) => p.source), ['enterprise', 'tax']);
    assert.equal(set.features.sales_12m_yuan!.unit, 'yuan');
    assert.equal(set.features.sales_12m_yuan!.group, 'products');
  });

  it('missing sources give null features and unchecked cross-checks, never a guess', () => {
    const data = dataSet();
    const partial: PulledData = { asOf: ASOF, sources: { tax: data.sources.tax } };
    const values = featureValues(extractFeatures({ ...FIRM, revenue: null, registeredOn: null }, partial));
    assert.equal(values.power_kwh_12m, null);
    assert.equal(values.owner_overdue_months_24m, null);
    assert.equal(values.dishonest_debtor_listed, null);
    assert.equal(values.years_in_business, null);
    assert.equal(values.loan_to_value, null);
    assert.equal(values.sales_12m_yuan, 1_212_000);
    const checks = extractFeatures(FIRM, partial).crossChecks;
    assert.deepEqual(checks.map((c) => c.flagged), [true, false, false]);
    assert.match(checks[1]!.message, /not checked/);
  });

  it('a young firm: levels annualised from 6+ months, growth needs both years', () => {
    const data = dataSet();
    const young = data.sources.tax!.records.filter((r) => (r as { month: string }).month >= '2024-11'); // 7 months: i = 5…11
    const values = featureValues(extractFeatures(FIRM, { asOf: ASOF, sources: { tax: source('tax', young as DataRecord[]) } }));
    const sum = [5, 6, 7, 8, 9, 10, 11].reduce((s, i) => s + 90_000 + 2_000 * i, 0);
    close(values.sales_12m_yuan, (sum * 12) / 7);
    assert.equal(values.sales_yoy_growth_12m, null);
    close(values.sales_trend_12m, 2_000 / (sum / 7));
  });
});
