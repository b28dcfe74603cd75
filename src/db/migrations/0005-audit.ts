/**
 * The audit trail: an append-only, hash-chained record of every state change.
 *
 * Events are chained per stream (16 streams, by entity id) rather than in one global chain, so
 * concurrent transactions on different entities do not all queue on one head row; each stream's
 * head row holds its position and latest hash, which also exposes a deleted tail.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_stream')
    .addColumn('stream', 'smallint', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_event')
    .addColumn('stream', 'smallint', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_event_pk', ['stream', 'position'])
    .addCheckConstraint('audit_event_position_positive', sql`position > 0`)
    .execute();
  await db.schema.createIndex('audit_event_entity_idx').on('audit_event').columns(['entity_type', 'entity_id']).execute();
}
