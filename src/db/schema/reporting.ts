/** Tables of reporting: the portfolio snapshots end of day writes. */
import type { ColumnType } from 'kysely';
import type { DateColumn, MoneyColumn } from './columns.js';

/** One row per business date closed by end of day and per group (migration 0011). */
export interface PortfolioSnapshotTable {
  business_date: DateColumn;
  dimension: 'total' | 'region' | 'industry' | 'size';
  /** '' for the total; the region code, industry key or size class; 'unknown' when not recorded. */
  key: string;
  /** Counts, not money. */
  loans: bigint;
  borrowers: bigint;
  balance: MoneyColumn;
  overdue_balance: MoneyColumn;
  npl_balance: MoneyColumn;
  provision: MoneyColumn;
  /** numeric, read as a decimal string. */
  rate_weighted: ColumnType<string, string, string>;
  new_loans: bigint;
  new_lending: MoneyColumn;
}

export interface ReportingTables {
  portfolio_snapshot: PortfolioSnapshotTable;
}
