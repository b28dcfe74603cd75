/**
 * A borrower asks for a renewal (续贷申请) before its loan matures. The request changes no money;
 * it waits for staff, who decide with {@link decideRenewal}: the renewal (or its refusal) and the
 * settling of the loan's pending requests, in one transaction. That one service is what the API
 * (and so the web app) and the demo call, so the paths cannot drift apart.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database, RenewalRequestTable } from '../db/schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { getBusinessDate } from '../system/business-date.js';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import { productById } from '../products/products.js';
import { scheduleRequestFor } from './loan-term.js';
import { loanById } from './loans.js';
import { renew, type RenewalOutcome, type RenewalRequest } from './renewal.js';

export type RenewalRequestRow = Selectable<RenewalRequestTable>;

/** Where today falls against a loan's renewal window: before it opens, in it, or past maturity. */
export interface RenewalWindow {
  readonly state: 'not-open' | 'open' | 'after-maturity';
  /** The first day a renewal may be asked for: `windowDays` before maturity. */
  readonly opensOn: BusinessDate;
}

/**
 * The renewal window of a loan maturing on `maturityOn`: open from `windowDays` days before it up
 * to the day before maturity (a renewal is signed before the old loan matures).
 *
 * @example
 * renewalWindow('2025-12-31', 30, '2025-11-30'); // { state: 'not-open', opensOn: '2025-12-01' }
 * renewalWindow('2025-12-31', 30, '2025-12-01'); // { state: 'open', opensOn: '2025-12-01' }
 */
export function renewalWindow(maturityOn: BusinessDate, windowDays: number, today: BusinessDate): RenewalWindow {
  const opensOn = addDays(maturityOn, -windowDays);
  return { state: today >= maturityOn ? 'after-maturity' : today < opensOn ? 'not-open' : 'open', opensOn };
}

export interface RenewalRequestInput {
  readonly loanId: string;
  readonly termDays?: number | undefined;
  readonly installments?: number | undefined;
  /** Why the borrower asks, in its words (1–500 characters). */
  readonly note: string;
}

/**
 * Records a borrower's request to renew an active loan that has not yet matured. One open request
 * per loan; a second is a CONFLICT.
 *
 * @example
 * await requestRenewal(trx, { loanId, termDays: 180, note: '订单周期未结束' }, 'owner-1', new Date());
 */
export async function requestRenewal(trx: Transaction<Database>, input: RenewalRequestInput, actor: string, now: Date): Promise<RenewalRequestRow> {
  const note = input.note.trim();
  if (note.length < 1 || note.length > 500) throw new ValidationError('note', 'must be 1 to 500 characters');
  // The same term rules as the renewal itself, checked now so a bad request is refused at once.
  scheduleRequestFor(input, {}, '1.00', '1', '2000-01-01');
  const loan = await loanById(trx, input.loanId, { forUpdate: true });
  if (loan.status !== 'active') throw new ConflictError(`loan ${loan.id} is ${loan.status}; only an active loan can be renewed`, 'loanId');
  const today = await getBusinessDate(trx);
  const product = await productById(trx, loan.product_id);
  const window = renewalWindow(loan.maturity_on, product.renewalWindowDays, today);
  if (window.state === 'after-maturity') {
    throw new ConflictError(`loan ${loan.id} matures on ${loan.maturity_on}; a renewal is asked for before maturity (today is ${today})`, 'loanId', 'renewal-after-maturity', { maturityOn: loan.maturity_on });
  }
  if (window.state === 'not-open') {
    throw new ConflictError(
      `a renewal of loan ${loan.id} may be asked for from ${window.opensOn}, ${product.renewalWindowDays} days before it matures on ${loan.maturity_on} (today is ${today})`,
      'loanId',
      'renewal-window-not-open',
      { opensOn: window.opensOn, maturityOn: loan.maturity_on, days: product.renewalWindowDays },
    );
  }
  const open = await trx.selectFrom('renewal_request').select('id').where('loan_id', '=', loan.id).where('status', '=', 'pending').executeTakeFirst();
  if (open) throw new ConflictError(`loan ${loan.id} already has a pending renewal request ${open.id}`, 'loanId');
  const row: RenewalRequestRow = {
    id: uuidv7(),
    loan_id: loan.id,
    enterprise_id: loan.enterprise_id,
    term_days: input.termDays ?? null,
    installments: input.installments ?? null,
    note,
    status: 'pending',
    requested_by: actor,
    requested_at: now,
    business_date: today,
    settled_by: null,
    new_loan_id: null,
  };
  await trx.insertInto('renewal_request').values(row).execute();
  await appendAudit(trx, { actor, action: 'loan.renewal-requested', entityType: 'loan', entityId: loan.id, after: { requestId: row.id, termDays: row.term_days, installments: row.installments, note } }, now);
  return row;
}

/** Renewal requests, newest first, optionally of some enterprises (none: an empty list) and one status. */
export async function listRenewalRequests(db: Kysely<Database>, filter: { readonly enterpriseIds?: readonly string[] | undefined; readonly status?: RenewalRequestRow['status'] | undefined; readonly limit: number }): Promise<RenewalRequestRow[]> {
  let query = db.selectFrom('renewal_request').selectAll();
  if (filter.enterpriseIds !== undefined) {
    if (filter.enterpriseIds.length === 0) return [];
    query = query.where('enterprise_id', 'in', filter.enterpriseIds);
  }
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/**
 * Staff decide a renewal (无还本续贷): the loan is renewed, or the refusal and its reasons are
 * recorded, and the loan's pending renewal requests are settled with the outcome (renewed with the
 * new loan, or refused). A loan renewed without a request (staff acting first) settles nothing.
 *
 * @example
 * const outcome = await decideRenewal(trx, { loanId, termDays: 90, attestation }, 'credit-approver');
 * // outcome.decision === 'renewed' → the request row: status 'renewed', new_loan_id = outcome.newLoanId
 */
export async function decideRenewal(trx: Transaction<Database>, request: RenewalRequest, actor: string): Promise<RenewalOutcome> {
  const outcome = await renew(trx, request, actor);
  await settleRenewalRequests(trx, request.loanId, outcome, actor);
  return outcome;
}

/** After staff decided on a renewal of `loanId`: its pending requests become renewed or refused. */
async function settleRenewalRequests(trx: Transaction<Database>, loanId: string, outcome: { readonly decision: 'renewed'; readonly newLoanId: string } | { readonly decision: 'refused' }, actor: string): Promise<void> {
  await trx
    .updateTable('renewal_request')
    .set({ status: outcome.decision, settled_by: actor, new_loan_id: outcome.decision === 'renewed' ? outcome.newLoanId : null })
    .where('loan_id', '=', loanId)
    .where('status', '=', 'pending')
    .execute();
}
