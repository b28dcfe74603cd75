/**
 * Pulled data stored as one row per pull and source (`data_record_set`) instead of one row per
 * record: a decision's ~200 records become 7 rows, which halved what storing them cost the
 * database (docs/decisions.md). Each element keeps the record's kind, period and payload; the
 * row keeps the source, the pull and the pull time, so every record still has its provenance.
 * Records stored before are moved over, in period order.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('data_record_set')
    .addColumn('pull_id', 'uuid', (c) => c.notNull().references('data_pull.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('record_count', 'integer', (c) => c.notNull().check(sql`record_count >= 0`))
    // [{ kind, period, payload }] in the order the provider's records sort (period, then kind).
    .addColumn('records', 'jsonb', (c) => c.notNull())
    .addColumn('pulled_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_record_set_pk', ['pull_id', 'source'])
    .execute();
  await sql`insert into data_record_set (pull_id, source, enterprise_id, record_count, records, pulled_at)
    select pull_id, source, enterprise_id, cast(count(*) as integer),
           jsonb_agg(jsonb_build_object('kind', kind, 'period', period, 'payload', payload) order by period, kind, id),
           pulled_at
      from data_record group by pull_id, source, enterprise_id, pulled_at`.execute(db);
  await db.schema.dropTable('data_record').execute();
}
