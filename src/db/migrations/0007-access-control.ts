/**
 * Login throttling, approval authority, and maker-checker requests.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('app_user')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    // An approver's authority: the largest amount they may approve alone (fen); null = none.
    .addColumn('approval_limit', 'bigint')
    .execute();

  // Maker-checker (四眼原则): an action a second person must confirm before it takes effect.
  await db.schema
    .createTable('approval_request')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('maker', 'text', (c) => c.notNull())
    .addColumn('made_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('checker', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('result', 'jsonb')
    .addCheckConstraint('approval_request_checker_not_maker', sql`checker is null or checker <> maker`)
    .execute();
  await db.schema.createIndex('approval_request_status_idx').on('approval_request').columns(['status', 'kind']).execute();
}
