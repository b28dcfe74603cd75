/**
 * Issue 21: an end-of-day chunk is a range of loan ids (`id_from <= id < id_to`, null: unbounded)
 * instead of a range of shards. Loan ids are UUIDv7, so a range of ids is a run of loans created
 * one after another, stored on neighbouring pages: a chunk reads and writes about a tenth of the
 * pages a shard range scattered over the whole table did (docs/benchmarks.md, "End of day near
 * the floor", s21c). A chunk of a run opened before this migration keeps its shard range and null ids.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table eod_chunk add column id_from uuid`.execute(db);
  await sql`alter table eod_chunk add column id_to uuid`.execute(db);
}
