/**
 * The registry as an officer works it: firms searched, filtered and sorted on the server, paged
 * with the total, each with whether it is already a customer and its active loans.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { BusinessDate } from '../calendar/index.js';
import { hasCitus } from '../db/distribution.js';
import type { Database } from '../db/schema.js';
import type { SizeClass } from '../enterprises/enterprises.js';
import type { IndustryCode } from '../enterprises/size-standard.js';
import { minor, type Minor } from '../money/minor.js';
import { containsPattern, countOf, type Page, type PageRequest } from './paging.js';

export const ENTERPRISE_SORTS = ['name', 'createdAt', 'registeredOn', 'outstanding'] as const;
export type EnterpriseSort = (typeof ENTERPRISE_SORTS)[number];

/** Application statuses that make a firm a customer already: in progress or an offer taken. */
export const CUSTOMER_APPLICATION_STATUSES = ['referred', 'pending-confirmation', 'approved', 'accepted'] as const;

/**
 * Whether the enterprise of the row is already a customer: a line that is not closed, an active
 * loan, or an application in progress. One definition for the registry and the prospect import.
 * On Citus (`citus`, from `hasCitus`) the same test as `enterprise.id in (…)`: `enterprise` is a
 * reference table and Citus plans no correlated subquery from one ("correlated subqueries are not
 * supported when the FROM clause contains a reference table"), while an uncorrelated `in` is run once
 * over the shards; on one server the correlated form stays, an index probe per firm
 * (docs/scaling.md).
 */
export function isCustomer(eb: ExpressionBuilder<Database, 'enterprise'>, citus = false) {
  if (citus) {
    return eb.or([
      eb('enterprise.id', 'in', eb.selectFrom('credit_line').select('credit_line.enterprise_id').where('credit_line.status', '!=', 'closed')),
      eb('enterprise.id', 'in', eb.selectFrom('loan').select('loan.enterprise_id').where('loan.status', '=', 'active')),
      eb('enterprise.id', 'in', eb.selectFrom('application').select('application.enterprise_id').where('application.status', 'in', CUSTOMER_APPLICATION_STATUSES)),
    ]);
  }
  return eb.or([
    eb.exists(eb.selectFrom('credit_line').select('credit_line.id').whereRef('credit_line.enterprise_id', '=', 'enterprise.id').where('credit_line.status', '!=', 'closed')),
    eb.exists(eb.selectFrom('loan').select('loan.id').whereRef('loan.enterprise_id', '=', 'enterprise.id').where('loan.status', '=', 'active')),
    eb.exists(eb.selectFrom('application').select('application.id').whereRef('application.enterprise_id', '=', 'enterprise.id').where('application.status', 'in', CUSTOMER_APPLICATION_STATUSES)),
  ]);
}

export interface EnterpriseBookFilter {
  readonly q?: string;
  readonly industry?: IndustryCode;
  readonly sizeClass?: SizeClass;
  /** true: customers only; false: firms that are not (yet) customers. */
  readonly customer?: boolean;
  readonly sort?: EnterpriseSort;
  readonly order?: 'asc' | 'desc';
}

export interface EnterpriseBookRow {
  readonly id: string;
  readonly creditCode: string | null;
  readonly name: string;
  readonly industry: IndustryCode | null;
  readonly regionCode: string | null;
  readonly sizeClass: SizeClass;
  readonly registeredOn: BusinessDate | null;
  readonly customer: boolean;
  readonly activeLoans: number;
  /** Principal outstanding on its active loans, fen. */
  readonly outstanding: Minor;
}

/**
 * A page of the registry.
 *
 * @example
 * const page = await enterpriseBook(db, { q: '杭州', customer: true, sort: 'outstanding' }, { offset: 0, limit: 50 });
 */
export async function enterpriseBook(db: Kysely<Database>, filter: EnterpriseBookFilter, page: PageRequest): Promise<Page<EnterpriseBookRow>> {
  const citus = await hasCitus(db);
  const pattern = containsPattern(filter.q);
  let base = db.selectFrom('enterprise');
  if (pattern !== undefined) {
    const prefix = `${filter.q!.trim().toUpperCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    base = base.where((eb) => eb.or([eb('enterprise.name', 'ilike', pattern), eb('enterprise.credit_code', 'like', prefix)]));
  }
  if (filter.industry !== undefined) base = base.where('enterprise.industry', '=', filter.industry);
  if (filter.sizeClass !== undefined) base = base.where('enterprise.size_class', '=', filter.sizeClass);
  if (filter.customer === true) base = base.where((eb) => isCustomer(eb, citus));
  if (filter.customer === false) base = base.where((eb) => eb.not(isCustomer(eb, citus)));

  const total = countOf(await base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst());
  const sort = filter.sort ?? 'name';
  const direction = filter.order ?? (sort === 'name' ? 'asc' : 'desc');
  // Each firm's active loans: correlated subqueries on one server (computed for the page's firms
  // only, but when sorting by them); on Citus, which correlates nothing from a reference table, a
  // join with the active loans summed per borrower (isCustomer), run on the shards first (`offset 0`:
  // beside the `in` tests Citus plans no join of a reference table with a distributed subquery).
  const activeLoans = citus ? sql<string>`coalesce(active.loans, 0)` : sql<string>`(select count(*) from loan l where l.enterprise_id = enterprise.id and l.status = 'active')`;
  const outstanding = citus
    ? sql<string>`coalesce(active.outstanding, 0)`
    : sql<string>`(select coalesce(sum(l.principal_not_due + l.principal_due), 0) from loan l where l.enterprise_id = enterprise.id and l.status = 'active')`;
  const withActive = citus
    ? (base.leftJoin(
        sql<{ enterprise_id: string; loans: string; outstanding: string }>`(select l.enterprise_id, count(*) as loans, sum(l.principal_not_due + l.principal_due) as outstanding
          from loan l where l.status = 'active' group by l.enterprise_id offset 0)`.as('active'),
        (join) => join.onRef('active.enterprise_id', '=', 'enterprise.id'),
      ) as unknown as typeof base)
    : base;
  let query = withActive.select((eb) => [
    'enterprise.id',
    'enterprise.credit_code',
    'enterprise.name',
    'enterprise.industry',
    'enterprise.region_code',
    'enterprise.size_class',
    'enterprise.registered_on',
    isCustomer(eb, citus).as('customer'),
    activeLoans.as('active_loans'),
    outstanding.as('outstanding'),
  ]);
  if (sort === 'name') query = query.orderBy('enterprise.name', direction);
  else if (sort === 'createdAt') query = query.orderBy('enterprise.created_at', direction);
  else if (sort === 'registeredOn') query = query.orderBy('enterprise.registered_on', direction);
  else query = query.orderBy(outstanding, direction);
  const rows = await query.orderBy('enterprise.id', direction).offset(page.offset).limit(page.limit).execute();
  return {
    items: rows.map((row) => ({
      id: row.id,
      creditCode: row.credit_code,
      name: row.name,
      industry: row.industry as IndustryCode | null,
      regionCode: row.region_code,
      sizeClass: row.size_class,
      registeredOn: row.registered_on,
      customer: row.customer === true,
      activeLoans: Number(row.active_loans),
      outstanding: minor(BigInt(row.outstanding)),
    })),
    offset: page.offset,
    limit: page.limit,
    total,
  };
}
