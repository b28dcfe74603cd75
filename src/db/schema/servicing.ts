/** Tables of loan servicing: loans with their running balances, installments, renewal requests. */
import type { ColumnType, Generated } from 'kysely';
import type { LprTenor } from '../../pricing/lpr.js';
import type { RateUnits } from '../../pricing/rate-units.js';
import type { RepricingRule } from '../../servicing/repricing.js';
import type { Classification } from '../../classification/classification.js';
import type { Minor } from '../../money/minor.js';
import type { BusinessDate } from '../../calendar/business-date.js';
import type { LoanStatus } from '../../servicing/loans.js';
import type { DateColumn, MoneyColumn, RateUnitsColumn, Timestamp } from './columns.js';

export interface LoanTable {
  id: string;
  enterprise_id: string;
  product_id: string;
  line_id: string | null;
  renewed_from_id: string | null;
  shard: number;
  status: LoanStatus;
  disbursed_on: DateColumn;
  maturity_on: DateColumn;
  principal: MoneyColumn;
  /** Percent per year as the contract states it ("4.35"). */
  annual_rate: string;
  rate_units: RateUnitsColumn;
  penalty_rate_units: RateUnitsColumn;
  compound_rate_units: RateUnitsColumn;
  days_in_year: number;
  working_capital: boolean;
  allocation_order: string;
  principal_not_due: MoneyColumn;
  principal_due: MoneyColumn;
  interest_accrued: MoneyColumn;
  interest_due: MoneyColumn;
  penalty_due: MoneyColumn;
  /** What daily accrual carries to the next day: a numerator over days in year × 10^6, not fen. */
  interest_remainder: bigint;
  penalty_remainder: bigint;
  next_due_on: DateColumn | null;
  next_due_principal: MoneyColumn;
  overdue_since: DateColumn | null;
  dpd: number;
  classification: Classification;
  provision: MoneyColumn;
  last_eod_on: DateColumn | null;
  created_at: Timestamp;
  /** Fen written off (核销) and recovered since; recovered ≤ written_off. */
  written_off: Generated<Minor>;
  recovered: Generated<Minor>;
  /** End of the observation period of a restructured loan: at least special mention until then. */
  restructured_until: DateColumn | null;
  /** Since when an early warning holds the loan at least special mention (migration 0023); null: none. */
  watch_since: Generated<BusinessDate | null>;
  /** How the principal was amortised when drawn (migration 0027); null on older loans: the product's method. */
  amortization: string | null;
  /** The loan note number (借据号) people read, "JJ20260115-00042" (migration 0032; `loan-note-number.ts`). */
  note_no: string;
  /** 'floating': LPR + `spread_units`, repriced on `next_repricing_on` (migration 0045). */
  rate_basis: Generated<'fixed' | 'floating'>;
  /**
   * 'scheduled' (migration 0057): end of day bills the booked installments' interest (flat
   * interest, interest grace); 'daily': the daily accrual on the balance.
   */
  interest_basis: Generated<'daily' | 'scheduled'>;
  /** A 'scheduled' loan's next installment with interest and that interest; null/0: none left. */
  next_interest_on: Generated<BusinessDate | null>;
  next_interest: Generated<Minor>;
  lpr_tenor: Generated<LprTenor | null>;
  spread_units: Generated<RateUnits | null>;
  repricing: Generated<RepricingRule | null>;
  next_repricing_on: Generated<BusinessDate | null>;
}

/** The last loan note number given out per disbursement date (migration 0032). */
export interface LoanNoteCounterTable {
  day: DateColumn;
  last: number;
}

/** One repricing of a floating-rate loan (migration 0045). */
export interface LoanRepricingTable {
  id: string;
  loan_id: string;
  /** The borrower, its parent's (migration 0071): the distribution column on Citus. */
  enterprise_id: string;
  repriced_on: DateColumn;
  lpr_tenor: LprTenor;
  lpr_rate: string;
  spread_units: RateUnitsColumn;
  old_annual_rate: string;
  new_annual_rate: string;
  old_rate_units: RateUnitsColumn;
  new_rate_units: RateUnitsColumn;
  reason: string;
  interest_effect: ColumnType<Minor, Minor, Minor>;
  next_repricing_on: DateColumn;
  created_by: string;
  created_at: Timestamp;
}

export interface LoanInstallmentTable {
  loan_id: string;
  /** The borrower, its parent's (migration 0071): the distribution column on Citus. */
  enterprise_id: string;
  number: number;
  due_on: DateColumn;
  principal: MoneyColumn;
  interest: MoneyColumn;
}

export interface RenewalRequestTable {
  id: string;
  loan_id: string;
  enterprise_id: string;
  term_days: number | null;
  installments: number | null;
  note: string;
  status: 'pending' | 'renewed' | 'refused';
  requested_by: string;
  requested_at: Timestamp;
  business_date: DateColumn;
  settled_by: string | null;
  new_loan_id: string | null;
}

export interface ServicingTables {
  loan: LoanTable;
  loan_note_counter: LoanNoteCounterTable;
  loan_installment: LoanInstallmentTable;
  loan_repricing: LoanRepricingTable;
  renewal_request: RenewalRequestTable;
}
