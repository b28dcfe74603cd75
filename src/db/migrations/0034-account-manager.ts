/**
 * The account manager (客户经理) of an enterprise: the staff member who looks after the firm, set
 * when its first line opens (the account manager who took the application) or by staff later.
 * Monitoring routes a warning's follow-up task to this person; the role's pool takes it only when
 * the firm has none. A username (app_user.username), null while none is assigned.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('enterprise').addColumn('account_manager', 'text').execute();
  await db.schema.createIndex('enterprise_account_manager_idx').on('enterprise').column('account_manager').execute();
}
