/**
 * `sprout bench eod` with the figures a shared machine moves little (issue 21): the same book,
 * floors and end of day as src/eod/eod-benchmark.ts, plus the time of each statement of the night
 * (Kysely's log, summed by statement), PostgreSQL's backend CPU over the night (from /proc, the
 * server on this host), and a fingerprint of what the night wrote — trial balance, loans and sums
 * per category and shard, `loan_day`, `borrower_day`, `new_lending`, the portfolio snapshot — so
 * two versions of the code can be compared on the same seed. `--nights 2` (as `sprout bench eod`) closes the book's first night, then measures the floors and the second night.
 *
 * Run: DATABASE_URL=postgres://root@127.0.0.1:5432/bench_x node --import tsx scripts/eod-profile.ts --loans 100000 --workers 2 [--nights 2] [--out file.json]
 *
 * A 1,000,000-loan book takes minutes to create: `--book only` creates it and stops (keep that
 * database as a template), `--book ready` runs the nights on a database made from it
 * (`create database x template book_m1`, about a tenth of the time).
 *
 * `--checkpoint` runs CHECKPOINT before the lean floor and before each timed night, so that each starts
 * with no WAL of the step before it to write back; each night records its WAL range (`wal`, for
 * pg_waldump).
 *
 * `--shards-per-chunk N` sizes the chunks of each night's run (runEod's `shardsPerChunk`, a power of
 * two of 1,024 shards; default: about 16,000 loans a chunk, `defaultShardsPerChunk`).
 *
 * `--floors none` skips the floors (whose `update loan set dpd = dpd` rewrites every loan row before
 * the last night): with `--nights N` the nights then follow one another as at a bank, a `vacuum
 * analyze` between them, and each night's record has the loan table's updates, HOT updates and
 * size (`loanTable`) to follow the table's steady state.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { parseArgs } from 'node:util';
import type { Database } from '../src/db/schema.js';
import { poolFor, postgresPool } from '../src/db/postgres-backend.js';
import type pg from 'pg';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedReferenceData } from '../src/system/reference-data.js';
import { parseBusinessDate } from '../src/calendar/business-date.js';
import { createSyntheticBook } from '../src/eod/synthetic-book.js';
import { runEod } from '../src/eod/run-eod.js';
import { reconcile } from '../src/ledger/reconcile.js';
import { getBusinessDate } from '../src/system/business-date.js';

const { values } = parseArgs({ options: { loans: { type: 'string' }, workers: { type: 'string', default: '2' }, seed: { type: 'string' }, nights: { type: 'string', default: '2' }, floors: { type: 'string', default: 'last' }, book: { type: 'string', default: 'create' }, checkpoint: { type: 'boolean', default: false }, 'shards-per-chunk': { type: 'string' }, out: { type: 'string' } } });
const url = process.env.DATABASE_URL;
if (url === undefined) throw new Error('DATABASE_URL');
const loans = Number(values.loans);
const workers = Number(values.workers);
const database = url.replace(/.*\//, '').replace(/\?.*/, '');

let logging = false;
const statements = new Map<string, { count: number; ms: number }>();
// EOD_PROFILE_EXPLAIN_MS=n: auto_explain (ANALYZE, BUFFERS) of every statement of the run slower than n ms, written to EOD_PROFILE_EXPLAIN_OUT (default /tmp/eod-explain.log).
const explainMs = process.env.EOD_PROFILE_EXPLAIN_MS;
const explainOut = process.env.EOD_PROFILE_EXPLAIN_OUT ?? '/tmp/eod-explain.log';
const pool = explainMs === undefined ? poolFor(url) : postgresPool(url);
if (explainMs !== undefined) {
  writeFileSync(explainOut, '');
  (pool as pg.Pool).on('connect', (client) => {
    client.on('notice', (notice) => {
      if (logging) writeFileSync(explainOut, `${new Date().toISOString()} ${notice.message}\n\n`, { flag: 'a' });
    });
    void client.query(`load 'auto_explain'; set auto_explain.log_min_duration = ${Number(explainMs)}; set auto_explain.log_analyze = on; set auto_explain.log_buffers = on;
      set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice`);
  });
}
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool }),
  log(event) {
    if (!logging) return;
    const key = event.query.sql.replace(/\s+/g, ' ').replace(/\$\d+/g, '?').slice(0, 110);
    const entry = statements.get(key) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += event.queryDurationMillis;
    statements.set(key, entry);
  },
});

