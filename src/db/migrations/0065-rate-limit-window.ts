/**
 * Issue 21: the strict rate-limit buckets (logging in, registering) counted in the database, so
 * that several server processes (`sprout serve --workers N`) and several machines share one count
 * per address instead of each allowing the limit. One row per bucket and address: the start of
 * its current window and the requests counted in it, moved by one upsert per request.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_window')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_window_pk', ['bucket', 'address'])
    .execute();
}
