/**
 * Loan history and regulatory reporting (issue 15):
 * - `loan_day`: each active loan's balances, days past due, category and provision at the close
 *   of each business date, written by end of day's chunk statement (docs/decisions.md);
 * - the registry's borrower type (企业 / 个体工商户 / 小微企业主), GB/T 4754-2017 industry code and
 *   foreign-trade flag with its evidence and the date it applies from;
 * - `enterprise_profile`: what reports need of a borrower (size class, type, region, industry,
 *   foreign trade), dated, one row per change, so a report as of a past date sees the borrower as it was;
 * - `report_run`: month-end report runs stored with their figures, definition and digest, filed
 *   by maker-checker.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Narrow on purpose: one row per active loan per night. The key leads with the date, so a
  // night's rows go to the right edge of the index and a report as of D reads one key range.
  await db.schema
    .createTable('loan_day')
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('loan_id', 'uuid', (c) => c.notNull())
    .addColumn('principal_not_due', 'bigint', (c) => c.notNull())
    .addColumn('principal_due', 'bigint', (c) => c.notNull())
    .addColumn('interest_accrued', 'bigint', (c) => c.notNull())
    .addColumn('interest_due', 'bigint', (c) => c.notNull())
    .addColumn('penalty_due', 'bigint', (c) => c.notNull())
    .addColumn('dpd', 'integer', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('provision', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('loan_day_pk', ['business_date', 'loan_id'])
    .execute();

  await db.schema
    .alterTable('enterprise')
    .addColumn('borrower_type', 'text', (c) => c.notNull().defaultTo('enterprise').check(sql`borrower_type in ('enterprise', 'individual-business', 'small-business-owner')`))
    .execute();
  await db.schema.alterTable('enterprise').addColumn('industry_code', 'text', (c) => c.check(sql`industry_code ~ '^[A-T][0-9]{2}$'`)).execute();
  await db.schema.alterTable('enterprise').addColumn('foreign_trade_from', 'date').execute();
  await db.schema.alterTable('enterprise').addColumn('foreign_trade_evidence', 'text').execute();

  await db.schema
    .createTable('enterprise_profile')
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('size_class', 'text', (c) => c.notNull())
    .addColumn('borrower_type', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text')
    .addColumn('industry_code', 'text')
    .addColumn('foreign_trade_from', 'date')
    .addPrimaryKeyConstraint('enterprise_profile_pk', ['enterprise_id', 'valid_from'])
    .execute();
  // Enterprises recorded before this migration: their present attributes, from the start.
  await sql`insert into enterprise_profile (enterprise_id, valid_from, size_class, borrower_type, region_code, industry_code, foreign_trade_from)
    select id, cast('1900-01-01' as date), size_class, borrower_type, region_code, industry_code, foreign_trade_from from enterprise`.execute(db);

  await db.schema
    .createTable('report_run')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('as_of', 'date', (c) => c.notNull())
    .addColumn('from_date', 'date')
    .addColumn('definition_version', 'text', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull().check(sql`digest ~ '^[0-9a-f]{64}$'`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'filed')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('filed_by', 'text')
    .addColumn('filed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('report_run_as_of_idx').on('report_run').columns(['report', 'as_of']).execute();
}
