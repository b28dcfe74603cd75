/**
 * Credit applications and their decision records: every input, feature, score, rule hit, reason
 * and configuration version, so a decision can be explained and replayed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('application')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('product.id'))
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('approved', 'declined', 'referred', 'accepted')`))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('limit_amount', 'bigint', (c) => c.notNull())
    .addColumn('rate_units', 'bigint')
    .addColumn('inputs', 'jsonb', (c) => c.notNull())
    .addColumn('decision', 'jsonb', (c) => c.notNull())
    .addColumn('pull_id', 'uuid')
    .addColumn('line_id', 'uuid', (c) => c.references('credit_line.id'))
    .addColumn('applied_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('application_enterprise_idx').on('application').columns(['enterprise_id']).execute();
  await db.schema.createIndex('application_status_idx').on('application').columns(['status']).execute();
}
