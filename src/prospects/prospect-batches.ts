/**
 * Batch acquisition (批量获客): a prospect list from a core enterprise's supply chain, a business
 * district or a platform is imported, each credit code checked, each valid prospect pre-screened on
 * public records (`prescreen.ts`), and the list stored with its results. Invalid rows are reported
 * one by one and never stop the batch.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { BusinessDate } from '../calendar/index.js';
import type { DataProvider, DataRecord } from '../data/index.js';
import { hasCitus } from '../db/distribution.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { parseCreditCode } from '../enterprises/credit-code.js';
import type { IndustryCode } from '../enterprises/size-standard.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { Minor } from '../money/minor.js';
import { getBusinessDate } from '../system/business-date.js';
import { isCustomer } from '../book/enterprise-book.js';
import { prescreen, PRESCREEN_REASON_CODES, PROSPECT_SOURCES, type PrescreenPolicy, type ProspectSource } from './prescreen.js';

/** Largest list one import takes; a larger campaign is several batches. */
export const MAX_BATCH = 5_000;
/** Rows per multi-row insert. */
const INSERT_CHUNK = 500;
/** Public-record look-ups in flight at once (a real registry or court API limits callers). */
const FETCH_CONCURRENCY = 16;

export interface ProspectBatch {
  readonly id: string;
  readonly source: ProspectSource;
  readonly sourceName: string;
  readonly total: number;
  readonly preApproved: number;
  readonly declined: number;
  readonly invalid: number;
  /** Already customers: a line, a loan or an application in progress; never offered a pre-approval. */
  readonly existing: number;
  readonly createdAt: Date;
}

/** Why a row of the list was not screened: a closed list, beside the pre-screen's own reasons. */
export const INVALID_ROW_CODES = ['INVALID_CREDIT_CODE', 'INVALID_NAME', 'DUPLICATE_IN_LIST'] as const;

/** Every reason a prospect can carry, a closed list. */
export const PROSPECT_REASON_CODES = [...new Set([...PRESCREEN_REASON_CODES, ...INVALID_ROW_CODES])] as readonly ProspectReasonCode[];
export type ProspectReasonCode = (typeof PRESCREEN_REASON_CODES)[number] | (typeof INVALID_ROW_CODES)[number];

export interface Prospect {
  readonly creditCode: string;
  readonly name: string;
  readonly status: 'pre-approved' | 'declined' | 'invalid' | 'existing-customer';
  /** Fen; null unless pre-approved. */
  readonly indicativeLimit: Minor | null;
  readonly reasons: readonly ProspectReasonCode[];
  /** For an invalid row, what exactly is wrong ("character 18 '4' is wrong: …"); otherwise null. */
  readonly detail: string | null;
}

/** Stored reasons are codes, an invalid row's as "CODE: detail" (the form rows were always stored in). */
function storedReasons(prospect: Prospect): string[] {
  return prospect.detail === null ? [...prospect.reasons] : prospect.reasons.map((code) => `${code}: ${prospect.detail}`);
}

/** Stored reasons read back as codes, with an invalid row's detail. */
export function readReasons(stored: readonly string[]): { reasons: ProspectReasonCode[]; detail: string | null } {
  let detail: string | null = null;
  const reasons = stored.map((reason) => {
    const cut = reason.indexOf(': ');
    if (cut < 0) return reason as ProspectReasonCode;
    detail = reason.slice(cut + 2);
    return reason.slice(0, cut) as ProspectReasonCode;
  });
  return { reasons, detail };
}

export interface ProspectBatchInput {
  readonly source: string;
  readonly sourceName: string;
  readonly prospects: readonly { readonly creditCode: string; readonly name: string }[];
}

/**
 * Imports and pre-screens a prospect list; returns the batch and every prospect in list order.
 *
 * @example
 * const { batch } = await importProspectBatch(db, { source: 'supply-chain', sourceName: '宁波某汽车零部件集团', prospects }, { provider, policy: DEFAULT_PRESCREEN_POLICY }, 'account-manager');
 * batch.preApproved; // 41
 */
