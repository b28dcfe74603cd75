/**
 * `sprout bench decide --n N`: N complete decisions through the service layer on the configured
 * database — enterprise, authorisation, data pull from the simulated provider, features, rules,
 * score, limit, price, record — each timed as the API runs it (one read, one atomic write), with
 * `concurrency` decisions in flight at once over the connection pool, as a server under load has.
 */
import type { Kysely } from 'kysely';
import { chinaDate, DATA_SOURCES, grantDataAuthorisation, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider } from '../data/index.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { createEnterprise } from '../enterprises/enterprises.js';
import { applyForCredit } from './apply-for-credit.js';
import { DEFAULT_DECISION_CONFIG } from './decide.js';
import { defaultScorecard } from './default-model.js';

export interface DecideBenchResult {
  readonly decisions: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly perSecond: number;
  /** CPU time of this process per timed decision (user + system): what bounds it when node is the limit. */
  readonly nodeCpuMsPerDecision: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** Each timed decision's milliseconds, in the order they ended (for merging several processes' runs). */
  readonly timingsMs: readonly number[];
  /** The timed phase's wall seconds and this process's CPU milliseconds in it. */
  readonly seconds: number;
  readonly nodeCpuMs: number;
}

/** Decisions in flight at once unless asked otherwise: p99 stayed under 30 ms at 4 in every measured run, and more in flight only queue in node (docs/benchmarks.md). */
export const DEFAULT_BENCH_CONCURRENCY = 4;

/** Untimed decisions before the timed ones unless asked otherwise: enough for V8 to have compiled the hot path. */
export const DEFAULT_BENCH_WARMUP = 200;

/**
 * Runs the benchmark. Enterprises and authorisations are created first (not timed: registration
 * happens before an application); `warmup` decisions run untimed, as a server that has been up a
 * while has run them; then each timed decision pulls, decides and records.
 */
export async function benchmarkDecisions(
  db: Kysely<Database>,
  options: {
    n: number;
    seed?: number;
    concurrency?: number;
    warmup?: number;
    onProgress?: (done: number) => void;
    /** Awaited after the warm-up, before the clock starts: several processes start their timed phases together (`--workers`). */
    beforeTimed?: () => Promise<void>;
  },
): Promise<DecideBenchResult> {
  const concurrency = options.concurrency ?? DEFAULT_BENCH_CONCURRENCY;
  const warmup = options.warmup ?? DEFAULT_BENCH_WARMUP;
  const seed = options.seed ?? 2025;
  const config = DEFAULT_DECISION_CONFIG(defaultScorecard());
  const now = new Date();
  // Different firms from any earlier run on the same database: offset the population by the clock.
  const populationSeed = seed + (now.getTime() % 1_000_000);
  const firms = simulatedPopulation({ seed: populationSeed, size: warmup + options.n });
  // The provider must simulate the same firms that declared their figures: with another seed their
  // data would contradict their declarations and a third of them would be referred on cross-checks.
  const provider = simulatedProvider({ seed: populationSeed });
  const enterprises = await inParallel(firms, concurrency, (firm) =>
    inTransaction(db, async (trx) => {
      const enterprise = await createEnterprise(trx, simulatedEnterpriseInput(firm), 'bench');
      await grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: chinaDate(now), expiresOn: chinaDate(new Date(now.getTime() + 365 * 86_400_000)) }, 'bench', now);
      return enterprise.id;
    }),
  );
  const decideFor = (enterpriseId: string) => applyForCredit(db, { enterpriseId, productCode: 'MICRO-LINE' }, { provider, config, now: new Date() }, 'bench');
  await inParallel(enterprises.slice(0, warmup), concurrency, decideFor);
  await options.beforeTimed?.();
  const timings: number[] = [];
  const outcomes: Record<string, number> = {};
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await inParallel(enterprises.slice(warmup), concurrency, async (enterpriseId) => {
    const t0 = performance.now();
    const result = await decideFor(enterpriseId);
    timings.push(performance.now() - t0);
    outcomes[result.decision.outcome] = (outcomes[result.decision.outcome] ?? 0) + 1;
    options.onProgress?.(timings.length);
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const nodeCpuMs = (cpu.user + cpu.system) / 1000;
  return { ...summariseDecisions(timings, seconds, nodeCpuMs, outcomes), timingsMs: [...timings], seconds: round(seconds), nodeCpuMs: round(nodeCpuMs) };
}

/**
 * p50, p99, rate and CPU per decision of `timings` (ms) taken over `seconds` of wall time, with
 * `nodeCpuMs` of node CPU: one process's run, or several processes' merged.
 */
export function summariseDecisions(
  timings: readonly number[],
  seconds: number,
  nodeCpuMs: number,
  outcomes: Readonly<Record<string, number>>,
): Omit<DecideBenchResult, 'timingsMs' | 'seconds' | 'nodeCpuMs'> {
  const sorted = [...timings].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { decisions: sorted.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), perSecond: round(sorted.length / seconds), nodeCpuMsPerDecision: round(nodeCpuMs / Math.max(1, sorted.length)), outcomes };
}

/** Maps `items` through `work` with at most `limit` in flight; results in the items' order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
