/**
 * The management dashboard (`GET /v1/reports/portfolio`) in one statement: the portfolio report
 * ({@link portfolioReport}), the days-past-due buckets ({@link pastDueBuckets}), the business date
 * and where it was read, from one pass over the active loans and the unsettled supply-chain
 * financings grouped by product × category × bucket.
 *
 * Why one statement and not a cache: every figure on the dashboard moves during the day — a
 * repayment lowers a balance (and its overdue share, weighted rate, bucket balance), and paying
 * a loan off takes it and maybe its borrower off the book — so none can be read from what end of
 * day stores. What can go is the round trips: the separate readers made six statements and
 * scanned the loans three times, each statement queueing for a pooled connection under load.
 * The answer is the same as theirs (test/reporting/portfolio-dashboard.test.ts compares them
 * after a day of repayments). The loans are grouped by their product's key and the product's code
 * and names joined to the few groups, not to every loan: 10.0–10.5 → 7.8–8.1 ms a read on the
 * servicing bench's 8,680 loans (EXPLAIN ANALYZE, docs/benchmarks.md, session 25 (lead)).
 *
 * The route answers from {@link sharedPortfolioDashboard}: one read serves the requests of a second,
 * and says how old its figures are, since a read is still a scan of every active loan (14 ms of
 * PostgreSQL's CPU on that book, over a second at a million loans).
 *
 * @example
 * const { report, pastDue, readFrom } = await portfolioDashboard(db);
 * pastDue[0]; // { bucket: '1-30', loans: 3, financings: 0, balance: 45000000n, share: 120n }
 */
import { sql, type Kysely } from 'kysely';
import type { Classification, Database } from '../db/schema.js';
import { READ_SOURCE_COLUMNS, toReadSource, type ReadSource } from '../db/read-replica.js';
import { invariant, ValidationError } from '../errors.js';
import { bucketSql, DPD_BUCKETS, REPORTING_BUCKETING, type PastDueBucket } from './past-due.js';
import { percentOf, reportFromGroups, SUPPLY_CHAIN_PRODUCT, type PortfolioReport } from './portfolio.js';

export interface PortfolioDashboard {
  readonly report: PortfolioReport;
  readonly pastDue: readonly PastDueBucket[];
  readonly readFrom: ReadSource;
}

/** One aggregate row: a product, a category and a bucket, with the statement's scalars repeated. */
interface DashboardRow {
  readonly code: string | null;
  readonly name: string | null;
  readonly name_en: string | null;
  readonly classification: Classification | null;
  readonly bucket: string | null;
  readonly loans: string | null;
  readonly financings: string | null;
  readonly balance: string | null;
  readonly overdue: string | null;
  readonly provision: string | null;
  readonly rate_weighted: string | null;
  readonly borrowers: string;
  readonly business_date: string;
  readonly standby: boolean;
  readonly lag: number | string | null;
}

/** The dashboard's figures as of now, in one statement (one snapshot). */
export async function portfolioDashboard(db: Kysely<Database>): Promise<PortfolioDashboard> {
  const bucket = bucketSql(REPORTING_BUCKETING, sql.ref('book.dpd'));
  // The scalars ride on every group row; a right join keeps one row (nulls) for an empty book.
  // `book` is read twice (the groups, the distinct borrowers): not materialised, so each is a scan
  // of the loans from shared buffers rather than a copy of every active loan in a tuplestore.
  const result = await sql<DashboardRow>`
    with book as not materialized (
      select loan.product_id, loan.classification, loan.dpd,
        loan.principal_not_due + loan.principal_due as outstanding, loan.provision, loan.rate_units,
        1 as is_loan, loan.enterprise_id as obligor
      from loan
      where loan.status = 'active'
      union all
      select null, classification, dpd, principal, provision, rate_units, 0, core_enterprise_id
      from scf_financing where status <> 'settled'
    ),
    groups as (
      -- By the product's key; its code and names are joined to the few groups, not to every loan.
      select book.product_id, book.classification, ${bucket} as bucket,
        cast(sum(is_loan) as text) as loans,
        cast(count(*) - sum(is_loan) as text) as financings,
        cast(sum(outstanding) as text) as balance,
        cast(sum(case when book.dpd > 0 then outstanding else 0 end) as text) as overdue,
        cast(sum(book.provision) as text) as provision,
        cast(sum(book.rate_units * outstanding) as text) as rate_weighted
      from book
      group by book.product_id, book.classification, ${bucket}
    ),
    scalars as (
      -- A core enterprise owes its supply-chain financings (src/supply-chain/maturity.ts): a borrower of the book as its loans' borrowers are.
      select cast((select count(obligor) from (select distinct obligor from book) as obligors) as text) as borrowers,
        (select business_date from system_state where id = 1) as business_date,
        ${READ_SOURCE_COLUMNS}
    ),
    named as (
      -- The financings' groups have no product row: theirs is the supply-chain product.
      select coalesce(product.code, ${SUPPLY_CHAIN_PRODUCT.code}) as code, coalesce(product.name, ${SUPPLY_CHAIN_PRODUCT.name}) as name,
        coalesce(product.name_en, ${SUPPLY_CHAIN_PRODUCT.nameEn}) as name_en,
        groups.classification, groups.bucket, groups.loans, groups.financings, groups.balance, groups.overdue, groups.provision, groups.rate_weighted
      from groups left join product on product.id = groups.product_id
    )
    select named.*, scalars.* from named right join scalars on true`.execute(db);

  const first = result.rows[0];
  invariant(first !== undefined, 'the dashboard statement returns at least its scalar row');
  invariant(first.business_date !== null, 'the business date is not set (reference data not seeded)');
  const groups = result.rows.filter((row) => row.code !== null);
  const report = reportFromGroups(
    groups.map((row) => ({
      code: row.code!,
      name: row.name!,
      name_en: row.name_en!,
      classification: row.classification!,
      loans: BigInt(row.loans!) + BigInt(row.financings!),
      balance: row.balance!,
      overdue: row.overdue!,
      provision: row.provision!,
      rate_weighted: row.rate_weighted!,
    })),
    Number(first.borrowers),
    first.business_date,
  );
  const pastDue = DPD_BUCKETS.map((name) => {
    const rows = groups.filter((row) => row.bucket === name);
    const balance = rows.reduce((sum, row) => sum + BigInt(row.balance!), 0n);
    return {
      bucket: name,
      loans: rows.reduce((sum, row) => sum + Number(row.loans), 0),
      financings: rows.reduce((sum, row) => sum + Number(row.financings), 0),
      balance,
      share: percentOf(balance, report.totals.balance),
    };
  });
  return { report, pastDue, readFrom: toReadSource(first) };
}

