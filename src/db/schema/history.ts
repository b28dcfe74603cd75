/**
 * Tables of loan history and regulatory reporting (migration 0018): each loan's balances at the
 * close of each business date, the borrowers' reporting attributes by date, and stored report runs.
 */
import type { Classification } from '../../classification/classification.js';
import type { BorrowerType } from '../../enterprises/borrower-type.js';
import type { SizeTier } from '../../enterprises/size-standard.js';
import type { DateColumn, MoneyColumn, RateUnitsColumn, Timestamp } from './columns.js';

/** One active loan at the close of one business date, as end of day left it. */
export interface LoanDayTable {
  business_date: DateColumn;
  loan_id: string;
  principal_not_due: MoneyColumn;
  principal_due: MoneyColumn;
  interest_accrued: MoneyColumn;
  interest_due: MoneyColumn;
  penalty_due: MoneyColumn;
  dpd: number;
  classification: Classification;
  provision: MoneyColumn;
  /**
   * The loan's borrower, credit line, contract principal and rate (migration 0038), copied by the
   * same statement so a report as of D reads this table alone, never `loan`.
   */
  enterprise_id: string;
  line_id: string | null;
  principal: MoneyColumn;
  rate_units: RateUnitsColumn;
}

/** A borrower's reporting attributes from `valid_from` until the next row. */
export interface EnterpriseProfileTable {
  enterprise_id: string;
  valid_from: DateColumn;
  size_class: SizeTier;
  borrower_type: BorrowerType;
  region_code: string | null;
  /** GB/T 4754-2017 division, e.g. 'C34'. */
  industry_code: string | null;
  foreign_trade_from: DateColumn | null;
}

/** A report as run: its figures (JSON text) never change; only filing sets `status`. */
export interface ReportRunTable {
  id: string;
  report: string;
  as_of: DateColumn;
  from_date: DateColumn | null;
  definition_version: string;
  figures: string;
  digest: string;
  status: 'draft' | 'filed';
  created_by: string;
  created_at: Timestamp;
  filed_by: string | null;
  filed_at: Timestamp | null;
}

/**
 * A borrower with loans on the books at the close of a date, as end of day judged it (migration
 * 0051): its reporting segment, its inclusive and foreign-trade verdicts, and its loans' sums.
 * Written only by SQL (src/reporting/report-verdicts.ts); money columns read as `bigint`.
 */
export interface BorrowerDayTable {
  business_date: DateColumn;
  enterprise_id: string;
  size_class: string;
  borrower_type: string;
  /** Six-digit GB/T 2260 code, or 'unknown'. */
  region_code: string;
  /** GB/T 4754 section letter, or 'unknown'. */
  section: string;
  foreign_trade: boolean;
  inclusive: boolean;
  loans: number;
  balance: MoneyColumn;
  overdue: MoneyColumn;
  provision: MoneyColumn;
  /** numeric: Σ rate units × balance, as text. */
  rate_weighted: string;
  b0: MoneyColumn;
  b1: MoneyColumn;
  b2: MoneyColumn;
  b3: MoneyColumn;
  b4: MoneyColumn;
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
}

/** A borrower's new loans (renewals excluded) of one disbursement day, judged on that day (migration 0051). */
export interface NewLendingTable {
  day: DateColumn;
  enterprise_id: string;
  /** The inclusive definition version `inclusive` was judged under. */
  definition: string;
  inclusive: boolean;
  foreign_trade: boolean;
  loans: number;
  principal: MoneyColumn;
  /** numeric: Σ principal × rate units, as text. */
  weighted: string;
}

/**
 * One supply-chain financing on the books at the close of one business date (migration 0060),
 * written by the night's ageing. For reporting its borrower is the supplier that received the
 * money (`enterprise_id`); its classification is its own, which follows the obligor (the core enterprise).
 */
export interface ScfFinancingDayTable {
  business_date: DateColumn;
  financing_id: string;
  enterprise_id: string;
  core_enterprise_id: string;
  principal: MoneyColumn;
  rate_units: RateUnitsColumn;
  dpd: number;
  classification: Classification;
  provision: MoneyColumn;
  penalty_due: MoneyColumn;
  financed_on: DateColumn;
}

export interface HistoryTables {
  loan_day: LoanDayTable;
  scf_financing_day: ScfFinancingDayTable;
  borrower_day: BorrowerDayTable;
  new_lending: NewLendingTable;
  enterprise_profile: EnterpriseProfileTable;
  report_run: ReportRunTable;
}
