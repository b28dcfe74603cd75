/**
 * The collateral register (押品登记簿): a piece of collateral with its owner and identifiers, the
 * registration of its pledge or mortgage (抵押/质押登记: authority, number, date, rank), its
 * valuations over time, and its links to the credit lines it secures with an allocated amount.
 * Each operation runs in the caller's transaction, writes its audit event and keeps the memo
 * ledger equal to the register (`security-memo.ts`).
 */
import type { Selectable, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { CollateralTable, Database } from '../db/schema.js';
import { ConflictError, invariant, LimitExceededError, NotFoundError, ValidationError } from '../errors.js';
import { enterpriseOfRow } from '../db/distribution.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { parseMoney } from '../money/parse-money.js';
import { getBusinessDate } from '../system/business-date.js';
import { COLLATERAL_OWNERS, COLLATERAL_TYPES, VALUATION_METHODS, type CollateralOwner, type CollateralStatus, type CollateralType, type ValuationMethod } from './collateral-terms.js';
import { eligibleValue, wholeFen } from './eligible-value.js';
import { haircutsFor } from './haircuts.js';
import { syncCollateralMemo } from './security-memo.js';

/** Bound on a valuation, fen: one trillion yuan is no single piece of collateral. */
export const MAX_COLLATERAL_VALUE = 1_000_000_000_000_00n;

export interface Collateral {
  readonly id: string;
  readonly enterpriseId: string;
  readonly applicationId: string | null;
  readonly type: CollateralType;
  readonly owner: CollateralOwner;
  readonly ownerName: string;
  readonly description: string;
  readonly identifier: string;
  readonly registration: { readonly authority: string; readonly number: string; readonly registeredOn: BusinessDate; readonly rank: number } | null;
  readonly status: CollateralStatus;
  readonly releasedOn: BusinessDate | null;
}

export interface NewCollateral {
  readonly enterpriseId: string;
  readonly applicationId?: string | undefined;
  readonly type: string;
  readonly owner: string;
  readonly ownerName: string;
  readonly description: string;
  readonly identifier: string;
}

function text(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > max) throw new ValidationError(field, `must be 1 to ${max} characters`);
  return trimmed;
}

/**
 * Enters a piece of collateral in the register, `pending` until its pledge is registered.
 *
 * @example
 * await registerCollateral(trx, { enterpriseId, type: 'residential-real-estate', owner: 'borrower', ownerName: '杭州绿芽茶叶有限公司', description: '西湖区文三路 1 号 301 室', identifier: '浙(2024)杭州市不动产权第0012345号' }, 'wang.am');
 */
export async function registerCollateral(trx: Transaction<Database>, request: NewCollateral, actor: string): Promise<Collateral> {
  if (!(COLLATERAL_TYPES as readonly string[]).includes(request.type)) throw new ValidationError('type', `must be one of ${COLLATERAL_TYPES.join(', ')}`);
  if (!(COLLATERAL_OWNERS as readonly string[]).includes(request.owner)) throw new ValidationError('owner', `must be one of ${COLLATERAL_OWNERS.join(', ')}`);
  const enterprise = await trx.selectFrom('enterprise').select('id').where('id', '=', request.enterpriseId).executeTakeFirst();
  if (!enterprise) throw new NotFoundError(`enterprise ${request.enterpriseId}`);
  if (request.applicationId !== undefined) {
    const application = await trx.selectFrom('application').select('enterprise_id').where('id', '=', request.applicationId).executeTakeFirst();
    if (!application || application.enterprise_id !== request.enterpriseId) throw new NotFoundError(`application ${request.applicationId}`);
  }
  const type = request.type as CollateralType;
  const identifier = text(request.identifier, 'identifier', 100);
  // The same certificate, VIN or invoice pledged twice (and not released) is refused: a receivable financed twice is the classic fraud.
  const twin = await trx.selectFrom('collateral').select('id').where('type', '=', type).where('identifier', '=', identifier).where('status', '!=', 'released').executeTakeFirst();
  if (twin) throw new ConflictError(`${type} ${identifier} is already in the register (${twin.id})`, 'identifier');
  const row = {
    id: uuidv7(),
    enterprise_id: request.enterpriseId,
    application_id: request.applicationId ?? null,
    type,
    owner: request.owner as CollateralOwner,
    owner_name: text(request.ownerName, 'ownerName', 200),
    description: text(request.description, 'description', 500),
    identifier,
    registration_authority: null,
    registration_no: null,
    registered_on: null,
    rank: null,
    status: 'pending' as const,
    memo_entry_id: null,
    created_by: actor,
    created_at: new Date(),
    released_on: null,
  };
  await trx.insertInto('collateral').values(row).execute();
  const collateral = toCollateral(row);
  await appendAudit(trx, { actor, action: 'collateral.register', entityType: 'collateral', entityId: row.id, after: collateral });
  return collateral;
}

