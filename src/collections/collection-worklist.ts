/**
 * The collections worklist (催收工作台): every active loan with days past due, in the collections
 * buckets (1–30, 31–90, 91–180, 181–360, more than 360 days; `COLLECTION_BUCKETING` in
 * src/reporting/past-due.ts), with who works it, the last contact, the open promise and the next
 * step — searched, filtered and paged on the server like the officer's book (src/book/), with the
 * count and overdue amount of every bucket for the tabs.
 *
 * @example
 * const page = await collectionWorklist(db, { bucket: '31-90', collector: 'collector' }, { offset: 0, limit: 50 });
 * page.total; // 4
 * page.buckets[1]; // { bucket: '31-90', loans: 4, overdue: 1234500n }
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Classification, Database } from '../db/schema.js';
import { containsPattern, countOf, type Page, type PageRequest } from '../book/paging.js';
import { minor, type Minor } from '../money/minor.js';
import { bucketOf, bucketSql, COLLECTION_BUCKET_RANGES, COLLECTION_BUCKETING, COLLECTION_BUCKETS, type CollectionBucket } from '../reporting/past-due.js';
import type { CollectionStepKind, ContactChannel, ContactOutcome } from './collection-codes.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What the worklist sorts by, a closed list. */
export const WORKLIST_SORTS = ['daysPastDue', 'overdueAmount', 'enterpriseName', 'nextStepDue'] as const;
export type WorklistSort = (typeof WORKLIST_SORTS)[number];

export interface WorklistFilter {
  readonly bucket?: CollectionBucket | undefined;
  /** A collector's username; `null`: loans nobody works yet. */
  readonly collector?: string | null | undefined;
  /** Part of the firm's name, the start of its credit code, or part of the loan note number. */
  readonly q?: string | undefined;
  readonly enterpriseId?: string | undefined;
  readonly sort?: WorklistSort | undefined;
  readonly order?: 'asc' | 'desc' | undefined;
}

/** A line of the worklist. */
export interface WorklistRow {
  readonly loanId: string;
  /** The loan note number (借据号) people read and quote. */
  readonly noteNo: string;
  readonly enterpriseId: string;
  readonly enterpriseName: string;
  readonly creditCode: string | null;
  readonly daysPastDue: number;
  readonly bucket: CollectionBucket;
  readonly overdueSince: BusinessDate | null;
  readonly classification: Classification;
  /** Principal, interest and penalty due and unpaid: what stops the days past due counting. */
  readonly overdueAmount: Minor;
  /** Principal not yet repaid, due or not. */
  readonly outstanding: Minor;
  readonly collector: string | null;
  readonly lastContact: { readonly on: BusinessDate; readonly channel: ContactChannel; readonly outcome: ContactOutcome } | null;
  readonly openPromise: { readonly amount: Minor; readonly promisedOn: BusinessDate } | null;
  /** The open step due first. */
  readonly nextStep: { readonly kind: CollectionStepKind; readonly dueOn: BusinessDate } | null;
  readonly brokenPromises: number;
}

/** One tab: how many overdue loans the bucket holds and what they owe (under the same filters but the bucket). */
export interface WorklistBucket {
  readonly bucket: CollectionBucket;
  readonly loans: number;
  readonly overdue: Minor;
}

export interface Worklist extends Page<WorklistRow> {
  readonly buckets: readonly WorklistBucket[];
}

/**
 * A page of the worklist. The order always ends with the loan id, so pages never overlap; default:
 * most days past due first.
 */
