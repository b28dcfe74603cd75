/**
 * Requesting a write-off (核销): the maker's half of the business operation. The loan is checked
 * now (a reason, an active doubtful or loss loan), so a request that could never be approved is
 * refused at once; the write-off itself runs when a second person approves it
 * (`WRITE_OFF` in src/approvals/checked-actions.ts).
 */
import type { Transaction } from 'kysely';
import { WRITE_OFF } from '../approvals/checked-actions.js';
import { makeRequest, type Actor, type ApprovalRequest } from '../approvals/maker-checker.js';
import type { Database } from '../db/schema.js';
import { loanById } from './loans.js';
import { assertWriteOffAllowed } from './write-off.js';

/**
 * Checks the loan and records the request for a checker.
 *
 * @example
 * const pending = await requestWriteOff(trx, { loanId, reason: 'borrower bankrupt (2025)沪01破12号' }, { username: 'risk-1', role: 'risk-officer' });
 */
export async function requestWriteOff(trx: Transaction<Database>, request: { loanId: string; reason: string }, maker: Actor): Promise<ApprovalRequest> {
  assertWriteOffAllowed(await loanById(trx, request.loanId), request.reason);
  return makeRequest(trx, WRITE_OFF, request.loanId, request, maker);
}
