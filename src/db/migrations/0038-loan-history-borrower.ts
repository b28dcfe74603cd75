/**
 * Loan history that reports read alone (issue 15): each `loan_day` row also carries what the
 * reports used to join the 1,000,000-row `loan` table for — the borrower, the credit line the loan
 * was drawn under, its contract principal and its rate — so a report as of D reads one key range
 * of one table (docs/decisions.md, "reports read loan_day alone"). End of day's chunk statement
 * has these in its `RETURNING` already; rows written before this migration are filled from `loan`
 * (none of the four columns changes over a loan's life).
 *
 * And a partial index on `loan.renewed_from_id`: the migration matrix follows loans through their
 * renewals and the renewals report finds a loan's successor; without it each read scans `loan`
 * whole. Only renewals are in it, so end of day's nightly update of every loan does not touch it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('loan_day')
    .addColumn('enterprise_id', 'uuid')
    .addColumn('line_id', 'uuid')
    .addColumn('principal', 'bigint')
    .addColumn('rate_units', 'bigint')
    .execute();
  await sql`update loan_day set enterprise_id = l.enterprise_id, line_id = l.line_id, principal = l.principal, rate_units = l.rate_units
    from loan l where l.id = loan_day.loan_id`.execute(db);
  for (const column of ['enterprise_id', 'principal', 'rate_units']) {
    await db.schema.alterTable('loan_day').alterColumn(column, (c) => c.setNotNull()).execute();
  }
  await db.schema.createIndex('loan_renewed_from_idx').on('loan').column('renewed_from_id').where(sql.ref('renewed_from_id'), 'is not', null).execute();
}
