/**
 * Guarantors and guarantees (保证): a guarantee company (融资担保公司) with its own exposure cap
 * across the bank, margin deposit ratio (保证金比例) and rating, or a natural person whose resident
 * ID number is kept whole and shown masked (`auth/masking.ts`); guarantees joint and several or
 * general, with an amount and a period; and the call on a guarantee when a loan defaults.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { maskIdNumber } from '../auth/masking.js';
import { parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { Database, GuaranteeTable, GuarantorTable } from '../db/schema.js';
import { parseCreditCode } from '../enterprises/credit-code.js';
import { parseResidentIdNumber } from '../enterprises/resident-id.js';
import { ConflictError, invariant, LimitExceededError, NotFoundError, ValidationError } from '../errors.js';
import { enterpriseOfRow } from '../db/distribution.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { parseMoney } from '../money/parse-money.js';
import { balancesOf, loanById } from '../servicing/loans.js';
import { repay } from '../servicing/repayment.js';
import { getBusinessDate } from '../system/business-date.js';
import { GUARANTEE_TYPES, GUARANTOR_KINDS, type GuaranteeStatus, type GuaranteeType, type GuarantorKind, type GuarantorStanding } from './collateral-terms.js';
import { MAX_COLLATERAL_VALUE } from './collateral-register.js';
import { syncGuaranteeMemo } from './security-memo.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface Guarantor {
  readonly id: string;
  readonly kind: GuarantorKind;
  readonly name: string;
  readonly creditCode: string | null;
  /** Whole for roles that see personal data, masked for the rest (the route decides). */
  readonly idNumber: string | null;
  readonly exposureCap: Minor | null;
  readonly marginRatioBp: number | null;
  readonly rating: string | null;
  /** From the guarantor's own data (`guarantor-data.ts`): unchecked, clear or adverse. */
  readonly standing: GuarantorStanding;
  readonly checkedOn: BusinessDate | null;
}

export interface NewGuarantor {
  readonly kind: string;
  readonly name: string;
  readonly creditCode?: string | undefined;
  readonly idNumber?: string | undefined;
  /** Yuan: a company's cap across the bank. */
  readonly exposureCap?: string | undefined;
  readonly marginRatioBp?: number | undefined;
  readonly rating?: string | undefined;
}

/** Adds a guarantor: a company needs its credit code, cap and margin ratio; a person an ID number. */
export async function createGuarantor(trx: Transaction<Database>, request: NewGuarantor, actor: string): Promise<Guarantor> {
  if (!(GUARANTOR_KINDS as readonly string[]).includes(request.kind)) throw new ValidationError('kind', `must be one of ${GUARANTOR_KINDS.join(', ')}`);
  const name = request.name.trim();
  if (name.length < 1 || name.length > 200) throw new ValidationError('name', 'must be 1 to 200 characters');
  const kind = request.kind as GuarantorKind;
  let row: Selectable<GuarantorTable>;
  const base = { id: uuidv7(), kind, name, created_by: actor, created_at: new Date(), standing: 'unchecked' as const, checked_on: null };
  if (kind === 'company') {
    if (request.creditCode === undefined) throw new ValidationError('creditCode', 'a guarantee company needs its Unified Social Credit Code');
    const creditCode = parseCreditCode(request.creditCode, 'creditCode');
    if (request.exposureCap === undefined) throw new ValidationError('exposureCap', 'a guarantee company needs a cap on what it guarantees');
    const cap = parseMoney(request.exposureCap, 'exposureCap');
    if (cap <= 0n || cap > MAX_COLLATERAL_VALUE) throw new ValidationError('exposureCap', 'must be more than 0.00');
    const ratio = request.marginRatioBp ?? 0;
    if (!Number.isInteger(ratio) || ratio < 0 || ratio > 10000) throw new ValidationError('marginRatioBp', 'must be 0 to 10000 basis points');
    const rating = request.rating?.trim() ?? null;
    if (rating !== null && (rating.length < 1 || rating.length > 10)) throw new ValidationError('rating', 'must be 1 to 10 characters');
    row = { ...base, credit_code: creditCode, id_number: null, exposure_cap: cap, margin_ratio_bp: ratio, rating };
  } else {
    if (request.idNumber === undefined) throw new ValidationError('idNumber', 'a personal guarantor needs a resident ID number');
    row = { ...base, credit_code: null, id_number: parseResidentIdNumber(request.idNumber, 'idNumber'), exposure_cap: null, margin_ratio_bp: null, rating: null };
  }
  await trx.insertInto('guarantor').values(row).execute();
  const guarantor = toGuarantor(row);
  // The audit trail masks `idNumber` for roles that do not see personal data.
  await appendAudit(trx, { actor, action: 'guarantor.create', entityType: 'guarantor', entityId: row.id, after: guarantor });
  return guarantor;
}

