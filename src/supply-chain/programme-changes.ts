/**
 * A programme after it is set up (issue 18): suspended (暂停) and resumed by a risk officer or an
 * admin at once — a suspended programme takes no new receivables, confirmations or financings,
 * while the certificates and financings already made run to maturity (they may still be split,
 * transferred and paid) — and its terms changed going forward under maker-checker
 * (`scf.programme-change`, src/approvals/checked-actions.ts), as its creation is. A change binds
 * only financings made after it: each financing keeps the rate, advance, penalty rate and who
 * pays the interest fixed when it was made.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import { unitsToRate } from '../pricing/rate-units.js';
import { getProgramme, parseProgrammeRequest, programmeJson, toProgramme, type Programme, type ProgrammeRequest } from './programmes.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The terms a change may set; the core enterprise, start, LPR tenor and who pays the interest stay. */
export const CHANGEABLE_TERMS = ['limit', 'endsOn', 'spread', 'advanceRate', 'maxTenorDays', 'supplierLimit', 'industryLimit', 'penaltyMultiplier'] as const;
export type ChangeableTerm = (typeof CHANGEABLE_TERMS)[number];

/** Longest reason kept with a suspension, a resumption or a change. */
export const MAX_REASON_LENGTH = 200;

/** A change as requested: the programme, the terms to set (decimal strings as the API carries them), and why. */
export type ProgrammeChangeRequest = { readonly programmeId: string; readonly reason: string } & { readonly [T in ChangeableTerm]?: ProgrammeRequest[T] };

/** What a change does: each term set, from what it is to what it will be (wire strings). */
export interface ProgrammeChangePreview {
  readonly programmeId: string;
  readonly changes: readonly { readonly term: ChangeableTerm; readonly from: string; readonly to: string }[];
}

function reasonOf(reason: unknown): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text === '') throw new ValidationError('reason', 'say why', 'required');
  if (text.length > MAX_REASON_LENGTH) throw new ValidationError('reason', `must be at most ${MAX_REASON_LENGTH} characters`, 'too-long', { max: MAX_REASON_LENGTH });
  return text;
}

/** The programme as a request, so a change is checked by the same rules as a creation. */
function asRequest(programme: Programme): ProgrammeRequest {
  return {
    coreEnterpriseId: programme.coreEnterpriseId, limit: formatMoney(programme.limit), startsOn: programme.startsOn, endsOn: programme.endsOn,
    lprTenor: programme.lprTenor, spread: unitsToRate(programme.spreadUnits), interestPayer: programme.interestPayer, interestTiming: programme.interestTiming,
    advanceRate: (programme.advanceRateBp / 100).toFixed(2), maxTenorDays: programme.maxTenorDays, supplierLimit: formatMoney(programme.supplierLimit),
    industryLimit: formatMoney(programme.industryLimit), penaltyMultiplier: programme.penaltyMultiplier,
  };
}

/**
 * Checks a change against the programme as it stands and returns the programme it would make and
 * what moves; a ValidationError naming the field when a term is bad, the reason is missing, or
 * nothing would change. Nothing is written.
 *
 * @example
 * const { preview } = await checkProgrammeChange(db, { programmeId, limit: '6000000.00', reason: '年度复审' }, '2025-06-30');
 * preview.changes; // [{ term: 'limit', from: '5000000.00', to: '6000000.00' }]
 */
export async function checkProgrammeChange(db: Executor, request: ProgrammeChangeRequest, today: BusinessDate): Promise<{ readonly before: Programme; readonly after: Programme; readonly preview: ProgrammeChangePreview }> {
  reasonOf(request.reason);
  const before = await getProgramme(db, request.programmeId);
  const given = Object.fromEntries(CHANGEABLE_TERMS.filter((term) => request[term] !== undefined).map((term) => [term, request[term]]));
  const parsed = parseProgrammeRequest({ ...asRequest(before), ...given });
  if (parsed.endsOn < today) throw new ValidationError('endsOn', `must not be before today (${today})`, 'invalid-date');
  const after: Programme = { ...before, ...parsed };
  const wireBefore = programmeJson(before);
  const wireAfter = programmeJson(after);
  const changes = CHANGEABLE_TERMS.filter((term) => wireBefore[term] !== wireAfter[term]).map((term) => ({ term, from: String(wireBefore[term]), to: String(wireAfter[term]) }));
  if (changes.length === 0) throw new ValidationError(CHANGEABLE_TERMS.find((term) => given[term] !== undefined) ?? 'limit', 'changes nothing: give at least one term that differs from the programme', 'invalid-format');
  return { before, after, preview: { programmeId: before.id, changes } };
}

/**
 * Applies a checked change (the approval's action): re-checked on the locked row, the terms
 * written, the before and after audited. Returns the programme as it now is.
 */
export async function applyProgrammeChange(trx: Transaction<Database>, request: ProgrammeChangeRequest, today: BusinessDate, by: string) {
  await trx.selectFrom('scf_programme').select('id').where('id', '=', request.programmeId).forUpdate().executeTakeFirst();
  const { before, after, preview } = await checkProgrammeChange(trx, request, today);
  await trx
    .updateTable('scf_programme')
    .set({
      limit_amount: after.limit, ends_on: after.endsOn, spread_units: after.spreadUnits, advance_rate_bp: after.advanceRateBp, max_tenor_days: after.maxTenorDays,
      supplier_limit: after.supplierLimit, industry_limit: after.industryLimit, penalty_multiplier: after.penaltyMultiplier,
    })
    .where('id', '=', before.id)
    .execute();
  await appendAudit(trx, { actor: by, action: 'scf.programme-change', entityType: 'scf_programme', entityId: before.id, before: programmeJson(before), after: { ...programmeJson(after), reason: reasonOf(request.reason), changes: preview.changes } });
  return programmeJson(after);
}

/**
 * Suspends an active programme (`suspend`) or resumes a suspended one, at once, with the reason
 * kept on it and in the audit trail. A CONFLICT naming `status` when it is already so.
 */
export async function setProgrammeSuspended(trx: Transaction<Database>, programmeId: string, suspend: boolean, reason: string, by: string): Promise<Programme> {
  const why = reasonOf(reason);
  const row = await trx.selectFrom('scf_programme').selectAll().where('id', '=', programmeId).forUpdate().executeTakeFirst();
  const before = row === undefined ? await getProgramme(trx, programmeId) : toProgramme(row);
  const from = suspend ? 'active' : 'suspended';
  if (before.status !== from) throw new ConflictError(`programme ${programmeId} is ${before.status}`, 'status', undefined, { status: before.status });
  const after: Programme = { ...before, status: suspend ? 'suspended' : 'active', suspendedReason: suspend ? why : null };
  await trx.updateTable('scf_programme').set({ status: after.status, suspended_reason: after.suspendedReason }).where('id', '=', programmeId).execute();
  await appendAudit(trx, {
    actor: by, action: suspend ? 'scf.programme-suspend' : 'scf.programme-resume', entityType: 'scf_programme', entityId: programmeId,
    before: { status: before.status, suspendedReason: before.suspendedReason }, after: { status: after.status, reason: why },
  });
  return after;
}
