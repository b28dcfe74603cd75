/**
 * Users: creating them, logging them in with a password for a bearer token, and resolving a
 * token back to its user.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ConflictError, NotAuthenticatedError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { Minor } from '../money/minor.js';
import { decoyHash, hashPassword, needsRehash, PUBLISHED_PASSWORD_COST, verifyPassword } from './password.js';
import { checkPasswordPolicy } from './password-policy.js';
import { appendAudit } from '../audit/audit-trail.js';
import { inTransaction } from '../db/transaction.js';
import { hasCitus } from '../db/distribution.js';
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
  /**
   * The demo logins only: their passwords are published on purpose (`demo-users.ts`, demo mode),
   * so the length and blocklist policy would protect nothing and is not applied.
   */
  readonly publishedDemoPassword?: boolean;
}

/**
 * Creates a user. Usernames are 3–64 characters of letters, digits, `.`, `_`, `-`; passwords
 * follow `password-policy.ts` (at least 12 characters, not a common one).
 *
 * @example
 * await createUser(db, { username: 'ops', displayName: 'Operator', role: 'operator', password: 'a long secret' });
 */
export async function createUser(db: Kysely<Database>, input: NewUser, createdBy = 'system'): Promise<User> {
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(input.username)) {
    throw new ValidationError('username', 'must be 3 to 64 letters, digits, ".", "_" or "-"');
  }
  if (!isRole(input.role)) throw new ValidationError('role', `unknown role "${input.role}"`);
  if (input.publishedDemoPassword !== true) checkPasswordPolicy(input.password, input.username);
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
  const passwordHash = await hashPassword(input.password, input.publishedDemoPassword === true ? PUBLISHED_PASSWORD_COST : undefined);
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
    // Only the shell (`sprout user create --enterprise`) and the demo create a user already bound:
    // an administrator with the database at hand, recorded as such.
    if (enterpriseId !== null) await bindWithShellEvidence(trx, user.id, enterpriseId, createdBy);
  });
  return user;
}

/** What a self-registration answers, whether or not the username was free. */
export const REGISTRATION_ANSWER = 'If this username was free, your login has been created: log in with it. If you cannot, the name was taken; register again with another.';

/**
 * Self-registration of a borrower that does not say whether the username is taken: a taken name
 * creates nothing and returns normally, after the same password hash a new login costs, so
 * neither the answer nor its time tells a prober which usernames exist (a 409 "taken" would be an
 * enumeration oracle for staff logins like `admin`). Returns whether a login was created, for
 * the caller's own bookkeeping only — never for the response.
 *
 * @example
 * await registerBorrower(db, { username: 'li.lei', displayName: '李雷', password: 'a long passphrase' }); // true
 */