/** A guarantor with the ID number masked: what roles outside `SEES_PERSONAL_DATA` see. */
export function maskedGuarantor(guarantor: Guarantor): Guarantor {
  return { ...guarantor, idNumber: guarantor.idNumber === null ? null : maskIdNumber(guarantor.idNumber) };
}

export interface GuarantorExposure {
  readonly guarantor: Guarantor;
  /** Σ held guarantees, fen. */
  readonly guaranteed: Minor;
  /** What the cap leaves (companies), fen. */
  readonly room: Minor | null;
  /** The margin deposit the company owes on what it guarantees: guaranteed × ratio, rounded up. */
  readonly marginDeposit: Minor | null;
  readonly guarantees: number;
}

/** A guarantor's total guaranteed exposure across the bank. */
export async function guarantorExposure(db: Executor, guarantorId: string): Promise<GuarantorExposure> {
  const row = await db.selectFrom('guarantor').selectAll().where('id', '=', guarantorId).executeTakeFirst();
  if (!row) throw new NotFoundError(`guarantor ${guarantorId}`);
  const held = await db.selectFrom('guarantee').select('amount').where('guarantor_id', '=', guarantorId).where('status', '=', 'held').execute();
  const guaranteed = held.reduce((sum, g) => sum + g.amount, 0n);
  const ratio = row.margin_ratio_bp === null ? null : BigInt(row.margin_ratio_bp);
  return {
    guarantor: toGuarantor(row),
    guaranteed: minor(guaranteed),
    room: row.exposure_cap === null ? null : minor(row.exposure_cap - guaranteed),
    marginDeposit: ratio === null ? null : minor((guaranteed * ratio + 9_999n) / 10_000n),
    guarantees: held.length,
  };
}

export interface Guarantee {
  readonly id: string;
  readonly guarantorId: string;
  readonly enterpriseId: string;
  readonly lineId: string | null;
  readonly applicationId: string | null;
  readonly type: GuaranteeType;
  readonly amount: Minor;
  readonly startOn: BusinessDate;
  readonly endOn: BusinessDate;
  readonly status: GuaranteeStatus;
}

export interface NewGuarantee {
  readonly guarantorId: string;
  readonly enterpriseId: string;
  readonly lineId?: string | undefined;
  readonly applicationId?: string | undefined;
  readonly type: string;
  /** Yuan. */
  readonly amount: string;
  readonly startOn: string;
  readonly endOn: string;
}

/**
 * Takes a guarantee for a borrower (on a line, an application, or the borrower until a line is
 * opened), held from now: on the memo ledger at its amount. A company's guarantees across the
 * bank stay within its cap (the guarantor row is locked so two racing guarantees cannot both fit).
 */
export async function addGuarantee(trx: Transaction<Database>, request: NewGuarantee, actor: string): Promise<Guarantee> {
  if (!(GUARANTEE_TYPES as readonly string[]).includes(request.type)) throw new ValidationError('type', `must be one of ${GUARANTEE_TYPES.join(', ')}`);
  const guarantor = await trx.selectFrom('guarantor').selectAll().where('id', '=', request.guarantorId).forUpdate().executeTakeFirst();
  if (!guarantor) throw new NotFoundError(`guarantor ${request.guarantorId}`);
  const enterprise = await trx.selectFrom('enterprise').select('id').where('id', '=', request.enterpriseId).executeTakeFirst();
  if (!enterprise) throw new NotFoundError(`enterprise ${request.enterpriseId}`);
  if (request.lineId !== undefined) await assertLineOf(trx, request.lineId, request.enterpriseId);
  if (request.applicationId !== undefined) {
    const application = await trx.selectFrom('application').select('enterprise_id').where('id', '=', request.applicationId).executeTakeFirst();
    if (!application || application.enterprise_id !== request.enterpriseId) throw new NotFoundError(`application ${request.applicationId}`);
  }
  const amount = parseMoney(request.amount, 'amount');
  if (amount <= 0n || amount > MAX_COLLATERAL_VALUE) throw new ValidationError('amount', 'must be more than 0.00');
  const startOn = parseBusinessDate(request.startOn, 'startOn');
  const endOn = parseBusinessDate(request.endOn, 'endOn');
  if (endOn < startOn) throw new ValidationError('endOn', 'must not be before startOn');
  const today = await getBusinessDate(trx);
  if (endOn < today) throw new ValidationError('endOn', `the guarantee period has already ended (business date ${today})`);
  if (guarantor.exposure_cap !== null) {
    const exposure = await guarantorExposure(trx, guarantor.id);
    if (exposure.guaranteed + amount > guarantor.exposure_cap) {
      throw new LimitExceededError(`guarantor ${guarantor.name} already guarantees ${formatMoney(exposure.guaranteed)} of its cap ${formatMoney(guarantor.exposure_cap)}`, 'amount');
    }
  }
  const row: Selectable<GuaranteeTable> = {
    id: uuidv7(),
    guarantor_id: guarantor.id,
    enterprise_id: request.enterpriseId,
    line_id: request.lineId ?? null,
    application_id: request.applicationId ?? null,
    type: request.type as GuaranteeType,
    amount,
    start_on: startOn,
    end_on: endOn,
    status: 'held',
    memo_entry_id: null,
    created_by: actor,
    created_at: new Date(),
  };
  await trx.insertInto('guarantee').values(row).execute();
  await syncGuaranteeMemo(trx, row.id, today, actor, 'guarantee held');
  const guarantee = toGuarantee(row);
  await appendAudit(trx, { actor, action: 'guarantee.add', entityType: 'guarantee', entityId: row.id, after: { ...guarantee, amount: formatMoney(amount) } });
  return guarantee;
}

