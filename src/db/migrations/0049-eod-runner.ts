/**
 * Issue 19: the scheduled end of day (`sprout serve` with a cut-off time). One row is the lease
 * that makes one server the runner however many run (a conditional UPDATE takes it; it expires if
 * its holder dies), and it keeps the last run's outcome for the operations page
 * (src/eod/eod-scheduler.ts). A row, not an advisory lock: the portable subset excludes those.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('eod_runner')
    .addColumn('id', 'smallint', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_started_at', 'timestamptz')
    .addColumn('last_finished_at', 'timestamptz')
    .addColumn('last_outcome', 'text', (c) => c.check(sql`last_outcome in ('running', 'done', 'failed')`))
    .addColumn('last_from', 'date')
    .addColumn('last_until', 'date')
    .addColumn('last_dates_closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
