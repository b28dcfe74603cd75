/**
 * The account manager (客户经理) of an enterprise: who looks after the firm and takes its
 * monitoring follow-ups. Set when the firm's line opens, to the account manager who took the
 * application (a borrower's own application leaves it for staff), and changed by staff. Monitoring
 * routes a warning's follow-up task to this person; the account managers' pool only gets tasks
 * of firms without one.
 *
 * @example
 * await setAccountManager(trx, enterpriseId, 'wang.am', 'li.risk');
 * await accountManagerOf(db, enterpriseId); // 'wang.am'
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The enterprise's account manager, or null. NOT_FOUND for an unknown enterprise. */
export async function accountManagerOf(db: Executor, enterpriseId: string): Promise<string | null> {
  const row = await db.selectFrom('enterprise').select('account_manager').where('id', '=', enterpriseId).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`enterprise ${enterpriseId}`);
  return row.account_manager;
}

/** True when `username` is an enabled user with the account-manager role. */
async function isAccountManager(db: Executor, username: string): Promise<boolean> {
  const user = await db.selectFrom('app_user').select(['role', 'disabled']).where('username', '=', username).executeTakeFirst();
  return user !== undefined && user.role === 'account-manager' && !user.disabled;
}

/**
 * Assigns (or, with null, removes) the enterprise's account manager; the open follow-up tasks of
 * its warnings that nobody else has taken move to the new one. A username that is not an enabled
 * account manager is a 400 naming `username`.
 */
export async function setAccountManager(trx: Transaction<Database>, enterpriseId: string, username: string | null, actor: string): Promise<{ readonly enterpriseId: string; readonly accountManager: string | null; readonly tasksMoved: number }> {
  const before = await trx.selectFrom('enterprise').select('account_manager').where('id', '=', enterpriseId).forUpdate().executeTakeFirst();
  if (before === undefined) throw new NotFoundError(`enterprise ${enterpriseId}`);
  if (username !== null && !(await isAccountManager(trx, username))) throw new ValidationError('username', `must be an enabled account manager's username; "${username}" is not one`, 'not-a-choice');
  await trx.updateTable('enterprise').set({ account_manager: username }).where('id', '=', enterpriseId).execute();
  // Follow-ups still with the old manager (or the pool) go to the new one; one a person took by hand stays.
  let move = trx.updateTable('monitoring_task').set({ assignee: username }).where('enterprise_id', '=', enterpriseId).where('kind', '=', 'follow-up').where('status', '=', 'open');
  move = before.account_manager === null ? move.where('assignee', 'is', null) : move.where((eb) => eb.or([eb('assignee', 'is', null), eb('assignee', '=', before.account_manager)]));
  const moved = await move.executeTakeFirst();
  const tasksMoved = Number(moved.numUpdatedRows);
  await appendAudit(trx, { actor, action: 'enterprise.account-manager', entityType: 'enterprise', entityId: enterpriseId, before: { accountManager: before.account_manager }, after: { accountManager: username, tasksMoved } });
  return { enterpriseId, accountManager: username, tasksMoved };
}

/**
 * At origination: when the enterprise has no account manager yet, the first of `candidates` (the
 * applicant, the one who accepted) who is an account manager becomes it. Returns who, or null.
 */
export async function assignAccountManagerAtOrigination(trx: Transaction<Database>, enterpriseId: string, candidates: readonly string[], actor: string): Promise<string | null> {
  const current = await accountManagerOf(trx, enterpriseId);
  if (current !== null) return null;
  for (const candidate of candidates) {
    if (await isAccountManager(trx, candidate)) {
      await trx.updateTable('enterprise').set({ account_manager: candidate }).where('id', '=', enterpriseId).where('account_manager', 'is', null).execute();
      await appendAudit(trx, { actor, action: 'enterprise.account-manager', entityType: 'enterprise', entityId: enterpriseId, before: { accountManager: null }, after: { accountManager: candidate, at: 'origination' } });
      return candidate;
    }
  }
  return null;
}
