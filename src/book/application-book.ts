/**
 * The review queue and the pipeline as an officer works them: applications with their firm, age
 * and service-level flag, searched, filtered, sorted and paged on the server, with the total.
 */
import type { Kysely } from 'kysely';
import { addDays, type BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import type { ApplicationStatus, DecisionReasonCode } from '../decision/decide.js';
import type { Minor } from '../money/minor.js';
import type { RateUnits } from '../pricing/rate-units.js';
import { getBusinessDate } from '../system/business-date.js';
import { containsPattern, countOf, type Page, type PageRequest } from './paging.js';
import { ageInDays, slaDaysFor, type QueueSla } from './queue-sla.js';

/** What the queue sorts by, a closed list; `age` is the days since the application's business date. */
export const APPLICATION_SORTS = ['age', 'limit', 'enterpriseName'] as const;
export type ApplicationSort = (typeof APPLICATION_SORTS)[number];

export interface ApplicationBookFilter {
  /** Part of the firm's name or the start of its credit code. */
  readonly q?: string;
  /** One status; all statuses when absent. */
  readonly status?: ApplicationStatus;
  readonly enterpriseId?: string;
  readonly productCode?: string;
  /** true: only applications waiting longer than the service level allows. */
  readonly overSla?: boolean;
  readonly sort?: ApplicationSort;
  readonly order?: 'asc' | 'desc';
}

export interface ApplicationBookRow {
  readonly id: string;
  readonly enterpriseId: string;
  readonly enterpriseName: string;
  readonly productCode: string;
  /** The product's Chinese name. */
  readonly productName: string;
  /** The product's English name. */
  readonly productNameEn: string;
  readonly status: ApplicationStatus;
  readonly limit: Minor;
  readonly rateUnits: RateUnits | null;
  readonly businessDate: BusinessDate;
  readonly createdAt: Date;
  readonly reasonCodes: readonly DecisionReasonCode[];
  /** Days since the application's business date, to the system's business date. */
  readonly ageDays: number;
  /** The days its status may wait; null for a status that waits for no one at the bank. */
  readonly slaDays: number | null;
  readonly overSla: boolean;
}

/**
 * A page of applications, oldest first by default (the queue's order: who waited longest).
 *
 * The business date, the total and the page are three statements sent together, not one after
 * another (the date first only when the service-level filter needs it): the officer's queue is one
 * of the pages read while a month end's repayments arrive, and each statement waited for a turn of
 * the server's loop and a core then, 20–40 ms each in the burst's first half second
 * (docs/benchmarks.md, session 24, s24b). Each reads its own snapshot, as the total and the page did
 * when they were sent one after the other.
 *
 * @example
 * const page = await applicationBook(db, { status: 'referred', overSla: true }, { offset: 0, limit: 50 }, DEFAULT_QUEUE_SLA);
 * page.items[0].ageDays; // 181
 */
export async function applicationBook(db: Kysely<Database>, filter: ApplicationBookFilter, page: PageRequest, sla: QueueSla): Promise<Page<ApplicationBookRow> & { readonly asOf: BusinessDate }> {
  const businessDate = getBusinessDate(db);
  // The filter needs the date before the statements that use it; otherwise it is read beside them.
  const today = filter.overSla === true ? await businessDate : undefined;
  const pattern = containsPattern(filter.q);
  let base = db.selectFrom('application').innerJoin('enterprise', 'enterprise.id', 'application.enterprise_id').innerJoin('product', 'product.id', 'application.product_id');
  if (pattern !== undefined) {
    const prefix = `${filter.q!.trim().toUpperCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    base = base.where((eb) => eb.or([eb('enterprise.name', 'ilike', pattern), eb('enterprise.credit_code', 'like', prefix)]));
  }
  if (filter.status !== undefined) base = base.where('application.status', '=', filter.status);
  if (filter.enterpriseId !== undefined) base = base.where('application.enterprise_id', '=', filter.enterpriseId);
  if (filter.productCode !== undefined) base = base.where('product.code', '=', filter.productCode);
  if (today !== undefined) {
    // Waiting longer than allowed: dated before today minus the status's days.
    base = base.where((eb) =>
      eb.or([
        eb.and([eb('application.status', '=', 'referred'), eb('application.business_date', '<', addDays(today, -sla.referredDays))]),
        eb.and([eb('application.status', '=', 'pending-confirmation'), eb('application.business_date', '<', addDays(today, -sla.confirmationDays))]),
      ]),
    );
  }

  const counted = base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst();
  const sort = filter.sort ?? 'age';
  // Oldest first is the queue's own order; the largest limit or A→Z otherwise.
  const direction = filter.order ?? (sort === 'limit' ? 'desc' : 'asc');
  let query = base.select([
    'application.id',
    'application.enterprise_id',
    'enterprise.name as enterprise_name',
    'product.code as product_code',
    'product.name as product_name',
    'product.name_en as product_name_en',
    'application.status',
    'application.limit_amount',
    'application.rate_units',
    'application.business_date',
    'application.created_at',
    'application.decision',
  ]);
  if (sort === 'age') query = query.orderBy('application.business_date', direction).orderBy('application.created_at', direction);
  else if (sort === 'limit') query = query.orderBy('application.limit_amount', direction);
  else query = query.orderBy('enterprise.name', direction);
  const [asOf, total, rows] = await Promise.all([businessDate, counted.then(countOf), query.orderBy('application.id', direction).offset(page.offset).limit(page.limit).execute()]);
  return {
    asOf,
    items: rows.map((row) => {
      const ageDays = ageInDays(row.business_date, asOf);
      const slaDays = slaDaysFor(sla, row.status);
      return {
        id: row.id,
        enterpriseId: row.enterprise_id,
        enterpriseName: row.enterprise_name,
        productCode: row.product_code,
        productName: row.product_name,
        productNameEn: row.product_name_en,
        status: row.status,
        limit: row.limit_amount,
        rateUnits: row.rate_units,
        businessDate: row.business_date,
        createdAt: new Date(row.created_at),
        reasonCodes: (row.decision as { reasonCodes: DecisionReasonCode[] }).reasonCodes,
        ageDays,
        slaDays,
        overSla: slaDays !== null && ageDays > slaDays,
      };
    }),
    offset: page.offset,
    limit: page.limit,
    total,
  };
}