export interface PledgeRegistration {
  readonly authority: string;
  readonly number: string;
  /** 'YYYY-MM-DD'. */
  readonly registeredOn: string;
  readonly rank: number;
}

/**
 * Records the registration of the pledge or mortgage: from now the collateral is held, and its
 * latest value goes on the memo ledger. A second-rank mortgage is accepted; the rank is shown.
 */
export async function recordPledgeRegistration(trx: Transaction<Database>, collateralId: string, registration: PledgeRegistration, actor: string): Promise<Collateral> {
  const current = await collateralRow(trx, collateralId, true);
  if (current.status !== 'pending') throw new ConflictError(`collateral ${collateralId} is ${current.status}; only a pending one is registered`, 'status');
  if (!Number.isInteger(registration.rank) || registration.rank < 1 || registration.rank > 9) throw new ValidationError('rank', 'must be a whole number from 1 to 9');
  const registeredOn = parseBusinessDate(registration.registeredOn, 'registeredOn');
  const today = await getBusinessDate(trx);
  if (registeredOn > today) throw new ValidationError('registeredOn', `must not be after the business date ${today}`);
  await trx
    .updateTable('collateral')
    .set({ registration_authority: text(registration.authority, 'authority', 200), registration_no: text(registration.number, 'number', 100), registered_on: registeredOn, rank: registration.rank, status: 'registered' })
    .where('id', '=', collateralId)
    .execute();
  await syncCollateralMemo(trx, collateralId, today, actor, 'pledge registered');
  const after = toCollateral(await collateralRow(trx, collateralId));
  await appendAudit(trx, { actor, action: 'collateral.pledge-registered', entityType: 'collateral', entityId: collateralId, before: { status: 'pending' }, after: after.registration });
  return after;
}

export interface Valuation {
  readonly id: string;
  readonly collateralId: string;
  readonly valuedOn: BusinessDate;
  readonly value: Minor;
  readonly method: ValuationMethod;
  readonly appraiser: string;
  readonly haircutBp: number;
  readonly haircutVersion: string;
  /** Exact: value × (10000 − haircut) over 10000, the numerator (fen × 10000). */
  readonly eligibleNumerator: bigint;
  /** Whole fen of the eligible value, rounded down. */
  readonly eligible: Minor;
}

export interface NewValuation {
  /** Yuan, "1234567.89". */
  readonly value: string;
  readonly method: string;
  readonly appraiser: string;
  /** 'YYYY-MM-DD'; default the business date. */
  readonly valuedOn?: string | undefined;
}

/**
 * Records a valuation. Its haircut is the one in force on the valuation date; the memo entry
 * moves to the new value if the collateral is registered. Returns it with the eligible value.
 */
export async function recordValuation(trx: Transaction<Database>, collateralId: string, request: NewValuation, actor: string): Promise<Valuation> {
  const collateral = await collateralRow(trx, collateralId, true);
  if (collateral.status === 'released') throw new ConflictError(`collateral ${collateralId} is released`, 'status');
  if (!(VALUATION_METHODS as readonly string[]).includes(request.method)) throw new ValidationError('method', `must be one of ${VALUATION_METHODS.join(', ')}`);
  const value = parseMoney(request.value, 'value');
  if (value <= 0n || value > MAX_COLLATERAL_VALUE) throw new ValidationError('value', `must be more than 0.00 and at most ${formatMoney(MAX_COLLATERAL_VALUE)}`);
  const today = await getBusinessDate(trx);
  const valuedOn = request.valuedOn === undefined ? today : parseBusinessDate(request.valuedOn, 'valuedOn');
  if (valuedOn > today) throw new ValidationError('valuedOn', `must not be after the business date ${today}`);
  const haircuts = haircutsFor(valuedOn);
  const haircutBp = haircuts.haircutBp[collateral.type];
  const row = {
    id: uuidv7(),
    collateral_id: collateralId,
    enterprise_id: collateral.enterprise_id,
    valued_on: valuedOn,
    value,
    method: request.method as ValuationMethod,
    appraiser: text(request.appraiser, 'appraiser', 200),
    haircut_bp: haircutBp,
    haircut_version: haircuts.version,
    recorded_by: actor,
    recorded_at: new Date(),
  };
  await trx.insertInto('collateral_valuation').values(row).execute();
  await syncCollateralMemo(trx, collateralId, today, actor, 'revalued');
  const valuation = toValuation(row);
  await appendAudit(trx, { actor, action: 'collateral.valued', entityType: 'collateral', entityId: collateralId, after: { value: formatMoney(value), method: row.method, appraiser: row.appraiser, valuedOn, haircutBp } });
  return valuation;
}