/** Ties a held guarantee taken for the borrower to one of its lines. */
export async function linkGuarantee(trx: Transaction<Database>, guaranteeId: string, lineId: string, actor: string): Promise<Guarantee> {
  const row = await guaranteeRow(trx, guaranteeId, true);
  if (row.status !== 'held') throw new ConflictError(`guarantee ${guaranteeId} is ${row.status}`, 'status');
  await assertLineOf(trx, lineId, row.enterprise_id);
  await trx.updateTable('guarantee').set({ line_id: lineId }).where('id', '=', guaranteeId).execute();
  await appendAudit(trx, { actor, action: 'guarantee.link', entityType: 'guarantee', entityId: guaranteeId, before: { lineId: row.line_id }, after: { lineId } });
  return toGuarantee({ ...row, line_id: lineId });
}

export interface GuaranteeCall {
  readonly claimId: string;
  readonly guaranteeId: string;
  readonly loanId: string;
  /** What the bank claims: the loan's payoff, up to the guaranteed amount. */
  readonly claimed: Minor;
  readonly recovered: Minor;
  /** The recovery as the loan's repayment order applied it. */
  readonly toPenalty: Minor;
  readonly toInterest: Minor;
  readonly toPrincipal: Minor;
  readonly loanStatus: 'active' | 'closed';
}

export interface CallRequest {
  readonly guaranteeId: string;
  readonly loanId: string;
  /** Yuan the guarantor paid; at most the claim. "0.00" records the claim with nothing paid yet. */
  readonly recovered: string;
  /** For a general guarantee (一般保证): enforcement against the borrower has failed. */
  readonly enforcementExhausted?: boolean | undefined;
}

/**
 * Calls a guarantee when a loan defaults (more than 90 days past due, or non-performing): records
 * the claim, applies what the guarantor paid to the loan as a repayment (its journal entry: cash in,
 * penalty, interest and principal out, in the product's order) and takes the guarantee off the
 * memo ledger. A general guarantee is called only once enforcement against the borrower has failed
 * (先诉抗辩权, 民法典 art. 687); a joint and several one at once.
 *
 * @example
 * await callGuarantee(trx, { guaranteeId, loanId, recovered: '300000.00' }, 'risk-1');
 */
