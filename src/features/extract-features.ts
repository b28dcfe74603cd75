/**
 * Pre-lending features by "three grades and three tables" (三品三表): the owner's character
 * (人品), the products (产品), the collateral (押品); the electricity meter, the water meter and
 * the tax forms (电表、水表、税表) — and the cross-checks between what a firm declares and what
 * the records show. Pure: pulled data and the enterprise record in, named numbers out, each with
 * its provenance (which source, which pull, which record kinds and months or dates it used).
 *
 * Windows: "12m" is the 12 whole months before `data.asOf`'s month (`dataWindow`); "prior 12m"
 * the 12 before those; "24m" both. Money features are yuan as JS numbers, named `_yuan`.
 * Formulas, units and tolerances: docs/features.md.
 *
 * @example
 * const set = extractFeatures(enterprise, await loadPulledData(db, enterprise.id));
 * set.features.sales_12m_yuan.value; // 1446577.31
 * set.crossChecks.filter((c) => c.flagged).map((c) => c.name); // ['declared-revenue-vs-sales']
 */
import { daysBetween, type BusinessDate } from '../calendar/index.js';
import type { Enterprise } from '../enterprises/enterprises.js';
import type { Minor } from '../money/index.js';
import {
  dataWindow,
  recordPeriod,
  type DataRecord,
  type DataSource,
  type Month,
  type PulledData,
  type SourceData,
} from '../data/data-records.js';
import { toleranceFor, type CrossCheckTolerances } from './cross-check-tolerances.js';
import type { CrossCheckId, FeatureName } from './feature-names.js';
import { coefficientOfVariation, growth, relativeSlope } from './series.js';

/** Where a feature's value came from. */
export interface Provenance {
  /** A data source, or 'enterprise' (the registry record), or 'application' (given with the request). */
  readonly source: DataSource | 'enterprise' | 'application';
  /** The stored pull, for data sources; null otherwise or for unstored data. */
  readonly pullId: string | null;
  /** Record kinds (or enterprise fields) used. */
  readonly kinds: readonly string[];
  /** Months or dates of the records used, in order. */
  readonly periods: readonly string[];
}

export type FeatureGroup = 'character' | 'products' | 'collateral' | 'three-tables' | 'cross-check';

/** One feature. `value` is null when the data to compute it is missing. */
export interface Feature {
  readonly name: FeatureName;
  readonly group: FeatureGroup;
  readonly value: number | string | null;
  /** 'yuan', 'kWh', 'm³', 'count', 'days', 'years', 'ratio', 'per month', 'flag', 'category'. */
  readonly unit: string;
  readonly provenance: readonly Provenance[];
}

/** A cross-check: the measured value, the tolerance, and whether it is exceeded. */
export interface CrossCheck {
  readonly name: CrossCheckId;
  /** Null when the data to check is missing (not flagged, but not passed either). */
  readonly value: number | null;
  readonly tolerance: number;
  readonly flagged: boolean;
  readonly message: string;
  readonly provenance: readonly Provenance[];
}

export interface FeatureSet {
  readonly asOf: BusinessDate;
  readonly tolerancesVersion: string;
  readonly features: Readonly<Record<string, Feature>>;
  readonly crossChecks: readonly CrossCheck[];
}

/** The registry fields features use (an `Enterprise` will do). */
export type FeatureEnterprise = Pick<Enterprise, 'industry' | 'registeredOn' | 'revenue' | 'employees'>;

/** Facts given with an application rather than pulled. */
export interface FeatureOptions {
  /** Appraised collateral value (fen) and the loan amount asked for (fen), when secured. */
  readonly collateral?: { readonly value: Minor; readonly loanAmount?: Minor | null } | null;
  readonly tolerances?: CrossCheckTolerances;
}

/** Fewest months in a 12-month window for a level (annualised), trend or volatility. */
export const MIN_MONTHS = 6;

/**
 * Computes every feature and cross-check. See docs/features.md for each formula.
 *
 * @example
 * const { features } = extractFeatures(firm, data, { collateral: { value: minor(500_000_00n), loanAmount: minor(300_000_00n) } });
 * features.loan_to_value.value; // 0.6
 */
