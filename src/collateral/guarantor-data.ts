/**
 * A guarantor's own data (担保人信息核查), pulled under the guarantor's own authorisation, never
 * the borrower's: the borrower's consent covers the borrower only.
 *
 * - A guarantee company authorises what an applicant may: its tax, registration and court records;
 *   the check pulls tax and courts (the dishonest-debtor list and lawsuits).
 * - A natural person may authorise the court records only. DOMAIN.md is silent on persons; the
 *   reading here is the Personal Information Protection Law's minimum necessary (个人信息保护法
 *   art. 6): the dishonest-debtor list and court cases are what a guarantee needs and are
 *   published by the courts; tax and utility data are a firm's, and a person's credit report
 *   (个人征信) is the credit bureau's, under its own rules. The provider is asked through its
 *   person connector (`DataProvider.personCourts`) by the person key — the hash of the ID number
 *   (`data/person-key.ts`), never the number; a provider without one refuses the check in words
 *   (`VALIDATION` on `kind`, reason `no-person-connector`), the authorisation staying recorded.
 *
 * What the check finds sets the guarantor's standing: `adverse` when listed as a dishonest debtor
 * on the day or a defendant in a pending case, else `clear`. An adverse guarantor's guarantees add
 * nothing to a decision's limit (`security-input.ts`) nor to the five-category classification at
 * end of day (src/eod/guarantee-cover.ts); the decision record lists each guarantor with its standing.
 *
 * @example
 * await grantGuarantorAuthorisation(trx, guarantorId, { sources: ['tax', 'courts'], grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'DA-2025-0042' }, 'wang.am');
 * const check = await checkGuarantor(trx, guarantorId, provider, new Date(), 'wang.am'); // check.standing === 'clear'
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { daysBetween, parseBusinessDate, type BusinessDate } from '../calendar/index.js';
import { chinaDate, MAX_AUTHORISATION_DAYS, parseDataSources } from '../data/authorisations.js';
import type { DataProvider } from '../data/data-provider.js';
import type { DataRecord, DataSource } from '../data/data-records.js';
import { DEFAULT_PULL_MONTHS } from '../data/pull-data.js';
import { encodeRecord } from '../data/record-fields.js';
import type { Database } from '../db/schema.js';
import { invariant, NotFoundError, SproutError, ValidationError } from '../errors.js';
import { personKey } from '../data/person-key.js';
import { uuidv7 } from '../ids.js';
import type { GuarantorKind, GuarantorStanding } from './collateral-terms.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What each kind of guarantor may authorise. */
export const GUARANTOR_SOURCES: Readonly<Record<GuarantorKind, readonly DataSource[]>> = {
  company: ['tax', 'registration', 'courts'],
  person: ['courts'],
};

/** What a check pulls for each kind. */
export const GUARANTOR_CHECK_SOURCES: Readonly<Record<GuarantorKind, readonly DataSource[]>> = {
  company: ['tax', 'courts'],
  person: ['courts'],
};

export interface GuarantorAuthorisation {
  readonly id: string;
  readonly guarantorId: string;
  readonly sources: readonly DataSource[];
  readonly grantedOn: BusinessDate;
  readonly expiresOn: BusinessDate;
  readonly evidence: string;
}

export interface GuarantorAuthorisationInput {
  readonly sources: readonly string[];
  readonly grantedOn: string;
  readonly expiresOn: string;
  /** Where the guarantor's signed consent is kept. */
  readonly evidence: string;
}

/**
 * Records a guarantor's authorisation and audits it; a source the kind may not authorise is a
 * `VALIDATION` error on `sources`.
 */
