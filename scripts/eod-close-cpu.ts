/**
 * The backend CPU of each of end of day's closing steps for the last night closed, each step run
 * again in a transaction that is rolled back (nothing changes): the debtor-level rule, the notices,
 * the two halves of `borrower_day` (one after the other, on one connection) and the portfolio
 * snapshot: whole ('snapshot', the path of a close without both halves' parts), each half's part
 * after its half's rows ('lower-part', 'upper-part', the statement the closing steps of the halves
 * end with), the halves' parts added up ('rollup', the step 'snapshot' of a close with both), and
 * the lower half's rows and part in one statement from the insert's RETURNING ('lower-returning',
 * against 'lower' + 'lower-part'; s23b). CPU is the backend's utime + stime from /proc/<pid>/stat (10 ms ticks) around the step,
 * so the server must run on this machine; wall time beside it. Run the same script from two
 * worktrees on one database, alternated, to compare their code (issue 21, s22c).
 *
 * 'debtor-chunks': the debtor rule from the candidates the night's chunks recorded (migration 0079),
 * measured when every chunk of the night's run did.
 *
 * Run: DATABASE_URL=postgres://root@127.0.0.1:5432/bench_x node --import tsx scripts/eod-close-cpu.ts [rounds] [debtor,debtor-chunks,notices,lower,upper,snapshot,lower-part,upper-part,rollup,lower-returning]
 */
import { readFileSync } from 'node:fs';
import { CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { poolFor } from '../src/db/postgres-backend.js';
import { addDays } from '../src/calendar/business-date.js';
import { getBusinessDate } from '../src/system/business-date.js';
import { snapshotRowsSql, writePortfolioSnapshot, writeSnapshotHalf } from '../src/reporting/portfolio-history.js';
import { borrowerBookSql, borrowerHalf } from '../src/reporting/book-as-of.js';
import { inclusiveDefinitionOn } from '../src/reporting/inclusive-definition.js';
import { judgeBorrowers, judgeNight } from '../src/reporting/report-verdicts.js';
import { writeNightNotices } from '../src/notifications/night-notices.js';
import { applyDebtorContagion } from '../src/eod/debtor-contagion.js';
import { rulesFor } from '../src/classification/classification-rules.js';

const url = process.env.DATABASE_URL;
if (url === undefined) throw new Error('DATABASE_URL');
const rounds = Number(process.argv[2] ?? 1);
/** The steps to measure (default: all), comma-separated: debtor, debtor-chunks, notices, lower, upper, snapshot, lower-part, upper-part, rollup, lower-returning. */
const only = new Set((process.argv[3] ?? 'debtor,debtor-chunks,notices,lower,upper,snapshot,lower-part,upper-part,rollup,lower-returning').split(','));
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: poolFor(url) }) });
const date = addDays(await getBusinessDate(db), -1);
class Rollback extends Error {}

