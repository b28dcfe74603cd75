/**
 * Credit contracts (授信合同): what the borrower accepted when an approved offer became a line —
 * the terms as they stood (limit, rate, dates, the product's penalty, allocation and day-count
 * terms), who accepted and when, and a SHA-256 digest over all of it, so a later change to any
 * term or to the signature is detectable (`verifyContract`).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credit_contract')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('contract_no', 'text', (c) => c.notNull().unique())
    .addColumn('application_id', 'uuid', (c) => c.notNull().unique().references('application.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('line_id', 'uuid', (c) => c.notNull().unique().references('credit_line.id'))
    .addColumn('terms', 'jsonb', (c) => c.notNull())
    .addColumn('signed_by', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull().check(sql`length(digest) = 64`))
    .execute();
  await db.schema.createIndex('credit_contract_enterprise_idx').on('credit_contract').column('enterprise_id').execute();
}
