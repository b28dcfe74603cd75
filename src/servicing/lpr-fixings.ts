/**
 * The LPR table maintained by people, not by a code release: a new fixing (the National Interbank
 * Funding Center publishes the 1-year and 5-year LPR on the 20th of each month, 09:00) is proposed
 * by an operator and takes effect when a second person confirms it (`lpr.fixing`, maker-checker).
 * A fixing is never edited or removed once in force: loans repriced on it cite it.
 *
 * @example
 * await inTransaction(db, (trx) => proposeLprFixing(trx, { tenor: '1y', effectiveFrom: '2026-01-20', rate: '2.90' }, maker));
 */
import type { Kysely, Transaction } from 'kysely';
import { makeRequest, type Actor, type ApprovalRequest, type CheckedAction } from '../approvals/maker-checker.js';
import { appendAudit } from '../audit/audit-trail.js';
import { parseBusinessDate, type BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { LprTenor } from '../pricing/lpr.js';
import { rateToUnits, unitsToRate } from '../pricing/rate-units.js';

/** A fixing as proposed and stored. */
export interface LprFixing {
  readonly tenor: LprTenor;
  readonly effectiveFrom: BusinessDate;
  /** Percent per year, two decimals ("3.00"). */
  readonly rate: string;
}

/** Bounds a fixing must lie in: the LPR has never been near either (DOMAIN.md). */
const MIN_RATE_UNITS = 1_000n; // 0.10%
const MAX_RATE_UNITS = 200_000n; // 20.00%

/**
 * Checks a fixing's fields, naming the bad one.
 *
 * @example
 * parseLprFixing({ tenor: '1y', effectiveFrom: '2026-01-20', rate: '2.9' }).rate; // '2.90'
 */
export function parseLprFixing(input: { readonly tenor?: unknown; readonly effectiveFrom?: unknown; readonly rate?: unknown }): LprFixing {
  if (input.tenor !== '1y' && input.tenor !== '5y') throw new ValidationError('tenor', 'must be 1y or 5y');
  const effectiveFrom = parseBusinessDate(String(input.effectiveFrom ?? ''), 'effectiveFrom');
  if (typeof input.rate !== 'string' || !/^[0-9]{1,2}(\.[0-9]{1,2})?$/.test(input.rate)) throw new ValidationError('rate', 'must be percent per year with at most two decimals, e.g. "3.00"');
  const units = rateToUnits(input.rate, 'rate');
  if (units < MIN_RATE_UNITS || units > MAX_RATE_UNITS) throw new ValidationError('rate', `must be from ${unitsToRate(MIN_RATE_UNITS)} to ${unitsToRate(MAX_RATE_UNITS)}`);
  return { tenor: input.tenor, effectiveFrom, rate: unitsToRate(units) };
}

/** The table, newest first (both tenors). */
export async function listLprFixings(db: Kysely<Database>): Promise<LprFixing[]> {
  const rows = await db.selectFrom('lpr_rate').select(['tenor', 'effective_from', 'rate']).orderBy('effective_from', 'desc').orderBy('tenor').execute();
  return rows.map((row) => ({ tenor: row.tenor, effectiveFrom: row.effective_from, rate: row.rate }));
}

async function refuseExisting(trx: Transaction<Database>, fixing: LprFixing): Promise<void> {
  const existing = await trx.selectFrom('lpr_rate').select('rate').where('tenor', '=', fixing.tenor).where('effective_from', '=', fixing.effectiveFrom).executeTakeFirst();
  if (existing !== undefined) throw new ConflictError(`the ${fixing.tenor} LPR from ${fixing.effectiveFrom} is already in the table (${existing.rate})`, 'effectiveFrom');
}

/** Adding a fixing: made by an operator, risk officer or admin, confirmed by another risk officer or admin. */
export const LPR_FIXING: CheckedAction<LprFixing> = {
  kind: 'lpr.fixing',
  makers: ['operator', 'risk-officer', 'admin'],
  checkers: ['risk-officer', 'admin'],
  execute: async (trx, payload, maker, checker) => {
    const fixing = parseLprFixing(payload);
    await refuseExisting(trx, fixing);
    await trx.insertInto('lpr_rate').values({ tenor: fixing.tenor, effective_from: fixing.effectiveFrom, rate: fixing.rate }).execute();
    await appendAudit(trx, { actor: `${maker} (checked by ${checker})`, action: 'lpr.fixing', entityType: 'lpr_rate', entityId: `${fixing.tenor}:${fixing.effectiveFrom}`, after: { ...fixing } });
    return fixing;
  },
};

/**
 * Proposes a fixing for a checker; refused at once if the table already has that tenor and date.
 *
 * @example
 * const request = await proposeLprFixing(trx, { tenor: '1y', effectiveFrom: '2026-01-20', rate: '2.90' }, { username: 'wang.ops', role: 'operator' });
 */
export async function proposeLprFixing(trx: Transaction<Database>, input: Parameters<typeof parseLprFixing>[0], maker: Actor): Promise<ApprovalRequest> {
  const fixing = parseLprFixing(input);
  await refuseExisting(trx, fixing);
  return makeRequest(trx, LPR_FIXING, `${fixing.tenor}:${fixing.effectiveFrom}`, fixing, maker);
}