/** CPU seconds (user + system) of every server process working for `database`, by pid. */
function backendCpu(): Map<number, number> {
  const tick = 100;
  const cpu = new Map<number, number>();
  const ours = new Set<number>();
  const procs: { pid: number; cmd: string; seconds: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres:')) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(name), cmd, seconds: (Number(fields[11]) + Number(fields[12])) / tick });
    } catch {
      // gone
    }
  }
  for (const p of procs) if (p.cmd.includes(` ${database} `)) ours.add(p.pid);
  for (const p of procs) {
    const parent = /parallel worker for PID (\d+)/.exec(p.cmd);
    if (ours.has(p.pid) || (parent !== null && ours.has(Number(parent[1])))) cpu.set(p.pid, p.seconds);
  }
  return cpu;
}

/** Samples backend CPU every 250 ms so backends that end within the window still count. */
function cpuMeter(): { stop(): number } {
  const start = backendCpu();
  const last = new Map(start);
  const sample = () => {
    for (const [pid, seconds] of backendCpu()) last.set(pid, seconds);
  };
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let total = 0;
      for (const [pid, seconds] of last) total += seconds - (start.get(pid) ?? 0);
      return Math.round(total * 100) / 100;
    },
  };
}

/** What the database's backends wait on, sampled every 100 ms (pg_stat_activity), and table, WAL and checkpoint counters diffed over a window. */
function waitMeter(): { stop(): Promise<Record<string, unknown>> } {
  const waits = new Map<string, number>();
  const monitor = new Kysely<Database>({ dialect: new PostgresDialect({ pool: poolFor(url ?? '') }) });
  const counters = async () => {
    const tables = await sql<Record<string, string>>`select relname, heap_blks_read + coalesce(idx_blks_read, 0) + coalesce(toast_blks_read, 0) as read,
      heap_blks_hit + coalesce(idx_blks_hit, 0) + coalesce(toast_blks_hit, 0) as hit,
      (select n_tup_upd from pg_stat_user_tables u where u.relid = s.relid) as upd, (select n_tup_hot_upd from pg_stat_user_tables u where u.relid = s.relid) as hot
      from pg_statio_user_tables s where relname in ('loan', 'loan_day', 'borrower_day', 'new_lending', 'portfolio_snapshot', 'loan_installment', 'enterprise', 'enterprise_profile')`.execute(monitor);
    const wal = await sql<Record<string, string>>`select wal_records, wal_fpi, wal_bytes from pg_stat_wal`.execute(monitor);
    const bg = await sql<Record<string, string>>`select checkpoints_timed + checkpoints_req as checkpoints, buffers_backend, buffers_checkpoint, buffers_clean from pg_stat_bgwriter`.execute(monitor);
    const out: Record<string, number> = {};
    for (const row of tables.rows) for (const k of ['read', 'hit', 'upd', 'hot']) out[`${row.relname}.${k}`] = Number(row[k]);
    for (const k of ['wal_records', 'wal_fpi', 'wal_bytes']) out[k] = Number(wal.rows[0]?.[k]);
    for (const k of ['checkpoints', 'buffers_backend', 'buffers_checkpoint', 'buffers_clean']) out[k] = Number(bg.rows[0]?.[k]);
    return out;
  };
  const before = counters();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    sql<{ w: string; n: string }>`select coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' ' || left(ltrim(regexp_replace(query, '\\s+', ' ', 'g')), 36) as w, count(*) as n from pg_stat_activity
      where datname = ${database} and state = 'active' and pid <> pg_backend_pid() group by 1`.execute(monitor).then((result) => {
      for (const row of result.rows) waits.set(row.w, (waits.get(row.w) ?? 0) + Number(row.n));
    }).finally(() => { busy = false; });
  }, 100);
  return {
    async stop() {
      clearInterval(timer);
      const b = await before;
      const a = await counters();
      await monitor.destroy();
      const diff = Object.fromEntries(Object.keys(a).map((k) => [k, (a[k] ?? 0) - (b[k] ?? 0)]));
      return { waits: Object.fromEntries([...waits.entries()].sort((x, y) => y[1] - x[1])), counters: diff };
    },
  };
}

