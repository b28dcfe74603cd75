/**
 * Write-off (核销), recovery and restructuring on the loan row.
 *
 * A written-off loan's receivables leave the balance sheet; what was written off and what has been
 * recovered since stay on the loan, and in the off-balance memo accounts, until recovery ends.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('loan')
    .addColumn('written_off', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('recovered', 'bigint', (c) => c.notNull().defaultTo(0))
    // Restructured loans stay at least special mention (关注) until this date (observation period).
    .addColumn('restructured_until', 'date')
    .execute();
  await db.schema
    .alterTable('loan')
    .addCheckConstraint('loan_recovered_le_written_off', sql`recovered >= 0 and recovered <= written_off`)
    .execute();
}
