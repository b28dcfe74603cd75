/**
 * The officer's book (issue 14): prospects that are existing customers, prospects converted into
 * applications, and the indexes the paged staff lists sort by.
 *
 * - `prospect.status` gains `existing-customer`: a firm that already has a line, a loan or an
 *   application in progress is flagged, never offered a pre-approval as if new; its batch counts it
 *   in `prospect_batch.existing`.
 * - `prospect.application_id`: the application a prospect was converted into (one at most).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // PostgreSQL names an unnamed column check `<table>_<column>_check` (PGlite is PostgreSQL).
  await sql`alter table prospect drop constraint if exists prospect_status_check`.execute(db);
  await sql`alter table prospect add constraint prospect_status_check check (status in ('pre-approved', 'declined', 'invalid', 'existing-customer'))`.execute(db);
  await db.schema.alterTable('prospect').addColumn('application_id', 'uuid', (c) => c.references('application.id')).execute();
  await db.schema.alterTable('prospect_batch').addColumn('existing', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`alter table prospect_batch drop constraint if exists prospect_batch_counts`.execute(db);
  await sql`alter table prospect_batch add constraint prospect_batch_counts check (total = pre_approved + declined + invalid + existing)`.execute(db);
  await db.schema.createIndex('prospect_enterprise_idx').on('prospect').column('enterprise_id').execute();

  // The staff lists' default orders: the loan book newest first, the queue oldest first.
  await db.schema.createIndex('loan_disbursed_idx').on('loan').columns(['disbursed_on', 'id']).execute();
  await db.schema.createIndex('application_status_date_idx').on('application').columns(['status', 'business_date', 'id']).execute();
}