function processCpu(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

async function fingerprint(): Promise<Record<string, unknown>> {
  const q = async (text: ReturnType<typeof sql>) => (await text.execute(db)).rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  const parts: Record<string, string[]> = {
    trialBalance: await q(sql`select a.purpose, cast(sum(l.amount) as text) as balance from journal_line l join ledger_account a on a.code = l.account_code group by a.purpose order by 1`),
    entries: await q(sql`select kind, business_date, count(*) as n from journal_entry group by kind, business_date order by 1, 2`),
    loansByClass: await q(sql`select classification, count(*) as n, cast(sum(principal_not_due) as text) a, cast(sum(principal_due) as text) b, cast(sum(interest_accrued) as text) c,
      cast(sum(interest_due) as text) d, cast(sum(penalty_due) as text) e, cast(sum(provision) as text) f, cast(sum(dpd) as text) g, cast(sum(interest_remainder) as text) h, cast(sum(penalty_remainder) as text) i,
      count(overdue_since) as o, cast(sum(next_due_on - date '2000-01-01') as text) as nd, cast(sum(next_due_principal) as text) as ndp, cast(sum(next_interest) as text) as ni
      from loan group by classification order by 1`),
    loansByShard: await q(sql`select shard, classification, count(*) n, cast(sum(principal_not_due + principal_due) as text) p, cast(sum(interest_accrued + interest_due + penalty_due) as text) i, cast(sum(provision) as text) v, cast(sum(dpd) as text) d,
      cast(sum(coalesce(next_due_on - date '2000-01-01', 0)) as text) nd from loan group by shard, classification order by 1, 2`),
    loanDay: await q(sql`select business_date, classification, count(*) n, cast(sum(principal_not_due) as text) a, cast(sum(principal_due) as text) b, cast(sum(interest_accrued) as text) c, cast(sum(interest_due) as text) d,
      cast(sum(penalty_due) as text) e, cast(sum(dpd) as text) f, cast(sum(provision) as text) g, cast(sum(principal) as text) h, cast(sum(rate_units) as text) r from loan_day group by 1, 2 order by 1, 2`),
    borrowerDay: await q(sql`select business_date, section, size_class, borrower_type, region_code, foreign_trade, inclusive, count(*) n, cast(sum(loans) as text) l, cast(sum(balance) as text) b, cast(sum(overdue) as text) o,
      cast(sum(provision) as text) p, cast(sum(rate_weighted) as text) r, cast(sum(b0) as text) b0, cast(sum(b1) as text) b1, cast(sum(b2) as text) b2, cast(sum(b3) as text) b3, cast(sum(b4) as text) b4,
      cast(sum(n0) as text) n0, cast(sum(n1) as text) n1, cast(sum(n2) as text) n2, cast(sum(n3) as text) n3, cast(sum(n4) as text) n4 from borrower_day group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7`),
    newLending: await q(sql`select day, definition, inclusive, foreign_trade, count(*) n, cast(sum(loans) as text) l, cast(sum(principal) as text) p, cast(sum(weighted) as text) w from new_lending group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
    snapshot: await q(sql`select business_date, dimension, key, loans, borrowers, balance, overdue_balance, npl_balance, provision, cast(rate_weighted as text) rw, new_loans, new_lending from portfolio_snapshot order by 1, 2, 3`),
    outbox: await q(sql`select count(*) n from notification`).catch(() => ['none']),
  };
  const digest = Object.fromEntries(Object.entries(parts).map(([k, rows]) => [k, createHash('sha1').update(rows.join('\n')).digest('hex').slice(0, 12)]));
  return { digest, all: createHash('sha1').update(JSON.stringify(digest)).digest('hex').slice(0, 12), trialBalance: parts.trialBalance, loansByClass: parts.loansByClass };
}

await migrateToLatest(db);
await seedReferenceData(db, parseBusinessDate(new Date().toISOString().slice(0, 10), 'today'));
if (!['last', 'none'].includes(values.floors)) throw new Error('--floors: last or none');
if (!['create', 'only', 'ready'].includes(values.book)) throw new Error('--book: create, only or ready');
const hasLoans = (await db.selectFrom('loan').select('id').limit(1).executeTakeFirst()) !== undefined;
if (values.book === 'ready') {
  if (!hasLoans) throw new Error('--book ready: the database has no loans');
} else {
  if (hasLoans) throw new Error('the database has loans');
  const date = await getBusinessDate(db);
  await createSyntheticBook(db, { loans, seed: values.seed === undefined ? undefined : Number(values.seed), date });
}
await sql`vacuum analyze`.execute(db);
if (values.book === 'only') {
  await db.destroy();
  process.exit(0);
}
let started = performance.now();
let floorSeconds = 0;
let leanFloorSeconds = 0;
let leanFloorCpu = 0;
/** The floors of src/eod/eod-benchmark.ts, measured just before the last night. */
async function floors(): Promise<void> {
  await sql`vacuum analyze`.execute(db);
  started = performance.now();
  await sql`update loan set dpd = dpd`.execute(db);
  floorSeconds = (performance.now() - started) / 1000;
  await sql`vacuum analyze loan`.execute(db);
  await sql`create table bench_lean_floor (id uuid primary key, a bigint not null, b bigint not null, c bigint not null, d bigint not null, e integer not null, f integer not null)`.execute(db);
  await sql`insert into bench_lean_floor (id, a, b, c, d, e, f) select id, principal_not_due, principal_due, interest_accrued, provision, dpd, shard from loan`.execute(db);
  await sql`vacuum analyze bench_lean_floor`.execute(db);
  if (values.checkpoint) await sql`checkpoint`.execute(db);
  const meter = cpuMeter();
  started = performance.now();
  await sql`update bench_lean_floor set a = a + 1, b = b + 1, c = c + 1, d = d + 1, e = e + 1, f = f + 1`.execute(db);
  leanFloorSeconds = (performance.now() - started) / 1000;
  leanFloorCpu = meter.stop();
  await sql`drop table bench_lean_floor`.execute(db);
}

/** The loan table's update counters and size. PostgreSQL's backends flush their counters when idle at most 10 s later, so this waits 11 s first. */
async function loanTable(): Promise<{ updates: number; hot: number; bytes: number }> {
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const { rows } = await sql<{ upd: string; hot: string; bytes: string }>`select n_tup_upd as upd, n_tup_hot_upd as hot, pg_relation_size(relid) as bytes from pg_stat_user_tables where relname = 'loan'`.execute(db);
  return { updates: Number(rows[0]?.upd), hot: Number(rows[0]?.hot), bytes: Number(rows[0]?.bytes) };
}

const nights: unknown[] = [];
const count = Number(values.nights);
const withFloors = values.floors === 'last';
let loanBefore = withFloors ? undefined : await loanTable();
for (let night = 0; night < count; night++) {
  if (withFloors && night === count - 1) await floors();
  if (values.checkpoint) await sql`checkpoint`.execute(db);
  statements.clear();
  const uptime = readFileSync('/proc/loadavg', 'utf8').trim();
  const meter = cpuMeter();
  const waitsMeter = waitMeter();
  const nodeCpu = processCpu();
  const walStart = (await sql<{ lsn: string }>`select cast(pg_current_wal_lsn() as text) as lsn`.execute(db)).rows[0]?.lsn;
  logging = true;
  started = performance.now();
  // The close's wall time: from the last chunk committed to the business date moved.
  let lastChunk = started;
  const summary = await runEod(db, { workers, shardsPerChunk: values['shards-per-chunk'] === undefined ? undefined : Number(values['shards-per-chunk']), afterChunk: () => { lastChunk = performance.now(); } });
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  const closeSeconds = (ended - lastChunk) / 1000;
  logging = false;
  const walEnd = (await sql<{ lsn: string }>`select cast(pg_current_wal_lsn() as text) as lsn`.execute(db)).rows[0]?.lsn;
  const backendCpuSeconds = meter.stop();
  const waits = await waitsMeter.stop();
  const top = [...statements.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25).map(([text, s]) => ({ ms: Math.round(s.ms), count: s.count, text }));
  const totalMs = [...statements.values()].reduce((sum, s) => sum + s.ms, 0);
  const statementCount = [...statements.values()].reduce((sum, s) => sum + s.count, 0);
  let table: Record<string, number> | undefined;
  if (loanBefore !== undefined) {
    const after = await loanTable();
    table = { updates: after.updates - loanBefore.updates, hot: after.hot - loanBefore.hot, bytes: after.bytes };
    loanBefore = after;
  }
  nights.push({ date: summary.date, wal: [walStart, walEnd], loans: summary.loans, chunks: summary.chunks, seconds, closeSeconds, backendCpuSeconds, nodeCpuSeconds: processCpu() - nodeCpu, statementMs: Math.round(totalMs), statementCount, loadBefore: uptime, loadAfter: readFileSync('/proc/loadavg', 'utf8').trim(), loanTable: table, waits, top });
  // A day passes between nights: autovacuum sees the night's row versions and history.
  if (night < count - (withFloors ? 2 : 1)) await sql`vacuum analyze`.execute(db);
}
const { balanced } = await reconcile(db);
const result = { loans, workers, floorSeconds, leanFloorSeconds, leanFloorCpu, balanced, nights, fingerprint: await fingerprint() };
const text = JSON.stringify(result, null, 1);
if (values.out !== undefined) writeFileSync(values.out, text);
process.stdout.write(`${text}\n`);
await db.destroy();
