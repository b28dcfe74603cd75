/**
 * Core enterprise programmes (核心企业授信方案): the core enterprise's limit and term at the bank,
 * the price of financing its certificates, the advance rate and longest tenor, the concentration
 * limits per supplier and per industry, and the suppliers invited to it. A programme is created
 * under maker-checker (`scf.programme`, src/approvals/checked-actions.ts).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ScfProgrammeTable } from '../db/schema/supply-chain.js';
import { appendAudit } from '../audit/audit-trail.js';
import { parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { ConflictError, LimitExceededError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { positiveAmount } from './amounts.js';
import { checkPenaltyMultiplier } from '../products/product-changes.js';
import type { LprTenor } from '../pricing/lpr.js';
import { rateToUnits, unitsToRate, type RateUnits } from '../pricing/rate-units.js';
import { INTEREST_PAYERS, INTEREST_TIMINGS, type InterestPayer, type InterestTiming, type ProgrammeStatus } from './supply-chain-codes.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The penalty multiplier a programme takes when none is asked: the default products' (src/products/default-products.ts). */
export const DEFAULT_SCF_PENALTY_MULTIPLIER = '1.5';

/** Longest tenor a programme may allow: receivables of a year or less are working capital. */
export const MAX_PROGRAMME_TENOR_DAYS = 365;

/** A programme as requested (decimal strings, as the API and CLI carry them). */
export interface ProgrammeRequest {
  readonly coreEnterpriseId: string;
  readonly limit: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly lprTenor: LprTenor;
  readonly spread: string;
  readonly interestPayer: InterestPayer;
  readonly interestTiming: InterestTiming;
  /** Percent of the confirmed amount advanced, e.g. "90". */
  readonly advanceRate: string;
  readonly maxTenorDays: number;
  readonly supplierLimit: string;
  readonly industryLimit: string;
  /** Penalty rate ÷ financing rate on financing past due (罚息), "1.3" to "1.5"; default "1.5". */
  readonly penaltyMultiplier?: string;
  /** Suppliers invited at creation; more can be added later. */
  readonly supplierIds?: readonly string[];
}

/** A programme as stored. */
export interface Programme {
  readonly id: string;
  readonly coreEnterpriseId: string;
  readonly limit: Minor;
  readonly startsOn: BusinessDate;
  readonly endsOn: BusinessDate;
  readonly lprTenor: LprTenor;
  readonly spreadUnits: RateUnits;
  readonly interestPayer: InterestPayer;
  readonly interestTiming: InterestTiming;
  readonly advanceRateBp: number;
  readonly maxTenorDays: number;
  readonly supplierLimit: Minor;
  readonly industryLimit: Minor;
  readonly penaltyMultiplier: string;
  readonly status: ProgrammeStatus;
  /** Why it is suspended; null while active. */
  readonly suspendedReason: string | null;
}

/** Checks a request and returns the programme it describes (id fresh); throws a ValidationError naming the field. */
export function parseProgrammeRequest(request: ProgrammeRequest): Omit<Programme, 'id' | 'status' | 'suspendedReason'> {
  const limit = positiveAmount(request.limit, 'limit');
  const startsOn = parseBusinessDate(request.startsOn, 'startsOn');
  const endsOn = parseBusinessDate(request.endsOn, 'endsOn');
  if (endsOn <= startsOn) throw new ValidationError('endsOn', 'must be after startsOn', 'invalid-date');
  if (request.lprTenor !== '1y' && request.lprTenor !== '5y') throw new ValidationError('lprTenor', 'must be 1y or 5y', 'not-a-choice');
  const spreadUnits = rateToUnits(request.spread, 'spread');
  if (!INTEREST_PAYERS.includes(request.interestPayer)) throw new ValidationError('interestPayer', `must be one of ${INTEREST_PAYERS.join(', ')}`, 'not-a-choice');
  if (!INTEREST_TIMINGS.includes(request.interestTiming)) throw new ValidationError('interestTiming', `must be one of ${INTEREST_TIMINGS.join(', ')}`, 'not-a-choice');
  if (request.interestPayer === 'core-enterprise' && request.interestTiming !== 'at-maturity') {
    throw new ValidationError('interestTiming', 'a core enterprise pays the interest at maturity, with the face amount', 'not-a-choice');
  }
  const advanceRateBp = advanceRateToBp(request.advanceRate);
  if (!Number.isInteger(request.maxTenorDays) || request.maxTenorDays < 1 || request.maxTenorDays > MAX_PROGRAMME_TENOR_DAYS) {
    throw new ValidationError('maxTenorDays', `must be 1 to ${MAX_PROGRAMME_TENOR_DAYS} days`, 'too-large', { max: MAX_PROGRAMME_TENOR_DAYS });
  }
  const supplierLimit = positiveAmount(request.supplierLimit, 'supplierLimit');
  const industryLimit = positiveAmount(request.industryLimit, 'industryLimit');
  if (supplierLimit > limit) throw new ValidationError('supplierLimit', 'cannot exceed the programme limit', 'too-large', { max: formatMoney(limit) });
  if (industryLimit > limit) throw new ValidationError('industryLimit', 'cannot exceed the programme limit', 'too-large', { max: formatMoney(limit) });
  const penaltyMultiplier = request.penaltyMultiplier ?? DEFAULT_SCF_PENALTY_MULTIPLIER;
  checkPenaltyMultiplier(penaltyMultiplier);
  return {
    coreEnterpriseId: request.coreEnterpriseId,
    limit, startsOn, endsOn, lprTenor: request.lprTenor, spreadUnits,
    interestPayer: request.interestPayer, interestTiming: request.interestTiming,
    advanceRateBp, maxTenorDays: request.maxTenorDays, supplierLimit, industryLimit, penaltyMultiplier,
  };
}

