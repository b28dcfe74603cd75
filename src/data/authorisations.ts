/**
 * Data-sharing authorisations (数据授权): the enterprise's recorded consent that the bank may pull
 * named sources for a named purpose between two dates. Data is pulled only under an unexpired,
 * unrevoked authorisation covering every source asked for (`pull-data.ts`); granting and revoking
 * are audited in the same transaction.
 *
 * Validity is judged on the calendar date in China (UTC+8, no daylight saving) of the moment of
 * the pull: granted_on ≤ today ≤ expires_on, and not revoked at or before that moment.
 *
 * @example
 * await grantDataAuthorisation(trx, { enterpriseId, sources: ['tax', 'electricity'], purpose: 'credit-assessment', grantedOn: '2025-06-01', expiresOn: '2026-05-31' }, 'owner-1');
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { daysBetween, parseBusinessDate, type BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotFoundError, SproutError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { parseDataSource, type DataSource } from './data-records.js';

/** What data may be used for. A pull for one purpose cannot ride on consent given for another. */
export const DATA_PURPOSES = ['credit-assessment', 'post-lending-monitoring'] as const;
export type DataPurpose = (typeof DATA_PURPOSES)[number];

/** Longest consent the bank records in one grant (about three years); renewals are new grants. */
export const MAX_AUTHORISATION_DAYS = 1096;

export interface DataAuthorisation {
  readonly id: string;
  readonly enterpriseId: string;
  readonly sources: readonly DataSource[];
  readonly purpose: DataPurpose;
  readonly grantedOn: BusinessDate;
  /** Last day the authorisation is valid (inclusive). */
  readonly expiresOn: BusinessDate;
  readonly revokedAt: Date | null;
  readonly grantedBy: string;
  /** Where the signed consent is kept (a document id, an e-signature reference). */
  readonly evidence: string | null;
}

/**
 * The pull is refused: no valid authorisation covers `missing`. Code `NOT_AUTHORISED`, field
 * `sources`; the message names each missing source and the purpose.
 */
export class DataNotAuthorisedError extends SproutError {
  readonly missing: readonly DataSource[];

  constructor(enterpriseId: string, missing: readonly DataSource[], purpose: string, on: BusinessDate) {
    super('NOT_AUTHORISED', `no unexpired, unrevoked authorisation from enterprise ${enterpriseId} covers ${missing.map((s) => `'${s}'`).join(', ')} for ${purpose} on ${on}`, 'sources');
    this.missing = missing;
  }
}

/**
 * The calendar date in China of an instant (UTC+8 all year).
 *
 * @example
 * chinaDate(new Date('2025-06-30T17:00:00Z')); // '2025-07-01'
 */
export function chinaDate(at: Date): BusinessDate {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10) as BusinessDate;
}

/**
 * Parses a purpose; a {@link ValidationError} on `field` otherwise.
 *
 * @example
 * parseDataPurpose('credit-assessment'); // 'credit-assessment'
 */
export function parseDataPurpose(text: string, field = 'purpose'): DataPurpose {
  if (!(DATA_PURPOSES as readonly string[]).includes(text)) throw new ValidationError(field, `must be one of ${DATA_PURPOSES.join(', ')}`);
  return text as DataPurpose;
}

/** Parses a non-empty list of distinct sources. */
export function parseDataSources(list: readonly string[], field = 'sources'): DataSource[] {
  if (!Array.isArray(list) || list.length === 0) throw new ValidationError(field, 'must name at least one data source');
  const sources = list.map((s, i) => parseDataSource(s, `${field}[${i}]`));
  if (new Set(sources).size !== sources.length) throw new ValidationError(field, 'must not name a source twice');
  return sources;
}

/** What a grant records. */
export interface GrantInput {
  readonly enterpriseId: string;
  readonly sources: readonly string[];
  readonly purpose: string;
  readonly grantedOn: string;
  readonly expiresOn: string;
  readonly evidence?: string | null;
}

/**
 * Records an enterprise's authorisation and audits it.
 *
 * @example
 * const grant = await grantDataAuthorisation(trx, { enterpriseId, sources: ['tax'], purpose: 'credit-assessment', grantedOn: '2025-06-01', expiresOn: '2026-05-31' }, 'owner-1');
 */
