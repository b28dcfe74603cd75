/** The notification outbox (migration 0058, `src/notifications/`). */
import type { Generated } from 'kysely';
import type { NoticeAudience, NoticeKind, NoticeStatus } from '../../notifications/notice-kinds.js';
import type { DateColumn, JsonColumn, Timestamp } from './columns.js';

/** One notice, written with its event; delivered afterwards by the worker (`deliver-notices.ts`). */
export interface NotificationTable {
  id: string;
  kind: NoticeKind;
  audience: NoticeAudience;
  /** Unique: the same reminder or notice written twice is one row (a rerun of a night sends nothing again). */
  dedupe_key: string;
  enterprise_id: string;
  loan_id: string | null;
  business_date: DateColumn;
  /** The figures the texts are made from: money as decimal strings, dates as YYYY-MM-DD. */
  params: JsonColumn<Record<string, string>>;
  status: NoticeStatus;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  claimed_until: Timestamp | null;
  /** The channels that have delivered it, comma-separated. */
  delivered: Generated<string>;
  last_error: Generated<string>;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface NotificationTables {
  notification: NotificationTable;
}
