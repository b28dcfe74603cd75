/**
 * Loan history retention as a step of end of day (issue 15): `system_state.loan_history_keep_daily_years`
 * is how many years of every night's `loan_day` rows end of day keeps (month ends are kept for
 * good); null turns the step off. Default 2, the least the reports need
 * (src/reporting/history-retention.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('system_state')
    .addColumn('loan_history_keep_daily_years', 'integer', (c) => c.defaultTo(2).check(sql`loan_history_keep_daily_years between 2 and 100`))
    .execute();
  await sql`update system_state set loan_history_keep_daily_years = 2`.execute(db);
}
