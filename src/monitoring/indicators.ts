/**
 * The early-warning indicators (预警指标) of one enterprise on one date, from the records of its
 * latest monitoring pulls and the facts of its own loans. Pure: the monitoring run reads the
 * inputs in a few set-based statements and calls this per enterprise in memory.
 *
 * Each indicator is a number the rule set compares with its thresholds (`rule-set.ts`), with the
 * inputs that made it (kept on the warning, so a person sees why):
 * - falls (`*-mom`, `*-yoy`, `*-vs-approval`): 1 − latest ÷ earlier, 0 when not lower, for power
 *   (kWh), water (m³) and invoiced sales; the latest month is the last whole month before the date,
 *   the approval month the last whole month before the line started; month on month compares one
 *   month with the one before, year on year and against approval three months with three;
 * - `tax-arrears`: months with sales but no tax paid among the last three;
 * - `headcount-fall`: insured employees, latest against three months earlier;
 * - `lawsuit-defendant`: lawsuits against the firm filed in the last 90 days and since the line started;
 * - `dishonest-debtor`: 1 while listed (失信被执行人) and not removed;
 * - `administrative-penalty`: penalties in the last 365 days;
 * - `bureau-overdue`: the most days past due at other lenders (the firm's report) in the last three months;
 * - `own-overdue`, `utilisation-jump`, `circular-use`, `collateral-value`, `authorisation-missing`:
 *   from the bank's own books (`LoanFacts`).
 *
 * @example
 * const values = monitoringIndicators({ asOf: '2026-03-01', approvedOn: '2025-07-01', records, loans });
 * values['electricity-mom']?.value; // 0.62
 */
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import { addMonthsToMonth, monthIndex, monthOf, type DataRecord, type DataSource, type Month } from '../data/data-records.js';
import type { WarningRuleId } from './rule-set.js';

/** The bank's own facts about the enterprise on the date. */
export interface LoanFacts {
  /** Most days past due over its active loans. */
  readonly maxDpd: number;
  /** Sum of its open lines' limits, fen. */
  readonly limit: bigint;
  /** Drawn on those lines (limit − available), fen. */
  readonly drawn: bigint;
  /** Disbursed in the utilisation rule's recent days, fen. */
  readonly recentDrawn: bigint;
  /** Loans that repaid an earlier one at its maturity (see the circular rule). */
  readonly circularLoans: number;
  /** Loan-to-value breaches of its collateral in the last 30 days (`security_event`). */
  readonly ltvBreaches: number;
  /** No authorisation for post-lending monitoring covers the sources due: the sources. */
  readonly unauthorisedSources: readonly DataSource[];
}

export interface IndicatorInput {
  readonly asOf: BusinessDate;
  /** When the line was approved (its start); the level at approval is the month before. */
  readonly approvedOn: BusinessDate;
  /** Records by source: the latest monitoring pull of each (missing: not pulled yet). */
  readonly records: { readonly [S in DataSource]?: readonly DataRecord[] };
  readonly loans: LoanFacts;
  /** The utilisation rule's share of the limit drawn recently. */
  readonly recentShare: number;
}

/** An indicator's value and what it was computed from. */
export interface Indicator {
  readonly value: number;
  readonly inputs: Readonly<Record<string, string | number | null>>;
}

/** Rounds a share to four places, so the recorded value and the threshold compare as people read them. */
function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function fall(latest: number, earlier: number | undefined): number | undefined {
  if (earlier === undefined || earlier <= 0) return undefined;
  return latest >= earlier ? 0 : round4(1 - latest / earlier);
}

/**
 * Every indicator that can be computed from the inputs (an indicator without its data is left out).
 */