/**
 * How long one read of the dashboard serves every request for it, by default: a second. Under a
 * month end's burst the live statement was about a third of PostgreSQL's CPU (14 ms of it a read,
 * the book's every active loan scanned twice, asked every 50 ms), and at a million loans each read
 * is a scan of a million rows; shared, its cost no longer grows with how many people look
 * (docs/decisions.md, "The dashboard: one read shared by the requests of a second").
 */
export const DASHBOARD_SHARED_MS = 1000;

/** The dashboard with how old its figures are: the time since its statement was sent, in seconds. */
export interface SharedDashboard extends PortfolioDashboard {
  readonly ageSeconds: number;
}

interface SharedRead {
  readonly sentAt: number;
  readonly answer: Promise<PortfolioDashboard>;
  running: boolean;
}

/** The latest read of each database's dashboard, in this process. */
const sharedReads = new WeakMap<Kysely<Database>, SharedRead>();

/**
 * {@link portfolioDashboard}, one read shared by the requests for it: a request joins the latest
 * read while it runs, and takes its answer for `sharedMs` after it was sent; after that it sends a
 * new read, which the requests after it share. So one process runs at most one dashboard read at a
 * time (at a million loans a read takes over a second: a second one started meanwhile would only
 * answer later). A read that fails is not shared (the next request reads again). Each answer says
 * how old its figures are, as a standby's says its lag. `sharedMs` 0: every request reads.
 *
 * @example
 * const { report, ageSeconds } = await sharedPortfolioDashboard(db); // ageSeconds: 0.42
 */
export async function sharedPortfolioDashboard(db: Kysely<Database>, sharedMs: number = DASHBOARD_SHARED_MS, clock: () => number = () => performance.now()): Promise<SharedDashboard> {
  invariant(Number.isFinite(sharedMs) && sharedMs >= 0, `sharedMs ${sharedMs}`);
  let read = sharedMs === 0 ? undefined : sharedReads.get(db);
  if (read === undefined || (!read.running && clock() - read.sentAt > sharedMs)) {
    const fresh: SharedRead = { sentAt: clock(), answer: portfolioDashboard(db), running: true };
    if (sharedMs > 0) sharedReads.set(db, fresh);
    fresh.answer.then(
      () => (fresh.running = false),
      () => {
        fresh.running = false;
        if (sharedReads.get(db) === fresh) sharedReads.delete(db);
      },
    );
    read = fresh;
  }
  const answer = await read.answer;
  return { ...answer, ageSeconds: Math.max(0, Math.round(clock() - read.sentAt)) / 1000 };
}

/**
 * `SPROUT_DASHBOARD_SHARED_MS` (0 to 60000), default {@link DASHBOARD_SHARED_MS}.
 *
 * @example
 * dashboardSharedMsFromEnv({ SPROUT_DASHBOARD_SHARED_MS: '0' }); // 0: every request reads
 */
export function dashboardSharedMsFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const text = env.SPROUT_DASHBOARD_SHARED_MS;
  if (text === undefined || text === '') return DASHBOARD_SHARED_MS;
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 60_000) throw new ValidationError('SPROUT_DASHBOARD_SHARED_MS', `must be a whole number of milliseconds, 0 to 60000, got "${text}"`);
  return Number(text);
}
