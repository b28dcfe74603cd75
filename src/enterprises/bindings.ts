/**
 * Who may act for a firm (谁能代表企业): a borrower login is bound to an enterprise only with
 * evidence, and a binding can be contested.
 *
 * The ways to a binding, each recorded in `binding_evidence`:
 * - `identity-check` — the borrower claims the firm by its credit code and proves to be its
 *   registered legal representative (`src/identity/`): name and ID number match the registry.
 *   Only a firm nobody is bound to can be claimed this way.
 * - `account-manager` — an account manager who checked the person's documents at the branch
 *   requests the binding, and a second staff member approves it (maker-checker, `binding.verify`).
 * - `shell` — an administrator at the shell of the machine that holds the database (`sprout user
 *   bind`), who could change the database directly anyway.
 * A binding with no evidence row was made before migration 0015 ("legacy") and is listed as such.
 *
 * A person who finds their firm claimed by someone else files a contest; an account manager
 * dismisses it, or requests to uphold it, which a second person approves: the holders are unbound,
 * their data authorisations revoked, and the contester bound (`binding.contest-uphold`).
 *
 * @example
 * await claimEnterprise(trx, user, { creditCode, name: '王芳', idNumber }, identityCheck, now);
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { User } from '../auth/users.js';
import { bindEnterprise } from '../auth/users.js';
import type { CheckedAction } from '../approvals/maker-checker.js';
import { chinaDate, revokeDataAuthorisation } from '../data/authorisations.js';
import type { Database } from '../db/schema.js';
import type { BindingMethod, ContestStatus } from '../db/schema/identity.js';
import { ConflictError, NotAuthorisedError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { checkIdentityClaim, type IdentityCheck, type IdentityClaim } from '../identity/identity-check.js';
import { parseCreditCode } from './credit-code.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Why a binding holds. */
export interface BindingEvidence {
  readonly method: BindingMethod;
  readonly reference: string;
  readonly verifiedAt: Date;
  readonly verifiedBy: string;
}

/** A binding made by a claim. */
export interface Claim {
  readonly enterpriseId: string;
  readonly evidence: BindingEvidence;
}

/**
 * Records the evidence of a binding (and the binding, when it is new). Evidence replaces evidence:
 * a legacy binding verified later gets its evidence then.
 */
export async function bindWithEvidence(trx: Transaction<Database>, userId: string, enterpriseId: string, evidence: Omit<BindingEvidence, 'verifiedAt'>, now: Date): Promise<BindingEvidence> {
  if (evidence.reference.length === 0 || evidence.reference.length > 500) throw new ValidationError('evidence', 'must be 1 to 500 characters');
  await bindEnterprise(trx, userId, enterpriseId, evidence.verifiedBy);
  await trx.deleteFrom('binding_evidence').where('user_id', '=', userId).where('enterprise_id', '=', enterpriseId).execute();
  await trx.insertInto('binding_evidence').values({ user_id: userId, enterprise_id: enterpriseId, method: evidence.method, reference: evidence.reference, verified_at: now, verified_by: evidence.verifiedBy }).execute();
  await appendAudit(trx, { actor: evidence.verifiedBy, action: 'user.verify-binding', entityType: 'app_user', entityId: userId, after: { enterpriseId, method: evidence.method, reference: evidence.reference } }, now);
  return { ...evidence, verifiedAt: now };
}

/** The enterprise with this credit code, locked until the transaction ends (claims on one firm queue). */
async function enterpriseByCreditCode(trx: Transaction<Database>, creditCode: string): Promise<{ id: string }> {
  const code = parseCreditCode(creditCode, 'creditCode');
  const row = await trx.selectFrom('enterprise').select('id').where('credit_code', '=', code).forUpdate().executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`an enterprise with credit code ${code} (record it first: POST /v1/enterprises)`);
  return row;
}

/**
 * A borrower claims the firm with `claim.creditCode` as its registered legal representative. The
 * identity check must verify the claim; the firm must have nobody bound to it yet (else a
 * CONFLICT naming the way to contest). Claiming a firm one is already bound to answers its
 * binding again. Mismatches are `NOT_AUTHORISED` and bind nothing.
 *
 * @example
 * const { enterpriseId } = await claimEnterprise(trx, user, { creditCode, name, idNumber }, check, new Date());
 */
