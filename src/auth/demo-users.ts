/**
 * The demo logins: one user per role, created on first start of an empty database so a person
 * can try every face of Sprout at once. A bank's own deployment starts with `--no-demo` and
 * creates its administrator with `sprout user create`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { minor, type Minor } from '../money/minor.js';
import { createUser } from './users.js';
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

/** The demo logins, one per role; the username is the role's name. */
export const DEMO_LOGINS: readonly DemoLogin[] = ROLES.map((role) => ({ username: role, password: demoPassword(role), role }));

/**
 * Creates the demo users when the database has no users at all; returns the logins created
 * (empty when users already existed). The `borrower` login is bound to `borrowerEnterpriseId`
 * when given (the demo book's showcase enterprise).
 */
export async function seedDemoUsers(db: Kysely<Database>, options: { readonly borrowerEnterpriseId?: string | null } = {}): Promise<readonly DemoLogin[]> {
  const any = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
  if (any) return [];
  // Together: the password hashes (scrypt) run on libuv's thread pool, one per core, while the
  // inserts queue for the connection.
  await Promise.all(
    DEMO_LOGINS.map((login) =>
      createUser(db, { username: login.username, displayName: `Demo ${login.role}`, role: login.role, password: login.password, enterpriseId: login.role === 'borrower' ? (options.borrowerEnterpriseId ?? null) : null, approvalLimit: DEMO_APPROVAL_LIMITS[login.role] ?? null }),
    ),
  );
  return DEMO_LOGINS;
}
