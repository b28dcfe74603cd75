/**
 * Issue 21: end of day's reminders (src/notifications/night-notices.ts) look up the installments
 * falling due on one date, a thousand at a time. Without an index each batch read every
 * installment of the book (a parallel sequential scan of `loan_installment`, about three rows a
 * loan); with it, each batch reads that date's rows alone.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index loan_installment_due_idx on loan_installment (due_on, loan_id)`.execute(db);
}