export function monitoringIndicators(input: IndicatorInput): Partial<Record<WarningRuleId, Indicator>> {
  const out: Partial<Record<WarningRuleId, Indicator>> = {};
  const latestMonth = addMonthsToMonth(monthOf(input.asOf), -1);
  const approvalMonth = addMonthsToMonth(monthOf(input.approvedOn), -1);

  const series = (source: DataSource, read: (record: DataRecord) => number | undefined): Map<string, number> => {
    const values = new Map<string, number>();
    for (const record of input.records[source] ?? []) {
      const value = read(record);
      if (value !== undefined && 'month' in record) values.set(record.month, value);
    }
    return values;
  };
  const falls = (prefix: 'electricity' | 'water' | 'sales', values: Map<string, number>, unit: string): void => {
    const latest = values.get(latestMonth);
    if (latest === undefined) return;
    const mom = fall(latest, values.get(addMonthsToMonth(latestMonth, -1)));
    if (mom !== undefined) out[`${prefix}-mom`] = { value: mom, inputs: { unit, month: latestMonth, latest, comparedMonth: addMonthsToMonth(latestMonth, -1), compared: values.get(addMonthsToMonth(latestMonth, -1))! } };
    // Year on year and against approval compare three months with three months: one noisy month is no trend.
    const quarter = (end: Month): number | undefined => {
      let sum = 0;
      for (let k = 0; k < 3; k++) {
        const v = values.get(addMonthsToMonth(end, -k));
        if (v === undefined) return undefined;
        sum += v;
      }
      return sum;
    };
    const recent = quarter(latestMonth);
    if (recent === undefined) return;
    const bases: [WarningRuleId, Month][] = [
      [`${prefix}-yoy`, addMonthsToMonth(latestMonth, -12)],
      [`${prefix}-vs-approval`, approvalMonth],
    ];
    for (const [id, month] of bases) {
      // Against approval only once three whole months after it have passed.
      if (id.endsWith('-vs-approval') && monthIndex(month) + 3 > monthIndex(latestMonth)) continue;
      const earlier = quarter(month);
      const value = fall(recent, earlier);
      if (value !== undefined) out[id] = { value, inputs: { unit, months: `${addMonthsToMonth(latestMonth, -2)}..${latestMonth}`, latest: recent, comparedMonths: `${addMonthsToMonth(month, -2)}..${month}`, compared: earlier! } };
    }
  };
  falls('electricity', series('electricity', (r) => (r.kind === 'electricity-month' ? r.kwh : undefined)), 'kWh');
  falls('water', series('water', (r) => (r.kind === 'water-month' ? r.cubicMetres : undefined)), 'm³');
  const tax = input.records.tax;
  falls('sales', series('tax', (r) => (r.kind === 'tax-month' ? Number(r.invoicedSales) : undefined)), 'fen');

  if (tax !== undefined) {
    const lastThree = [0, -1, -2].map((d) => addMonthsToMonth(latestMonth, d));
    const arrears = tax.filter((r) => r.kind === 'tax-month' && lastThree.includes(r.month) && r.invoicedSales > 0n && r.taxPaid === 0n);
    out['tax-arrears'] = { value: arrears.length, inputs: { months: arrears.map((r) => ('month' in r ? r.month : '')).join(',') || null, from: lastThree[2]!, to: latestMonth } };
  }
  const headcount = series('social-security', (r) => (r.kind === 'headcount-month' ? r.insuredEmployees : undefined));
  const nowHeads = headcount.get(latestMonth);
  const earlierMonth = addMonthsToMonth(latestMonth, -3);
  const headFall = nowHeads === undefined ? undefined : fall(nowHeads, headcount.get(earlierMonth));
  if (headFall !== undefined) out['headcount-fall'] = { value: headFall, inputs: { month: latestMonth, insured: nowHeads!, comparedMonth: earlierMonth, compared: headcount.get(earlierMonth)! } };

  const courts = input.records.courts;
  if (courts !== undefined) {
    // New: filed in the last 90 days, and after approval (what was known then was weighed then).
    const recentFrom = addDays(input.asOf, -90);
    const since = recentFrom > input.approvedOn ? recentFrom : input.approvedOn;
    const suits = courts.filter((r) => r.kind === 'lawsuit' && r.role === 'defendant' && r.date >= since && r.date <= input.asOf);
    out['lawsuit-defendant'] = { value: suits.length, inputs: { since, cases: suits.map((r) => (r.kind === 'lawsuit' ? r.caseNumber : '')).join(',') || null } };
    const listing = courts.find((r) => r.kind === 'dishonest-debtor' && r.date <= input.asOf && (r.removedOn === null || r.removedOn > input.asOf));
    out['dishonest-debtor'] = { value: listing === undefined ? 0 : 1, inputs: listing?.kind === 'dishonest-debtor' ? { listedOn: listing.date, court: listing.court, caseNumber: listing.caseNumber } : { listedOn: null } };
  }
  const registration = input.records.registration;
  if (registration !== undefined) {
    const since = addDays(input.asOf, -365);
    const penalties = registration.filter((r) => r.kind === 'administrative-penalty' && r.date > since && r.date <= input.asOf);
    out['administrative-penalty'] = { value: penalties.length, inputs: { since, dates: penalties.map((r) => ('date' in r ? r.date : '')).join(',') || null } };
  }
  const bureau = input.records['credit-bureau'];
  if (bureau !== undefined) {
    const lastThree = [0, -1, -2].map((d) => addMonthsToMonth(latestMonth, d));
    let worst = 0;
    for (const r of bureau) if (r.kind === 'bureau-overdue' && r.subject === 'enterprise' && lastThree.includes(r.month)) worst = Math.max(worst, r.daysPastDue);
    out['bureau-overdue'] = { value: worst, inputs: { from: lastThree[2]!, to: latestMonth, daysPastDue: worst } };
  }

  const loans = input.loans;
  out['own-overdue'] = { value: loans.maxDpd, inputs: { daysPastDue: loans.maxDpd } };
  if (loans.limit > 0n) {
    const utilisation = round4(Number((loans.drawn * 10_000n) / loans.limit) / 10_000);
    const recent = Number((loans.recentDrawn * 10_000n) / loans.limit) / 10_000;
    // Only a jump counts: a line long fully drawn is usage, not a warning sign.
    out['utilisation-jump'] = { value: recent >= input.recentShare ? utilisation : 0, inputs: { limit: loans.limit.toString(), drawn: loans.drawn.toString(), recentDrawn: loans.recentDrawn.toString(), utilisation } };
  }
  out['circular-use'] = { value: loans.circularLoans, inputs: { loans: loans.circularLoans } };
  out['collateral-value'] = { value: loans.ltvBreaches, inputs: { ltvBreaches: loans.ltvBreaches } };
  out['authorisation-missing'] = { value: loans.unauthorisedSources.length > 0 ? 1 : 0, inputs: { sources: loans.unauthorisedSources.join(',') || null } };
  return out;
}
