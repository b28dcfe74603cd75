/**
 * Issue 21: end of day writes every active loan's row every night. With the default fill factor
 * (100) a loan's page has no room for the row's new version, so each night's UPDATE puts it on
 * another page and adds an entry to every one of the loan's nine indexes. At fill factor 50 new
 * pages keep half their space free, so the night's version lands on the same page as a HOT update
 * (no index entries; the previous night's versions are pruned from the page when it is next read
 * short of space, or by vacuum), as long as the night changes no indexed column (it changes `classification`, in the
 * non-performing partial index, only for the few loans whose category moves). Measured in
 * docs/benchmarks.md ("End of day near the floor").
 *
 * Pages already written keep their layout until they are rewritten: on a large existing book run
 * `VACUUM FULL loan` (it locks the table) in a maintenance window to apply it at once.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table loan set (fillfactor = 50)`.execute(db);
}
