/**
 * Prospects across every imported batch, as the account manager works them: searched, filtered by
 * status (existing customers apart), sorted and paged on the server, each with what became of it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Minor } from '../money/minor.js';
import type { ProspectSource } from '../prospects/prescreen.js';
import { readReasons, type Prospect, type ProspectReasonCode } from '../prospects/prospect-batches.js';
import { containsPattern, countOf, type Page, type PageRequest } from './paging.js';

export const PROSPECT_SORTS = ['position', 'name', 'indicativeLimit'] as const;
export type ProspectSort = (typeof PROSPECT_SORTS)[number];

export interface ProspectBookFilter {
  readonly q?: string;
  readonly batchId?: string;
  readonly status?: Prospect['status'];
  /** true: only prospects already converted into an application; false: only those not yet. */
  readonly converted?: boolean;
  readonly sort?: ProspectSort;
  readonly order?: 'asc' | 'desc';
}

export interface ProspectBookRow {
  readonly id: string;
  readonly batchId: string;
  readonly batchSource: ProspectSource;
  readonly batchName: string;
  readonly position: number;
  readonly creditCode: string;
  readonly name: string;
  readonly status: Prospect['status'];
  readonly indicativeLimit: Minor | null;
  readonly reasons: readonly ProspectReasonCode[];
  readonly detail: string | null;
  readonly enterpriseId: string | null;
  readonly applicationId: string | null;
}

/**
 * A page of prospects; by default newest batch first, then list order.
 *
 * @example
 * await prospectBook(db, { status: 'pre-approved', converted: false }, { offset: 0, limit: 50 });
 */
export async function prospectBook(db: Kysely<Database>, filter: ProspectBookFilter, page: PageRequest): Promise<Page<ProspectBookRow>> {
  const pattern = containsPattern(filter.q);
  let base = db.selectFrom('prospect').innerJoin('prospect_batch', 'prospect_batch.id', 'prospect.batch_id');
  if (pattern !== undefined) {
    const prefix = `${filter.q!.trim().toUpperCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    base = base.where((eb) => eb.or([eb('prospect.name', 'ilike', pattern), eb('prospect.credit_code', 'like', prefix), eb('prospect_batch.source_name', 'ilike', pattern)]));
  }
  if (filter.batchId !== undefined) base = base.where('prospect.batch_id', '=', filter.batchId);
  if (filter.status !== undefined) base = base.where('prospect.status', '=', filter.status);
  if (filter.converted === true) base = base.where('prospect.application_id', 'is not', null);
  if (filter.converted === false) base = base.where('prospect.application_id', 'is', null);

  const total = countOf(await base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst());
  const sort = filter.sort ?? 'position';
  const direction = filter.order ?? (sort === 'indicativeLimit' ? 'desc' : 'asc');
  let query = base.select([
    'prospect.id',
    'prospect.batch_id',
    'prospect_batch.source',
    'prospect_batch.source_name',
    'prospect.position',
    'prospect.credit_code',
    'prospect.name',
    'prospect.status',
    'prospect.indicative_limit',
    'prospect.reasons',
    'prospect.enterprise_id',
    'prospect.application_id',
  ]);
  if (sort === 'position') query = query.orderBy('prospect_batch.created_at', direction === 'asc' ? 'desc' : 'asc').orderBy('prospect.position', direction);
  else if (sort === 'name') query = query.orderBy('prospect.name', direction);
  else query = query.orderBy('prospect.indicative_limit', direction === 'desc' ? (eb) => eb.desc().nullsLast() : (eb) => eb.asc().nullsLast());
  const rows = await query.orderBy('prospect.id', direction).offset(page.offset).limit(page.limit).execute();
  return {
    items: rows.map((row) => ({
      id: row.id,
      batchId: row.batch_id,
      batchSource: row.source,
      batchName: row.source_name,
      position: row.position,
      creditCode: row.credit_code,
      name: row.name,
      status: row.status,
      indicativeLimit: row.indicative_limit,
      ...readReasons(row.reasons),
      enterpriseId: row.enterprise_id,
      applicationId: row.application_id,
    })),
    offset: page.offset,
    limit: page.limit,
    total,
  };
}
