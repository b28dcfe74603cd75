/**
 * Releasing security (解押, 解除保证): only when every line it secures is repaid and closed — no
 * release while exposure remains — and only when a second person confirms it (maker-checker).
 * The maker's request is checked at once so an impossible request is refused then; the checker's
 * approval checks again, because a line may have been drawn in between.
 */
import { sql, type Transaction } from 'kysely';
import { makeRequest, type Actor, type ApprovalRequest, type CheckedAction } from '../approvals/maker-checker.js';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import type { Minor } from '../money/minor.js';
import { getBusinessDate } from '../system/business-date.js';
import { collateralRow } from './collateral-register.js';
import { guaranteeRow } from './guarantees.js';
import { syncCollateralMemo, syncGuaranteeMemo } from './security-memo.js';
import { accrualNights, accruedInterestSql } from '../servicing/lazy-accrual.js';

/** Why a line still holds its security: open, or something still owed on it. */
export interface ReleaseBlock {
  readonly lineId: string;
  readonly lineStatus: string;
  readonly exposure: Minor;
}

/** The lines that stop a release: any not closed, or with principal, interest or penalty owed. */
async function blockingLines(trx: Transaction<Database>, lineIds: readonly string[]): Promise<ReleaseBlock[]> {
  if (lineIds.length === 0) return [];
  const lines = await trx.selectFrom('credit_line').select(['id', 'status']).where('id', 'in', lineIds).execute();
  const owed = await trx
    .selectFrom('loan')
    .select(['line_id', 'principal_not_due', 'principal_due', accruedInterestSql(sql`loan`, await accrualNights(trx)).as('interest_accrued'), 'interest_due', 'penalty_due'])
    .where('line_id', 'in', lineIds)
    .where('status', '=', 'active')
    .execute();
  const blocks: ReleaseBlock[] = [];
  for (const line of lines) {
    const exposure = owed.filter((loan) => loan.line_id === line.id).reduce((sum, l) => sum + l.principal_not_due + l.principal_due + l.interest_accrued + l.interest_due + l.penalty_due, 0n) as Minor;
    if (line.status !== 'closed' || exposure > 0n) blocks.push({ lineId: line.id, lineStatus: line.status, exposure });
  }
  return blocks;
}

function refuse(what: string, blocks: readonly ReleaseBlock[]): never {
  const first = blocks[0]!;
  throw new ConflictError(`${what} still secures line ${first.lineId} (${first.lineStatus}, ${formatMoney(first.exposure)} owed): release it once the line is repaid and closed`, 'lineId', 'still-secures', { owed: formatMoney(first.exposure) });
}

/** Refuses (CONFLICT) unless every line the collateral secures is repaid and closed. */
export async function assertCollateralReleasable(trx: Transaction<Database>, collateralId: string): Promise<void> {
  const row = await collateralRow(trx, collateralId, true);
  if (row.status === 'released') throw new ConflictError(`collateral ${collateralId} is already released`, 'status');
  const links = await trx.selectFrom('collateral_link').select('line_id').where('collateral_id', '=', collateralId).where('released_on', 'is', null).execute();
  const blocks = await blockingLines(trx, links.map((link) => link.line_id));
  if (blocks.length > 0) refuse(`collateral ${row.identifier}`, blocks);
}

/** Refuses (CONFLICT) unless the guarantee is held and its line, if any, is repaid and closed. */
export async function assertGuaranteeReleasable(trx: Transaction<Database>, guaranteeId: string): Promise<void> {
  const row = await guaranteeRow(trx, guaranteeId, true);
  if (row.status !== 'held') throw new ConflictError(`guarantee ${guaranteeId} is ${row.status}`, 'status', 'guarantee-not-held', { status: row.status });
  const blocks = await blockingLines(trx, row.line_id === null ? [] : [row.line_id]);
  if (blocks.length > 0) refuse(`guarantee ${guaranteeId}`, blocks);
}

/** Releases collateral now (the checker's half): the links end, the memo entry is reversed. */
export async function releaseCollateral(trx: Transaction<Database>, collateralId: string, actor: string): Promise<{ collateralId: string; releasedOn: string }> {
  await assertCollateralReleasable(trx, collateralId);
  const today = await getBusinessDate(trx);
  await trx.updateTable('collateral').set({ status: 'released', released_on: today }).where('id', '=', collateralId).execute();
  await trx.updateTable('collateral_link').set({ released_on: today }).where('collateral_id', '=', collateralId).where('released_on', 'is', null).execute();
  await syncCollateralMemo(trx, collateralId, today, actor, 'released');
  await appendAudit(trx, { actor, action: 'collateral.release', entityType: 'collateral', entityId: collateralId, after: { status: 'released', releasedOn: today } });
  return { collateralId, releasedOn: today };
}

/** Releases a guarantee now (the checker's half): off the memo ledger. */
export async function releaseGuarantee(trx: Transaction<Database>, guaranteeId: string, actor: string): Promise<{ guaranteeId: string; releasedOn: string }> {
  await assertGuaranteeReleasable(trx, guaranteeId);
  const today = await getBusinessDate(trx);
  await trx.updateTable('guarantee').set({ status: 'released' }).where('id', '=', guaranteeId).execute();
  await syncGuaranteeMemo(trx, guaranteeId, today, actor, 'released');
  await appendAudit(trx, { actor, action: 'guarantee.release', entityType: 'guarantee', entityId: guaranteeId, after: { status: 'released', releasedOn: today } });
  return { guaranteeId, releasedOn: today };
}

export interface ReleaseRequest {
  readonly id: string;
  readonly reason: string;
}

/** Collateral release: asked by the account manager or an approver, confirmed by a risk officer or an admin. */
export const COLLATERAL_RELEASE: CheckedAction<ReleaseRequest> = {
  kind: 'collateral.release',
  makers: ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  checkers: ['risk-officer', 'admin'],
  execute: (trx, payload, maker, checker) => releaseCollateral(trx, payload.id, `${maker} (checked by ${checker})`),
};

/** Guarantee release: the same people as collateral. */
export const GUARANTEE_RELEASE: CheckedAction<ReleaseRequest> = {
  kind: 'guarantee.release',
  makers: ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  checkers: ['risk-officer', 'admin'],
  execute: (trx, payload, maker, checker) => releaseGuarantee(trx, payload.id, `${maker} (checked by ${checker})`),
};

function reasonOf(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 2 || trimmed.length > 500) throw new ValidationError('reason', 'must be 2 to 500 characters');
  return trimmed;
}

/** The maker's half: checks now, then records the request for a checker. */
export async function requestCollateralRelease(trx: Transaction<Database>, collateralId: string, reason: string, maker: Actor): Promise<ApprovalRequest> {
  const payload = { id: collateralId, reason: reasonOf(reason) };
  await assertCollateralReleasable(trx, collateralId);
  return makeRequest(trx, COLLATERAL_RELEASE, collateralId, payload, maker);
}

export async function requestGuaranteeRelease(trx: Transaction<Database>, guaranteeId: string, reason: string, maker: Actor): Promise<ApprovalRequest> {
  const payload = { id: guaranteeId, reason: reasonOf(reason) };
  await assertGuaranteeReleasable(trx, guaranteeId);
  return makeRequest(trx, GUARANTEE_RELEASE, guaranteeId, payload, maker);
}
