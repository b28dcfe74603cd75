/** Tables of reporting: the portfolio snapshots end of day writes, and their halves. */
import type { ColumnType } from 'kysely';
import type { DateColumn, MoneyColumn } from './columns.js';
import type { BorrowerHalf } from '../../reporting/book-as-of.js';

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

/**
 * One half of the borrowers' part of a night's snapshot (migration 0078): the rows of
 * `portfolio_snapshot` summed over that half's borrowers (src/reporting/book-as-of.ts `borrowerHalf`),
 * written by the closing step of the half, added up and deleted by the closing step 'snapshot'.
 */
export interface PortfolioSnapshotHalfTable extends PortfolioSnapshotTable {
  half: BorrowerHalf;
}

export interface ReportingTables {
  portfolio_snapshot: PortfolioSnapshotTable;
  portfolio_snapshot_half: PortfolioSnapshotHalfTable;
}
