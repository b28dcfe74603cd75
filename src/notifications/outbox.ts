/**
 * The notification outbox (通知发件箱): a notice is a row written by the same transaction as the
 * event it tells of, so a rolled-back repayment leaves no receipt and a committed one always has
 * its receipt. Delivery happens afterwards (`deliver-notices.ts`). The dedupe key makes writing
 * the same notice twice harmless: a reminder for a due date is one row however often the night
 * that wrote it is run.
 *
 * @example
 * await enqueueNotice(trx, { kind: 'repayment-receipt', dedupeKey: `repayment-receipt:${entryId}`, enterpriseId, loanId, businessDate, params: { noteNo, amount: '5000.00', … } });
 */
import { sql, type Kysely, type QueryCreator, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database, NotificationTable } from '../db/schema.js';
import { columnNames, unnestRows } from '../db/unnest-rows.js';
import { uuidv7 } from '../ids.js';
import type { Insertable, Selectable } from 'kysely';
import { NOTICE_AUDIENCE, type NoticeAudience, type NoticeKind, type NoticeStatus } from './notice-kinds.js';
import { noticeText, type NoticeTexts } from './notice-texts.js';

export interface NewNotice {
  readonly kind: NoticeKind;
  /** Unique per notice: `${kind}:${what it is about}` (a loan and due date, a journal entry, an application). */
  readonly dedupeKey: string;
  readonly enterpriseId: string;
  readonly loanId?: string | null;
  readonly businessDate: BusinessDate;
  /** The figures the texts name: money as decimal strings ("5120.00"), dates YYYY-MM-DD. */
  readonly params: Readonly<Record<string, string>>;
}

/** A notice as staff and the portal read it: its texts in both languages and its delivery state. */
export interface NoticeView {
  readonly id: string;
  readonly kind: NoticeKind;
  readonly audience: NoticeAudience;
  readonly enterpriseId: string;
  readonly loanId: string | null;
  readonly businessDate: BusinessDate;
  readonly params: Readonly<Record<string, string>>;
  readonly texts: NoticeTexts;
  readonly status: NoticeStatus;
  readonly attempts: number;
  readonly delivered: readonly string[];
  readonly lastError: string;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
}

/** The row a notice is stored as; for an event written in one statement (`applyForCredit`), as a CTE. */
export function noticeRow(notice: NewNotice, now: Date = new Date()): NoticeRow {
  return {
    id: uuidv7(now.getTime()),
    kind: notice.kind,
    audience: NOTICE_AUDIENCE[notice.kind],
    dedupe_key: notice.dedupeKey,
    enterprise_id: notice.enterpriseId,
    loan_id: notice.loanId ?? null,
    business_date: notice.businessDate,
    params: JSON.stringify(notice.params),
    status: 'pending',
    next_attempt_at: now,
    claimed_until: null,
    created_at: now,
    sent_at: null,
  };
}

/** A notice's row as {@link noticeRow} builds it: every column but those the table defaults. */
export type NoticeRow = Insertable<NotificationTable> & { loan_id: string | null; claimed_until: Date | null; sent_at: Date | null; next_attempt_at: Date; created_at: Date };

/** A notice row's columns and their types, in {@link noticeRow}'s order. */
const NOTICE_COLUMNS = {
  id: 'uuid',
  kind: 'text',
  audience: 'text',
  dedupe_key: 'text',
  enterprise_id: 'uuid',
  loan_id: 'uuid',
  business_date: 'date',
  params: 'jsonb',
  status: 'text',
  next_attempt_at: 'timestamptz',
  claimed_until: 'timestamptz',
  created_at: 'timestamptz',
  sent_at: 'timestamptz',
} as const;

/**
 * The insert of a batch's notice rows (its receipts), one array parameter per column
 * (src/db/unnest-rows.ts); one already written under a key is left as it is. For a CTE alongside
 * the batch's audit: `qc.with('stored_receipts', (db) => storeNoticeRows(db, receipts))`. The
 * batches never run on Citus (group-commit.ts), where a notice goes in its own request's VALUES.
 */
export function storeNoticeRows(db: QueryCreator<Database>, rows: readonly NoticeRow[]) {
  return db
    .insertInto('notification')
    .columns(columnNames(NOTICE_COLUMNS))
    .expression(sql`select * from ${unnestRows(NOTICE_COLUMNS, rows)}`)
    .onConflict((oc) => oc.columns(['dedupe_key', 'enterprise_id']).doNothing());
}

/**
 * Writes notices in the caller's transaction; one already written under a key is left as it is;
 * returns how many were new. `citus`: false when the caller knows the database is not Citus, and then
 * a batch of several goes in as one array parameter per column ({@link storeNoticeRows}), not a
 * VALUES of thirteen parameters a row (the night's notices, a thousand a batch: 60–100 ms less of a
 * million-loan night's close; docs/benchmarks.md, s23c); otherwise, and for one notice, as VALUES,
 * which Citus routes.
 */
export async function enqueueNotices(trx: Transaction<Database> | Kysely<Database>, notices: readonly NewNotice[], citus?: boolean): Promise<number> {
  if (notices.length === 0) return 0;
  const now = new Date();
  const rows = notices.map((notice) => noticeRow(notice, now));
  const result = citus === false && rows.length > 1
    ? await storeNoticeRows(trx, rows).executeTakeFirst()
    : await trx.insertInto('notification').values(rows).onConflict((oc) => oc.columns(['dedupe_key', 'enterprise_id']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** One notice; see {@link enqueueNotices}. */
export async function enqueueNotice(trx: Transaction<Database> | Kysely<Database>, notice: NewNotice): Promise<void> {
  await enqueueNotices(trx, [notice]);
}

/** Most a listing returns. */
export const MAX_NOTICES_LISTED = 500;

/**
 * Notices newest first, filtered; `enterpriseId` with `audience: 'borrower'` is what the portal shows.
 *
 * @example
 * const failed = await listNotices(db, { status: 'failed', limit: 50 });
 */
export async function listNotices(
  db: Kysely<Database> | Transaction<Database>,
  filter: { readonly enterpriseId?: string; readonly loanId?: string; readonly status?: NoticeStatus; readonly kind?: NoticeKind; readonly audience?: NoticeAudience; readonly limit?: number },
): Promise<NoticeView[]> {
  let query = db.selectFrom('notification').selectAll();
  if (filter.enterpriseId !== undefined) query = query.where('enterprise_id', '=', filter.enterpriseId);
  if (filter.loanId !== undefined) query = query.where('loan_id', '=', filter.loanId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.audience !== undefined) query = query.where('audience', '=', filter.audience);
  const rows = await query.orderBy('id', 'desc').limit(Math.min(filter.limit ?? 100, MAX_NOTICES_LISTED)).execute();
  return rows.map(noticeView);
}

/** A stored row as its view (params parsed, texts made). */
export function noticeView(row: Selectable<NotificationTable>): NoticeView {
  const params = (typeof row.params === 'string' ? JSON.parse(row.params) : row.params) as Record<string, string>;
  return {
    id: row.id,
    kind: row.kind,
    audience: row.audience,
    enterpriseId: row.enterprise_id,
    loanId: row.loan_id,
    businessDate: row.business_date,
    params,
    texts: noticeText(row.kind, params),
    status: row.status,
    attempts: row.attempts,
    delivered: row.delivered === '' ? [] : row.delivered.split(','),
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    sentAt: row.sent_at === null ? null : new Date(row.sent_at),
  };
}
