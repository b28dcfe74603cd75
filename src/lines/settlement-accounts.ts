/**
 * The enterprise's settlement accounts under a credit line (结算账户): where drawdowns are paid
 * (放款账户, `disbursement`) and what repayments are debited from (还款账户, `repayment`). Captured
 * when the contract is signed (`acceptOffer`), shown masked to everyone (the last four digits),
 * changed with an audit trail — by the borrower itself, or by staff under maker-checker
 * (`line.account-change`) — and recorded on each drawdown's and repayment's journal entry.
 *
 * A change supersedes the row in force and inserts a new one; rows are never edited, so the account
 * a past movement went through stays readable. The account must be the enterprise's own: its name
 * is the enterprise's registered name, never typed in (贷款资金不得转入他人账户).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { makeRequest, type Actor, type ApprovalRequest, type CheckedAction } from '../approvals/maker-checker.js';
import { appendAudit } from '../audit/audit-trail.js';
import { maskAccountNo } from '../auth/masking.js';
import type { Database, SettlementAccountTable } from '../db/schema.js';
import { anyOf } from '../db/unnest-rows.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What an account is for, a closed list. */
export const ACCOUNT_PURPOSES = ['disbursement', 'repayment'] as const;
export type AccountPurpose = (typeof ACCOUNT_PURPOSES)[number];

/** An account as typed by the borrower or the officer. */
export interface SettlementAccountInput {
  /** The bank's 12-digit CNAPS code (支付系统行号), e.g. "102100099996". */
  readonly bankCode: string;
  /** The bank and branch, e.g. "中国工商银行北京分行营业部". */
  readonly bankName: string;
  /** The account number: 8 to 32 digits; spaces and dashes as printed are ignored. */
  readonly accountNo: string;
}

/** Both accounts at signing; the repayment account defaults to the disbursement account. */
export interface AccountsInput {
  readonly disbursement: SettlementAccountInput;
  readonly repayment?: SettlementAccountInput | undefined;
}