export async function grantGuarantorAuthorisation(trx: Transaction<Database>, guarantorId: string, input: GuarantorAuthorisationInput, actor: string, now: Date = new Date()): Promise<GuarantorAuthorisation> {
  const guarantor = await trx.selectFrom('guarantor').select(['id', 'kind']).where('id', '=', guarantorId).executeTakeFirst();
  if (!guarantor) throw new NotFoundError(`guarantor ${guarantorId}`);
  const sources = parseDataSources(input.sources);
  const allowed = GUARANTOR_SOURCES[guarantor.kind];
  const outside = sources.filter((source) => !allowed.includes(source));
  if (outside.length > 0) throw new ValidationError('sources', `a ${guarantor.kind} guarantor may authorise ${allowed.join(', ')} only, not ${outside.join(', ')}`, 'not-a-choice', { choices: allowed.join(', ') });
  const grantedOn = parseBusinessDate(input.grantedOn, 'grantedOn');
  const expiresOn = parseBusinessDate(input.expiresOn, 'expiresOn');
  const days = daysBetween(grantedOn, expiresOn);
  if (days < 0) throw new ValidationError('expiresOn', `must be on or after grantedOn (${grantedOn})`);
  if (days > MAX_AUTHORISATION_DAYS) throw new ValidationError('expiresOn', `must be at most ${MAX_AUTHORISATION_DAYS} days after grantedOn`);
  const evidence = typeof input.evidence === 'string' ? input.evidence.trim() : '';
  if (evidence.length < 1) throw new ValidationError('evidence', 'name where the signed consent is kept', 'required');
  if (evidence.length > 500) throw new ValidationError('evidence', 'must be at most 500 characters', 'too-long', { max: 500 });
  const grant: GuarantorAuthorisation = { id: uuidv7(), guarantorId, sources, grantedOn, expiresOn, evidence };
  await trx
    .insertInto('guarantor_authorisation')
    .values({ id: grant.id, guarantor_id: guarantorId, sources: JSON.stringify(sources), granted_on: grantedOn, expires_on: expiresOn, revoked_at: null, evidence, granted_by: actor, created_at: now })
    .execute();
  await appendAudit(trx, { actor, action: 'guarantor.authorise', entityType: 'guarantor', entityId: guarantorId, after: grant }, now);
  return grant;
}

export interface GuarantorCheck {
  readonly id: string;
  readonly guarantorId: string;
  readonly asOf: BusinessDate;
  readonly provider: string;
  readonly sources: readonly DataSource[];
  readonly authorisationId: string;
  readonly dishonestDebtor: boolean;
  readonly lawsuitsAsDefendant: number;
  readonly standing: Exclude<GuarantorStanding, 'unchecked'>;
  readonly recordCount: number;
}

/**
 * What a guarantor's court records say on `asOf`: listed as a dishonest debtor (not removed by
 * then), and pending cases in which it is the defendant. Pure.
 *
 * @example
 * standingFrom([{ source: 'courts', kind: 'dishonest-debtor', date: '2024-03-01', removedOn: null, … }], '2025-06-30'); // { dishonestDebtor: true, lawsuitsAsDefendant: 0, standing: 'adverse' }
 */
export function standingFrom(records: readonly DataRecord[], asOf: BusinessDate): { dishonestDebtor: boolean; lawsuitsAsDefendant: number; standing: 'clear' | 'adverse' } {
  const dishonestDebtor = records.some((r) => r.kind === 'dishonest-debtor' && r.date <= asOf && (r.removedOn === null || r.removedOn > asOf));
  const lawsuitsAsDefendant = records.filter((r) => r.kind === 'lawsuit' && r.role === 'defendant' && r.status === 'pending').length;
  return { dishonestDebtor, lawsuitsAsDefendant, standing: dishonestDebtor || lawsuitsAsDefendant > 0 ? 'adverse' : 'clear' };
}

/**
 * Pulls a guarantor's data under its own authorisation, stores what was found and sets its
 * standing; audited. `NOT_AUTHORISED` on `sources` without an unexpired, unrevoked authorisation
 * of the guarantor covering every source the check needs — before any provider is asked.
 */
