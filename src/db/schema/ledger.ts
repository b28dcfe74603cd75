/** Tables of the general ledger: the chart of accounts and double-entry journal entries. */
import type { Generated } from 'kysely';
import type { DateColumn, MoneyColumn, Timestamp } from './columns.js';

export interface LedgerAccountTable {
  code: string;
  name: string;
  name_zh: string;
  type: 'asset' | 'liability' | 'equity' | 'income' | 'expense' | 'off-balance';
  /** What Sprout posts to it (`loans-normal`, `interest-income`…); one account per purpose. */
  purpose: string;
}

export interface JournalEntryTable {
  id: string;
  /** The borrower (migration 0071), "the bank" on a bank-level entry (BANK_ENTERPRISE_ID). */
  enterprise_id: string;
  business_date: DateColumn;
  kind: string;
  description: string;
  loan_id: string | null;
  reverses_id: string | null;
  created_by: string;
  created_at: Timestamp;
  /** The settlement account the money went through: a drawdown's or a repayment's (migration 0028). */
  account_id: string | null;
  /** The payment certificate a supply-chain entry posts for (migration 0040). */
  certificate_id: Generated<string | null>;
}

export interface JournalLineTable {
  entry_id: string;
  /** Its entry's (migration 0071). */
  enterprise_id: string;
  line_no: number;
  account_code: string;
  /** Fen; debit positive, credit negative. */
  amount: MoneyColumn;
}

export interface LedgerTables {
  ledger_account: LedgerAccountTable;
  journal_entry: JournalEntryTable;
  journal_line: JournalLineTable;
}
