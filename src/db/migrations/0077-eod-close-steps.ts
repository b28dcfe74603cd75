/**
 * Issue 21: end of day's closing steps in transactions of their own (src/eod/closing-steps.ts).
 *
 * - `eod_close_step`: one row per closing step a run has committed — the debtor-level rules, the
 *   night's notices, the report verdicts, the portfolio snapshot — inserted by the step's own
 *   transaction before its work: a second process closing the same run waits on the row, then
 *   finds it and skips the step, and a step that rolled back left none. `affected`: what the step
 *   counted (the loans the debtor rule moved, the borrowers judged), for the night's audit record.
 * - `loan_overdue_since_idx`: the night's overdue notices read the loans that fell overdue on the
 *   date a thousand at a time in id order; without an index each batch read the loan table
 *   (fifteen reads of it a night on a million loans). Partial: most loans owe nothing overdue.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('eod_close_step')
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('eod_run.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('affected', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('eod_close_step_pk', ['run_id', 'step'])
    .execute();
  await sql`create index loan_overdue_since_idx on loan (overdue_since, id) where overdue_since is not null`.execute(db);
}
