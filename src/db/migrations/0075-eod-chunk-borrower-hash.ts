/**
 * Issue 22: on Citus an end-of-day chunk is one shard's work. A chunk of a run opened on a Citus
 * coordinator holds the loans whose borrower (`enterprise_id`, the distribution column) hashes into
 * a part of one shard's range of `loan`, `borrower_hash_min <= worker_hash(enterprise_id) <=
 * borrower_hash_max` (Citus's hash, inclusive bounds as in `pg_dist_shard`), with no range of ids.
 * Null on a single server and for runs opened before this migration: the chunk is its range of ids
 * alone (src/eod/eod-run.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table eod_chunk add column borrower_hash_min integer`.execute(db);
  await sql`alter table eod_chunk add column borrower_hash_max integer`.execute(db);
}