export async function grantDataAuthorisation(trx: Transaction<Database>, input: GrantInput, actor: string, now: Date = new Date()): Promise<DataAuthorisation> {
  const sources = parseDataSources(input.sources);
  const purpose = parseDataPurpose(input.purpose);
  const grantedOn = parseBusinessDate(input.grantedOn, 'grantedOn');
  const expiresOn = parseBusinessDate(input.expiresOn, 'expiresOn');
  const days = daysBetween(grantedOn, expiresOn);
  if (days < 0) throw new ValidationError('expiresOn', `must be on or after grantedOn (${grantedOn})`);
  if (days > MAX_AUTHORISATION_DAYS) throw new ValidationError('expiresOn', `must be at most ${MAX_AUTHORISATION_DAYS} days after grantedOn`);
  const evidence = input.evidence ?? null;
  if (evidence !== null && (typeof evidence !== 'string' || evidence.length > 500)) throw new ValidationError('evidence', 'must be at most 500 characters');
  const enterprise = await trx.selectFrom('enterprise').select('id').where('id', '=', input.enterpriseId).executeTakeFirst();
  if (enterprise === undefined) throw new NotFoundError(`enterprise ${input.enterpriseId}`);
  const grant: DataAuthorisation = { id: uuidv7(), enterpriseId: input.enterpriseId, sources, purpose, grantedOn, expiresOn, revokedAt: null, grantedBy: actor, evidence };
  await trx
    .insertInto('data_authorisation')
    .values({ id: grant.id, enterprise_id: grant.enterpriseId, sources: JSON.stringify(sources), purpose, granted_on: grantedOn, expires_on: expiresOn, revoked_at: null, granted_by: actor, evidence, created_at: now })
    .execute();
  await appendAudit(trx, { actor, action: 'data-authorisation.grant', entityType: 'data_authorisation', entityId: grant.id, after: grant }, now);
  return grant;
}

/**
 * Revokes an authorisation from `now` on; pulls after that are refused. Audited. Revoking twice
 * is a {@link ConflictError}.
 *
 * @example
 * await revokeDataAuthorisation(trx, grant.id, 'owner-1');
 */
export async function revokeDataAuthorisation(trx: Transaction<Database>, authorisationId: string, actor: string, now: Date = new Date()): Promise<DataAuthorisation> {
  const row = await trx.selectFrom('data_authorisation').selectAll().where('id', '=', authorisationId).forUpdate().executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`data authorisation ${authorisationId}`);
  const before = fromRow(row);
  if (before.revokedAt !== null) throw new ConflictError(`data authorisation ${authorisationId} was revoked at ${before.revokedAt.toISOString()}`, 'authorisationId');
  await trx.updateTable('data_authorisation').set({ revoked_at: now }).where('id', '=', authorisationId).execute();
  const after = { ...before, revokedAt: now };
  await appendAudit(trx, { actor, action: 'data-authorisation.revoke', entityType: 'data_authorisation', entityId: authorisationId, before: { revokedAt: null }, after: { revokedAt: now } }, now);
  return after;
}

/**
 * An enterprise's authorisations, newest first.
 *
 * @example
 * const grants = await listDataAuthorisations(db, enterpriseId);
 */
export async function listDataAuthorisations(db: Kysely<Database> | Transaction<Database>, enterpriseId: string): Promise<DataAuthorisation[]> {
  const rows = await db.selectFrom('data_authorisation').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('id', 'desc').execute();
  return rows.map(fromRow);
}

/**
 * For each source, a valid authorisation covering it for `purpose` at `now` (the one expiring
 * last); throws {@link DataNotAuthorisedError} naming every source without one.
 */
export async function authorisationsCovering(
  db: Kysely<Database> | Transaction<Database>,
  enterpriseId: string,
  sources: readonly DataSource[],
  purpose: DataPurpose,
  now: Date,
): Promise<Record<DataSource, string>> {
  const today = chinaDate(now);
  const rows = await db
    .selectFrom('data_authorisation')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .where('purpose', '=', purpose)
    .where('granted_on', '<=', today)
    .where('expires_on', '>=', today)
    .orderBy('expires_on', 'desc')
    .orderBy('id')
    .execute();
  const valid = rows.map(fromRow).filter((grant) => grant.revokedAt === null || grant.revokedAt.getTime() > now.getTime());
  const covering: Partial<Record<DataSource, string>> = {};
  const missing: DataSource[] = [];
  for (const source of sources) {
    const grant = valid.find((g) => g.sources.includes(source));
    if (grant === undefined) missing.push(source);
    else covering[source] = grant.id;
  }
  if (missing.length > 0) throw new DataNotAuthorisedError(enterpriseId, missing, purpose, today);
  return covering as Record<DataSource, string>;
}

function fromRow(row: { id: string; enterprise_id: string; sources: string[]; purpose: string; granted_on: string; expires_on: string; revoked_at: Date | string | null; granted_by: string; evidence: string | null }): DataAuthorisation {
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    sources: row.sources as DataSource[],
    purpose: row.purpose as DataPurpose,
    grantedOn: row.granted_on as BusinessDate,
    expiresOn: row.expires_on as BusinessDate,
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    grantedBy: row.granted_by,
    evidence: row.evidence,
  };
}