/** An account as every face shows it: the number masked to its last four digits. */
export interface SettlementAccountView {
  readonly id: string;
  readonly purpose: AccountPurpose;
  readonly bankCode: string;
  readonly bankName: string;
  readonly accountName: string;
  /** "****0123" */
  readonly accountNoMasked: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export type SettlementAccountRow = Selectable<SettlementAccountTable>;

const ACCOUNT_DIGITS = { min: 8, max: 32 };

/**
 * The account checked and normalised, or a ValidationError naming `field.bankCode`,
 * `field.bankName` or `field.accountNo` with a reason the web words.
 *
 * @example
 * checkAccount({ bankCode: '102100099996', bankName: '工商银行北京分行', accountNo: '0200 0012 3456 7890 123' }, 'disbursement');
 * // { bankCode: '102100099996', bankName: '工商银行北京分行', accountNo: '02000012345678901 23'.replace(' ', '') }
 */
export function checkAccount(input: SettlementAccountInput, field: string): SettlementAccountInput {
  const bankCode = input.bankCode.trim();
  if (!/^[0-9]{12}$/.test(bankCode)) throw new ValidationError(`${field}.bankCode`, 'must be the 12-digit CNAPS bank code (支付系统行号)', 'bank-code-format', { length: 12 });
  const bankName = input.bankName.trim();
  if ([...bankName].length < 2) throw new ValidationError(`${field}.bankName`, 'must be at least 2 characters', 'too-short', { limit: 2 });
  if ([...bankName].length > 60) throw new ValidationError(`${field}.bankName`, 'must be at most 60 characters', 'too-long', { limit: 60 });
  const accountNo = input.accountNo.replace(/[\s-]/g, '');
  if (!/^[0-9]+$/.test(accountNo) || accountNo.length < ACCOUNT_DIGITS.min || accountNo.length > ACCOUNT_DIGITS.max) {
    throw new ValidationError(`${field}.accountNo`, `must be ${ACCOUNT_DIGITS.min} to ${ACCOUNT_DIGITS.max} digits`, 'account-number-format', { min: ACCOUNT_DIGITS.min, max: ACCOUNT_DIGITS.max });
  }
  return { bankCode, bankName, accountNo };
}

/** Checks both accounts of a signing (the repayment one defaulting to the disbursement one). */
export function checkAccounts(accounts: AccountsInput): Readonly<Record<AccountPurpose, SettlementAccountInput>> {
  const disbursement = checkAccount(accounts.disbursement, 'accounts.disbursement');
  const repayment = accounts.repayment === undefined ? disbursement : checkAccount(accounts.repayment, 'accounts.repayment');
  return { disbursement, repayment };
}

export function accountView(row: SettlementAccountRow): SettlementAccountView {
  return {
    id: row.id,
    purpose: row.purpose,
    bankCode: row.bank_code,
    bankName: row.bank_name,
    accountName: row.account_name,
    accountNoMasked: maskAccountNo(row.account_no),
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

/** The account in force for a line and purpose, or undefined when none was captured (lines opened before). */
export async function currentAccount(db: Executor, lineId: string, purpose: AccountPurpose): Promise<SettlementAccountRow | undefined> {
  return db.selectFrom('settlement_account').selectAll().where('line_id', '=', lineId).where('purpose', '=', purpose).where('superseded_at', 'is', null).executeTakeFirst();
}

/**
 * Each line's account for `purpose` in force ({@link currentAccount}), one read for all: a batch's
 * (repayment-batch.ts, drawdown-batch.ts). A line without one is absent.
 *
 * @example
 * const accounts = await currentAccounts(trx, [lineA, lineB], 'disbursement');
 */
export async function currentAccounts(db: Executor, lineIds: readonly (string | null)[], purpose: AccountPurpose): Promise<Map<string, SettlementAccountRow>> {
  const ids = [...new Set(lineIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('settlement_account').selectAll().where('line_id', '=', anyOf(ids, 'uuid')).where('purpose', '=', purpose).where('superseded_at', 'is', null).execute();
  const byLine = new Map<string, SettlementAccountRow>();
  for (const row of rows) if (!byLine.has(row.line_id)) byLine.set(row.line_id, row);
  return byLine;
}

/** Both accounts in force for a line, masked; null where none was captured. */
export async function lineAccounts(db: Executor, lineId: string): Promise<Record<AccountPurpose, SettlementAccountView | null>> {
  const rows = await db.selectFrom('settlement_account').selectAll().where('line_id', '=', lineId).where('superseded_at', 'is', null).execute();
  const of = (purpose: AccountPurpose) => {
    const row = rows.find((candidate) => candidate.purpose === purpose);
    return row === undefined ? null : accountView(row);
  };
  return { disbursement: of('disbursement'), repayment: of('repayment') };
}

/** Masked views of accounts by id (a journal entry's), for histories. */
export async function accountsById(db: Executor, ids: readonly string[]): Promise<Map<string, SettlementAccountView>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('settlement_account').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, accountView(row)]));
}

/**
 * Puts `account` in force for the line's `purpose`, superseding the one before, with the change in
 * the audit trail (numbers masked). Nothing changes when the account is the one in force.
 *
 * @example
 * await setAccount(trx, lineId, 'repayment', { bankCode: '102100099996', bankName: '工商银行', accountNo: '6222020200001234567' }, 'owner-1', new Date());
 */
export async function setAccount(trx: Transaction<Database>, lineId: string, purpose: AccountPurpose, input: SettlementAccountInput, actor: string, now: Date): Promise<SettlementAccountView> {
  const account = checkAccount(input, purpose);
  const line = await trx.selectFrom('credit_line').innerJoin('enterprise', 'enterprise.id', 'credit_line.enterprise_id').select(['credit_line.id', 'credit_line.status', 'credit_line.enterprise_id', 'enterprise.name']).where('credit_line.id', '=', lineId).executeTakeFirst();
  if (!line) throw new NotFoundError(`credit line ${lineId}`);
  if (line.status === 'closed') throw new ConflictError(`credit line ${lineId} is closed`, 'lineId');
  const before = await currentAccount(trx, lineId, purpose);
  if (before !== undefined && before.bank_code === account.bankCode && before.account_no === account.accountNo && before.bank_name === account.bankName) return accountView(before);
  if (before !== undefined) await trx.updateTable('settlement_account').set({ superseded_at: now }).where('id', '=', before.id).execute();
  const row: SettlementAccountRow = {
    id: uuidv7(),
    line_id: lineId,
    enterprise_id: line.enterprise_id,
    purpose,
    bank_code: account.bankCode,
    bank_name: account.bankName,
    account_name: line.name,
    account_no: account.accountNo,
    recorded_by: actor,
    recorded_at: now,
    superseded_at: null,
  };
  await trx.insertInto('settlement_account').values(row).execute();
  const audited = (r: SettlementAccountRow) => ({ id: r.id, bankCode: r.bank_code, bankName: r.bank_name, accountNo: maskAccountNo(r.account_no) });
  await appendAudit(trx, { actor, action: 'line.account', entityType: 'credit_line', entityId: lineId, before: before === undefined ? undefined : { purpose, ...audited(before) }, after: { purpose, ...audited(row) } }, now);
  return accountView(row);
}

/** What a staff member proposes and a checker confirms. */
export interface AccountChange extends SettlementAccountInput {
  readonly lineId: string;
  readonly purpose: AccountPurpose;
  readonly reason: string;
}

/** A staff change of account: proposed by the account manager, confirmed by an approver or an admin. */
export const ACCOUNT_CHANGE: CheckedAction<AccountChange> = {
  kind: 'line.account-change',
  makers: ['account-manager', 'operator', 'admin'],
  checkers: ['credit-approver', 'admin'],
  execute: (trx, payload, maker, checker) => setAccount(trx, payload.lineId, payload.purpose, payload, `${maker} (checked by ${checker})`, new Date()),
};

/** The maker's half of a staff account change: checked now, then waits for a checker. */
export async function requestAccountChange(trx: Transaction<Database>, change: AccountChange, maker: Actor): Promise<ApprovalRequest> {
  const account = checkAccount(change, change.purpose);
  const reason = change.reason.trim();
  if (reason.length < 2 || reason.length > 500) throw new ValidationError('reason', 'must be 2 to 500 characters', reason.length < 2 ? 'too-short' : 'too-long', { limit: reason.length < 2 ? 2 : 500 });
  const line = await trx.selectFrom('credit_line').select(['id', 'status']).where('id', '=', change.lineId).executeTakeFirst();
  if (!line) throw new NotFoundError(`credit line ${change.lineId}`);
  if (line.status === 'closed') throw new ConflictError(`credit line ${change.lineId} is closed`, 'lineId');
  return makeRequest(trx, ACCOUNT_CHANGE, `${change.lineId}:${change.purpose}`, { lineId: change.lineId, purpose: change.purpose, ...account, reason }, maker);
}
