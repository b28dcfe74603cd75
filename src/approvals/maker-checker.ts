/**
 * Maker-checker (双人复核): actions that take effect only when a second person confirms them.
 * The maker's request is stored with its payload; a checker — never the maker, enforced here and
 * by a CHECK constraint — approves (the action runs then, in the same transaction) or rejects it.
 */
import { maskAccountNumbers } from '../auth/masking.js';
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Role } from '../auth/roles.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotAuthorisedError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';

/** The kinds of action under maker-checker, a closed list (the web app names each). */
export const APPROVAL_KINDS = ['loan.write-off', 'ledger.manual-entry', 'application.approve', 'product.change', 'policy.change', 'binding.verify', 'binding.contest-uphold', 'collateral.release', 'guarantee.release', 'report.file', 'warning-rules.change', 'warning.undo-action', 'line.account-change', 'lpr.fixing', 'scf.programme', 'scf.programme-change', 'scorecard.deploy', 'calendar.load'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** An action that needs a checker: who may make it, who may check it, and what it does. */
export interface CheckedAction<P> {
  readonly kind: ApprovalKind;
  readonly makers: readonly Role[];
  readonly checkers: readonly Role[];
  /** Runs the action on approval, as the maker's action confirmed by the checker. */
  readonly execute: (trx: Transaction<Database>, payload: P, maker: string, checker: string) => Promise<unknown>;
  /** Undoes what making the request put on hold, when the checker rejects it (optional). */
  readonly onReject?: (trx: Transaction<Database>, payload: P, maker: string, checker: string) => Promise<void>;
}

export interface ApprovalRequest {
  readonly id: string;
  readonly kind: ApprovalKind;
  readonly subjectId: string;
  readonly payload: unknown;
  readonly maker: string;
  readonly madeAt: string;
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly checker: string | null;
  readonly decidedAt: string | null;
  readonly result: unknown;
}

/** The caller as maker-checker sees them. */
export interface Actor {
  readonly username: string;
  readonly role: Role;
}

/**
 * Records a request for `action`; nothing else happens until a checker approves it.
 *
 * @example
 * const request = await makeRequest(trx, WRITE_OFF, loanId, { loanId, reason }, { username: 'li.risk', role: 'risk-officer' });
 */
export async function makeRequest<P>(trx: Transaction<Database>, action: CheckedAction<P>, subjectId: string, payload: P, maker: Actor): Promise<ApprovalRequest> {
  if (!action.makers.includes(maker.role)) throw new NotAuthorisedError(`role ${maker.role} may not request ${action.kind}`);
  const pending = await trx.selectFrom('approval_request').select('id').where('kind', '=', action.kind).where('subject_id', '=', subjectId).where('status', '=', 'pending').executeTakeFirst();
  if (pending) throw new ConflictError(`a ${action.kind} request for ${subjectId} is already waiting for a checker (${pending.id})`, 'subjectId');
  const id = uuidv7();
  const madeAt = new Date();
  await trx
    .insertInto('approval_request')
    .values({ id, kind: action.kind, subject_id: subjectId, payload: JSON.stringify(payload), maker: maker.username, made_at: madeAt, status: 'pending', checker: null, decided_at: null, result: null })
    .execute();
  await appendAudit(trx, { actor: maker.username, action: 'approval.request', entityType: 'approval_request', entityId: id, after: { kind: action.kind, subjectId, payload } });
  return { id, kind: action.kind, subjectId, payload: maskAccountNumbers(payload), maker: maker.username, madeAt: madeAt.toISOString(), status: 'pending', checker: null, decidedAt: null, result: null };
}

/**
 * Approves or rejects a pending request. Approving runs the action; if it fails, nothing is
 * recorded and the request stays pending.
 */
export async function decideRequest(
  trx: Transaction<Database>,
  actions: ReadonlyMap<string, CheckedAction<never>>,
  id: string,
  decision: 'approve' | 'reject',
  checker: Actor,
): Promise<ApprovalRequest> {
  const row = await trx.selectFrom('approval_request').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError(`approval request ${id}`);
  const action = actions.get(row.kind);
  if (!action) throw new ValidationError('kind', `no action ${row.kind}`);
  if (row.status !== 'pending') throw new ConflictError(`request ${id} was already ${row.status} by ${row.checker}`, 'id');
  if (row.maker === checker.username) throw new NotAuthorisedError('the checker must be a different person from the maker');
  if (!action.checkers.includes(checker.role)) throw new NotAuthorisedError(`role ${checker.role} may not check ${row.kind}`);
  const result = decision === 'approve' ? await action.execute(trx, row.payload as never, row.maker, checker.username) : null;
  if (decision === 'reject') await action.onReject?.(trx, row.payload as never, row.maker, checker.username);
  const status = decision === 'approve' ? 'approved' : 'rejected';
  const decidedAt = new Date();
  await trx
    .updateTable('approval_request')
    .set({ status, checker: checker.username, decided_at: decidedAt, result: result === null ? null : JSON.stringify(result, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)) })
    .where('id', '=', id)
    .execute();
  await appendAudit(trx, { actor: checker.username, action: `approval.${status}`, entityType: 'approval_request', entityId: id, before: { status: 'pending' }, after: { status, kind: row.kind, subjectId: row.subject_id } });
  const saved = await trx.selectFrom('approval_request').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return toRequest(saved);
}

/** Pending requests a checker of `role` could decide, oldest first. */
export async function pendingRequests(db: Kysely<Database>, actions: ReadonlyMap<string, CheckedAction<never>>, role: Role): Promise<ApprovalRequest[]> {
  const kinds = [...actions.values()].filter((action) => action.checkers.includes(role)).map((action) => action.kind);
  if (kinds.length === 0) return [];
  const rows = await db.selectFrom('approval_request').selectAll().where('status', '=', 'pending').where('kind', 'in', kinds).orderBy('made_at').limit(500).execute();
  return rows.map(toRequest);
}

function toRequest(row: { id: string; kind: string; subject_id: string; payload: unknown; maker: string; made_at: Date; status: 'pending' | 'approved' | 'rejected'; checker: string | null; decided_at: Date | null; result: unknown }): ApprovalRequest {
  return {
    id: row.id,
    // Rows are only ever written with a checked action's kind.
    kind: row.kind as ApprovalKind,
    subjectId: row.subject_id,
    // The checker reads the proposal; an account number in it is shown masked, as everywhere.
    payload: maskAccountNumbers(row.payload),
    maker: row.maker,
    madeAt: new Date(row.made_at).toISOString(),
    status: row.status,
    checker: row.checker,
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at).toISOString(),
    result: row.result,
  };
}
