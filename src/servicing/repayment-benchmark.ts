/**
 * Repayments through the service layer, one at a time, on the book in the database: the code the
 * HTTP route `POST /v1/loans/{id}/repayments` runs (`once` around `repay`, with an Idempotency-Key,
 * as staff at the counter), without HTTP, login or JSON — the cost a repayment adds as the book
 * grows (issue 21, `sprout bench growth`). `sprout bench servicing` measures the same route
 * through the server under load.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ConflictError, invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { once } from './idempotency.js';
import { repay } from './repayment.js';
import { percentile } from './servicing-benchmark.js';

/** What each repayment pays: a part of any synthetic loan (the smallest is 1,000.00), so none closes. */
export const REPAYMENT_BENCH_AMOUNT = '100.00';

export interface RepaymentBenchResult {
  readonly repayments: number;
  readonly p50Ms: number;
  readonly meanMs: number;
  readonly p99Ms: number;
  /** This process's CPU (user + system) per timed repayment. */
  readonly nodeCpuMsPerRepayment: number;
}

/**
 * `warmup` untimed repayments, then `n` timed ones, each of another active loan spread evenly over
 * the book in key order (so they touch its whole table and indexes, not its first pages).
 *
 * @example
 * const { p50Ms } = await benchmarkRepayments(db, { n: 200, warmup: 20 }); // p50Ms: 6.1
 */
export async function benchmarkRepayments(db: Kysely<Database>, options: { readonly n: number; readonly warmup?: number | undefined }): Promise<RepaymentBenchResult> {
  const warmup = options.warmup ?? 20;
  const wanted = warmup + options.n;
  invariant(Number.isInteger(options.n) && options.n >= 1 && options.n <= 100_000 && Number.isInteger(warmup) && warmup >= 0 && warmup <= 100_000, `repayments ${options.n}, warm-up ${warmup}`);
  const active = await db.selectFrom('loan').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow();
  const count = Number(active.n);
  if (count < wanted) throw new ConflictError(`${wanted} repayments need as many active loans; the book has ${count}`);
  const stride = Math.floor(count / wanted);
  // Every stride-th active loan in key order: one pass over the key, not a query per loan.
  const picked = await sql<{ id: string }>`select id from (select id, row_number() over (order by id) as r from loan where status = 'active') x
    where (x.r - 1) % ${stride} = 0 and x.r <= ${stride * wanted} order by id`.execute(db);
  invariant(picked.rows.length === wanted, `picked ${picked.rows.length} loans, not ${wanted}`);
  // One caller for the run, as one teller's user id; the route scopes keys to the caller.
  const caller = uuidv7();
  const repayOne = (loanId: string) => {
    const body = { loanId, amount: REPAYMENT_BENCH_AMOUNT, prepaymentEffect: undefined, aboveThePayoff: 'suspense' as const };
    return once(db, 'repayment', caller, uuidv7(), body, (trx) => repay(trx, body, 'bench'));
  };
  for (const { id } of picked.rows.slice(0, warmup)) await repayOne(id);
  const timings: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (const { id } of picked.rows.slice(warmup)) {
    const started = performance.now();
    const result = await repayOne(id);
    timings.push(performance.now() - started);
    invariant(result.loanStatus === 'active', `bench repayment closed loan ${id}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    repayments: timings.length,
    p50Ms: percentile(timings, 0.5),
    meanMs: round(timings.reduce((sum, t) => sum + t, 0) / timings.length),
    p99Ms: percentile(timings, 0.99),
    nodeCpuMsPerRepayment: round((cpu.user + cpu.system) / 1000 / timings.length),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
