/**
 * Loan history retention (issue 15): `system_state.loan_history_daily_from` is the first date whose
 * daily `loan_day` rows are all kept; before it only month ends are (src/reporting/history-retention.ts).
 * Null: nothing was ever pruned.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('system_state').addColumn('loan_history_daily_from', 'date').execute();
}
