/**
 * Report verdicts judged once, at end of day (issue 15, docs/decisions.md "report verdicts stored
 * at the close"):
 * - `borrower_day`: each borrower with loans on the books at the close of a date — its reporting
 *   segment (size class, type, region, industry section), its inclusive (普惠) and foreign-trade
 *   verdicts under the definition in force that night, and the sums of its loans that night — so
 *   a report as of D folds a few hundred thousand narrow rows instead of joining a million loans'
 *   rows to profiles and credit lines;
 * - `new_lending`: each (borrower, disbursement day) of new loans (renewals excluded), judged
 *   inclusive and foreign-trade on that day, once, at the close of the first night on or after it;
 * - `eod_run.verdicts`: the inclusive definition version a night judged under (null: a night
 *   closed before this migration, whose reports recompute as before).
 * Nothing is filled here: the first night after the migration judges every new loan so far, and
 * earlier dates' reports recompute.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('borrower_day')
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull())
    .addColumn('size_class', 'text', (c) => c.notNull())
    .addColumn('borrower_type', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('foreign_trade', 'boolean', (c) => c.notNull())
    .addColumn('inclusive', 'boolean', (c) => c.notNull())
    .addColumn('loans', 'integer', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull())
    .addColumn('overdue', 'bigint', (c) => c.notNull())
    .addColumn('provision', 'bigint', (c) => c.notNull())
    // Σ rate units × balance: up to 10^5 × a borrower's balance, past int8 for the largest borrowers.
    .addColumn('rate_weighted', 'numeric', (c) => c.notNull())
    .addColumn('b0', 'bigint', (c) => c.notNull())
    .addColumn('b1', 'bigint', (c) => c.notNull())
    .addColumn('b2', 'bigint', (c) => c.notNull())
    .addColumn('b3', 'bigint', (c) => c.notNull())
    .addColumn('b4', 'bigint', (c) => c.notNull())
    .addColumn('n0', 'integer', (c) => c.notNull())
    .addColumn('n1', 'integer', (c) => c.notNull())
    .addColumn('n2', 'integer', (c) => c.notNull())
    .addColumn('n3', 'integer', (c) => c.notNull())
    .addColumn('n4', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('borrower_day_pk', ['business_date', 'enterprise_id'])
    .execute();
  await db.schema
    .createTable('new_lending')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('inclusive', 'boolean', (c) => c.notNull())
    .addColumn('foreign_trade', 'boolean', (c) => c.notNull())
    .addColumn('loans', 'integer', (c) => c.notNull())
    .addColumn('principal', 'bigint', (c) => c.notNull())
    .addColumn('weighted', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('new_lending_pk', ['day', 'enterprise_id'])
    .execute();
  await db.schema.alterTable('eod_run').addColumn('verdicts', 'text').execute();
}
