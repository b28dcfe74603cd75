/**
 * Issue 19: scorecards deployed in the database under maker-checker (`scorecard.deploy`): the
 * champion that decides, at most one challenger scored in shadow on every decision, and the
 * retired ones kept for replays. Each carries the training score distribution (decile cuts and
 * counts) that end of day compares the live scores with; each night's population stability of
 * the champion's scores is a row of `model_stability` (src/decision/deployed-models.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scorecard_model')
    // The name the bank gives it ("pd-2026-12").
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The content hash decisions record as versions.model (decide.ts modelId).
    .addColumn('version', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('champion', 'shadow', 'retired')`))
    // The model file's text, not jsonb: its key order is what the version hashes.
    .addColumn('model', 'text', (c) => c.notNull())
    // { cuts: number[], counts: number[] }; null: unknown, no PSI is computed.
    .addColumn('training_scores', 'jsonb')
    .addColumn('deployed_by', 'text', (c) => c.notNull())
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('deployed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('retired_at', 'timestamptz')
    .execute();
  // At most one champion and one shadow at a time.
  await sql`create unique index scorecard_model_one_per_role on scorecard_model (role) where role <> 'retired'`.execute(db);

  await db.schema
    .createTable('model_stability')
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('decisions', 'integer', (c) => c.notNull())
    // The PSI as text with six decimals (portable; read as a number).
    .addColumn('psi', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('stable', 'watch', 'shifted')`))
    .addColumn('watch_at', 'text', (c) => c.notNull())
    .addColumn('warn_at', 'text', (c) => c.notNull())
    .addColumn('bins', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_stability_pk', ['business_date', 'model_id'])
    .execute();
}
