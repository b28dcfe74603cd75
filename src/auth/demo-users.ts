/**
 * The demo logins: one user per role, created on first start of an empty database so a person
 * can try every face of Sprout at once — only in demo mode (`sprout serve --mode demo`, what
 * `npm start` runs). A bank's production start never creates them; it creates its administrator
 * with `sprout user create`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { minor, type Minor } from '../money/minor.js';
import { createUser } from './users.js';
import { inTransaction } from '../db/transaction.js';
import { bindWithEvidence } from '../enterprises/bindings.js';
import { getEnterprise } from '../enterprises/enterprises.js';
import { simulatedIdentityCheck } from '../identity/identity-check.js';
import { chinaDate } from '../data/authorisations.js';

/** The simulated world the demo book and the server's data provider share (`DEMO_SEED`, `SIMULATION_SEED`). */
const DEMO_WORLD_SEED = 2025;
import { ROLES, type Role } from './roles.js';

/** A demo login as printed at start. */
export interface DemoLogin {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
}

/** The demo password of a role: public by design, printed at start. */
export function demoPassword(role: Role): string {
  return `${role}-demo`;
}

/**
 * The demo approval authorities (审批权限), fen: a credit approver approves up to 1,000,000.00
 * alone, a risk officer 5,000,000.00, an administrator 10,000,000.00 (the inclusive-finance
 * ceiling); other roles approve nothing.
 */
export const DEMO_APPROVAL_LIMITS: Readonly<Partial<Record<Role, Minor>>> = {
  'credit-approver': minor(1_000_000_00n),
  'risk-officer': minor(5_000_000_00n),
  admin: minor(10_000_000_00n),
};

/**
 * The demo people's names (Chinese names, as a bank's staff and a firm's owner are called), one per
 * role; the page shows the role beside the name in the page's language. The borrower, once bound to
 * the showcase firm, takes its legal representative's name. The username stays the role's name so a
 * login is easy to guess.
 */
export const DEMO_DISPLAY_NAMES: Readonly<Record<Role, string>> = {
  borrower: '陈建国',
  'account-manager': '李晓明',
  'credit-approver': '王芳',
  'risk-officer': '张伟',
  collector: '何静',
  'core-enterprise': '赵丽华',
  management: '刘洋',
  operator: '孙浩',
  auditor: '周敏',
  admin: '吴磊',
};

/** The demo logins, one per role; the username is the role's name. */
export const DEMO_LOGINS: readonly DemoLogin[] = ROLES.map((role) => ({ username: role, password: demoPassword(role), role }));

/**
 * Creates the demo users when the database has no users at all; returns the logins created
 * (empty when users already existed). The `borrower` login is bound to `borrowerEnterpriseId`
 * when given (the demo book's showcase enterprise) the way a real owner is: as the firm's
 * registered legal representative, verified by the (simulated) registry identity check.
 */
export async function seedDemoUsers(db: Kysely<Database>, options: { readonly borrowerEnterpriseId?: string | null; readonly coreEnterpriseId?: string | null } = {}): Promise<readonly DemoLogin[]> {
  const any = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
  if (any) return [];
  // Together: the password hashes (scrypt) run on libuv's thread pool, one per core, while the
  // inserts queue for the connection.
  await Promise.all(
    DEMO_LOGINS.map((login) =>
      createUser(db, { username: login.username, displayName: DEMO_DISPLAY_NAMES[login.role], role: login.role, password: login.password, approvalLimit: DEMO_APPROVAL_LIMITS[login.role] ?? null, publishedDemoPassword: true }),
    ),
  );
  if (options.borrowerEnterpriseId) await verifyDemoBorrower(db, options.borrowerEnterpriseId);
  if (options.coreEnterpriseId) await bindDemoCoreEnterprise(db, options.coreEnterpriseId);
  return DEMO_LOGINS;
}

/** Binds the demo borrower to its firm on the registry identity check of the firm's legal representative. */
async function verifyDemoBorrower(db: Kysely<Database>, enterpriseId: string): Promise<void> {
  const enterprise = await getEnterprise(db, enterpriseId);
  const representative = enterprise.owners.find((owner) => owner.role === 'legal-representative');
  if (enterprise.creditCode === null || representative === undefined) throw new Error(`demo enterprise ${enterpriseId} has no credit code or legal representative to verify`);
  const now = new Date();
  const result = await simulatedIdentityCheck({ seed: DEMO_WORLD_SEED }).verify({ creditCode: enterprise.creditCode, name: representative.name, idNumber: representative.idNumber }, chinaDate(now));
  if (result.outcome !== 'verified') throw new Error(`the demo enterprise's representative does not match the simulated registry (${result.reason})`);
  const user = await db.selectFrom('app_user').select('id').where('username', '=', 'borrower').executeTakeFirstOrThrow();
  // The owner signs in under their own name, the one the registry knows.
  await db.updateTable('app_user').set({ display_name: representative.name }).where('id', '=', user.id).execute();
  await inTransaction(db, (trx) => bindWithEvidence(trx, user.id, enterpriseId, { method: 'identity-check', reference: result.reference, verifiedBy: 'borrower' }, now));
}

/**
 * Binds the demo core-enterprise login to the demo's first core enterprise (its finance staff):
 * a core enterprise's users are set up by the bank's account manager, not by a registry check of
 * a legal representative.
 */
async function bindDemoCoreEnterprise(db: Kysely<Database>, enterpriseId: string): Promise<void> {
  const user = await db.selectFrom('app_user').select('id').where('username', '=', 'core-enterprise').executeTakeFirstOrThrow();
  await inTransaction(db, (trx) => bindWithEvidence(trx, user.id, enterpriseId, { method: 'account-manager', reference: 'demo: finance staff of the core enterprise', verifiedBy: 'account-manager' }, new Date()));
}