export function extractFeatures(enterprise: FeatureEnterprise, data: PulledData, options: FeatureOptions = {}): FeatureSet {
  const asOf = data.asOf;
  const last12 = dataWindow(asOf, 12);
  const prior12 = dataWindow(asOf, 24).slice(0, 12);
  const last24 = dataWindow(asOf, 24);
  const tolerances = options.tolerances ?? toleranceFor(asOf);
  const features: Record<string, Feature> = {};
  const add = (name: FeatureName, group: FeatureGroup, value: number | string | null, unit: string, provenance: readonly Provenance[]): Feature => {
    const feature = { name, group, value: typeof value === 'number' && !Number.isFinite(value) ? null : value, unit, provenance };
    features[name] = feature;
    return feature;
  };

  // ---- character (人品) -----------------------------------------------------------------------
  const bureau = data.sources['credit-bureau'];
  for (const subject of ['owner', 'enterprise'] as const) {
    const overdue = pick(bureau, (r) => r.kind === 'bureau-overdue' && r.subject === subject && inMonths(r.month, last24));
    const months = new Set(overdue.map((r) => (r as { month: string }).month));
    add(`${subject}_overdue_months_24m`, 'character', bureau ? months.size : null, 'count', prov(bureau, overdue));
    add(`${subject}_max_dpd_24m`, 'character', bureau ? overdue.reduce((m, r) => Math.max(m, (r as { daysPastDue: number }).daysPastDue), 0) : null, 'days', prov(bureau, overdue));
  }
  const activeLoans = pick(bureau, (r) => r.kind === 'bureau-loan' && r.status === 'active');
  add('bureau_active_loans', 'character', bureau ? activeLoans.length : null, 'count', prov(bureau, activeLoans));
  add('bureau_active_balance_yuan', 'character', bureau ? yuan(activeLoans.reduce((s, r) => s + (r as { balance: bigint }).balance, 0n)) : null, 'yuan', prov(bureau, activeLoans));

  const courts = data.sources.courts;
  const listings = pick(courts, (r) => r.kind === 'dishonest-debtor' && r.date <= asOf && (r.removedOn === null || r.removedOn > asOf));
  add('dishonest_debtor_listed', 'character', courts ? (listings.length > 0 ? 1 : 0) : null, 'flag', prov(courts, listings));
  const from24 = `${last24[0]!}-01`;
  const defendant = pick(courts, (r) => r.kind === 'lawsuit' && r.role === 'defendant' && r.date >= from24 && r.date <= asOf);
  add('lawsuits_defendant_24m', 'character', courts ? defendant.length : null, 'count', prov(courts, defendant));
  const pending = pick(courts, (r) => r.kind === 'lawsuit' && r.role === 'defendant' && r.status === 'pending');
  add('lawsuits_pending', 'character', courts ? pending.length : null, 'count', prov(courts, pending));

  const registration = data.sources.registration;
  const penalties = pick(registration, (r) => r.kind === 'administrative-penalty' && r.date >= from24 && r.date <= asOf);
  add('admin_penalties_24m', 'character', registration ? penalties.length : null, 'count', prov(registration, penalties));
  const from12 = `${last12[0]!}-01`;
  const changes = pick(registration, (r) => r.kind === 'registration-change' && r.date >= from12 && r.date <= asOf);
  add('registration_changes_12m', 'character', registration ? changes.length : null, 'count', prov(registration, changes));
  add('years_in_business', 'character', enterprise.registeredOn === null ? null : daysBetween(enterprise.registeredOn, asOf) / 365.25, 'years', enterpriseProv(['registeredOn']));

  // ---- products (产品) ------------------------------------------------------------------------
  add('industry', 'products', enterprise.industry, 'category', enterpriseProv(['industry']));
  const tax = data.sources.tax;
  const sales = series(tax, last12, (r) => yuan((r as { invoicedSales: bigint }).invoicedSales));
  const salesPrior = series(tax, prior12, (r) => yuan((r as { invoicedSales: bigint }).invoicedSales));
  const sales12 = annualised(sales.values);
  add('sales_12m_yuan', 'products', sales12, 'yuan', [sales.provenance]);
  add('sales_trend_12m', 'products', relativeSlope(sales.values, MIN_MONTHS), 'per month', [sales.provenance]);
  add('sales_cv_12m', 'products', coefficientOfVariation(sales.values, MIN_MONTHS), 'ratio', [sales.provenance]);
  const salesGrowth = yoy(sales, salesPrior, 12);
  add('sales_yoy_growth_12m', 'products', salesGrowth.value, 'ratio', salesGrowth.provenance);
  const sales3 = series(tax, last12.slice(9), (r) => yuan((r as { invoicedSales: bigint }).invoicedSales));
  const sales3Prior = series(tax, prior12.slice(9), (r) => yuan((r as { invoicedSales: bigint }).invoicedSales));
  const growth3 = yoy(sales3, sales3Prior, 3);
  add('sales_yoy_growth_3m', 'products', growth3.value, 'ratio', growth3.provenance);
  const insured = series(data.sources['social-security'], last12, (r) => (r as { insuredEmployees: number }).insuredEmployees);
  const latestInsured = insured.values.length > 0 ? insured.values[insured.values.length - 1]! : null;
  add('insured_employees', 'products', latestInsured, 'count', [{ ...insured.provenance, periods: insured.provenance.periods.slice(-1) }]);
  add('insured_employees_trend_12m', 'products', relativeSlope(insured.values, MIN_MONTHS), 'per month', [insured.provenance]);

  // ---- collateral (押品) ----------------------------------------------------------------------
  const collateral = options.collateral ?? null;
  const application: Provenance[] = collateral ? [{ source: 'application', pullId: null, kinds: ['collateral'], periods: [] }] : [];
  add('collateral_value_yuan', 'collateral', collateral ? yuan(collateral.value) : null, 'yuan', application);
  const ltv = collateral && collateral.loanAmount != null && collateral.value > 0n ? Number(collateral.loanAmount) / Number(collateral.value) : null;
  add('loan_to_value', 'collateral', ltv, 'ratio', application);

  // ---- three tables (三表): power, water, tax -------------------------------------------------
  const power = series(data.sources.electricity, last12, (r) => (r as { kwh: number }).kwh);
  const powerPrior = series(data.sources.electricity, prior12, (r) => (r as { kwh: number }).kwh);
  add('power_kwh_12m', 'three-tables', annualised(power.values), 'kWh', [power.provenance]);
  add('power_trend_12m', 'three-tables', relativeSlope(power.values, MIN_MONTHS), 'per month', [power.provenance]);
  add('power_cv_12m', 'three-tables', coefficientOfVariation(power.values, MIN_MONTHS), 'ratio', [power.provenance]);
  const powerGrowth = yoy(power, powerPrior, 12);
  add('power_yoy_growth_12m', 'three-tables', powerGrowth.value, 'ratio', powerGrowth.provenance);

  const water = series(data.sources.water, last12, (r) => (r as { cubicMetres: number }).cubicMetres);
  add('water_m3_12m', 'three-tables', annualised(water.values), 'm³', [water.provenance]);
  add('water_trend_12m', 'three-tables', relativeSlope(water.values, MIN_MONTHS), 'per month', [water.provenance]);
  add('water_cv_12m', 'three-tables', coefficientOfVariation(water.values, MIN_MONTHS), 'ratio', [water.provenance]);

  const taxPaid = series(tax, last12, (r) => yuan((r as { taxPaid: bigint }).taxPaid));
  const taxPaid12 = annualised(taxPaid.values);
  add('tax_paid_12m_yuan', 'three-tables', taxPaid12, 'yuan', [taxPaid.provenance]);
  add('tax_trend_12m', 'three-tables', relativeSlope(taxPaid.values, MIN_MONTHS), 'per month', [taxPaid.provenance]);
  add('tax_cv_12m', 'three-tables', coefficientOfVariation(taxPaid.values, MIN_MONTHS), 'ratio', [taxPaid.provenance]);
  add('tax_zero_months_12m', 'three-tables', tax ? taxPaid.values.filter((v) => v === 0).length : null, 'count', [taxPaid.provenance]);
  add('tax_to_sales_12m', 'three-tables', taxPaid12 !== null && sales12 !== null && sales12 > 0 ? taxPaid12 / sales12 : null, 'ratio', [taxPaid.provenance]);

  // ---- cross-checks (交叉验证) ----------------------------------------------------------------
  const crossChecks: CrossCheck[] = [];
  const declaredRevenue = enterprise.revenue === null ? null : yuan(enterprise.revenue);
  const revenueRatio = declaredRevenue !== null && sales12 !== null && sales12 > 0 ? declaredRevenue / sales12 : null;
  const revenueProv = [...enterpriseProv(['revenue']), sales.provenance];
  add('declared_revenue_to_sales', 'cross-check', revenueRatio, 'ratio', revenueProv);
  crossChecks.push(check('declared-revenue-vs-sales', revenueRatio, tolerances.declaredRevenueToSales, revenueProv,
    (v) => `declared revenue is ${v.toFixed(2)} × invoiced sales of the last 12 months (tolerance ${tolerances.declaredRevenueToSales})`));

  const salesPerKwhChange = salesGrowth.value !== null && powerGrowth.value !== null && powerGrowth.value > -1 ? (1 + salesGrowth.value) / (1 + powerGrowth.value) - 1 : null;
  const growthProv = [...salesGrowth.provenance, ...powerGrowth.provenance];
  add('sales_per_kwh_yoy_change', 'cross-check', salesPerKwhChange, 'ratio', growthProv);
  crossChecks.push(check('sales-growth-vs-power', salesPerKwhChange, tolerances.salesGrowthOverPower, growthProv,
    (v) => `invoiced sales per kWh changed ${(v * 100).toFixed(1)}% year on year: sales growth ${pct(salesGrowth.value)} against power ${pct(powerGrowth.value)} (tolerance +${tolerances.salesGrowthOverPower * 100}%)`));

  const declaredEmployees = enterprise.employees;
  // Against at least one insured person, so that "20 declared, none insured" is a finite 20.
  const employeeRatio = declaredEmployees !== null && latestInsured !== null ? declaredEmployees / Math.max(1, latestInsured) : null;
  const employeeProv = [...enterpriseProv(['employees']), ...features.insured_employees!.provenance];
  add('declared_employees_to_insured', 'cross-check', employeeRatio, 'ratio', employeeProv);
  const employeeCheck = check('declared-employees-vs-insured', employeeRatio, tolerances.declaredEmployeesToInsured, employeeProv,
    () => `declared ${declaredEmployees} employees, ${latestInsured} insured (tolerance ${tolerances.declaredEmployeesToInsured} × and at least ${tolerances.declaredEmployeesExcess} more)`);
  crossChecks.push({ ...employeeCheck, flagged: employeeCheck.flagged && declaredEmployees! - latestInsured! >= tolerances.declaredEmployeesExcess });

  return { asOf, tolerancesVersion: tolerances.version, features, crossChecks };
}

