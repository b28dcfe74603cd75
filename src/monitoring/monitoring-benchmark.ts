/**
 * `sprout bench monitor --enterprises N`: N borrowers (firms a lender would approve) with an open line (half drawn) and a
 * post-lending authorisation, credit codes of the simulated population, loaded set-based; then
 * one monitoring run over all of them with the simulated provider (every source due: the first
 * night is the heaviest, since courts are pulled daily but tax and power monthly). The figure is
 * the monitoring run's wall clock; loading is reported apart.
 */
import { sql, type Kysely } from 'kysely';
import { addDays } from '../calendar/index.js';
import { DATA_SOURCES } from '../data/data-records.js';
import { simulatedCreditCode, simulatedFirm } from '../data/simulated-firm.js';
import { simulatedProvider } from '../data/simulated-provider.js';
import type { Database } from '../db/schema.js';
import { ConflictError, invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { getBusinessDate } from '../system/business-date.js';
import { runMonitoring } from './monitor-run.js';

export interface MonitorBenchmarkResult {
  readonly enterprises: number;
  readonly seconds: number;
  readonly warnings: number;
  readonly pulls: number;
  readonly actions: number;
  readonly loadSeconds: number;
  /** This process's CPU (user + system) during the run, seconds: node's share of the night, loading excluded. */
  readonly nodeCpuSeconds: number;
}

const LOAD_BATCH = 5_000;
/** The weakest firms a lender declines (latent health, σ). */
const BORROWER_MIN_HEALTH = -1;

/**
 * Loads the borrowers into a database without enterprises and times one monitoring run.
 *
 * @example
 * await benchmarkMonitoring(db, { enterprises: 10_000, seed: 2025 }); // { enterprises: 10000, seconds: …, warnings: … }
 */
export async function benchmarkMonitoring(db: Kysely<Database>, options: { readonly enterprises: number; readonly seed?: number | undefined; readonly onBatch?: ((done: number) => void) | undefined }): Promise<MonitorBenchmarkResult> {
  const n = options.enterprises;
  invariant(Number.isInteger(n) && n >= 1 && n <= 10_000_000, `enterprises ${n}`);
  const seed = options.seed ?? 2025;
  const existing = await db.selectFrom('enterprise').select('id').limit(1).executeTakeFirst();
  if (existing) throw new ConflictError('the benchmark needs a database without enterprises; use a fresh --data-dir or database');
  const date = await getBusinessDate(db);
  const product = await db.selectFrom('product').select('id').where('code', '=', 'MICRO-LINE').executeTakeFirstOrThrow();
  let started = performance.now();
  // Borrowers are firms a lender approved: the simulated population less its weakest sixth
  // (latent health below −1 σ, about the share the decision policy declines), so the warning
  // rates are a book's, not the whole population's.
  let candidate = 0;
  const nextBorrower = (): string => {
    for (let tries = 0; tries < 1000; tries++) {
      const code = simulatedCreditCode(seed, candidate++);
      if (simulatedFirm(code, seed).health >= BORROWER_MIN_HEALTH) return code;
    }
    throw new Error('no borrower in 1000 candidates');
  };
  for (let start = 0; start < n; start += LOAD_BATCH) {
    const size = Math.min(LOAD_BATCH, n - start);
    const ids = Array.from({ length: size }, () => uuidv7());
    const codes = ids.map(() => nextBorrower());
    const lines = ids.map(() => uuidv7());
    const grants = ids.map(() => uuidv7());
    await sql`insert into enterprise (id, name, credit_code, size_class, created_at)
      select id, 'Monitored borrower ' || cast(n as text), code, 'micro', now()
      from unnest(cast(string_to_array(${ids.join(',')}, ',') as uuid[]), string_to_array(${codes.join(',')}, ',')) with ordinality as e(id, code, n)`.execute(db);
    // A 300,000.00 line approved a year ago, half drawn.
    await sql`insert into credit_line (id, enterprise_id, product_id, limit_amount, available, revolving, annual_rate, start_on, end_on, status, created_at)
      select l, e, ${product.id}, 30000000, 15000000, true, '4.35', cast(${addDays(date, -365)} as date), cast(${addDays(date, 365)} as date), 'active', now()
      from unnest(cast(string_to_array(${lines.join(',')}, ',') as uuid[]), cast(string_to_array(${ids.join(',')}, ',') as uuid[])) as x(l, e)`.execute(db);
    await sql`insert into data_authorisation (id, enterprise_id, sources, purpose, granted_on, expires_on, revoked_at, granted_by, evidence, created_at)
      select g, e, cast(${JSON.stringify(DATA_SOURCES)} as jsonb), 'post-lending-monitoring', cast(${addDays(date, -365)} as date), cast(${addDays(date, 365)} as date), null, 'bench', 'bench', now()
      from unnest(cast(string_to_array(${grants.join(',')}, ',') as uuid[]), cast(string_to_array(${ids.join(',')}, ',') as uuid[])) as x(g, e)`.execute(db);
  }
  await sql`analyze`.execute(db);
  const loadSeconds = seconds(started);
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  const summary = await runMonitoring(db, { provider: simulatedProvider({ seed }), now: new Date(`${date}T14:00:00.000Z`), actor: 'bench', afterBatch: options.onBatch });
  const runSeconds = seconds(started);
  const cpu = process.cpuUsage(cpuBefore);
  return { enterprises: summary.enterprises, seconds: runSeconds, warnings: summary.warnings, pulls: summary.pulls, actions: summary.actions, loadSeconds, nodeCpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000 };
}

function seconds(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}
