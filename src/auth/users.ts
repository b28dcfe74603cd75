/**
 * Users: creating them, logging them in with a password for a bearer token, and resolving a
 * token back to its user.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ConflictError, NotAuthenticatedError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { Minor } from '../money/minor.js';
import { hashPassword, verifyPassword } from './password.js';
import { appendAudit } from '../audit/audit-trail.js';
import { inTransaction } from '../db/transaction.js';
import { isRole, type Role } from './roles.js';

/** A user as the rest of Sprout sees one: never the password hash. */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** The enterprises a borrower is bound to and may see, oldest binding first; empty for staff. */
  readonly enterpriseIds: readonly string[];
  /** The first of `enterpriseIds`, or null: kept for clients written when a borrower had one. */
  readonly enterpriseId: string | null;
}

/** How long a bearer token lives. A bank's session policy; short enough to limit a leaked token. */
export const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** What it takes to create a user. */
export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly password: string;
  readonly enterpriseId?: string | null;
  /** Approval authority (审批权限): the largest credit, fen, the user may approve; none when absent. */
  readonly approvalLimit?: Minor | null;
  /** A mainland mobile number (11 digits starting 1); stored, never put in the audit trail or logs. */
  readonly phone?: string | null;
}

/**
 * Creates a user. Usernames are 3–64 characters of letters, digits, `.`, `_`, `-`; passwords at
 * least 8 characters.
 *
 * @example
 * await createUser(db, { username: 'ops', displayName: 'Operator', role: 'operator', password: 'a long secret' });
 */
export async function createUser(db: Kysely<Database>, input: NewUser, createdBy = 'system'): Promise<User> {
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(input.username)) {
    throw new ValidationError('username', 'must be 3 to 64 letters, digits, ".", "_" or "-"');
  }
  if (!isRole(input.role)) throw new ValidationError('role', `unknown role "${input.role}"`);
  if (input.password.length < 8) throw new ValidationError('password', 'must be at least 8 characters');
  if (input.displayName.trim() === '' || input.displayName.length > 200) {
    throw new ValidationError('displayName', 'must be 1 to 200 characters');
  }
  const approvalLimit = input.approvalLimit ?? null;
  if (approvalLimit !== null && approvalLimit < 0n) throw new ValidationError('approvalLimit', 'must not be negative');
  const phone = input.phone ?? null;
  if (phone !== null && !/^1[3-9][0-9]{9}$/.test(phone)) throw new ValidationError('phone', 'must be a mainland mobile number: 11 digits starting 13 to 19');
  const existing = await db.selectFrom('app_user').select('id').where('username', '=', input.username).executeTakeFirst();
  if (existing) throw new ConflictError(`username "${input.username}" is taken`, 'username');
  const enterpriseId = input.enterpriseId ?? null;
  const user: User = {
    id: uuidv7(),
    username: input.username,
    displayName: input.displayName,
    role: input.role,
    enterpriseIds: enterpriseId === null ? [] : [enterpriseId],
    enterpriseId,
  };
  const passwordHash = await hashPassword(input.password);
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('app_user')
      .values({
        id: user.id,
        username: user.username,
        display_name: user.displayName,
        role: user.role,
        password_hash: passwordHash,
        approval_limit: approvalLimit,
        phone,
        created_at: new Date(),
      })
      .execute();
    // The password and its hash never enter the audit trail.
    await appendAudit(trx, { actor: createdBy, action: 'user.create', entityType: 'app_user', entityId: user.id, after: { ...user, approvalLimit: approvalLimit === null ? null : approvalLimit.toString() } });
    if (enterpriseId !== null) await bindEnterprise(trx, user.id, enterpriseId, createdBy);
  });
  return user;
}

/**
 * Binds a user to an enterprise they may then see and act for (a borrower applying for it, an
 * owner of several firms). Binding twice is harmless.
 *
 * @example
 * await bindEnterprise(trx, user.id, enterprise.id, 'account-manager');
 */
export async function bindEnterprise(trx: Transaction<Database>, userId: string, enterpriseId: string, actor: string): Promise<void> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(enterpriseId)) throw new NotFoundError(`enterprise ${enterpriseId}`);
  const enterprise = await trx.selectFrom('enterprise').select('id').where('id', '=', enterpriseId).executeTakeFirst();
  if (!enterprise) throw new NotFoundError(`enterprise ${enterpriseId}`);
  const bound = await trx.selectFrom('user_enterprise').select('user_id').where('user_id', '=', userId).where('enterprise_id', '=', enterpriseId).executeTakeFirst();
  if (bound) return;
  await trx.insertInto('user_enterprise').values({ user_id: userId, enterprise_id: enterpriseId, bound_at: new Date(), bound_by: actor }).execute();
  await appendAudit(trx, { actor, action: 'user.bind-enterprise', entityType: 'app_user', entityId: userId, after: { enterpriseId } });
}

/**
 * Binds the borrower `username` to an enterprise (the API's and the CLI's way in); refuses a user
 * that is not a borrower, naming `field`. Returns the enterprises the borrower may now act for.
 */