export async function claimEnterprise(trx: Transaction<Database>, user: User, claim: IdentityClaim, check: IdentityCheck, now: Date): Promise<Claim> {
  if (user.role !== 'borrower') throw new NotAuthorisedError('only a borrower claims an enterprise; staff bind with POST /v1/enterprises/{id}/borrowers');
  const checked = checkIdentityClaim(claim);
  const enterprise = await enterpriseByCreditCode(trx, checked.creditCode);
  const bound = await trx.selectFrom('user_enterprise').select('user_id').where('enterprise_id', '=', enterprise.id).execute();
  if (bound.some((row) => row.user_id === user.id)) {
    const evidence = await evidenceOf(trx, user.id, enterprise.id);
    if (evidence !== null) return { enterpriseId: enterprise.id, evidence };
  } else if (bound.length > 0) {
    throw new ConflictError('this enterprise is already claimed; if it is yours, contest the claim (POST /v1/claims/contests) and an account manager will resolve it', 'creditCode');
  }
  const result = await check.verify(checked, chinaDate(now));
  if (result.outcome !== 'verified') {
    throw new NotAuthorisedError(result.reason === 'no-registry-record' ? 'the registry has no legal representative on record for this enterprise; verify at a branch instead' : 'the name and ID number do not match the registered legal representative of this enterprise');
  }
  const evidence = await bindWithEvidence(trx, user.id, enterprise.id, { method: 'identity-check', reference: result.reference, verifiedBy: user.username }, now);
  return { enterpriseId: enterprise.id, evidence };
}

/** The evidence of a binding, or null for a legacy binding (or none). */
export async function evidenceOf(db: Db, userId: string, enterpriseId: string): Promise<BindingEvidence | null> {
  const row = await db.selectFrom('binding_evidence').selectAll().where('user_id', '=', userId).where('enterprise_id', '=', enterpriseId).executeTakeFirst();
  return row === undefined ? null : { method: row.method, reference: row.reference, verifiedAt: new Date(row.verified_at), verifiedBy: row.verified_by };
}

/** What an account manager's binding request carries. */
export interface BindingVerification {
  readonly enterpriseId: string;
  readonly username: string;
  /** What was checked at the branch: the documents seen, their numbers' last digits, never a whole ID number. */
  readonly evidence: string;
}

/**
 * Binding by an account manager (`binding.verify`): the maker saw the person's ID card and the
 * firm's licence at the branch and says so in `evidence`; a second staff member approves.
 */
export const BINDING_VERIFY: CheckedAction<BindingVerification> = {
  kind: 'binding.verify',
  makers: ['account-manager', 'admin'],
  checkers: ['account-manager', 'admin'],
  execute: async (trx, payload, maker, checker) => {
    const user = await borrowerNamed(trx, payload.username);
    const now = new Date();
    const evidence = await bindWithEvidence(trx, user.id, payload.enterpriseId, { method: 'account-manager', reference: `${payload.evidence} (requested by ${maker}, approved by ${checker})`.slice(0, 500), verifiedBy: checker }, now);
    return { enterpriseId: payload.enterpriseId, username: payload.username, method: evidence.method };
  },
};

/** Validates a binding request before it is made, so the maker hears of a mistake at once. */
export async function checkBindingVerification(db: Db, input: BindingVerification): Promise<BindingVerification> {
  const enterprise = await db.selectFrom('enterprise').select('id').where('id', '=', input.enterpriseId).executeTakeFirst();
  if (enterprise === undefined) throw new NotFoundError(`enterprise ${input.enterpriseId}`);
  await borrowerNamed(db, input.username);
  const evidence = input.evidence.trim();
  if (evidence.length < 5 || evidence.length > 300) throw new ValidationError('evidence', 'must say what was checked at the branch, 5 to 300 characters');
  return { ...input, evidence };
}