/** "90" or "87.5" percent → basis points; 1 to 100 percent. */
function advanceRateToBp(text: string): number {
  const match = typeof text === 'string' ? /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text) : null;
  const bp = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : NaN;
  if (!(bp >= 100 && bp <= 10_000)) throw new ValidationError('advanceRate', 'must be a percent from 1 to 100 with at most two decimals, e.g. "90"', 'invalid-format');
  return bp;
}

/**
 * Creates the programme (the checked action runs this once a second person approves). The core
 * enterprise must be registered and have no other active programme.
 */
export async function createProgramme(trx: Transaction<Database>, request: ProgrammeRequest, by: string): Promise<Programme> {
  const parsed = parseProgrammeRequest(request);
  await enterpriseExists(trx, parsed.coreEnterpriseId, 'coreEnterpriseId');
  // One programme per core enterprise, suspended or not (a unique index, migration 0059).
  const existing = await trx.selectFrom('scf_programme').select('id').where('core_enterprise_id', '=', parsed.coreEnterpriseId).where('status', 'in', ['active', 'suspended']).executeTakeFirst();
  if (existing) throw new ConflictError(`core enterprise ${parsed.coreEnterpriseId} already has programme ${existing.id}`, 'coreEnterpriseId');
  const programme: Programme = { id: uuidv7(), ...parsed, status: 'active', suspendedReason: null };
  const now = new Date();
  await trx
    .insertInto('scf_programme')
    .values({
      id: programme.id,
      core_enterprise_id: programme.coreEnterpriseId,
      limit_amount: programme.limit,
      starts_on: programme.startsOn,
      ends_on: programme.endsOn,
      lpr_tenor: programme.lprTenor,
      spread_units: programme.spreadUnits,
      interest_payer: programme.interestPayer,
      interest_timing: programme.interestTiming,
      advance_rate_bp: programme.advanceRateBp,
      max_tenor_days: programme.maxTenorDays,
      supplier_limit: programme.supplierLimit,
      industry_limit: programme.industryLimit,
      penalty_multiplier: programme.penaltyMultiplier,
      status: 'active',
      created_by: by,
      created_at: now,
    })
    .execute();
  for (const supplierId of request.supplierIds ?? []) await addEligibleSupplier(trx, programme.id, supplierId, by);
  await appendAudit(trx, { actor: by, action: 'scf.programme-create', entityType: 'scf_programme', entityId: programme.id, after: programmeJson(programme) }, now);
  return programme;
}

