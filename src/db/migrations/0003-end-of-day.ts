/**
 * End of day (日终批处理): a run per business date, split into chunks of loan shards that any
 * number of workers (threads of one process, or several processes) claim and process.
 *
 * Claims are plain rows: a worker takes a chunk with an atomic conditional UPDATE (status
 * 'pending', or 'claimed' with an expired lease) rather than an advisory lock, which the portable
 * subset excludes. See src/eod/.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('eod_run')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // One run per business date: two processes starting the same date meet on this key.
    .addColumn('business_date', 'date', (c) => c.notNull().unique())
    .addColumn('shards_per_chunk', 'integer', (c) => c.notNull().check(sql`shards_per_chunk > 0`))
    .addColumn('chunk_count', 'integer', (c) => c.notNull().check(sql`chunk_count > 0`))
    // The classification rules' version the run applied (src/classification/rules.ts).
    .addColumn('rules_version', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'done')`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('eod_chunk')
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('eod_run.id'))
    .addColumn('chunk_no', 'integer', (c) => c.notNull())
    // Shards shard_from <= shard < shard_to.
    .addColumn('shard_from', 'integer', (c) => c.notNull())
    .addColumn('shard_to', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'claimed', 'done')`))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('done_at', 'timestamptz')
    // What the chunk did, for the run's summary (filled in the chunk's own transaction).
    .addColumn('loans', 'integer', (c) => c.notNull())
    .addColumn('interest', 'bigint', (c) => c.notNull())
    .addColumn('penalty', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('eod_chunk_pk', ['run_id', 'chunk_no'])
    .addCheckConstraint('eod_chunk_shards', sql`shard_from >= 0 and shard_from < shard_to and shard_to <= 1024`)
    .execute();

  // The debtor-level rule starts from the borrowers that have a non-performing loan: few, so a
  // small partial index finds them without scanning every loan.
  await sql`create index loan_npl_enterprise_idx on loan (enterprise_id)
    where status = 'active' and classification in ('substandard', 'doubtful', 'loss')`.execute(db);
}
