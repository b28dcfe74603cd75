/**
 * Who may act for a firm, and how logins are throttled.
 *
 * - `binding_evidence`: why a borrower's binding to an enterprise (`user_enterprise`) holds — the
 *   registry's legal representative matched by an identity check, an account manager's
 *   verification approved by a second person, or an administrator at the shell. A binding without
 *   evidence is one made before this migration ("legacy"), listed as such for review.
 * - `binding_contest`: a person who says a firm was claimed by someone else; an account manager
 *   resolves it, and upholding it (unbinding the holder) is a maker-checker request.
 * - `login_throttle`: failed logins per (username, client address) with their back-off, so a
 *   guesser is slowed on the addresses it guesses from while the owner logs in from their own.
 *   Keyed by the username as typed, known or not, so the throttle behaves the same for both.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('binding_evidence')
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('identity-check', 'account-manager', 'shell')`))
    .addColumn('reference', 'text', (c) => c.notNull().check(sql`length(reference) between 1 and 500`))
    .addColumn('verified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('verified_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('binding_evidence_pk', ['user_id', 'enterprise_id'])
    .addForeignKeyConstraint('binding_evidence_binding_fk', ['user_id', 'enterprise_id'], 'user_enterprise', ['user_id', 'enterprise_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('binding_contest')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('contested_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('note', 'text', (c) => c.notNull().check(sql`length(note) between 1 and 1000`))
    .addColumn('identity_check', 'text', (c) => c.notNull().check(sql`identity_check in ('verified', 'mismatch')`))
    .addColumn('identity_reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'upheld', 'dismissed')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution_note', 'text')
    .execute();
  // One open contest per person and firm: a second is a conflict, not a pile of duplicates.
  await sql`create unique index binding_contest_open_idx on binding_contest (enterprise_id, contested_by) where status = 'open'`.execute(db);

  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().check(sql`failures >= 0`))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_throttle_pk', ['username', 'address'])
    .execute();
  await db.schema.createIndex('login_throttle_last_failure_idx').on('login_throttle').column('last_failure_at').execute();
}
