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
import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { daysBetween, fromDayNumber, parseBusinessDate, type BusinessDate } from '../calendar/index.js';
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
  return fromDayNumber(Math.floor((at.getTime() + 8 * 3600_000) / 86_400_000));
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
  // The row is locked by its full key (id and borrower): on Citus a locking read must name the
  // distribution column, so the borrower is read first (docs/scaling.md).
  const found = await trx.selectFrom('data_authorisation').select('enterprise_id').where('id', '=', authorisationId).executeTakeFirst();
  if (found === undefined) throw new NotFoundError(`data authorisation ${authorisationId}`);
  const row = await trx.selectFrom('data_authorisation').selectAll().where('id', '=', authorisationId).where('enterprise_id', '=', found.enterprise_id).forUpdate().executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`data authorisation ${authorisationId}`);
  const before = fromRow(row);
  if (before.revokedAt !== null) throw new ConflictError(`data authorisation ${authorisationId} was revoked at ${before.revokedAt.toISOString()}`, 'authorisationId');
  await trx.updateTable('data_authorisation').set({ revoked_at: now }).where('id', '=', authorisationId).where('enterprise_id', '=', row.enterprise_id).execute();
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

/** What the covering check reads of an authorisation in force: which sources, until when, revoked when. */
export interface GrantInForce {
  readonly id: string;
  readonly sources: readonly string[];
  readonly expires_on: string;
  readonly revoked_at: Date | string | null;
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
  const rows = await db
    .selectFrom('data_authorisation')
    .select(['id', 'sources', 'expires_on', 'revoked_at'])
    .where((eb) => inForce(eb, enterpriseId, purpose, chinaDate(now)))
    .execute();
  return authorisationsCoveringFrom(rows, enterpriseId, sources, purpose, now);
}

/**
 * The authorisations in force for `purpose` on `now`'s date as one JSON array (`[]` when none), to
 * read together with other things in one query; {@link authorisationsCoveringFrom} checks them.
 */
export function grantsInForceJson(eb: ExpressionBuilder<Database, keyof Database>, enterpriseId: string, purpose: DataPurpose, now: Date): RawBuilder<GrantInForce[]> {
  return sql<GrantInForce[]>`coalesce((${eb
    .selectFrom('data_authorisation')
    .select(sql`jsonb_agg(jsonb_build_object('id', id, 'sources', sources, 'expires_on', expires_on, 'revoked_at', revoked_at))`.as('grants'))
    .where((inner) => inForce(inner, enterpriseId, purpose, chinaDate(now)))}), cast('[]' as jsonb))`;
}

/** {@link authorisationsCovering} on authorisations already read (those in force on the day). */
export function authorisationsCoveringFrom(grants: readonly GrantInForce[], enterpriseId: string, sources: readonly DataSource[], purpose: DataPurpose, now: Date): Record<DataSource, string> {
  const valid = grants
    .filter((grant) => grant.revoked_at === null || new Date(grant.revoked_at).getTime() > now.getTime())
    .sort((a, b) => (a.expires_on === b.expires_on ? compare(a.id, b.id) : compare(b.expires_on, a.expires_on)));
  const covering: Partial<Record<DataSource, string>> = {};
  const missing: DataSource[] = [];
  for (const source of sources) {
    const grant = valid.find((g) => g.sources.includes(source));
    if (grant === undefined) missing.push(source);
    else covering[source] = grant.id;
  }
  if (missing.length > 0) throw new DataNotAuthorisedError(enterpriseId, missing, purpose, chinaDate(now));
  return covering as Record<DataSource, string>;
}

/** Granted for `purpose` by `today` and not expired before it (revocation is checked against the instant). */
function inForce(eb: ExpressionBuilder<Database, 'data_authorisation'>, enterpriseId: string, purpose: DataPurpose, today: BusinessDate): Expression<SqlBool> {
  return eb.and([eb('enterprise_id', '=', enterpriseId), eb('purpose', '=', purpose), eb('granted_on', '<=', today), eb('expires_on', '>=', today)]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fromRow(row: { id: string; enterprise_id: string; sources: string[]; purpose: string; granted_on: BusinessDate; expires_on: BusinessDate; revoked_at: Date | string | null; granted_by: string; evidence: string | null }): DataAuthorisation {
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    sources: row.sources as DataSource[],
    purpose: row.purpose as DataPurpose,
    grantedOn: row.granted_on,
    expiresOn: row.expires_on,
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    grantedBy: row.granted_by,
    evidence: row.evidence,
  };
}
