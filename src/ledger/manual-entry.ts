/**
 * Manual journal entries (手工记账): corrections an accountant posts by hand, e.g. moving an
 * unapplied receipt out of suspense. Only accounts that no sub-ledger controls may be used — a
 * hand-made line on a loans or receivable account would break reconciliation — and over the API
 * an entry takes effect only when a second person approves it.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { parseMoney } from '../money/parse-money.js';
import { getBusinessDate } from '../system/business-date.js';
import type { AccountPurpose } from './chart-of-accounts.js';
import { BANK_ENTERPRISE_ID, postEntry, type PostingLine } from './post-entry.js';

/** Accounts open to manual entries: none of them is mirrored by the loan sub-ledger. */
export const MANUAL_PURPOSES: readonly AccountPurpose[] = ['settlement', 'suspense', 'fee-income', 'interest-income', 'penalty-income', 'recovery-income', 'provision-expense'];

export interface ManualEntryRequest {
  readonly description: string;
  /** Signed yuan amounts, debit positive: [{ account: 'suspense', amount: '300.00' }, { account: 'settlement', amount: '-300.00' }]. */
  readonly lines: readonly { readonly account: string; readonly amount: string }[];
}

/**
 * Checks a manual entry and turns it into posting lines; throws a ValidationError naming the
 * line at fault.
 */
export function parseManualEntry(request: ManualEntryRequest): PostingLine[] {
  if (request.description.trim().length < 5) throw new ValidationError('description', 'say what the entry corrects (at least 5 characters)');
  if (request.lines.length < 2 || request.lines.length > 20) throw new ValidationError('lines', 'an entry has 2 to 20 lines');
  const lines = request.lines.map((line, index) => {
    if (!(MANUAL_PURPOSES as readonly string[]).includes(line.account)) {
      throw new ValidationError(`lines.${index}.account`, `must be one of ${MANUAL_PURPOSES.join(', ')}; loan and receivable accounts move only with their loans`);
    }
    const amount = parseMoney(line.amount, `lines.${index}.amount`, { allowNegative: true });
    if (amount === 0n) throw new ValidationError(`lines.${index}.amount`, 'must not be 0.00');
    return { purpose: line.account as AccountPurpose, amount };
  });
  const sum = lines.reduce((total, line) => total + line.amount, 0n);
  if (sum !== 0n) throw new ValidationError('lines', `debits and credits must be equal; they differ by ${sum} fen`);
  return lines;
}

/** Posts a checked manual entry today. */
export async function postManualEntry(trx: Transaction<Database>, request: ManualEntryRequest, actor: string): Promise<{ entryId: string }> {
  const lines = parseManualEntry(request);
  const entryId = await postEntry(trx, { enterpriseId: BANK_ENTERPRISE_ID, businessDate: await getBusinessDate(trx), kind: 'manual', description: request.description.trim(), createdBy: actor, lines });
  return { entryId: entryId! };
}
