/**
 * Issue 21: a chunk of end of day records the borrowers of its non-performing loans as it closed
 * them (`npl_borrowers`: the borrower of every loan whose history row of the night it wrote
 * substandard, doubtful or loss; a borrower possibly more than once). The debtor-level rule then
 * starts from these borrowers (src/eod/debtor-contagion.ts) instead of a scan of the night's whole
 * `loan_day` for them. Null for a chunk that did not record them (a run opened before this
 * migration, a chunk done by an older process): the rule reads the history then, as before.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table eod_chunk add column npl_borrowers uuid[]`.execute(db);
}
