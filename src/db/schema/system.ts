/** Tables of the system itself: applied migrations, the business date, idempotency records. */
import type { Generated } from 'kysely';
import type { DateColumn, JsonColumn, Timestamp } from './columns.js';

export interface SchemaMigrationTable {
  name: string;
  applied_at: Timestamp;
}

export interface SystemStateTable {
  id: number;
  business_date: DateColumn;
  /** Daily `loan_day` rows are kept from this date; before it, month ends only (null: never pruned). */
  loan_history_daily_from: DateColumn | null;
  /** The general provision (一般准备) as basis points of risk assets; 150 = 1.5% (migration 0048). */
  general_provision_bp: Generated<number>;
  /** Years of every night's `loan_day` rows end of day keeps (2–100); null: the retention step is off. */
  loan_history_keep_daily_years: number | null;
  /** The last business date end of day closed; null before the first (migration 0076, src/servicing/lazy-accrual.ts). */
  last_closed_on: DateColumn | null;
  /** The date of an open run whose chunks may leave loan rows unwritten; null when none is (migration 0076). */
  lazy_night: DateColumn | null;
}

export interface IdempotencyRecordTable {
  key: string;
  operation: string;
  request_hash: string;
  response: JsonColumn<unknown>;
  created_at: Timestamp;
}

/** A strict rate-limit bucket's count for one address in its current window (migration 0065). */
export interface RateLimitWindowTable {
  bucket: string;
  address: string;
  started_at: Timestamp;
  count: number;
}

export interface SystemTables {
  rate_limit_window: RateLimitWindowTable;
  schema_migration: SchemaMigrationTable;
  system_state: SystemStateTable;
  idempotency_record: IdempotencyRecordTable;
}
