/**
 * Review of referred applications, and batch acquisition.
 *
 * - `application` may now wait for a second approver (`pending-confirmation`), and keeps who
 *   reviewed it, when, and the note (the audit trail has the same, hash-chained).
 * - `prospect_batch`: an imported prospect list (a core enterprise's supply chain, a business
 *   district, a platform) with its pre-screen counts.
 * - `prospect`: one line of the list, its pre-screen result, the indicative limit and reasons.
 * - `data_record_enterprise_idx` goes: records are read by pull (`data_record_pull_idx`), never by
 *   enterprise, and each decision stores about 200 records, so every index on them costs 200
 *   insertions a decision (docs/benchmarks.md).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The column check of 0008 has PostgreSQL's generated name (table_column_check).
  await sql`alter table application drop constraint application_status_check`.execute(db);
  await db.schema
    .alterTable('application')
    .addCheckConstraint('application_status_check', sql`status in ('approved', 'declined', 'referred', 'accepted', 'pending-confirmation')`)
    .execute();
  await db.schema
    .alterTable('application')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('review_note', 'text')
    .execute();

  await db.schema
    .createTable('prospect_batch')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('supply-chain', 'business-district', 'platform')`))
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('pre_approved', 'integer', (c) => c.notNull())
    .addColumn('declined', 'integer', (c) => c.notNull())
    .addColumn('invalid', 'integer', (c) => c.notNull())
    .addColumn('rules_version', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('prospect_batch_counts', sql`total = pre_approved + declined + invalid`)
    .execute();

  await db.schema
    .createTable('prospect')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('batch_id', 'uuid', (c) => c.notNull().references('prospect_batch.id'))
    // Order in the imported list, from 1 (the CSV row or the array position).
    .addColumn('position', 'integer', (c) => c.notNull())
    // As given: an invalid code is kept so the list can be corrected and imported again.
    .addColumn('credit_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pre-approved', 'declined', 'invalid')`))
    .addColumn('indicative_limit', 'bigint')
    .addColumn('reasons', 'jsonb', (c) => c.notNull())
    .addColumn('enterprise_id', 'uuid', (c) => c.references('enterprise.id'))
    .execute();
  await db.schema.dropIndex('data_record_enterprise_idx').ifExists().execute();

  await db.schema.createIndex('prospect_batch_idx').on('prospect').columns(['batch_id', 'position']).execute();
}
