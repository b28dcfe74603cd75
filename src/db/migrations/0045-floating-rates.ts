/**
 * Floating-rate loans (浮动利率): a loan priced as the LPR plus a spread fixed at signing reprices
 * on its repricing date (the anniversary of disbursement, or 1 January, as the contract says) to
 * the LPR then in force. Fixed-rate loans, all loans before this migration, keep `rate_basis`
 * 'fixed' and null repricing columns. Each repricing is recorded with its old and new rate, the
 * LPR it applied, and its effect on the interest still to come.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('loan').addColumn('rate_basis', 'text', (c) => c.notNull().defaultTo('fixed').check(sql`rate_basis in ('fixed', 'floating')`)).execute();
  await db.schema.alterTable('loan').addColumn('lpr_tenor', 'text', (c) => c.check(sql`lpr_tenor in ('1y', '5y')`)).execute();
  // Rate units (percent × 10^4) over the LPR; may be negative (a rate below the LPR is allowed for small firms).
  await db.schema.alterTable('loan').addColumn('spread_units', 'bigint').execute();
  await db.schema.alterTable('loan').addColumn('repricing', 'text', (c) => c.check(sql`repricing in ('anniversary', 'january-first')`)).execute();
  await db.schema.alterTable('loan').addColumn('next_repricing_on', 'date').execute();
  // The nightly step finds the loans due by this index, not by reading the book.
  await db.schema.createIndex('loan_next_repricing_idx').on('loan').column('next_repricing_on').execute();

  await db.schema
    .createTable('loan_repricing')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('loan_id', 'uuid', (c) => c.notNull().references('loan.id'))
    .addColumn('repriced_on', 'date', (c) => c.notNull())
    .addColumn('lpr_tenor', 'text', (c) => c.notNull())
    .addColumn('lpr_rate', 'text', (c) => c.notNull())
    .addColumn('spread_units', 'bigint', (c) => c.notNull())
    .addColumn('old_annual_rate', 'text', (c) => c.notNull())
    .addColumn('new_annual_rate', 'text', (c) => c.notNull())
    .addColumn('old_rate_units', 'bigint', (c) => c.notNull())
    .addColumn('new_rate_units', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // Change in the interest the remaining schedule projects, fen (negative: the borrower pays less).
    .addColumn('interest_effect', 'bigint', (c) => c.notNull())
    .addColumn('next_repricing_on', 'date', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('loan_repricing_once', ['loan_id', 'repriced_on'])
    .execute();
}