export async function registerBorrower(db: Kysely<Database>, input: { readonly username: string; readonly displayName: string; readonly password: string; readonly phone?: string | null }): Promise<boolean> {
  // The policy does not depend on who exists, so its refusals are safe to say.
  checkPasswordPolicy(input.password, input.username);
  const existing = await db.selectFrom('app_user').select('id').where('username', '=', input.username).executeTakeFirst();
  if (existing !== undefined) {
    await hashPassword(input.password);
    return false;
  }
  try {
    await createUser(db, { ...input, role: 'borrower' }, `registration:${input.username}`);
    return true;
  } catch (error) {
    // Two registrations raced for the name: the loser is told what everyone is told.
    if (error instanceof ConflictError || (error as { code?: string }).code === '23505') return false;
    throw error;
  }
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
 * Binds the borrower `username` to an enterprise at the shell (the CLI's way in); refuses a user
 * that is not a borrower, naming `field`. Returns the enterprises the borrower may now act for.
 */
export async function bindBorrower(trx: Transaction<Database>, username: string, enterpriseId: string, actor: string, field = 'username'): Promise<string[]> {
  const row = await trx.selectFrom('app_user').select(['id', 'role']).where('username', '=', username).executeTakeFirst();
  if (!row) throw new NotFoundError(`user ${username}`);
  if (row.role !== 'borrower') throw new ValidationError(field, `${username} is a ${row.role}; only borrowers are bound to enterprises`);
  await bindWithShellEvidence(trx, row.id, enterpriseId, actor);
  return enterprisesOfUser(trx, row.id);
}

/**
 * A binding made at the shell by whoever holds the database (`sprout user bind`, `user create
 * --enterprise`): evidence method `shell`. The HTTP API never calls this; it binds through a
 * claim (identity check) or maker-checker (`enterprises/bindings.ts`).
 */
async function bindWithShellEvidence(trx: Transaction<Database>, userId: string, enterpriseId: string, actor: string): Promise<void> {
  await bindEnterprise(trx, userId, enterpriseId, actor);
  const now = new Date();
  await trx.deleteFrom('binding_evidence').where('user_id', '=', userId).where('enterprise_id', '=', enterpriseId).execute();
  await trx.insertInto('binding_evidence').values({ user_id: userId, enterprise_id: enterpriseId, method: 'shell', reference: `bound at the shell by ${actor}`.slice(0, 500), verified_at: now, verified_by: actor }).execute();
}

/** A borrower bound to an enterprise, who bound it when, and the evidence (null: a binding from before evidence was required). */
export interface BoundBorrower {
  readonly username: string;
  readonly displayName: string;
  readonly boundAt: Date;
  readonly boundBy: string;
  readonly verification: { readonly method: string; readonly reference: string; readonly verifiedAt: Date; readonly verifiedBy: string } | null;
}

/** The borrowers who may act for an enterprise, oldest binding first. */
export async function borrowersOf(db: Kysely<Database> | Transaction<Database>, enterpriseId: string): Promise<BoundBorrower[]> {
  const rows = await db
    .selectFrom('user_enterprise')
    .innerJoin('app_user', 'app_user.id', 'user_enterprise.user_id')
    .leftJoin('binding_evidence', (join) => join.onRef('binding_evidence.user_id', '=', 'user_enterprise.user_id').onRef('binding_evidence.enterprise_id', '=', 'user_enterprise.enterprise_id'))
    .select(['app_user.username', 'app_user.display_name', 'user_enterprise.bound_at', 'user_enterprise.bound_by', 'binding_evidence.method', 'binding_evidence.reference', 'binding_evidence.verified_at', 'binding_evidence.verified_by'])
    .where('user_enterprise.enterprise_id', '=', enterpriseId)
    .orderBy('user_enterprise.bound_at')
    .orderBy('app_user.username')
    .execute();
  return rows.map((row) => ({
    username: row.username,
    displayName: row.display_name,
    boundAt: new Date(row.bound_at),
    boundBy: row.bound_by,
    verification: row.method === null || row.reference === null || row.verified_at === null || row.verified_by === null ? null : { method: row.method, reference: row.reference, verifiedAt: new Date(row.verified_at), verifiedBy: row.verified_by },
  }));
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

/** The one answer to a login that fails for any reason: unknown user, wrong password, locked out, disabled. */
export const LOGIN_REFUSED = 'wrong username or password';

/**
 * Checks a username and password from a client `address` and issues a bearer token. Every
 * failure — unknown user, wrong password, locked out on this address, disabled — is the same
 * {@link NotAuthenticatedError} with {@link LOGIN_REFUSED}, after the same password hash, so
 * neither the answer nor its time says which usernames exist or which are locked.
 *
 * A hash made below the current scrypt cost is replaced on success (`needsRehash`).
 *
 * @example
 * const { token } = await login(db, 'admin', 'a long passphrase', new Date(), '203.0.113.9');
 */
export async function login(db: Kysely<Database>, username: string, password: string, now: Date, address: string): Promise<IssuedToken> {
  const row = await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
  // Hash even when the user is unknown or locked, so response time reveals neither.
  const stored = row?.password_hash ?? decoyHash();
  const ok = await verifyPassword(password, stored);
  const throttle = await db.selectFrom('login_throttle').select('locked_until').where('username', '=', username).where('address', '=', address).executeTakeFirst();
  const locked = throttle?.locked_until != null && new Date(throttle.locked_until) > now;
  if (!row || !ok || row.disabled || locked) {
    // A guess during the lock-out counts too (and lengthens it); the right password does not.
    if (!ok) await recordFailedLogin(db, username, address, now);
    throw new NotAuthenticatedError(LOGIN_REFUSED, 'login-refused');
  }
  await db.deleteFrom('login_throttle').where('username', '=', username).where('address', '=', address).execute();
  if (needsRehash(row.password_hash)) {
    await db.updateTable('app_user').set({ password_hash: await hashPassword(password) }).where('id', '=', row.id).where('password_hash', '=', row.password_hash).execute();
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS);
  await db.insertInto('api_token').values({ token_hash: hashToken(token), user_id: row.id, created_at: now, expires_at: expiresAt }).execute();
  return { token, expiresAt, user: toUser(row, await enterprisesOfUser(db, row.id)) };
}

/** Failed logins allowed per (username, address) before that address is locked out of that username. */
export const MAX_FAILED_LOGINS = 5;
/** The first lock-out; it doubles with every further failure, up to a day. */
const FIRST_LOCKOUT_MS = 15 * 60 * 1000;
const MAX_LOCKOUT_MS = 24 * 60 * 60 * 1000;
/** Failures older than this are forgotten: a count restarts, and the row is deleted. */
const FAILURE_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * Counts a failed login of `username` (known or not) from `address`; from the MAX_FAILED_LOGINS-th
 * on, locks that address out of that username for 15 minutes, doubling each time up to a day. A
 * guesser gets a handful of tries a day per address (and 20 a minute across usernames, the
 * per-address rate limit); the owner, from their own address, is never locked out by them.
 */
async function recordFailedLogin(db: Kysely<Database>, username: string, address: string, now: Date): Promise<void> {
  const forgetBefore = new Date(now.getTime() - FAILURE_MEMORY_MS);
  // Counted in the database in one statement, not read-then-written: guesses sent in parallel must each count.
  const { failures } = await db
    .insertInto('login_throttle')
    .values({ username, address, failures: 1, locked_until: null, last_failure_at: now })
    .onConflict((oc) =>
      oc.columns(['username', 'address']).doUpdateSet((eb) => ({
        failures: sql<number>`case when ${eb.ref('login_throttle.last_failure_at')} < ${forgetBefore} then 1 else ${eb.ref('login_throttle.failures')} + 1 end`,
        last_failure_at: now,
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const lockout = failures >= MAX_FAILED_LOGINS ? Math.min(FIRST_LOCKOUT_MS * 2 ** Math.min(failures - MAX_FAILED_LOGINS, 16), MAX_LOCKOUT_MS) : 0;
  if (lockout > 0) await db.updateTable('login_throttle').set({ locked_until: new Date(now.getTime() + lockout) }).where('username', '=', username).where('address', '=', address).execute();
  // Bounded table: rows whose last failure is older than a day say nothing any more.
  await db.deleteFrom('login_throttle').where('last_failure_at', '<', forgetBefore).execute();
}

/**
 * An administrator's unlock: forgets every failed login of `username` on every address (and the
 * per-user count kept before migration 0015), audited as `user.unlock`. Returns how many
 * addresses were locked or counting.
 *
 * @example
 * await unlockUser(db, 'wang.wu', 'admin'); // 1
 */
export async function unlockUser(db: Kysely<Database>, username: string, actor: string, now: Date = new Date()): Promise<number> {
  return inTransaction(db, async (trx) => {
    const cleared = await trx.deleteFrom('login_throttle').where('username', '=', username).executeTakeFirst();
    const count = Number(cleared.numDeletedRows);
    const user = await trx.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst();
    if (user !== undefined) {
      await trx.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
      await appendAudit(trx, { actor, action: 'user.unlock', entityType: 'app_user', entityId: user.id, after: { addressesCleared: count } }, now);
    }
    return count;
  });
}

/**
 * The user a bearer token belongs to, or `undefined` when the token is unknown, expired or its
 * user disabled.
 */
export async function userForToken(db: Kysely<Database>, token: string, now: Date): Promise<User | undefined> {
  const found = (await usersForTokens(db, [token])).get(token);
  return found !== undefined && found.expiresAt.getTime() > now.getTime() ? found.user : undefined;
}

/** Most tokens looked up at once ({@link usersForTokens}). */
export const MAX_TOKENS_AT_ONCE = 500;

/**
 * The enabled users of `tokens` with when each token expires, in one statement however many
 * requests arrived together (src/http/access.ts checks the expiry against each one's clock); a
 * token unknown or of a disabled user is absent. Each user's enterprises come in the same
 * statement: every statement is a turn of the event loop to wait for, and at month end the server's
 * loop is busy (docs/benchmarks.md, s21y). On Citus, where `user_enterprise` is distributed and
 * the token tables are reference tables, the enterprises are a second statement.
 *
 * @example
 * const found = await usersForTokens(db, [a, b]); // found.get(a)?.user
 */
export async function usersForTokens(db: Kysely<Database>, tokens: readonly string[]): Promise<Map<string, { readonly user: User; readonly expiresAt: Date }>> {
  if (tokens.length > MAX_TOKENS_AT_ONCE) throw new Error(`${tokens.length} tokens at once; at most ${MAX_TOKENS_AT_ONCE}`);
  const found = new Map<string, { user: User; expiresAt: Date }>();
  if (tokens.length === 0) return found;
  const byHash = new Map(tokens.map((token) => [hashToken(token), token]));
  const citus = await hasCitus(db);
  const rows = await db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .selectAll('app_user')
    .select(['api_token.token_hash', 'api_token.expires_at'])
    // The order enterprisesOfUser gives them in; uuids hold no comma.
    .select(citus ? sql<string | null>`cast(null as text)`.as('enterprise_ids') : sql<string | null>`(select string_agg(cast(ue.enterprise_id as text), ',' order by ue.bound_at, ue.enterprise_id) from user_enterprise ue where ue.user_id = app_user.id)`.as('enterprise_ids'))
    .where('api_token.token_hash', 'in', [...byHash.keys()])
    .where('app_user.disabled', '=', false)
    .execute();
  if (rows.length === 0) return found;
  const enterprisesOf = new Map<string, string[]>();
  if (citus) {
    const bindings = await db
      .selectFrom('user_enterprise')
      .select(['user_id', 'enterprise_id'])
      .where('user_id', 'in', [...new Set(rows.map((row) => row.id))])
      .orderBy('bound_at')
      .orderBy('enterprise_id')
      .execute();
    for (const binding of bindings) {
      const ids = enterprisesOf.get(binding.user_id);
      if (ids === undefined) enterprisesOf.set(binding.user_id, [binding.enterprise_id]);
      else ids.push(binding.enterprise_id);
    }
  } else {
    for (const row of rows) enterprisesOf.set(row.id, row.enterprise_ids === null ? [] : row.enterprise_ids.split(','));
  }
  for (const row of rows) found.set(byHash.get(row.token_hash)!, { user: toUser(row, enterprisesOf.get(row.id) ?? []), expiresAt: new Date(row.expires_at) });
  return found;
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