export async function bindBorrower(trx: Transaction<Database>, username: string, enterpriseId: string, actor: string, field = 'username'): Promise<string[]> {
  const row = await trx.selectFrom('app_user').select(['id', 'role']).where('username', '=', username).executeTakeFirst();
  if (!row) throw new NotFoundError(`user ${username}`);
  if (row.role !== 'borrower') throw new ValidationError(field, `${username} is a ${row.role}; only borrowers are bound to enterprises`);
  await bindEnterprise(trx, row.id, enterpriseId, actor);
  return enterprisesOfUser(trx, row.id);
}

/** A borrower bound to an enterprise, and who bound it when. */
export interface BoundBorrower {
  readonly username: string;
  readonly displayName: string;
  readonly boundAt: Date;
  readonly boundBy: string;
}

/** The borrowers who may act for an enterprise, oldest binding first. */
export async function borrowersOf(db: Kysely<Database> | Transaction<Database>, enterpriseId: string): Promise<BoundBorrower[]> {
  const rows = await db
    .selectFrom('user_enterprise')
    .innerJoin('app_user', 'app_user.id', 'user_enterprise.user_id')
    .select(['app_user.username', 'app_user.display_name', 'user_enterprise.bound_at', 'user_enterprise.bound_by'])
    .where('user_enterprise.enterprise_id', '=', enterpriseId)
    .orderBy('user_enterprise.bound_at')
    .orderBy('app_user.username')
    .execute();
  return rows.map((row) => ({ username: row.username, displayName: row.display_name, boundAt: new Date(row.bound_at), boundBy: row.bound_by }));
}

/** The enterprises a user is bound to, oldest binding first. */
export async function enterprisesOfUser(db: Kysely<Database> | Transaction<Database>, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_enterprise').select('enterprise_id').where('user_id', '=', userId).orderBy('bound_at').orderBy('enterprise_id').execute();
  return rows.map((row) => row.enterprise_id);
}

/** A freshly issued bearer token. */
export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
  readonly user: User;
}

/**
 * Checks a username and password and issues a bearer token. Wrong username and wrong password
 * give the same error, so the API does not reveal which usernames exist.
 *
 * @example
 * const { token } = await login(db, 'admin', 'sprout-admin', new Date());
 */
export async function login(db: Kysely<Database>, username: string, password: string, now: Date): Promise<IssuedToken> {
  const row = await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
  // Hash even when the user is unknown, so response time does not reveal it either.
  const stored = row?.password_hash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  const ok = await verifyPassword(password, stored);
  if (row?.locked_until && row.locked_until > now) {
    throw new NotAuthenticatedError(`too many failed logins; try again after ${row.locked_until.toISOString()}`);
  }
  if (!row || !ok || row.disabled) {
    if (row) await recordFailedLogin(db, row.id, now);
    throw new NotAuthenticatedError('wrong username or password');
  }
  if (row.failed_logins > 0) await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', row.id).execute();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS);
  await db.insertInto('api_token').values({ token_hash: hashToken(token), user_id: row.id, created_at: now, expires_at: expiresAt }).execute();
  return { token, expiresAt, user: toUser(row, await enterprisesOfUser(db, row.id)) };
}

/** Failed logins allowed before a user is locked out. */
export const MAX_FAILED_LOGINS = 5;
/** The first lock-out; it doubles with every further failure, up to a day. */
const FIRST_LOCKOUT_MS = 15 * 60 * 1000;
const MAX_LOCKOUT_MS = 24 * 60 * 60 * 1000;

/**
 * Counts a failed login; from the MAX_FAILED_LOGINS-th on, locks the user out for 15 minutes,
 * doubling each time: a password guesser gets a handful of tries a day, an owner who mistyped
 * waits minutes.
 */
async function recordFailedLogin(db: Kysely<Database>, userId: string, now: Date): Promise<void> {
  // Counted in the database, not read-then-written: guesses sent in parallel must each count.
  const { failed_logins: failures } = await db
    .updateTable('app_user')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  const lockout = failures >= MAX_FAILED_LOGINS ? Math.min(FIRST_LOCKOUT_MS * 2 ** (failures - MAX_FAILED_LOGINS), MAX_LOCKOUT_MS) : 0;
  if (lockout > 0) await db.updateTable('app_user').set({ locked_until: new Date(now.getTime() + lockout) }).where('id', '=', userId).execute();
}

/**
 * The user a bearer token belongs to, or `undefined` when the token is unknown, expired or its
 * user disabled.
 */
export async function userForToken(db: Kysely<Database>, token: string, now: Date): Promise<User | undefined> {
  const row = await db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .selectAll('app_user')
    .where('api_token.token_hash', '=', hashToken(token))
    .where('api_token.expires_at', '>', now)
    .where('app_user.disabled', '=', false)
    .executeTakeFirst();
  return row ? toUser(row, await enterprisesOfUser(db, row.id)) : undefined;
}

/** Ends a token's life (logout). */
export async function revokeToken(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('api_token').where('token_hash', '=', hashToken(token)).execute();
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toUser(row: { id: string; username: string; display_name: string; role: string }, enterpriseIds: readonly string[]): User {
  if (!isRole(row.role)) throw new Error(`user ${row.username} has unknown role ${row.role}`);
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, enterpriseIds, enterpriseId: enterpriseIds[0] ?? null };
}