export async function checkGuarantor(trx: Transaction<Database>, guarantorId: string, provider: DataProvider, now: Date, actor: string): Promise<GuarantorCheck> {
  const guarantor = await trx.selectFrom('guarantor').select(['id', 'kind', 'credit_code', 'id_number']).where('id', '=', guarantorId).forUpdate().executeTakeFirst();
  if (!guarantor) throw new NotFoundError(`guarantor ${guarantorId}`);
  const sources = GUARANTOR_CHECK_SOURCES[guarantor.kind];
  const today = chinaDate(now);
  const grants = await trx
    .selectFrom('guarantor_authorisation')
    .select(['id', 'sources', 'revoked_at'])
    .where('guarantor_id', '=', guarantorId)
    .where('granted_on', '<=', today)
    .where('expires_on', '>=', today)
    .orderBy('expires_on', 'desc')
    .orderBy('id')
    .execute();
  const grant = grants.find((g) => (g.revoked_at === null || new Date(g.revoked_at).getTime() > now.getTime()) && sources.every((s) => g.sources.includes(s)));
  if (grant === undefined) {
    throw new SproutError('NOT_AUTHORISED', `no unexpired, unrevoked authorisation from guarantor ${guarantorId} covers ${sources.join(', ')} on ${today}`, 'sources', 'guarantor-not-authorised', { date: today });
  }
  const records: DataRecord[] = [];
  if (guarantor.kind === 'person') {
    invariant(guarantor.id_number !== null && sources.length === 1 && sources[0] === 'courts', `a personal guarantor ${guarantorId} has an ID number and is checked in the courts only`);
    // The provider is asked by person key, never by the ID number (person-key.ts).
    if (provider.personCourts === undefined) throw new ValidationError('kind', `the data provider ${provider.name} has no court lookup for persons: the authorisation is recorded, the check waits for such a connector`, 'no-person-connector');
    records.push(...(await provider.personCourts({ personKey: personKey(guarantor.id_number), asOf: today, months: DEFAULT_PULL_MONTHS })));
  } else {
    invariant(guarantor.credit_code !== null, `a guarantee company ${guarantorId} has a credit code`);
    for (const source of sources) {
      records.push(...(await provider.fetch({ subject: { creditCode: guarantor.credit_code }, source, asOf: today, months: DEFAULT_PULL_MONTHS })));
    }
  }
  const found = standingFrom(records, today);
  const check: GuarantorCheck = { id: uuidv7(), guarantorId, asOf: today, provider: provider.name, sources, authorisationId: grant.id, ...found, recordCount: records.length };
  await trx
    .insertInto('guarantor_check')
    .values({
      id: check.id,
      guarantor_id: guarantorId,
      provider: provider.name,
      sources: JSON.stringify(sources),
      authorisation_id: grant.id,
      as_of: today,
      records: JSON.stringify(records.map((record) => ({ source: record.source, kind: record.kind, payload: encodeRecord(record) }))),
      dishonest_debtor: found.dishonestDebtor,
      lawsuits_as_defendant: found.lawsuitsAsDefendant,
      standing: found.standing,
      actor,
      pulled_at: now,
    })
    .execute();
  await trx.updateTable('guarantor').set({ standing: found.standing, checked_on: today }).where('id', '=', guarantorId).execute();
  await appendAudit(trx, { actor, action: 'guarantor.check', entityType: 'guarantor', entityId: guarantorId, after: { checkId: check.id, asOf: today, provider: provider.name, sources, authorisationId: grant.id, ...found, recordCount: records.length } }, now);
  return check;
}

/** A guarantor's checks, newest first. */
export async function guarantorChecks(db: Executor, guarantorId: string): Promise<GuarantorCheck[]> {
  const rows = await db.selectFrom('guarantor_check').selectAll().where('guarantor_id', '=', guarantorId).orderBy('pulled_at', 'desc').orderBy('id', 'desc').limit(50).execute();
  return rows.map((row) => ({
    id: row.id,
    guarantorId: row.guarantor_id,
    asOf: row.as_of,
    provider: row.provider,
    sources: row.sources as DataSource[],
    authorisationId: row.authorisation_id,
    dishonestDebtor: row.dishonest_debtor,
    lawsuitsAsDefendant: row.lawsuits_as_defendant,
    standing: row.standing,
    recordCount: row.records.length,
  }));
}
