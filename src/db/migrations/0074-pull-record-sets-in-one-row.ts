/**
 * Issue 16, the monitoring night's writes: a pull may keep all its sources' record sets in one
 * column of its own row (`data_pull.record_sets`, JSON text of `{ source: StoredRecord[] }`)
 * instead of one `data_record_set` row per source. The monitoring run stores its pulls this way:
 * at 100,000 borrowers that is 100,000 rows where it was 700,000, with no second index and no
 * foreign-key check per set (the sets are in the pull's own row, so they cannot name another pull).
 * Null for pulls whose sets are in `data_record_set` (every pull before this migration, and the
 * pulls of credit assessment); `loadPulledData` reads both.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table data_pull add column record_sets text`.execute(db);
}
