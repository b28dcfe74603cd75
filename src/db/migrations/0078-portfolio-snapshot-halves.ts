/**
 * Issue 21: the portfolio snapshot in halves (src/reporting/portfolio-history.ts).
 *
 * - `portfolio_snapshot_half`: each half of the borrowers' part of the night's snapshot, the same
 *   rows as `portfolio_snapshot` (the total, and each region, industry and size class) summed over
 *   that half's borrowers only, written by the closing step that writes the half's `borrower_day`
 *   rows, in its transaction. Every column is a sum over borrowers, and a borrower is in one half,
 *   so the closing step 'snapshot' adds the two halves' rows up into `portfolio_snapshot` and
 *   deletes them. A half always has its total row (zeros when it has no borrower): the two total
 *   rows say both halves are there; otherwise (a close begun by a version before this migration)
 *   the snapshot is computed whole as before.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('portfolio_snapshot_half')
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('half', 'text', (c) => c.notNull().check(sql`half in ('lower', 'upper')`))
    .addColumn('dimension', 'text', (c) => c.notNull().check(sql`dimension in ('total', 'region', 'industry', 'size')`))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('loans', 'bigint', (c) => c.notNull())
    .addColumn('borrowers', 'bigint', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull())
    .addColumn('overdue_balance', 'bigint', (c) => c.notNull())
    .addColumn('npl_balance', 'bigint', (c) => c.notNull())
    .addColumn('provision', 'bigint', (c) => c.notNull())
    .addColumn('rate_weighted', 'numeric', (c) => c.notNull())
    .addColumn('new_loans', 'bigint', (c) => c.notNull())
    .addColumn('new_lending', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('portfolio_snapshot_half_pk', ['business_date', 'half', 'dimension', 'key'])
    .execute();
}