async function borrowerNamed(db: Db, username: string): Promise<{ id: string }> {
  const row = await db.selectFrom('app_user').select(['id', 'role']).where('username', '=', username).executeTakeFirst();
  if (!row) throw new NotFoundError(`user ${username}`);
  if (row.role !== 'borrower') throw new ValidationError('username', `${username} is a ${row.role}; only borrowers are bound to enterprises`);
  return row;
}

/** A contest of a binding. */
export interface Contest {
  readonly id: string;
  readonly enterpriseId: string;
  readonly contestedBy: string;
  readonly note: string;
  /** Whether the contester passed the identity check when filing: evidence for the account manager, not a verdict. */
  readonly identityCheck: 'verified' | 'mismatch';
  readonly status: ContestStatus;
  readonly createdAt: Date;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolutionNote: string | null;
}

/**
 * A borrower says the firm with `claim.creditCode` is theirs although someone else is bound to
 * it. The identity check runs and its outcome is recorded (the registry may lag a change of
 * representative, so a mismatch does not stop the contest). One open contest per person and firm.
 */
export async function fileContest(trx: Transaction<Database>, user: User, claim: IdentityClaim & { readonly note: string }, check: IdentityCheck, now: Date): Promise<Contest> {
  if (user.role !== 'borrower') throw new NotAuthorisedError('only a borrower contests a claim');
  const note = claim.note.trim();
  if (note.length === 0 || note.length > 1000) throw new ValidationError('note', 'must be 1 to 1000 characters');
  const checked = checkIdentityClaim(claim);
  const enterprise = await enterpriseByCreditCode(trx, checked.creditCode);
  const holders = await trx.selectFrom('user_enterprise').select('user_id').where('enterprise_id', '=', enterprise.id).where('user_id', '!=', user.id).execute();
  if (holders.length === 0) throw new ConflictError('nobody else is bound to this enterprise: claim it instead (POST /v1/claims)', 'creditCode');
  const open = await trx.selectFrom('binding_contest').select('id').where('enterprise_id', '=', enterprise.id).where('contested_by', '=', user.id).where('status', '=', 'open').executeTakeFirst();
  if (open !== undefined) throw new ConflictError(`you already have an open contest for this enterprise (${open.id})`, 'creditCode');
  const result = await check.verify(checked, chinaDate(now));
  const contest: Contest = { id: uuidv7(), enterpriseId: enterprise.id, contestedBy: user.username, note, identityCheck: result.outcome, status: 'open', createdAt: now, resolvedAt: null, resolvedBy: null, resolutionNote: null };
  await trx
    .insertInto('binding_contest')
    .values({ id: contest.id, enterprise_id: enterprise.id, contested_by: user.id, note, identity_check: result.outcome, identity_reference: result.outcome === 'verified' ? result.reference : null, status: 'open', created_at: now, resolved_at: null, resolved_by: null, resolution_note: null })
    .execute();
  await appendAudit(trx, { actor: user.username, action: 'binding.contest', entityType: 'binding_contest', entityId: contest.id, after: { enterpriseId: enterprise.id, identityCheck: result.outcome } }, now);
  return contest;
}

/** Contests by status (default open), oldest first. */
export async function listContests(db: Db, status: ContestStatus = 'open'): Promise<Contest[]> {
  const rows = await contestQuery(db).where('binding_contest.status', '=', status).orderBy('binding_contest.created_at').orderBy('binding_contest.id').limit(500).execute();
  return rows.map(contestFromRow);
}

/** One contest; NotFound otherwise. */
export async function getContest(db: Db, id: string): Promise<Contest> {
  const row = await contestQuery(db).where('binding_contest.id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`contest ${id}`);
  return contestFromRow(row);
}

function contestQuery(db: Db) {
  return db
    .selectFrom('binding_contest')
    .innerJoin('app_user', 'app_user.id', 'binding_contest.contested_by')
    .select(['binding_contest.id', 'binding_contest.enterprise_id', 'app_user.username', 'binding_contest.note', 'binding_contest.identity_check', 'binding_contest.status', 'binding_contest.created_at', 'binding_contest.resolved_at', 'binding_contest.resolved_by', 'binding_contest.resolution_note']);
}

function contestFromRow(row: { id: string; enterprise_id: string; username: string; note: string; identity_check: 'verified' | 'mismatch'; status: ContestStatus; created_at: Date | string; resolved_at: Date | string | null; resolved_by: string | null; resolution_note: string | null }): Contest {
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    contestedBy: row.username,
    note: row.note,
    identityCheck: row.identity_check,
    status: row.status,
    createdAt: new Date(row.created_at),
    resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at),
    resolvedBy: row.resolved_by,
    resolutionNote: row.resolution_note,
  };
}

