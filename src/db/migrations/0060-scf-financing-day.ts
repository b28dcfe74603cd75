/**
 * Issue 18: supply-chain financing in the regulatory reports. The reports read the book as it
 * stood at the close of a date from history only (`loan_day`); a financing had none. The night's
 * ageing (src/supply-chain/maturity.ts) now writes one `scf_financing_day` row for each financing
 * on the books at the close: its borrower for reporting — the supplier that received the money
 * (`enterprise_id`) — its obligor (the core enterprise), principal, rate, days past due, its own
 * five categories (which follow the core enterprise's exposure), provision and penalty, and the
 * day it was financed. Nothing is filled here: dates closed before this migration report loans
 * only, as they did.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scf_financing_day')
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('financing_id', 'uuid', (c) => c.notNull())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull())
    .addColumn('core_enterprise_id', 'uuid', (c) => c.notNull())
    .addColumn('principal', 'bigint', (c) => c.notNull())
    .addColumn('rate_units', 'bigint', (c) => c.notNull())
    .addColumn('dpd', 'integer', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('provision', 'bigint', (c) => c.notNull())
    .addColumn('penalty_due', 'bigint', (c) => c.notNull())
    .addColumn('financed_on', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('scf_financing_day_pk', ['business_date', 'financing_id'])
    .execute();
  await db.schema.createIndex('scf_financing_day_enterprise_idx').on('scf_financing_day').columns(['business_date', 'enterprise_id']).execute();
}
