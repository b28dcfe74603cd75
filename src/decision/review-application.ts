/**
 * Review of referred applications (人工审批): a person approves — within their approval
 * authority (审批权限, `app_user.approval_limit`) — or declines, with a note. Above the bank's
 * confirmation threshold an approval takes effect only when a second approver, whose own authority
 * covers the amount, confirms it through maker-checker (`APPLICATION_APPROVE`); never the same
 * person twice. Every step is audited.
 */
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Role } from '../auth/roles.js';
import { makeRequest, type CheckedAction } from '../approvals/maker-checker.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotAuthorisedError, NotFoundError, ValidationError } from '../errors.js';
import { lockedBorrower } from '../db/distribution.js';
import { formatMoney } from '../money/format-money.js';
import { enqueueNotice } from '../notifications/outbox.js';
import { unitsToRate } from '../pricing/rate-units.js';
import { minor, parseMoney, type Minor } from '../money/index.js';
import type { DecisionInputs } from './decide.js';

/** The bank's review configuration, versioned like the rest of the decision. */
export interface ReviewPolicy {
  readonly version: string;
  /** Approvals of more than this (fen) need a second approver's confirmation. */
  readonly confirmAbove: bigint;
  /** The inclusive-finance ceiling of total credit per borrower (fen); a reviewer stays within it too. */
  readonly inclusiveCeiling: bigint;
}

export const DEFAULT_REVIEW_POLICY: ReviewPolicy = {
  version: 'review-2025-06',
  confirmAbove: 500_000_00n,
  inclusiveCeiling: 10_000_000_00n,
};

/** Who may review and confirm. */
export const REVIEWER_ROLES: readonly Role[] = ['credit-approver', 'risk-officer', 'admin'];

export interface ReviewRequest {
  readonly decision: 'approve' | 'decline';
  /** Approve only: the limit granted, yuan "1234.00"; default the decision's proposed limit. */
  readonly limit?: string;
  readonly note: string;
}

export interface ReviewResult {
  readonly applicationId: string;
  readonly status: 'approved' | 'declined' | 'pending-confirmation';
  readonly approvalRequestId: string | null;
  /** Fen: the limit approved or waiting for confirmation; 0 when declined. */
  readonly limit: bigint;
}

/** What waits for the second approver. */
export interface ApprovePayload {
  readonly applicationId: string;
  /** Yuan, "1234.00". */
  readonly limit: string;
  readonly note: string;
}

/** Maker-checker for approvals above the threshold: confirmed by another approver whose authority covers the amount. */
export const APPLICATION_APPROVE: CheckedAction<ApprovePayload> = {
  kind: 'application.approve',
  makers: REVIEWER_ROLES,
  checkers: REVIEWER_ROLES,
  execute: async (trx, payload, maker, checker) => {
    const limit = parseMoney(payload.limit, 'limit');
    await assertAuthority(trx, checker, limit);
    const row = await lockApplication(trx, payload.applicationId);
    if (row.status !== 'pending-confirmation') throw new ConflictError(`application ${row.id} is ${row.status}, not waiting for confirmation`, 'applicationId');
    await setReviewed(trx, row.id, { status: 'approved', limit, reviewer: `${maker} (confirmed by ${checker})`, note: payload.note });
    await appendAudit(trx, { actor: checker, action: 'application.confirm', entityType: 'application', entityId: row.id, before: { status: row.status }, after: { status: 'approved', limit: payload.limit, maker } });
    return { applicationId: row.id, status: 'approved', limit: payload.limit };
  },
  onReject: async (trx, payload, _maker, checker) => {
    // A rejected confirmation sends the application back to the queue for another review.
    const row = await lockApplication(trx, payload.applicationId);
    if (row.status !== 'pending-confirmation') return;
    await trx.updateTable('application').set({ status: 'referred' }).where('id', '=', row.id).execute();
    await appendAudit(trx, { actor: checker, action: 'application.confirmation-rejected', entityType: 'application', entityId: row.id, before: { status: row.status }, after: { status: 'referred' } });
  },
};

/**
 * Reviews a referred application.
 *
 * @example
 * await reviewApplication(trx, id, { decision: 'approve', limit: '300000.00', note: '销售稳定' }, { username: 'credit-approver', role: 'credit-approver' }, DEFAULT_REVIEW_POLICY);
 * // { status: 'approved', approvalRequestId: null, limit: 300_000_00n }
 */
