/**
 * Schedule-engine throughput: twelve-period schedules built per second on one core.
 *
 * A fixed-seed PRNG generates a pool of realistic terms (equal installments dominant, then equal
 * principal, interest-only and bullet; monthly mostly, some weekly and 30-day; both interest
 * periods and day-count bases), then `buildSchedule` runs over the pool for a fixed time. Three
 * figures:
 *
 * - `schedulesPerSecond`: rates drawn from a small set, as at a bank with a few products, so the
 *   decimal.js annuity factor is computed once per (rate, frequency, term) and then cached;
 * - `uncachedSchedulesPerSecond`: the annuity cache emptied before every schedule, the worst case;
 * - `fromRequestSchedulesPerSecond`: parsing and validating the external request as well, as
 *   the API does for a preview (cached annuity factors).
 *
 * Run: `node --import tsx bench/schedule.bench.ts`, or import `run()`.
 *
 * @example
 * const result = await run(); // { benchmark: 'schedule', schedulesPerSecond: …, periods: 12, … }
 */
import { pathToFileURL } from 'node:url';
import { addDays, parseBusinessDate } from '../src/calendar/business-date.js';
import { buildSchedule, parseScheduleRequest, type ScheduleRequest, type ScheduleTerms } from '../src/schedule/index.js';
import { clearAnnuityFactorCache } from '../src/schedule/annuity.js';
import { seededRandom } from '../src/random/seeded-random.js';

/**
 * What the benchmark prints.
 *
 * @example
 * // {"benchmark":"schedule","schedulesPerSecond":270000,"uncachedSchedulesPerSecond":80000,…,"periods":12}
 */
export interface ScheduleBenchResult {
  readonly benchmark: 'schedule';
  readonly schedulesPerSecond: number;
  readonly uncachedSchedulesPerSecond: number;
  readonly fromRequestSchedulesPerSecond: number;
  readonly periods: 12;
  readonly seed: number;
  readonly durationMs: number;
}

/**
 * Options for {@link run}: the seed and how long the main (cached) measurement runs; the
 * uncached and from-request measurements run a third of that each.
 *
 * @example
 * await run({ seed: 1, durationMs: 500 });
 */
export interface ScheduleBenchOptions {
  readonly seed?: number;
  readonly durationMs?: number;
}

const PERIODS = 12;
const POOL_SIZE = 4096;
// A bank's price list: a few rates, each used by many loans.
const RATES = ['3.45', '3.95', '4.35', '4.9', '5.6', '6', '7.2', '8.5', '9.99', '12', '15.4', '18', '21.6', '24'];


function requests(seed: number): ScheduleRequest[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const base = parseBusinessDate('2020-01-01', 'disbursed');
  const pool: ScheduleRequest[] = [];
  for (let i = 0; i < POOL_SIZE; i++) {
    const roll = random();
    const method = roll < 0.6 ? 'equal-installments' : roll < 0.75 ? 'equal-principal' : roll < 0.9 ? 'interest-only' : 'bullet';
    const unitRoll = random();
    const [unit, every] = unitRoll < 0.8 ? ['months', 1] : unitRoll < 0.9 ? ['weeks', 2] : ['days', 30];
    const fen = 100_000 + Math.floor(random() * 99_900_000); // 1000.00 – 1000000.00
    pool.push({
      principal: `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`,
      rate: pick(RATES),
      periods: PERIODS,
      every,
      unit,
      method,
      interest: random() < 0.9 ? 'declining-balance' : 'flat',
      interestPeriod: random() < 0.7 ? 'same-as-repayment' : 'daily',
      daysInYear: pick(['actual', 'actual', '360', '365'] as const),
      daysInMonth: random() < 0.9 ? 'actual' : '30',
      disbursed: addDays(base, Math.floor(random() * 2000)),
      rounding: random() < 0.8 ? 'half-even' : 'half-up',
      ...(method === 'equal-installments' && random() < 0.3 ? { installmentMultiple: '1.00' } : {}),
    });
  }
  return pool;
}

/** Runs `step(i)` for about `durationMs` and returns calls per second. */
function measure(durationMs: number, step: (i: number) => void): number {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  // Bounded by time; the clock is read every 256 calls so it does not dominate.
  while (elapsed < durationMs) {
    for (let j = 0; j < 256; j++) step(count++);
    elapsed = performance.now() - start;
  }
  return Math.round(count / (elapsed / 1000));
}

/**
 * Runs the benchmark and returns its figures.
 *
 * @example
 * const { schedulesPerSecond } = await run({ durationMs: 1000 });
 */
export async function run(options: ScheduleBenchOptions = {}): Promise<ScheduleBenchResult> {
  const seed = options.seed ?? 20240131;
  const durationMs = options.durationMs ?? 3000;
  const pool = requests(seed);
  const terms: ScheduleTerms[] = pool.map(parseScheduleRequest);
  const mask = POOL_SIZE - 1;
  let sink = 0n; // consumed below so the work cannot be optimised away

  // Warm up the JIT and the annuity cache.
  for (let i = 0; i < 20_000; i++) sink ^= buildSchedule(terms[i & mask] as ScheduleTerms).totalInterest;

  const schedulesPerSecond = measure(durationMs, (i) => {
    sink ^= buildSchedule(terms[i & mask] as ScheduleTerms).totalInterest;
  });
  const uncachedSchedulesPerSecond = measure(durationMs / 3, (i) => {
    clearAnnuityFactorCache();
    sink ^= buildSchedule(terms[i & mask] as ScheduleTerms).totalInterest;
  });
  for (let i = 0; i < POOL_SIZE; i++) buildSchedule(terms[i] as ScheduleTerms); // refill the cache
  const fromRequestSchedulesPerSecond = measure(durationMs / 3, (i) => {
    sink ^= buildSchedule(parseScheduleRequest(pool[i & mask] as ScheduleRequest)).totalInterest;
  });
  if (sink === -1n) console.log('unreachable', sink);
  return {
    benchmark: 'schedule',
    schedulesPerSecond,
    uncachedSchedulesPerSecond,
    fromRequestSchedulesPerSecond,
    periods: PERIODS,
    seed,
    durationMs,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run()));
}