/**
 * The features as a flat row (name → value), e.g. for a scorecard or a CSV of training data.
 *
 * @example
 * featureValues(set).sales_cv_12m; // 0.18
 */
export function featureValues(set: FeatureSet): Record<string, number | string | null> {
  return Object.fromEntries(Object.values(set.features).map((f) => [f.name, f.value]));
}

// ---- helpers ----------------------------------------------------------------------------------

function yuan(fen: bigint): number {
  return Number(fen) / 100;
}

function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function inMonths(month: string, window: readonly string[]): boolean {
  return month >= window[0]! && month <= window[window.length - 1]!;
}

function pick<S extends DataSource>(data: SourceData<S> | undefined, keep: (record: SourceData<S>['records'][number]) => boolean): DataRecord[] {
  return data === undefined ? [] : (data.records.filter(keep) as DataRecord[]);
}

function prov(data: SourceData | undefined, used: readonly DataRecord[]): Provenance[] {
  if (data === undefined) return [];
  return [{ source: data.source, pullId: data.pullId, kinds: [...new Set(used.map((r) => r.kind))].sort(), periods: used.map(recordPeriod) }];
}

function enterpriseProv(fields: readonly string[]): Provenance[] {
  return [{ source: 'enterprise', pullId: null, kinds: fields, periods: [] }];
}

