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

export interface LinesTables {
  credit_line: CreditLineTable;
  credit_contract: CreditContractTable;
}