/** The backend's CPU so far, in ms (utime + stime, fields 14 and 15 of /proc/<pid>/stat). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function measure(name: string, work: (trx: Transaction<Database>) => Promise<unknown>, before?: (trx: Transaction<Database>) => Promise<unknown>): Promise<void> {
  if (!only.has(name)) return;
  // The rolled-back inserts of an earlier round leave dead keys in the night's range: cleared first.
  await sql`vacuum borrower_day, notification, portfolio_snapshot, portfolio_snapshot_half`.execute(db);
  await db.transaction().execute(async (trx) => {
    await sql`delete from borrower_day where business_date = cast(${date} as date)`.execute(trx);
    await sql`delete from new_lending where day = cast(${date} as date)`.execute(trx);
    await sql`delete from portfolio_snapshot where business_date = cast(${date} as date)`.execute(trx);
    await sql`delete from portfolio_snapshot_half where business_date = cast(${date} as date)`.execute(trx);
    await sql`delete from notification where business_date = cast(${date} as date)`.execute(trx);
    await sql`select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    const pid = rows[0]!.pid;
    await before?.(trx);
    const cpu = cpuMs(pid);
    const wall = performance.now();
    await work(trx);
    process.stdout.write(`${name}\t${cpuMs(pid) - cpu}\t${Math.round(performance.now() - wall)}\t${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}\n`);
    throw new Rollback();
  }).catch((error: unknown) => {
    if (!(error instanceof Rollback)) throw error;
  });
}

const { rows: runs } = await sql<{ id: string }>`
  select r.id from eod_run r where r.business_date = cast(${date} as date)
    and not exists (select 1 from eod_chunk c where c.run_id = r.id and c.npl_borrowers is null)`.execute(db).catch(() => ({ rows: [] }));
const chunksOfRun = runs[0]?.id;
process.stdout.write('step\tcpu ms\twall ms\tload\n');
for (let round = 0; round < rounds; round++) {
  await measure('debtor', (trx) => applyDebtorContagion(trx, date, rulesFor(date), 'eod-close-cpu', false));
  // The rule from the candidates the night's chunks recorded (migration 0079), when they did.
  if (chunksOfRun !== undefined) await measure('debtor-chunks', (trx) => applyDebtorContagion(trx, date, rulesFor(date), 'eod-close-cpu', false, chunksOfRun));
  await measure('notices', (trx) => writeNightNotices(trx, date, 3));
  await measure('lower', (trx) => judgeBorrowers(trx, date, 'lower'));
  await measure('upper', (trx) => judgeNight(trx, date, 'upper'));
  await measure('snapshot', (trx) => writePortfolioSnapshot(trx, date), async (trx) => {
    await judgeBorrowers(trx, date, 'lower');
    await judgeNight(trx, date, 'upper');
  });
  await measure('lower-part', (trx) => writeSnapshotHalf(trx, date, 'lower'), (trx) => judgeBorrowers(trx, date, 'lower'));
  await measure('upper-part', (trx) => writeSnapshotHalf(trx, date, 'upper'), (trx) => judgeNight(trx, date, 'upper'));
  await measure('rollup', (trx) => writePortfolioSnapshot(trx, date), async (trx) => {
    await judgeBorrowers(trx, date, 'lower');
    await writeSnapshotHalf(trx, date, 'lower');
    await judgeNight(trx, date, 'upper');
    await writeSnapshotHalf(trx, date, 'upper');
  });
  await measure('lower-returning', (trx) => lowerReturning(trx));
}
await db.destroy();

/**
 * The lower half's `borrower_day` rows and its part of the snapshot in one statement, the part
 * summed from the insert's RETURNING instead of a second read of the half's rows (the alternative
 * to `writeSnapshotHalf` the close does not take; docs/decisions.md, "The portfolio snapshot in
 * halves"). Built here only: the snapshot's statement with its two reads of `borrower_day` read
 * from the insert's rows (and the insert with its probe of rows written before, as `judgeBorrowers`
 * has it for the lower half).
 */
async function lowerReturning(trx: Transaction<Database>): Promise<void> {
  const d = sql`cast(${date} as date)`;
  const columns = sql`enterprise_id, size_class, borrower_type, region_code, section, foreign_trade, inclusive, loans, balance, overdue, provision, rate_weighted,
    b0, b1, b2, b3, b4, n0, n1, n2, n3, n4`;
  const sums = sql`loans, borrowers, balance, overdue_balance, npl_balance, provision, rate_weighted, new_loans, new_lending`;
  // One statement has one set of settings: the insert's (no hash aggregation: each borrower summed in
  // order) with the snapshot's but its sort, which grouping without a hash needs.
  await sql`select set_config('enable_hashagg', 'off', true), set_config('enable_nestloop', 'off', true),
    set_config('enable_indexscan', 'off', true), set_config('work_mem', '64MB', true)`.execute(trx);
  const compiled = sql`
    with ins as (
      insert into borrower_day (business_date, ${columns}) select ${d}, ${columns} from (${borrowerBookSql(date, inclusiveDefinitionOn(date), 'lower', true)}) x
      where not exists (select 1 from borrower_day b where b.business_date = ${d} and ${borrowerHalf(sql.ref('b.enterprise_id'), 'lower')})
      returning *
    )
    insert into portfolio_snapshot_half (business_date, half, dimension, key, ${sums})
    select x.business_date, 'lower', x.dimension, x.key, ${sums} from (${snapshotRowsSql(date, 'history', 'lower')}) x`.compile(trx);
  const text = compiled.sql.replace(/from borrower_day b (left )?join adjust/g, (_, left: string | undefined) => `from ins b ${left ?? ''}join adjust`);
  if (text === compiled.sql) throw new Error('the snapshot no longer reads borrower_day b: update lowerReturning');
  await trx.executeQuery(CompiledQuery.raw(text, [...compiled.parameters]));
}
