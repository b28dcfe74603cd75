/**
 * Issue 19: the notification outbox (src/notifications/). A notice is written in the same
 * transaction as the event it tells of (a decision, a drawdown, a repayment, a warning, the night
 * that bills or finds a loan overdue), so it exists exactly when the event does; a worker delivers
 * it afterwards through the configured channels. `dedupe_key` is unique: a reminder or an overdue
 * notice written again by a rerun of the same night is the same row, so it is sent once.
 * `claimed_until` is a short lease (a conditional UPDATE) so that two servers never deliver the
 * same notice at once; `delivered` lists the channels done, so a retry only repeats the ones that failed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('borrower', 'staff')`))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull())
    .addColumn('loan_id', 'uuid')
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('delivered', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('notification_pending').on('notification').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notification_enterprise').on('notification').columns(['enterprise_id', 'id']).execute();
}
