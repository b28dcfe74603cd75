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
 * buckets[1]; // { bucket: '31-60', loans: 3, balance: 45000000n, share: 120n }
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { percentOf } from './portfolio.js';

/** The buckets, in order: a closed list (`dpdBucket` in the API). */
export const DPD_BUCKETS = ['1-30', '31-60', '61-90', 'over-90'] as const;
export type DpdBucket = (typeof DPD_BUCKETS)[number];

/** The days past due each bucket holds, both ends inclusive; `max` null: no upper end. */
export const DPD_BUCKET_RANGES: Readonly<Record<DpdBucket, { readonly min: number; readonly max: number | null }>> = {
  '1-30': { min: 1, max: 30 },
  '31-60': { min: 31, max: 60 },
  '61-90': { min: 61, max: 90 },
  'over-90': { min: 91, max: null },
};

/** The bucket of a number of days past due; null when the loan is current (0 days). */
export function dpdBucketOf(dpd: number): DpdBucket | null {
  for (const bucket of DPD_BUCKETS) {
    const { min, max } = DPD_BUCKET_RANGES[bucket];
    if (dpd >= min && (max === null || dpd <= max)) return bucket;
  }
  return null;
}

/** One bucket's active loans: how many, their outstanding principal, its share of the whole book (hundredths of a percent). */
export interface PastDueBucket {
  readonly bucket: DpdBucket;
  readonly loans: number;
  readonly balance: bigint;
  readonly share: bigint;
}

/** The four buckets over the active loans, all four always present, zeros included. */
export async function pastDueBuckets(db: Kysely<Database> | Transaction<Database>): Promise<PastDueBucket[]> {
  const outstanding = sql<bigint>`(principal_not_due + principal_due)`;
  const bucketSql = sql<string>`case when dpd > 90 then 'over-90' when dpd > 60 then '61-90' when dpd > 30 then '31-60' when dpd > 0 then '1-30' else 'current' end`;
  const rows = await db
    .selectFrom('loan')
    .where('status', '=', 'active')
    .groupBy(bucketSql)
    .select([bucketSql.as('bucket'), sql<string>`cast(count(*) as text)`.as('loans'), sql<string>`cast(coalesce(sum(${outstanding}), 0) as text)`.as('balance')])
    .execute();
  const total = rows.reduce((sum, row) => sum + BigInt(row.balance), 0n);
  return DPD_BUCKETS.map((bucket) => {
    const row = rows.find((r) => r.bucket === bucket);
    const balance = row === undefined ? 0n : BigInt(row.balance);
    return { bucket, loans: row === undefined ? 0 : Number(row.loans), balance, share: percentOf(balance, total) };
  });
}

/** Provision coverage: reserves over the NPL balance, and over all loans; hundredths of a percent, null over nothing. */
export function coverage(provision: bigint, nplBalance: bigint, balance: bigint): { readonly coverageRatio: bigint | null; readonly provisionRatio: bigint | null } {
  return {
    coverageRatio: nplBalance === 0n ? null : percentOf(provision, nplBalance),
    provisionRatio: balance === 0n ? null : percentOf(provision, balance),
  };
}