export async function collectionWorklist(db: Executor, filter: WorklistFilter, page: PageRequest): Promise<Worklist> {
  const overdueAmount = sql<Minor>`(loan.principal_due + loan.interest_due + loan.penalty_due)`;
  const scoped = (withBucket: boolean) => {
    let base = db
      .selectFrom('loan')
      .innerJoin('enterprise', 'enterprise.id', 'loan.enterprise_id')
      .leftJoin('collection_assignment', (join) => join.onRef('collection_assignment.loan_id', '=', 'loan.id').onRef('collection_assignment.enterprise_id', '=', 'loan.enterprise_id'))
      .where('loan.status', '=', 'active')
      .where('loan.dpd', '>', 0);
    const pattern = containsPattern(filter.q);
    if (pattern !== undefined) {
      const text = filter.q!.trim();
      base = base.where((eb) =>
        eb.or([
          eb('enterprise.name', 'ilike', pattern),
          eb('enterprise.credit_code', 'like', `${text.toUpperCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`),
          // The loan note number (借据号) or part of it, as the loan book searches it.
          ...(/^[0-9a-z-]{4,24}$/i.test(text) ? [eb('loan.note_no', 'like', `%${text.toUpperCase()}%`)] : []),
        ]),
      );
    }
    if (filter.enterpriseId !== undefined) base = base.where('loan.enterprise_id', '=', filter.enterpriseId);
    if (filter.collector === null) base = base.where('collection_assignment.collector', 'is', null);
    else if (filter.collector !== undefined) base = base.where('collection_assignment.collector', '=', filter.collector);
    if (withBucket && filter.bucket !== undefined) {
      const { min, max } = COLLECTION_BUCKET_RANGES[filter.bucket];
      base = base.where('loan.dpd', '>=', min);
      if (max !== null) base = base.where('loan.dpd', '<=', max);
    }
    return base;
  };

  const bucket = bucketSql(COLLECTION_BUCKETING, sql.ref('loan.dpd'));
  const tabs = await scoped(false)
    .groupBy(bucket)
    .select([bucket.as('bucket'), sql<string>`cast(count(*) as text)`.as('loans'), sql<string>`cast(coalesce(sum(${overdueAmount}), 0) as text)`.as('overdue')])
    .execute();
  const buckets = COLLECTION_BUCKETS.map((name) => {
    const row = tabs.find((tab) => tab.bucket === name);
    return { bucket: name, loans: row === undefined ? 0 : Number(row.loans), overdue: minor(row === undefined ? 0n : BigInt(row.overdue)) };
  });

  const base = scoped(true);
  const total = countOf(await base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst());
  const nextStepDue = sql<string | null>`(select min(s.due_on) from collection_step s where s.loan_id = loan.id and s.status = 'open')`;
  const direction = filter.order ?? (filter.sort === 'enterpriseName' || filter.sort === 'nextStepDue' ? 'asc' : 'desc');
  let query = base.select([
    'loan.id as loan_id',
    'loan.note_no',
    'loan.enterprise_id',
    'enterprise.name as enterprise_name',
    'enterprise.credit_code',
    'loan.dpd',
    'loan.overdue_since',
    'loan.classification',
    overdueAmount.as('overdue_amount'),
    sql<Minor>`(loan.principal_not_due + loan.principal_due)`.as('outstanding'),
    'collection_assignment.collector',
  ]);
  switch (filter.sort ?? 'daysPastDue') {
    case 'daysPastDue':
      query = query.orderBy('loan.dpd', direction);
      break;
    case 'overdueAmount':
      query = query.orderBy(overdueAmount, direction);
      break;
    case 'enterpriseName':
      query = query.orderBy('enterprise.name', direction);
      break;
    case 'nextStepDue':
      // Loans with no open step last, whichever the direction.
      query = query.orderBy(sql`case when ${nextStepDue} is null then 1 else 0 end`).orderBy(nextStepDue, direction);
      break;
  }
  const rows = await query.orderBy('loan.id', direction).offset(page.offset).limit(page.limit).execute();
  const details = await caseDetails(db, rows.map((row) => row.loan_id));
  return {
    items: rows.map((row) => {
      const detail = details.get(row.loan_id);
      const bucketName = bucketOf(COLLECTION_BUCKETING, row.dpd);
      if (bucketName === null) throw new Error(`loan ${row.loan_id} is in the worklist with ${row.dpd} days past due`);
      return {
        loanId: row.loan_id,
        noteNo: row.note_no,
        enterpriseId: row.enterprise_id,
        enterpriseName: row.enterprise_name,
        creditCode: row.credit_code,
        daysPastDue: row.dpd,
        bucket: bucketName,
        overdueSince: row.overdue_since,
        classification: row.classification,
        overdueAmount: minor(BigInt(row.overdue_amount)),
        outstanding: minor(BigInt(row.outstanding)),
        collector: row.collector,
        lastContact: detail?.lastContact ?? null,
        openPromise: detail?.openPromise ?? null,
        nextStep: detail?.nextStep ?? null,
        brokenPromises: detail?.brokenPromises ?? 0,
      };
    }),
    offset: page.offset,
    limit: page.limit,
    total,
    buckets,
  };
}

interface CaseDetail {
  lastContact: WorklistRow['lastContact'];
  openPromise: WorklistRow['openPromise'];
  nextStep: WorklistRow['nextStep'];
  brokenPromises: number;
}