/** The latest valuation of a piece of collateral (by date, then the later record), or null. */
export async function latestValuation(trx: Transaction<Database> | import('kysely').Kysely<Database>, collateralId: string): Promise<Valuation | null> {
  const row = await trx.selectFrom('collateral_valuation').selectAll().where('collateral_id', '=', collateralId).orderBy('valued_on', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toValuation(row) : null;
}

/**
 * Sets `allocated` fen of a piece of collateral's eligible value against a credit line of the same
 * borrower (or changes the allocation). The allocations of one piece over all the lines it
 * secures never exceed its eligible value at the latest valuation.
 */
export async function linkCollateral(trx: Transaction<Database>, collateralId: string, lineId: string, amount: string, actor: string): Promise<{ collateralId: string; lineId: string; allocated: Minor; free: Minor }> {
  const collateral = await collateralRow(trx, collateralId, true);
  if (collateral.status === 'released') throw new ConflictError(`collateral ${collateralId} is released`, 'status');
  const line = await trx.selectFrom('credit_line').select(['id', 'enterprise_id', 'status']).where('id', '=', lineId).executeTakeFirst();
  if (!line) throw new NotFoundError(`credit line ${lineId}`);
  if (line.enterprise_id !== collateral.enterprise_id) throw new ValidationError('lineId', 'the line belongs to another borrower');
  if (line.status === 'closed') throw new ConflictError(`line ${lineId} is closed`, 'lineId');
  const allocated = parseMoney(amount, 'allocated');
  if (allocated <= 0n) throw new ValidationError('allocated', 'must be more than 0.00');
  const valuation = await latestValuation(trx, collateralId);
  if (valuation === null) throw new ConflictError(`collateral ${collateralId} has no valuation yet`, 'collateralId');
  const others = await trx.selectFrom('collateral_link').select('allocated').where('collateral_id', '=', collateralId).where('line_id', '!=', lineId).where('released_on', 'is', null).execute();
  const taken = others.reduce((sum, link) => sum + link.allocated, 0n);
  const free = valuation.eligible - taken;
  if (allocated > free) throw new LimitExceededError(`only ${formatMoney(free > 0n ? free : 0n)} of the eligible value ${formatMoney(valuation.eligible)} is not allocated to other lines`, 'allocated');
  const today = await getBusinessDate(trx);
  const existing = await trx.selectFrom('collateral_link').select('allocated').where('collateral_id', '=', collateralId).where('line_id', '=', lineId).executeTakeFirst();
  if (existing) await trx.updateTable('collateral_link').set({ allocated, released_on: null }).where('collateral_id', '=', collateralId).where('line_id', '=', lineId).execute();
  else await trx.insertInto('collateral_link').values({ collateral_id: collateralId, line_id: lineId, enterprise_id: collateral.enterprise_id, allocated, linked_on: today, released_on: null }).execute();
  await appendAudit(trx, { actor, action: 'collateral.link', entityType: 'collateral', entityId: collateralId, before: existing ? { lineId, allocated: formatMoney(existing.allocated) } : undefined, after: { lineId, allocated: formatMoney(allocated) } });
  return { collateralId, lineId, allocated, free: minor(free - allocated) };
}

/** The register row, or NOT_FOUND; `forUpdate` locks it for the rest of the transaction. */
export async function collateralRow(trx: Transaction<Database>, id: string, forUpdate = false): Promise<Selectable<CollateralTable>> {
  let query = trx.selectFrom('collateral').selectAll().where('id', '=', id);
  if (forUpdate) {
    // The lock names the borrower: single-shard on Citus (src/db/distribution.ts).
    const enterpriseId = await enterpriseOfRow(trx, 'collateral', id);
    if (enterpriseId === undefined) throw new NotFoundError(`collateral ${id}`);
    query = query.where('enterprise_id', '=', enterpriseId).forUpdate();
  }
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError(`collateral ${id}`);
  return row;
}

export function toCollateral(row: Selectable<CollateralTable>): Collateral {
  const registered = row.registered_on !== null && row.registration_authority !== null && row.registration_no !== null && row.rank !== null;
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    applicationId: row.application_id,
    type: row.type,
    owner: row.owner,
    ownerName: row.owner_name,
    description: row.description,
    identifier: row.identifier,
    registration: registered ? { authority: row.registration_authority!, number: row.registration_no!, registeredOn: row.registered_on!, rank: row.rank! } : null,
    status: row.status,
    releasedOn: row.released_on,
  };
}

export function toValuation(row: { id: string; collateral_id: string; valued_on: BusinessDate; value: Minor; method: ValuationMethod; appraiser: string; haircut_bp: number; haircut_version: string }): Valuation {
  const eligible = eligibleValue(row.value, row.haircut_bp);
  invariant(eligible.denominator === 10_000n, 'eligible values are over 10000');
  return {
    id: row.id,
    collateralId: row.collateral_id,
    valuedOn: row.valued_on,
    value: row.value,
    method: row.method,
    appraiser: row.appraiser,
    haircutBp: row.haircut_bp,
    haircutVersion: row.haircut_version,
    eligibleNumerator: eligible.numerator,
    eligible: wholeFen(eligible),
  };
}
