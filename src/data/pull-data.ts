/**
 * Pulling data (数据采集) for an enterprise: check the authorisation for every source, ask the
 * provider, store every record with its source and pull time, and audit the pull — all in the
 * caller's transaction, so a pull is stored whole or not at all.
 *
 * A refused pull throws {@link DataNotAuthorisedError} before the provider is asked anything.
 *
 * @example
 * const data = await inTransaction(db, (trx) =>
 *   pullData(trx, enterpriseId, ['tax', 'electricity', 'courts'], 'credit-assessment', simulatedProvider({ seed: 42 }), new Date(), { actor: 'decision-engine' }));
 * data.sources.tax?.records.length; // 24
 */
import type { Insertable, Kysely, QueryCreator, Transaction } from 'kysely';
import { appendAudit, type AuditEvent } from '../audit/audit-trail.js';
import { parseBusinessDate, type BusinessDate } from '../calendar/index.js';
import type { Database, DataPullTable, DataRecordSetTable, StoredRecord } from '../db/schema.js';
import { invariant, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { authorisationsCovering, chinaDate, parseDataPurpose, parseDataSources, type DataPurpose } from './authorisations.js';
import { compareRecords, MAX_MONTHS, type DataProvider } from './data-provider.js';
import { recordPeriod, type DataRecord, type DataSource, type PulledData, type SourceData } from './data-records.js';
import { decodeRecord, encodeRecord } from './record-fields.js';
import type { IndustryCode } from '../enterprises/size-standard.js';

/** Months of history pulled unless asked otherwise: two years, enough for year-on-year growth. */
export const DEFAULT_PULL_MONTHS = 24;
/** Bound on records per source per pull: a provider returning more is broken, not generous. */
export const MAX_RECORDS_PER_SOURCE = 10_000;

export interface PullOptions {
  /** Who pulls (for the audit trail); default 'system'. */
  readonly actor?: string;
  /** Months of history, 1 to 60; default {@link DEFAULT_PULL_MONTHS}. */
  readonly months?: number;
  /** The date the data window ends before; default: the date in China of `now`. */
  readonly asOf?: string;
  /**
   * Collect the pull's audit event here instead of appending it now; the caller appends it with
   * its own (`appendAuditEvents`), in the same transaction, so the audit heads are locked once.
   */
  readonly auditInto?: { event: AuditEvent; at: Date }[];
  /** The enterprise as the caller already read it, to spare reading it again. */
  readonly enterprise?: { readonly id: string; readonly creditCode: string | null; readonly industry: string | null };
}

/** A stored pull and its data. */
export interface PullResult extends PulledData {
  readonly pullId: string;
  readonly enterpriseId: string;
  readonly purpose: DataPurpose;
  readonly provider: string;
  readonly pulledAt: Date;
  readonly recordCount: number;
  /** Source → the authorisation that allowed it. */
  readonly authorisations: Readonly<Partial<Record<DataSource, string>>>;
}

/**
 * Pulls `sources` for an enterprise under its authorisation for `purpose`, stores and audits it.
 * Throws `NOT_AUTHORISED` (naming the missing sources) without an unexpired, unrevoked
 * authorisation covering each source at `now`; `NOT_FOUND` for an unknown enterprise;
 * `VALIDATION` for an enterprise without a credit code or a source the provider lacks.
 *
 * @example
 * await pullData(trx, enterpriseId, ['tax'], 'credit-assessment', provider, new Date('2025-06-30T02:00:00Z'));
 */
export async function pullData(
  trx: Transaction<Database>,
  enterpriseId: string,
  sources: readonly string[],
  purpose: string,
  provider: DataProvider,
  now: Date,
  options: PullOptions = {},
): Promise<PullResult> {
  const wanted = parseDataSources(sources);
  const why = parseDataPurpose(purpose);
  const months = options.months ?? DEFAULT_PULL_MONTHS;
  if (!Number.isInteger(months) || months < 1 || months > MAX_MONTHS) throw new ValidationError('months', `must be a whole number from 1 to ${MAX_MONTHS}`);
  const asOf = options.asOf === undefined ? chinaDate(now) : parseBusinessDate(options.asOf, 'asOf');
  const actor = options.actor ?? 'system';

  const enterprise =
    options.enterprise?.id === enterpriseId
      ? { id: enterpriseId, credit_code: options.enterprise.creditCode, industry: options.enterprise.industry }
      : await trx.selectFrom('enterprise').select(['id', 'credit_code', 'industry']).where('id', '=', enterpriseId).executeTakeFirst();
  if (enterprise === undefined) throw new NotFoundError(`enterprise ${enterpriseId}`);
  // Authorisation first: nothing is asked of a provider without consent.
  const authorisations = await authorisationsCovering(trx, enterpriseId, wanted, why, now);
  if (enterprise.credit_code === null) throw new ValidationError('creditCode', 'the enterprise has no credit code: record it before pulling data');

  const fetched = await fetchPull({ enterprise: { id: enterpriseId, creditCode: enterprise.credit_code, industry: enterprise.industry }, sources: wanted, purpose: why, provider, asOf, months, actor, now, authorisations });
  // Stored in one statement: the pull, and its record sets (the main query only anchors the CTEs).
  await withStoredPull(trx, fetched.stored).selectNoFrom((eb) => eb.lit(1).as('stored')).execute();
  if (options.auditInto) options.auditInto.push({ event: fetched.event, at: now });
  else await appendAudit(trx, fetched.event, now);
  return fetched.result;
}

/** The rows that store a pull: the pull itself and one record set per source. */
export interface StoredPull {
  readonly pull: Insertable<DataPullTable>;
  readonly sets: readonly Insertable<DataRecordSetTable>[];
}

/**
 * The part of a pull that needs no database: ask the provider for each source (under
 * authorisations the caller has checked), and return the result, the rows that store it and its
 * audit event. {@link pullData} does all of it; the decision engine stores the rows together with
 * the application it decides, in one statement.
 */
export async function fetchPull(input: {
  readonly enterprise: { readonly id: string; readonly creditCode: string; readonly industry: string | null };
  readonly sources: readonly DataSource[];
  readonly purpose: DataPurpose;
  readonly provider: DataProvider;
  readonly asOf: BusinessDate;
  readonly months: number;
  readonly actor: string;
  readonly now: Date;
  readonly authorisations: Readonly<Partial<Record<DataSource, string>>>;
}): Promise<{ result: PullResult; stored: StoredPull; event: AuditEvent }> {
  const { enterprise, sources, purpose, provider, asOf, months, actor, now, authorisations } = input;
  const lacking = sources.filter((s) => !provider.sources.includes(s));
  if (lacking.length > 0) throw new ValidationError('sources', `provider ${provider.name} does not deliver ${lacking.join(', ')}`);
  const pullId = uuidv7();
  const fetched: { source: DataSource; records: readonly DataRecord[] }[] = [];
  for (const source of sources) {
    const records = await provider.fetch({ subject: { creditCode: enterprise.creditCode, industry: enterprise.industry as IndustryCode | null }, source, asOf, months });
    invariant(records.length <= MAX_RECORDS_PER_SOURCE, `provider ${provider.name} returned ${records.length} ${source} records`);
    invariant(records.every((r) => r.source === source), `provider ${provider.name} returned records of another source for ${source}`);
    fetched.push({ source, records });
  }
  const recordCount = fetched.reduce((n, f) => n + f.records.length, 0);
  const stored: StoredPull = {
    pull: { id: pullId, enterprise_id: enterprise.id, purpose, provider: provider.name, sources: JSON.stringify(sources), authorisations: JSON.stringify(authorisations), as_of: asOf, months, record_count: recordCount, actor, pulled_at: now },
    // One row per source: the records as one JSON array, each with its kind and period.
    sets: fetched.map(({ source, records }) => ({
      pull_id: pullId,
      source,
      enterprise_id: enterprise.id,
      record_count: records.length,
      records: JSON.stringify(records.map((record): StoredRecord => ({ kind: record.kind, period: recordPeriod(record), payload: encodeRecord(record) }))),
      pulled_at: now,
    })),
  };
  const event: AuditEvent = {
    actor,
    action: 'data.pull',
    entityType: 'data_pull',
    entityId: pullId,
    after: { enterpriseId: enterprise.id, sources, purpose, provider: provider.name, asOf, months, recordCount, authorisations, recordsBySource: Object.fromEntries(fetched.map((f) => [f.source, f.records.length])) },
  };
  const bySource: Record<string, SourceData> = {};
  for (const { source, records } of fetched) bySource[source] = { source, pullId, pulledAt: now, records };
  const result: PullResult = { pullId, enterpriseId: enterprise.id, purpose, provider: provider.name, pulledAt: now, recordCount, authorisations, asOf, sources: bySource as PulledData['sources'] };
  return { result, stored, event };
}

/**
 * `qc` with two data-modifying CTEs that store the pull: the statement built on it stores the
 * pull along with whatever else it writes, in one round trip.
 *
 * @example
 * await withStoredPull(trx, stored).insertInto('application').values(row).execute();
 */
export function withStoredPull(qc: QueryCreator<Database>, stored: StoredPull) {
  return qc.with('stored_pull', (db) => db.insertInto('data_pull').values(stored.pull)).with('stored_record_sets', (db) => db.insertInto('data_record_set').values([...stored.sets]));
}

/**
 * The pull's row holding all its record sets (`record_sets`, migration 0074), to store the pull in
 * one row instead of one `data_record_set` row per source: what the monitoring run writes. Built
 * from the sets' JSON text as it is, without encoding the records again.
 *
 * @example
 * await trx.insertInto('data_pull').values(batch.map(pullWithRecordSets)).execute();
 */
export function pullWithRecordSets(stored: StoredPull): Insertable<DataPullTable> {
  const parts = stored.sets.map((set) => `${JSON.stringify(set.source)}:${set.records}`);
  return { ...stored.pull, record_sets: `{${parts.join(',')}}` };
}

/**
 * The stored data of an enterprise: for each source, the records of its latest pull (any purpose
 * unless `purpose` is given). `asOf` is that of the latest of those pulls; null when nothing was
 * ever pulled.
 *
 * @example
 * const data = await loadPulledData(db, enterpriseId);
 * if (data) extractFeatures(enterprise, data);
 */
export async function loadPulledData(db: Kysely<Database> | Transaction<Database>, enterpriseId: string, options: { readonly sources?: readonly DataSource[]; readonly purpose?: DataPurpose } = {}): Promise<PulledData | null> {
  let query = db.selectFrom('data_pull').select(['id', 'sources', 'as_of', 'pulled_at']).where('enterprise_id', '=', enterpriseId);
  if (options.purpose !== undefined) query = query.where('purpose', '=', options.purpose);
  // Newest first; bounded: a source's latest pull is among the most recent pulls.
  const pulls = await query.orderBy('pulled_at', 'desc').orderBy('id', 'desc').limit(100).execute();
  const latest = new Map<DataSource, { id: string; asOf: BusinessDate; pulledAt: Date }>();
  for (const pull of pulls) {
    for (const source of pull.sources as DataSource[]) {
      if ((options.sources === undefined || options.sources.includes(source)) && !latest.has(source)) latest.set(source, { id: pull.id, asOf: pull.as_of, pulledAt: new Date(pull.pulled_at) });
    }
  }
  if (latest.size === 0) return null;
  // The latest pulls' sets: from the pulls' own rows where they hold them (migration 0074), from
  // `data_record_set` for the others; each source's from its latest pull.
  const ids = [...new Set([...latest.values()].map((pull) => pull.id))];
  const inPull = await db.selectFrom('data_pull').select(['id', 'record_sets']).where('enterprise_id', '=', enterpriseId).where('id', 'in', ids).where('record_sets', 'is not', null).execute();
  const held = new Map(inPull.map((row) => [row.id, JSON.parse(row.record_sets!) as Partial<Record<string, StoredRecord[]>>]));
  const rest = ids.filter((id) => !held.has(id));
  const sets = rest.length === 0 ? [] : await db.selectFrom('data_record_set').select(['pull_id', 'source', 'records']).where('pull_id', 'in', rest).execute();
  const sources: Record<string, SourceData> = {};
  let asOf: BusinessDate | undefined;
  for (const [source, pull] of latest) {
    const set = sets.find((row) => row.pull_id === pull.id && row.source === source);
    const kept = held.has(pull.id) ? held.get(pull.id)![source] : set === undefined ? undefined : (JSON.parse(set.records) as StoredRecord[]);
    const records = (kept ?? []).map((stored, i) => decodeRecord(source, stored.kind, stored.payload, `data_record_set ${pull.id} ${source} #${i}`)).sort(compareRecords);
    sources[source] = { source, pullId: pull.id, pulledAt: pull.pulledAt, records };
    if (asOf === undefined || pull.asOf > asOf) asOf = pull.asOf;
  }
  return { asOf: asOf!, sources: sources as PulledData['sources'] };
}