export async function reviewApplication(
  trx: Transaction<Database>,
  applicationId: string,
  request: ReviewRequest,
  reviewer: { readonly username: string; readonly role: Role },
  policy: ReviewPolicy,
): Promise<ReviewResult> {
  const note = typeof request.note === 'string' ? request.note.trim() : '';
  if (note === '' || note.length > 500) throw new ValidationError('note', 'must be 1 to 500 characters: why');
  if (request.decision === 'decline' && request.limit !== undefined) throw new ValidationError('limit', 'is for approvals only');
  const row = await lockApplication(trx, applicationId);
  if (row.status !== 'referred') throw new ConflictError(`application ${row.id} is ${row.status}; only referred applications are reviewed`, 'id');

  if (request.decision === 'decline') {
    await setReviewed(trx, row.id, { status: 'declined', limit: minor(0n), reviewer: reviewer.username, note });
    await appendAudit(trx, { actor: reviewer.username, action: 'application.review', entityType: 'application', entityId: row.id, before: { status: row.status }, after: { status: 'declined', note } });
    return { applicationId: row.id, status: 'declined', approvalRequestId: null, limit: 0n };
  }

  const limit = request.limit === undefined ? row.limit_amount : parseMoney(request.limit, 'limit');
  assertWithinBounds(limit, row.inputs as DecisionInputs, policy);
  if (row.rate_units === null) throw new ConflictError(`application ${row.id} has no price (score band E); it cannot be approved`, 'id');
  await assertAuthority(trx, reviewer.username, limit);

  if (limit > policy.confirmAbove) {
    const pending = await makeRequest(trx, APPLICATION_APPROVE, row.id, { applicationId: row.id, limit: formatMoney(limit), note }, reviewer);
    await trx.updateTable('application').set({ status: 'pending-confirmation', limit_amount: limit, reviewed_by: reviewer.username, reviewed_at: new Date(), review_note: note }).where('id', '=', row.id).execute();
    await appendAudit(trx, { actor: reviewer.username, action: 'application.review', entityType: 'application', entityId: row.id, before: { status: row.status }, after: { status: 'pending-confirmation', limit: formatMoney(limit), approvalRequestId: pending.id, note } });
    return { applicationId: row.id, status: 'pending-confirmation', approvalRequestId: pending.id, limit };
  }
  await setReviewed(trx, row.id, { status: 'approved', limit, reviewer: reviewer.username, note });
  await appendAudit(trx, { actor: reviewer.username, action: 'application.review', entityType: 'application', entityId: row.id, before: { status: row.status, limit: formatMoney(row.limit_amount) }, after: { status: 'approved', limit: formatMoney(limit), note } });
  return { applicationId: row.id, status: 'approved', approvalRequestId: null, limit };
}

async function lockApplication(trx: Transaction<Database>, id: string) {
  const row = await trx.selectFrom('application').select(['id', 'status', 'limit_amount', 'rate_units', 'inputs']).where('id', '=', id).where('enterprise_id', '=', await lockedBorrower(trx, 'application', id)).forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError(`application ${id}`);
  return row;
}

async function setReviewed(trx: Transaction<Database>, id: string, change: { status: 'approved' | 'declined'; limit: Minor; reviewer: string; note: string }): Promise<void> {
  await trx.updateTable('application').set({ status: change.status, limit_amount: change.limit, reviewed_by: change.reviewer, reviewed_at: new Date(), review_note: change.note }).where('id', '=', id).execute();
  // The borrower hears the decision, in the transaction that makes it.
  const row = await trx.selectFrom('application').innerJoin('product', 'product.id', 'application.product_id').innerJoin('system_state', (join) => join.on('system_state.id', '=', 1))
    .select(['application.enterprise_id', 'application.rate_units', 'product.name', 'system_state.business_date']).where('application.id', '=', id).executeTakeFirstOrThrow();
  await enqueueNotice(trx, {
    kind: 'decision',
    dedupeKey: `decision:${id}:${change.status}`,
    enterpriseId: row.enterprise_id,
    businessDate: row.business_date,
    params: { applicationId: id, outcome: change.status, productName: row.name, limit: formatMoney(change.limit), annualRate: row.rate_units === null ? '' : unitsToRate(row.rate_units) },
  });
}

/** The approver's authority must cover the amount; none recorded means none at all. */
async function assertAuthority(trx: Transaction<Database>, username: string, amount: bigint): Promise<void> {
  const user = await trx.selectFrom('app_user').select('approval_limit').where('username', '=', username).executeTakeFirst();
  const authority = user?.approval_limit ?? null;
  if (authority === null) throw new NotAuthorisedError(`${username} has no approval authority (审批权限)`);
  if (amount > authority) throw new NotAuthorisedError(`approving ${formatMoney(amount)} needs an approval authority of at least that; ${username}'s approval authority is ${formatMoney(authority)}`);
}

/** A reviewer grants within the product's bounds and the inclusive ceiling less existing exposure, as the decision would. */
function assertWithinBounds(limit: bigint, inputs: DecisionInputs, policy: ReviewPolicy): void {
  const min = BigInt(inputs.product.minAmount);
  const max = BigInt(inputs.product.maxAmount);
  if (limit < min || limit > max) throw new ValidationError('limit', `must be within the product's bounds ${formatMoney(min)} to ${formatMoney(max)}`);
  const room = policy.inclusiveCeiling - BigInt(inputs.existingExposure);
  if (limit > room) throw new ValidationError('limit', `would take the borrower's total credit over the inclusive-finance ceiling ${formatMoney(policy.inclusiveCeiling)} (room ${formatMoney(room < 0n ? 0n : room)})`);
}