/** Refuses to resolve anything but an open contest. */
export async function assertOpenContest(db: Db, id: string): Promise<Contest> {
  const contest = await getContest(db, id);
  if (contest.status !== 'open') throw new ConflictError(`contest ${id} is ${contest.status}`, 'id');
  return contest;
}

/** An account manager dismisses a contest (the holder is the owner): one person's act, changing no binding. */
export async function dismissContest(trx: Transaction<Database>, id: string, actor: string, note: string, now: Date): Promise<Contest> {
  const contest = await assertOpenContest(trx, id);
  await trx.updateTable('binding_contest').set({ status: 'dismissed', resolved_at: now, resolved_by: actor, resolution_note: note }).where('id', '=', id).execute();
  await appendAudit(trx, { actor, action: 'binding.contest-dismiss', entityType: 'binding_contest', entityId: id, before: { status: 'open' }, after: { status: 'dismissed' } }, now);
  return { ...contest, status: 'dismissed', resolvedAt: now, resolvedBy: actor, resolutionNote: note };
}

/**
 * Upholding a contest (`binding.contest-uphold`): requested by an account manager, approved by a
 * second person. Every other borrower bound to the firm is unbound and the data authorisations
 * they granted are revoked; the contester is bound with the approval as evidence.
 */
export const CONTEST_UPHOLD: CheckedAction<{ contestId: string; note: string }> = {
  kind: 'binding.contest-uphold',
  makers: ['account-manager', 'admin'],
  checkers: ['account-manager', 'admin'],
  execute: async (trx, payload, maker, checker) => {
    const now = new Date();
    const contest = await assertOpenContest(trx, payload.contestId);
    const contester = await trx.selectFrom('app_user').select('id').where('username', '=', contest.contestedBy).executeTakeFirstOrThrow();
    const holders = await trx
      .selectFrom('user_enterprise')
      .innerJoin('app_user', 'app_user.id', 'user_enterprise.user_id')
      .select(['app_user.id', 'app_user.username'])
      .where('user_enterprise.enterprise_id', '=', contest.enterpriseId)
      .where('app_user.id', '!=', contester.id)
      .execute();
    const actor = `${maker} (checked by ${checker})`;
    for (const holder of holders) {
      await trx.deleteFrom('user_enterprise').where('user_id', '=', holder.id).where('enterprise_id', '=', contest.enterpriseId).execute();
      await appendAudit(trx, { actor, action: 'user.unbind-enterprise', entityType: 'app_user', entityId: holder.id, before: { enterpriseId: contest.enterpriseId }, after: { contestId: contest.id } }, now);
      // Consent given by someone who was not the firm's to give is void from now on.
      const grants = await trx.selectFrom('data_authorisation').select('id').where('enterprise_id', '=', contest.enterpriseId).where('granted_by', '=', holder.username).where('revoked_at', 'is', null).execute();
      for (const grant of grants) await revokeDataAuthorisation(trx, grant.id, actor, now);
    }
    await bindWithEvidence(trx, contester.id, contest.enterpriseId, { method: 'account-manager', reference: `contest ${contest.id} upheld: ${payload.note}`.slice(0, 500), verifiedBy: checker }, now);
    await trx.updateTable('binding_contest').set({ status: 'upheld', resolved_at: now, resolved_by: actor, resolution_note: payload.note }).where('id', '=', contest.id).execute();
    await appendAudit(trx, { actor, action: 'binding.contest-uphold', entityType: 'binding_contest', entityId: contest.id, before: { status: 'open' }, after: { status: 'upheld', unbound: holders.map((h) => h.username) } }, now);
    return { contestId: contest.id, enterpriseId: contest.enterpriseId, boundTo: contest.contestedBy, unbound: holders.map((h) => h.username) };
  },
};
