/** Tables of credit lines (授信) and the signed contracts they came from. */
import type { ColumnType, Generated } from 'kysely';
import type { LineStatus } from '../../lines/credit-lines.js';
import type { DateColumn, MoneyColumn, Timestamp } from './columns.js';

export interface CreditLineTable {
  id: string;
  enterprise_id: string;
  product_id: string;
  limit_amount: MoneyColumn;
  available: MoneyColumn;
  revolving: boolean;
  annual_rate: string;
  start_on: DateColumn;
  end_on: DateColumn;
  status: LineStatus;
  created_at: Timestamp;
  /** An early warning stopped renewal eligibility (migration 0023). */
  renewal_hold: Generated<boolean>;
}

/** The signed contract an accepted offer became (`lines/credit-contracts.ts`). */
export interface CreditContractTable {
  id: string;
  contract_no: string;
  application_id: string;
  enterprise_id: string;
  line_id: string;
  terms: ColumnType<unknown, string, string>;
  signed_by: string;
  signed_at: Timestamp;
  digest: string;
}

/**
 * An enterprise's settlement account under a line (migration 0028): where drawdowns are paid
 * (`disbursement`) and what repayments are debited from (`repayment`). Superseded, never edited.
 */
export interface SettlementAccountTable {
  id: string;
  line_id: string;
  enterprise_id: string;
  purpose: 'disbursement' | 'repayment';
  /** The bank's 12-digit CNAPS code (支付系统行号). */
  bank_code: string;
  bank_name: string;
  /** The account holder's name, the enterprise's. */
  account_name: string;
  account_no: string;
  recorded_by: string;
  recorded_at: Timestamp;
  superseded_at: Timestamp | null;
}

export interface LinesTables {
  credit_line: CreditLineTable;
  credit_contract: CreditContractTable;
  settlement_account: SettlementAccountTable;
}
