/**
 * Days-past-due buckets (逾期天数分段) and provision coverage, as a risk manager reads the book:
 * how much is 1–30, 31–60, 61–90 and more than 90 days past due, and whether loan-loss reserves
 * cover the non-performing loans (拨备覆盖率 = reserves ÷ NPL balance, regulatory 120–150%;
 * 贷款拨备率 = reserves ÷ loans, 1.5–2.5%; CBRC 2018 adjustment, DOMAIN.md).
 *
 * A bucket is a closed code the loans list filters by (`GET /v1/loans?dpdBucket=31-60`), so every
 * figure on the dashboard links to the loans behind it.
 *
 * @example
 * const buckets = await pastDueBuckets(db);
 * buckets[1]; // { bucket: '31-60', loans: 3, financings: 0, balance: 45000000n, share: 120n }
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { invariant } from '../errors.js';
import type { Database } from '../db/schema.js';
import { percentOf } from './portfolio.js';

/** Days past due a bucket holds, both ends inclusive; `max` null: no upper end. */
export interface DpdRange {
  readonly min: number;
  readonly max: number | null;
}

/**
 * A way of cutting days past due into buckets: the buckets in order and the range of each. The
 * reporting view and the collections worklist cut the same number differently, and both read it
 * through {@link bucketOf} and {@link bucketSql}, so a boundary is written once per bucketing.
 */
export interface DpdBucketing<B extends string> {
  readonly buckets: readonly B[];
  readonly ranges: Readonly<Record<B, DpdRange>>;
}

/** The buckets, in order: a closed list (`dpdBucket` in the API). */
export const DPD_BUCKETS = ['1-30', '31-60', '61-90', 'over-90'] as const;
export type DpdBucket = (typeof DPD_BUCKETS)[number];

/** The days past due each bucket holds, both ends inclusive; `max` null: no upper end. */
export const DPD_BUCKET_RANGES: Readonly<Record<DpdBucket, DpdRange>> = {
  '1-30': { min: 1, max: 30 },
  '31-60': { min: 31, max: 60 },
  '61-90': { min: 61, max: 90 },
  'over-90': { min: 91, max: null },
};

/** The reporting cut (the dashboard's past-due chart, the loans list's `dpdBucket`). */
export const REPORTING_BUCKETING: DpdBucketing<DpdBucket> = { buckets: DPD_BUCKETS, ranges: DPD_BUCKET_RANGES };

/**
 * The collections cut (催收分段): 1–30 days is a reminder, 31–90 the last stretch before 次级
 * (more than 90 days is at least substandard), 91–180 and 181–360 the substandard and doubtful
 * years (more than 270 days is at least 可疑), more than 360 days is 损失 (DOMAIN.md, 2023 rules):
 * a collector's tab is the classification the loan is heading into.
 */
export const COLLECTION_BUCKETS = ['1-30', '31-90', '91-180', '181-360', 'over-360'] as const;
export type CollectionBucket = (typeof COLLECTION_BUCKETS)[number];

export const COLLECTION_BUCKET_RANGES: Readonly<Record<CollectionBucket, DpdRange>> = {
  '1-30': { min: 1, max: 30 },
  '31-90': { min: 31, max: 90 },
  '91-180': { min: 91, max: 180 },
  '181-360': { min: 181, max: 360 },
  'over-360': { min: 361, max: null },
};

export const COLLECTION_BUCKETING: DpdBucketing<CollectionBucket> = { buckets: COLLECTION_BUCKETS, ranges: COLLECTION_BUCKET_RANGES };

/**
 * The bucket of a number of days past due in `bucketing`; null when the loan is current (0 days).
 *
 * @example
 * bucketOf(COLLECTION_BUCKETING, 91); // '91-180'
 */