export async function callGuarantee(trx: Transaction<Database>, request: CallRequest, actor: string): Promise<GuaranteeCall> {
  const guarantee = await guaranteeRow(trx, request.guaranteeId, true);
  if (guarantee.status !== 'held') throw new ConflictError(`guarantee ${guarantee.id} is ${guarantee.status}; only a held guarantee is called`, 'guaranteeId', 'guarantee-not-held', { status: guarantee.status });
  const loan = await loanById(trx, request.loanId, { forUpdate: true });
  if (loan.enterprise_id !== guarantee.enterprise_id || (guarantee.line_id !== null && loan.line_id !== guarantee.line_id)) throw new ValidationError('loanId', 'the guarantee does not cover this loan');
  if (loan.status !== 'active') throw new ConflictError(`loan ${loan.id} is ${loan.status}`, 'loanId');
  const defaulted = loan.dpd > 90 || ['substandard', 'doubtful', 'loss'].includes(loan.classification);
  if (!defaulted) throw new ConflictError(`loan ${loan.id} has not defaulted (${loan.dpd} days past due, ${loan.classification})`, 'loanId', 'loan-not-defaulted', { dpd: loan.dpd });
  if (guarantee.type === 'general' && request.enforcementExhausted !== true) throw new ConflictError('a general guarantee is called only once enforcement against the borrower has failed', 'enforcementExhausted', 'enforcement-not-exhausted');
  const today = await getBusinessDate(trx);
  if (today > guarantee.end_on) throw new ConflictError(`the guarantee period ended on ${guarantee.end_on}`, 'guaranteeId');
  const payoff = balancesOf(loan).payoff;
  const claimed = minor(payoff < guarantee.amount ? payoff : guarantee.amount);
  invariant(claimed > 0n, `loan ${loan.id} owes nothing to claim`);
  const recovered = parseMoney(request.recovered, 'recovered');
  if (recovered < 0n || recovered > claimed) throw new ValidationError('recovered', `must be from 0.00 to the claim ${formatMoney(claimed)}`);
  let parts = { toPenalty: minor(0n), toInterest: minor(0n), toPrincipal: minor(0n) };
  let loanStatus: 'active' | 'closed' = 'active';
  if (recovered > 0n) {
    const repayment = await repay(trx, { loanId: loan.id, amount: formatMoney(recovered) }, `${actor} (guarantee ${guarantee.id})`);
    const a = repayment.allocation;
    parts = { toPenalty: minor(a.penalty), toInterest: minor(a.interestDue + a.interestAccrued), toPrincipal: minor(a.principalDue + a.principalNotDue) };
    invariant(parts.toPenalty + parts.toInterest + parts.toPrincipal === recovered, 'a guarantee recovery is allocated in full');
    loanStatus = repayment.loanStatus;
  }
  const claimId = uuidv7();
  await trx
    .insertInto('guarantee_claim')
    .values({ id: claimId, guarantee_id: guarantee.id, loan_id: loan.id, enterprise_id: guarantee.enterprise_id, business_date: today, claimed, recovered, to_penalty: parts.toPenalty, to_interest: parts.toInterest, to_principal: parts.toPrincipal, created_by: actor, created_at: new Date() })
    .execute();
  await trx.updateTable('guarantee').set({ status: 'called' }).where('id', '=', guarantee.id).execute();
  await syncGuaranteeMemo(trx, guarantee.id, today, actor, 'guarantee called');
  await appendAudit(trx, { actor, action: 'guarantee.call', entityType: 'guarantee', entityId: guarantee.id, before: { status: 'held' }, after: { status: 'called', loanId: loan.id, claimed: formatMoney(claimed), recovered: formatMoney(recovered) } });
  return { claimId, guaranteeId: guarantee.id, loanId: loan.id, claimed, recovered, ...parts, loanStatus };
}

async function assertLineOf(trx: Transaction<Database>, lineId: string, enterpriseId: string): Promise<void> {
  const line = await trx.selectFrom('credit_line').select(['enterprise_id', 'status']).where('id', '=', lineId).executeTakeFirst();
  if (!line) throw new NotFoundError(`credit line ${lineId}`);
  if (line.enterprise_id !== enterpriseId) throw new ValidationError('lineId', 'the line belongs to another borrower');
  if (line.status === 'closed') throw new ConflictError(`line ${lineId} is closed`, 'lineId');
}

export async function guaranteeRow(trx: Executor, id: string, forUpdate = false): Promise<Selectable<GuaranteeTable>> {
  let query = trx.selectFrom('guarantee').selectAll().where('id', '=', id);
  if (forUpdate) {
    // The lock names the borrower: single-shard on Citus (src/db/distribution.ts).
    const enterpriseId = await enterpriseOfRow(trx, 'guarantee', id);
    if (enterpriseId === undefined) throw new NotFoundError(`guarantee ${id}`);
    query = query.where('enterprise_id', '=', enterpriseId).forUpdate();
  }
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError(`guarantee ${id}`);
  return row;
}

export function toGuarantor(row: Selectable<GuarantorTable>): Guarantor {
  return { id: row.id, kind: row.kind, name: row.name, creditCode: row.credit_code, idNumber: row.id_number, exposureCap: row.exposure_cap, marginRatioBp: row.margin_ratio_bp, rating: row.rating, standing: row.standing, checkedOn: row.checked_on };
}

export function toGuarantee(row: Selectable<GuaranteeTable>): Guarantee {
  return { id: row.id, guarantorId: row.guarantor_id, enterpriseId: row.enterprise_id, lineId: row.line_id, applicationId: row.application_id, type: row.type, amount: row.amount, startOn: row.start_on, endOn: row.end_on, status: row.status };
}
