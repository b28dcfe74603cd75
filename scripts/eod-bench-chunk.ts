/**
 * The backend CPU of one end-of-day chunk's statements, repeated (issue 21): the chunk of
 * `scripts/eod-explain-chunk.ts`, run `--runs` times, each in a transaction rolled back, on a
 * database after a night closed; the server's process for the connection is read from /proc (the
 * server on this host), so the figure is the statement's own CPU, little moved by the machine's
 * other load. Prints per run the chunk statement's and advanceNextDue's ms and the backend's CPU ms
 * over the whole chunk, then the medians.
 *
 * Run: DATABASE_URL=postgres://root@127.0.0.1:5432/bench_x node --import tsx scripts/eod-bench-chunk.ts [--runs 9] shardFrom shardTo idFrom idTo
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { poolFor } from '../src/db/postgres-backend.js';
import { addDays } from '../src/calendar/business-date.js';
import { rulesFor } from '../src/classification/classification-rules.js';
import { SHARDS } from '../src/eod/eod-run.js';
import { processChunk } from '../src/eod/process-chunk.js';
import { getBusinessDate } from '../src/system/business-date.js';
import { accrualNights } from '../src/servicing/lazy-accrual.js';

const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '9' } }, allowPositionals: true });
const url = process.env.DATABASE_URL;
if (url === undefined) throw new Error('DATABASE_URL');
const id = (text: string | undefined) => (text === undefined || text === 'null' ? null : text);
const [from, to, idFrom, idTo] = positionals;
const timings = new Map<string, number>();
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool: poolFor(url, { maxConnections: 1 }) }),
  log(event) {
    const key = /with (picked|s as materialized)/.test(event.query.sql) ? 'chunk' : /^\s*update loan set\s*(--|"next_due_on")/.test(event.query.sql) ? 'advanceNextDue' : 'other';
    timings.set(key, (timings.get(key) ?? 0) + event.queryDurationMillis);
  },
});

/** CPU ms (user + system) of the server process `pid`. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const date = await getBusinessDate(db);
const work = {
  date, tomorrow: addDays(date, 1), shardFrom: Number(from ?? 0), shardTo: Number(to ?? SHARDS), idFrom: id(idFrom), idTo: id(idTo),
  rules: rulesFor(date), label: 'bench', createdBy: 'bench', nights: await accrualNights(db),
};
class Rollback extends Error {}
const runs: { chunk: number; advance: number; cpu: number }[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  timings.clear();
  let cpu = 0;
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    const pid = rows[0]!.pid;
    const before = cpuMs(pid);
    await processChunk(trx, work);
    cpu = cpuMs(pid) - before;
    throw new Rollback();
  }).catch((error: unknown) => {
    if (!(error instanceof Rollback)) throw error;
  });
  const row = { chunk: Math.round(timings.get('chunk') ?? 0), advance: Math.round(timings.get('advanceNextDue') ?? 0), cpu };
  runs.push(row);
  process.stdout.write(`run ${run}: chunk ${row.chunk} ms, advanceNextDue ${row.advance} ms, backend CPU ${row.cpu} ms\n`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// The first run warms the caches (and sets the hint bits): the medians are of the others.
const warm = runs.slice(1);
process.stdout.write(`median of ${warm.length}: chunk ${median(warm.map((r) => r.chunk))} ms, advanceNextDue ${median(warm.map((r) => r.advance))} ms, backend CPU ${median(warm.map((r) => r.cpu))} ms; load ${readFileSync('/proc/loadavg', 'utf8').trim()}\n`);
await db.destroy();
