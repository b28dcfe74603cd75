/**
 * The portfolio's daily snapshots, written by end of day when it closes a date: the book in total
 * and by region, industry and size class, so the dashboard can draw the portfolio over time
 * without replaying history.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('portfolio_snapshot')
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull().check(sql`dimension in ('total', 'region', 'industry', 'size')`))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('loans', 'bigint', (c) => c.notNull())
    .addColumn('borrowers', 'bigint', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull())
    .addColumn('overdue_balance', 'bigint', (c) => c.notNull())
    .addColumn('npl_balance', 'bigint', (c) => c.notNull())
    .addColumn('provision', 'bigint', (c) => c.notNull())
    // Σ rate_units × outstanding: can pass int8 on a large book, so numeric (exact).
    .addColumn('rate_weighted', 'numeric', (c) => c.notNull())
    .addColumn('new_loans', 'bigint', (c) => c.notNull())
    .addColumn('new_lending', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('portfolio_snapshot_pk', ['business_date', 'dimension', 'key'])
    .execute();
}
