/**
 * Borrowers bound to several enterprises, and the decision policy as versioned data.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A borrower (an owner, a finance manager) may act for more than one enterprise; the binding
  // is what ownership checks read. It replaces app_user.enterprise_id, whose bindings move here.
  await db.schema
    .createTable('user_enterprise')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('bound_at', 'timestamptz', (c) => c.notNull())
    .addColumn('bound_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_enterprise_pk', ['user_id', 'enterprise_id'])
    .execute();
  await db.schema.createIndex('user_enterprise_enterprise_idx').on('user_enterprise').column('enterprise_id').execute();
  await sql`insert into user_enterprise (user_id, enterprise_id, bound_at, bound_by)
    select id, enterprise_id, created_at, 'migration 0010' from app_user where enterprise_id is not null`.execute(db);
  await db.schema.alterTable('app_user').dropColumn('enterprise_id').execute();
  // A self-registered borrower's mobile number, for the bank to call back; personal data, never logged.
  await db.schema.alterTable('app_user').addColumn('phone', 'text').execute();

  // The decision policy (rules, score bands, limit settings, pricing) as approved versions; the
  // highest version is the active one. A change is a maker-checker request until approved.
  await db.schema
    .createTable('decision_policy')
    .addColumn('version', 'integer', (c) => c.primaryKey().check(sql`version > 0`))
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('made_by', 'text', (c) => c.notNull())
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('decision_policy_checker_not_maker', sql`checked_by <> made_by`)
    .execute();
}