export async function importProspectBatch(
  db: Kysely<Database>,
  input: ProspectBatchInput,
  deps: { readonly provider: DataProvider; readonly policy: PrescreenPolicy },
  actor: string,
): Promise<{ batch: ProspectBatch; prospects: Prospect[] }> {
  if (!(PROSPECT_SOURCES as readonly string[]).includes(input.source)) throw new ValidationError('source', `must be one of ${PROSPECT_SOURCES.join(', ')}`);
  const source = input.source as ProspectSource;
  const sourceName = typeof input.sourceName === 'string' ? input.sourceName.trim() : '';
  if (sourceName === '' || sourceName.length > 200) throw new ValidationError('sourceName', 'must be 1 to 200 characters: the core enterprise, district or platform');
  if (!Array.isArray(input.prospects) || input.prospects.length === 0 || input.prospects.length > MAX_BATCH) throw new ValidationError('prospects', `must be a list of 1 to ${MAX_BATCH} prospects`);
  for (const needed of ['registration', 'courts'] as const) {
    if (!deps.provider.sources.includes(needed)) throw new ValidationError('provider', `the pre-screen needs public ${needed} records, which ${deps.provider.name} does not deliver`);
  }
  const asOf = await getBusinessDate(db);

  // Check every row first: an invalid row is a result, not an error.
  const seen = new Set<string>();
  const rows = input.prospects.map((row, index) => {
    const given = typeof row.creditCode === 'string' ? row.creditCode.trim() : '';
    const name = typeof row.name === 'string' ? row.name.trim() : '';
    let code: string | null = null;
    let invalid: { readonly code: (typeof INVALID_ROW_CODES)[number]; readonly detail: string | null } | null = null;
    try {
      code = parseCreditCode(given, 'creditCode');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The row is the reference; the message without the field name says what is wrong.
      invalid = { code: 'INVALID_CREDIT_CODE', detail: (error as Error).message.replace(/^creditCode: /, '') };
    }
    if (invalid === null && (name === '' || name.length > 200)) invalid = { code: 'INVALID_NAME', detail: 'must be 1 to 200 characters' };
    if (invalid === null && seen.has(code!)) invalid = { code: 'DUPLICATE_IN_LIST', detail: null };
    if (code !== null && invalid === null) seen.add(code);
    return { position: index + 1, creditCode: code ?? given.slice(0, 64), name: name.slice(0, 200), invalid };
  });

  const known = await knownEnterprises(db, [...seen]);
  const results: Prospect[] = new Array(rows.length);
  const enterpriseIds: (string | null)[] = new Array(rows.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const i = next++;
      const row = rows[i]!;
      if (row.invalid !== null) {
        results[i] = { creditCode: row.creditCode, name: row.name, status: 'invalid', indicativeLimit: null, reasons: [row.invalid.code], detail: row.invalid.detail };
        continue;
      }
      const enterprise = known.get(row.creditCode);
      enterpriseIds[i] = enterprise?.id ?? null;
      if (enterprise?.customer) {
        // Already the bank's customer: the account manager serves it as one, not as a new prospect.
        results[i] = { creditCode: row.creditCode, name: row.name, status: 'existing-customer', indicativeLimit: null, reasons: [], detail: null };
        continue;
      }
      const subject = { creditCode: row.creditCode, industry: enterprise?.industry ?? null };
      const records: DataRecord[] = [
        ...(await deps.provider.fetch({ subject, source: 'registration', asOf, months: deps.policy.months })),
        ...(await deps.provider.fetch({ subject, source: 'courts', asOf, months: deps.policy.months })),
      ];
      const result = prescreen({ source, records, registeredOn: enterprise?.registeredOn ?? null, asOf }, deps.policy);
      results[i] = { creditCode: row.creditCode, name: row.name, ...result, detail: null };
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, rows.length) }, worker));

  const count = (status: Prospect['status']) => results.filter((prospect) => prospect.status === status).length;
  const batch: ProspectBatch = { id: uuidv7(), source, sourceName, total: results.length, preApproved: count('pre-approved'), declined: count('declined'), invalid: count('invalid'), existing: count('existing-customer'), createdAt: new Date() };
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('prospect_batch')
      .values({ id: batch.id, source, source_name: sourceName, total: batch.total, pre_approved: batch.preApproved, declined: batch.declined, invalid: batch.invalid, existing: batch.existing, rules_version: deps.policy.version, created_by: actor, created_at: batch.createdAt })
      .execute();
    for (let start = 0; start < results.length; start += INSERT_CHUNK) {
      const chunk = results.slice(start, start + INSERT_CHUNK);
      await trx
        .insertInto('prospect')
        .values(
          chunk.map((prospect, offset) => ({
            id: uuidv7(),
            batch_id: batch.id,
            position: start + offset + 1,
            credit_code: prospect.creditCode,
            name: prospect.name,
            status: prospect.status,
            indicative_limit: prospect.indicativeLimit,
            reasons: JSON.stringify(storedReasons(prospect)),
            enterprise_id: enterpriseIds[start + offset] ?? null,
          })),
        )
        .execute();
    }
    await appendAudit(trx, {
      actor,
      action: 'prospect-batch.import',
      entityType: 'prospect_batch',
      entityId: batch.id,
      after: { source, sourceName, total: batch.total, preApproved: batch.preApproved, declined: batch.declined, invalid: batch.invalid, existing: batch.existing, rules: deps.policy.version },
    });
  });
  return { batch, prospects: results };
}

