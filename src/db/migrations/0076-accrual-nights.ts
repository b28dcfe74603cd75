/**
 * Issue 21, lazy accrual (src/servicing/lazy-accrual.ts): the nights a loan's accrual is read as of,
 * kept where every reader can read them in a statement of their own (on Citus `system_state` stays
 * on the coordinator and may not be named beside the distributed `loan`).
 *
 * - `last_closed_on`: the last business date end of day closed. A loan row end of day did not write
 *   is read with its nights up to this one accrued; a business date moved without end of day adds none.
 * - `lazy_night`: the date of an open run whose chunks may leave rows unwritten; a loan whose history
 *   row of that date exists is read as of it. Null when no such run is open.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table system_state add column last_closed_on date`.execute(db);
  await sql`alter table system_state add column lazy_night date`.execute(db);
  await sql`update system_state set last_closed_on = (select max(business_date) from eod_run where status = 'done')`.execute(db);
}