/** The last contact, open promise, next open step and broken promises of each loan on a page (at most a page's worth of loans). */
async function caseDetails(db: Executor, loanIds: readonly string[]): Promise<Map<string, CaseDetail>> {
  const details = new Map<string, CaseDetail>();
  if (loanIds.length === 0) return details;
  const detail = (loanId: string) => {
    let found = details.get(loanId);
    if (!found) details.set(loanId, (found = { lastContact: null, openPromise: null, nextStep: null, brokenPromises: 0 }));
    return found;
  };
  const contacts = await db
    .selectFrom('collection_contact')
    .select(['loan_id', 'contacted_on', 'channel', 'outcome'])
    .where('loan_id', 'in', loanIds)
    .orderBy('contacted_on', 'asc')
    .orderBy('id', 'asc')
    .execute();
  // Oldest first, so the last written for a loan is its latest.
  for (const row of contacts) detail(row.loan_id).lastContact = { on: row.contacted_on, channel: row.channel, outcome: row.outcome };
  const promises = await db.selectFrom('promise_to_pay').select(['loan_id', 'status', 'amount', 'promised_on']).where('loan_id', 'in', loanIds).orderBy('promised_on', 'desc').orderBy('id', 'desc').execute();
  for (const row of promises) {
    if (row.status === 'broken') detail(row.loan_id).brokenPromises++;
    // Newest first: the open promise due first is written last.
    if (row.status === 'open') detail(row.loan_id).openPromise = { amount: row.amount, promisedOn: row.promised_on };
  }
  const steps = await db.selectFrom('collection_step').select(['loan_id', 'kind', 'due_on']).where('loan_id', 'in', loanIds).where('status', '=', 'open').orderBy('due_on', 'desc').orderBy('id', 'desc').execute();
  for (const row of steps) detail(row.loan_id).nextStep = { kind: row.kind, dueOn: row.due_on };
  return details;
}

/** The stages of the collections funnel, in order. */
export const FUNNEL_STAGES = ['overdue', 'assigned', 'contacted', 'promised', 'kept'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/**
 * The collections funnel (催收漏斗) of the overdue book today, each stage inside the one before: the
 * active overdue loans; those assigned to a collector; of those, contacted since they fell overdue;
 * of those, with a promise to pay made since; of those, with a promise kept. Counts and the overdue
 * amount at each stage.
 *
 * @example
 * const funnel = await collectionFunnel(db);
 * funnel.map((stage) => stage.loans); // [12, 9, 6, 3, 1]
 */
export async function collectionFunnel(db: Executor): Promise<{ readonly stage: FunnelStage; readonly loans: number; readonly overdue: Minor }[]> {
  const contacted = sql<boolean>`exists (select 1 from collection_contact c where c.loan_id = loan.id and c.enterprise_id = loan.enterprise_id and c.contacted_on >= loan.overdue_since)`;
  const promised = sql<boolean>`exists (select 1 from promise_to_pay p where p.loan_id = loan.id and p.enterprise_id = loan.enterprise_id and p.made_on >= loan.overdue_since)`;
  const kept = sql<boolean>`exists (select 1 from promise_to_pay p where p.loan_id = loan.id and p.enterprise_id = loan.enterprise_id and p.made_on >= loan.overdue_since and p.status = 'kept')`;
  const assigned = sql<boolean>`collection_assignment.loan_id is not null`;
  const overdueAmount = sql`(loan.principal_due + loan.interest_due + loan.penalty_due)`;
  const stages = [sql<boolean>`true`, assigned, sql<boolean>`${assigned} and ${contacted}`, sql<boolean>`${assigned} and ${contacted} and ${promised}`, sql<boolean>`${assigned} and ${contacted} and ${promised} and ${kept}`];
  const row = await db
    .selectFrom('loan')
    .leftJoin('collection_assignment', (join) => join.onRef('collection_assignment.loan_id', '=', 'loan.id').onRef('collection_assignment.enterprise_id', '=', 'loan.enterprise_id'))
    .where('loan.status', '=', 'active')
    .where('loan.dpd', '>', 0)
    .select(
      stages.flatMap((condition, index) => [
        sql<string>`cast(sum(case when ${condition} then 1 else 0 end) as text)`.as(`loans${index}`),
        sql<string>`cast(coalesce(sum(case when ${condition} then ${overdueAmount} else 0 end), 0) as text)`.as(`overdue${index}`),
      ]),
    )
    .executeTakeFirstOrThrow();
  const values = row as Record<string, string | null>;
  return FUNNEL_STAGES.map((stage, index) => ({ stage, loans: Number(values[`loans${index}`] ?? 0), overdue: minor(BigInt(values[`overdue${index}`] ?? 0)) }));
}