/** Batches, newest first. */
export async function listProspectBatches(db: Kysely<Database>, limit = 100): Promise<ProspectBatch[]> {
  const rows = await db.selectFrom('prospect_batch').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, source: row.source, sourceName: row.source_name, total: row.total, preApproved: row.pre_approved, declined: row.declined, invalid: row.invalid, existing: row.existing, createdAt: new Date(row.created_at) }));
}

/** A batch's prospects in list order; {@link NotFoundError} for an unknown batch. */
export async function prospectsOf(db: Kysely<Database>, batchId: string): Promise<Prospect[]> {
  const batch = await db.selectFrom('prospect_batch').select('id').where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw new NotFoundError(`prospect batch ${batchId}`);
  const rows = await db.selectFrom('prospect').select(['credit_code', 'name', 'status', 'indicative_limit', 'reasons']).where('batch_id', '=', batchId).orderBy('position').limit(MAX_BATCH).execute();
  return rows.map((row) => ({ creditCode: row.credit_code, name: row.name, status: row.status, indicativeLimit: row.indicative_limit, ...readReasons(row.reasons) }));
}

interface KnownEnterprise {
  readonly id: string;
  readonly registeredOn: BusinessDate | null;
  readonly industry: IndustryCode | null;
  /** Has a line that is not closed, an active loan, or an application still in progress. */
  readonly customer: boolean;
}

async function knownEnterprises(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, KnownEnterprise>> {
  const known = new Map<string, KnownEnterprise>();
  const citus = await hasCitus(db);
  for (let start = 0; start < codes.length; start += 1_000) {
    const chunk = codes.slice(start, start + 1_000);
    const rows = await db
      .selectFrom('enterprise')
      .select(['id', 'credit_code', 'registered_on', 'industry'])
      .select((eb) => isCustomer(eb, citus).as('customer'))
      .where('credit_code', 'in', chunk)
      .execute();
    for (const row of rows) known.set(row.credit_code!, { id: row.id, registeredOn: row.registered_on, industry: row.industry as IndustryCode | null, customer: row.customer === true });
  }
  return known;
}