/** Invites `enterpriseId` to the programme as a supplier that may register receivables; adding it twice is harmless. */
export async function addEligibleSupplier(trx: Transaction<Database>, programmeId: string, enterpriseId: string, by: string): Promise<void> {
  await getProgramme(trx, programmeId);
  await enterpriseExists(trx, enterpriseId, 'supplierId');
  const inserted = await trx
    .insertInto('scf_eligible_supplier')
    .values({ programme_id: programmeId, enterprise_id: enterpriseId, added_by: by, added_at: new Date() })
    .onConflict((oc) => oc.columns(['programme_id', 'enterprise_id']).doNothing())
    .returning('enterprise_id')
    .executeTakeFirst();
  if (inserted !== undefined) {
    await appendAudit(trx, { actor: by, action: 'scf.supplier-add', entityType: 'scf_programme', entityId: programmeId, after: { enterpriseId } });
  }
}

/** The programme with `id`, or NOT_FOUND. */
export async function getProgramme(db: Executor, id: string): Promise<Programme> {
  const row = await db.selectFrom('scf_programme').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`programme ${id}`);
  return toProgramme(row);
}

/** The core enterprise's programme, active or suspended (callers check `status`), or NOT_FOUND. */
export async function programmeOfCore(db: Executor, coreEnterpriseId: string): Promise<Programme> {
  const row = await db.selectFrom('scf_programme').selectAll().where('core_enterprise_id', '=', coreEnterpriseId).where('status', 'in', ['active', 'suspended']).executeTakeFirst();
  if (!row) throw new NotFoundError(`a programme of core enterprise ${coreEnterpriseId}`);
  return toProgramme(row);
}

/** LIMIT_EXCEEDED `programme-not-in-force`, naming `field`, unless the programme is active: a suspended one takes no new receivables, confirmations or financings. */
export function requireActive(programme: Programme, field: string): void {
  if (programme.status !== 'active') {
    throw new LimitExceededError(`programme ${programme.id} is ${programme.status}: it takes nothing new until resumed`, field, 'programme-not-in-force', { endsOn: programme.endsOn });
  }
}

/** The programme as its row reads. */
export function toProgramme(row: Selectable<ScfProgrammeTable>): Programme {
  return {
    id: row.id,
    coreEnterpriseId: row.core_enterprise_id,
    limit: row.limit_amount,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    lprTenor: row.lpr_tenor,
    spreadUnits: row.spread_units,
    interestPayer: row.interest_payer,
    interestTiming: row.interest_timing,
    advanceRateBp: row.advance_rate_bp,
    maxTenorDays: row.max_tenor_days,
    supplierLimit: row.supplier_limit,
    industryLimit: row.industry_limit,
    penaltyMultiplier: row.penalty_multiplier,
    status: row.status,
    suspendedReason: row.suspended_reason,
  };
}

/** The wire shape: decimal strings for money and rates. */
export function programmeJson(programme: Programme) {
  return {
    id: programme.id,
    coreEnterpriseId: programme.coreEnterpriseId,
    limit: formatMoney(programme.limit),
    startsOn: programme.startsOn,
    endsOn: programme.endsOn,
    lprTenor: programme.lprTenor,
    spread: unitsToRate(programme.spreadUnits),
    interestPayer: programme.interestPayer,
    interestTiming: programme.interestTiming,
    advanceRate: (programme.advanceRateBp / 100).toFixed(2),
    maxTenorDays: programme.maxTenorDays,
    supplierLimit: formatMoney(programme.supplierLimit),
    industryLimit: formatMoney(programme.industryLimit),
    penaltyMultiplier: programme.penaltyMultiplier,
    status: programme.status,
    suspendedReason: programme.suspendedReason,
  };
}

/** Money financed and outstanding under a programme, and what is left of its limit. */
export interface ProgrammeUsage {
  readonly limit: Minor;
  readonly used: Minor;
  readonly headroom: Minor;
}

/**
 * The programme's usage: the principal of its financings not yet settled. The core enterprise's
 * exposure at the bank is what the bank advanced against its certificates.
 */
export async function programmeUsage(db: Executor, programme: Programme): Promise<ProgrammeUsage> {
  const row = await db
    .selectFrom('scf_financing')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('principal'), eb.val('0')).as('used'))
    .where('programme_id', '=', programme.id)
    .where('status', '<>', 'settled')
    .executeTakeFirstOrThrow();
  const used = minor(BigInt(row.used));
  return { limit: programme.limit, used, headroom: minor(programme.limit - used) };
}

async function enterpriseExists(db: Executor, id: string, field: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ValidationError(field, 'must be an enterprise id', 'invalid-format');
  const row = await db.selectFrom('enterprise').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`enterprise ${id}`);
}