export function bucketOf<B extends string>(bucketing: DpdBucketing<B>, dpd: number): B | null {
  for (const bucket of bucketing.buckets) {
    const { min, max } = bucketing.ranges[bucket];
    if (dpd >= min && (max === null || dpd <= max)) return bucket;
  }
  return null;
}

/** The reporting bucket of a number of days past due; null when the loan is current (0 days). */
export function dpdBucketOf(dpd: number): DpdBucket | null {
  return bucketOf(REPORTING_BUCKETING, dpd);
}

/**
 * The bucket of `column` (days past due) as SQL, `'current'` for 0: the same ranges as
 * {@link bucketOf}, written from them (integers only, so no text from outside reaches the SQL).
 */
export function bucketSql<B extends string>(bucketing: DpdBucketing<B>, column: RawBuilder<unknown>): RawBuilder<string> {
  const arms = bucketing.buckets.map((bucket) => {
    const { min, max } = bucketing.ranges[bucket];
    invariant(Number.isSafeInteger(min) && (max === null || Number.isSafeInteger(max)), `bucket ${bucket} has integer ends`);
    return max === null ? sql`when ${column} >= ${sql.lit(min)} then ${sql.lit(bucket)}` : sql`when ${column} between ${sql.lit(min)} and ${sql.lit(max)} then ${sql.lit(bucket)}`;
  });
  return sql<string>`case ${sql.join(arms, sql` `)} else 'current' end`;
}

/**
 * One bucket: how many active loans and how many supply-chain financings it holds (the loans list's
 * `dpdBucket` lists exactly the loans; the financings are on the supply-chain console), their
 * outstanding principal together, its share of the whole book (hundredths of a percent).
 */
export interface PastDueBucket {
  readonly bucket: DpdBucket;
  readonly loans: number;
  readonly financings: number;
  readonly balance: bigint;
  readonly share: bigint;
}

/** The four buckets over the active loans and the supply-chain financings not settled, all four always present, zeros included. */
export async function pastDueBuckets(db: Kysely<Database> | Transaction<Database>): Promise<PastDueBucket[]> {
  const bucket = bucketSql(REPORTING_BUCKETING, sql.ref('dpd'));
  // Supply-chain financing unpaid by its core enterprise is past due as a loan is (src/supply-chain/maturity.ts).
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('loan')
        .where('status', '=', 'active')
        .select(['dpd', sql<bigint>`principal_not_due + principal_due`.as('outstanding'), sql<number>`1`.as('loan'), sql<number>`0`.as('financing')])
        .unionAll(eb.selectFrom('scf_financing').where('status', '<>', 'settled').select(['dpd', sql<bigint>`principal`.as('outstanding'), sql<number>`0`.as('loan'), sql<number>`1`.as('financing')]))
        .as('book'),
    )
    .groupBy(bucket)
    .select([
      bucket.as('bucket'),
      sql<string>`cast(sum(loan) as text)`.as('loans'),
      sql<string>`cast(sum(financing) as text)`.as('financings'),
      sql<string>`cast(coalesce(sum(outstanding), 0) as text)`.as('balance'),
    ])
    .execute();
  const total = rows.reduce((sum, row) => sum + BigInt(row.balance), 0n);
  return DPD_BUCKETS.map((bucket) => {
    const row = rows.find((r) => r.bucket === bucket);
    const balance = row === undefined ? 0n : BigInt(row.balance);
    return { bucket, loans: row === undefined ? 0 : Number(row.loans), financings: row === undefined ? 0 : Number(row.financings), balance, share: percentOf(balance, total) };
  });
}

/** Provision coverage: reserves over the NPL balance, and over all loans; hundredths of a percent, null over nothing. */
export function coverage(provision: bigint, nplBalance: bigint, balance: bigint): { readonly coverageRatio: bigint | null; readonly provisionRatio: bigint | null } {
  return {
    coverageRatio: nplBalance === 0n ? null : percentOf(provision, nplBalance),
    provisionRatio: balance === 0n ? null : percentOf(provision, balance),
  };
}