interface Series {
  /** Values of the months present, in month order. */
  readonly values: readonly number[];
  readonly months: readonly Month[];
  readonly provenance: Provenance;
}

/** The monthly values of a source over `window`, skipping months with no record. */
function series(data: SourceData | undefined, window: readonly Month[], value: (record: DataRecord) => number): Series {
  const byMonth = new Map<string, DataRecord>();
  for (const record of data?.records ?? []) if ('month' in record && !('subject' in record)) byMonth.set(record.month, record);
  const months: Month[] = [];
  const values: number[] = [];
  for (const month of window) {
    const record = byMonth.get(month);
    if (record === undefined) continue;
    months.push(month);
    values.push(value(record));
  }
  const kind = data?.records.find((r) => 'month' in r)?.kind;
  return { values, months, provenance: { source: data?.source ?? 'tax', pullId: data?.pullId ?? null, kinds: kind ? [kind] : [], periods: months } };
}

/** Sum over the window, scaled to 12 months when fewer (at least {@link MIN_MONTHS}) are present. */
function annualised(values: readonly number[]): number | null {
  if (values.length < MIN_MONTHS) return null;
  const sum = values.reduce((a, b) => a + b, 0);
  return values.length === 12 ? sum : (sum * 12) / values.length;
}

/** Same months year on year: needs every month of both windows. */
function yoy(current: Series, prior: Series, months: number): { value: number | null; provenance: Provenance[] } {
  if (current.values.length < months || prior.values.length < months) return { value: null, provenance: [current.provenance, prior.provenance] };
  const sum = (s: Series): number => s.values.reduce((a, b) => a + b, 0);
  const provenance = [{ ...current.provenance, periods: [...prior.months, ...current.months] }];
  return { value: growth(sum(current), sum(prior)), provenance };
}

function check(name: CrossCheck['name'], value: number | null, tolerance: number, provenance: readonly Provenance[], describe: (value: number) => string): CrossCheck {
  if (value === null) return { name, value, tolerance, flagged: false, message: `not checked: data missing`, provenance };
  return { name, value, tolerance, flagged: value > tolerance, message: describe(value), provenance };
}
