/**
 * EXPLAIN (ANALYZE, BUFFERS) of each statement one end-of-day chunk runs, on the book in the
 * database at its current business date, rolled back: nothing changes (issue 21). Lazy, as the
 * night is, when the night before was closed.
 *
 * Run: DATABASE_URL=postgres://root@127.0.0.1:5432/bench_x node --import tsx scripts/eod-explain-chunk.ts [shardFrom shardTo [idFrom idTo]] (shards 0 to 1024, SHARDS: every shard)
 * (ids: 'null' for unbounded; e.g. the `id_from`/`id_to` of a chunk of the last run)
 */
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { poolFor } from '../src/db/postgres-backend.js';
import { addDays } from '../src/calendar/business-date.js';
import { rulesFor } from '../src/classification/classification-rules.js';
import { SHARDS } from '../src/eod/eod-run.js';
import { processChunk } from '../src/eod/process-chunk.js';
import { getBusinessDate } from '../src/system/business-date.js';
import { accrualNights } from '../src/servicing/lazy-accrual.js';

const url = process.env.DATABASE_URL;
if (url === undefined) throw new Error('DATABASE_URL');
const shardFrom = Number(process.argv[2] ?? 0);
const shardTo = Number(process.argv[3] ?? SHARDS);
const id = (text: string | undefined) => (text === undefined || text === 'null' ? null : text);
const idFrom = id(process.argv[4]);
const idTo = id(process.argv[5]);
const captured: { sql: string; parameters: readonly unknown[] }[] = [];
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool: poolFor(url) }),
  log(event) {
    captured.push({ sql: event.query.sql, parameters: event.query.parameters });
  },
});
const date = await getBusinessDate(db);
// The nights as end of day reads them: after a night closed the day before, the chunk is lazy
// (src/servicing/lazy-accrual.ts) and writes only the rows of loans whose state changes, as the night does.
const work = { date, tomorrow: addDays(date, 1), shardFrom, shardTo, idFrom, idTo, rules: rulesFor(date), label: 'explain', createdBy: 'explain', nights: await accrualNights(db) };
class Rollback extends Error {}
captured.length = 0;
await db.transaction().execute(async (trx) => {
  await processChunk(trx, work);
  throw new Rollback();
}).catch((error: unknown) => {
  if (!(error instanceof Rollback)) throw error;
});
const statements = captured.filter((s) => /^\s*(with|update|insert into "journal)/i.test(s.sql) && !/^\s*(begin|rollback)/i.test(s.sql));
// The chunk's transaction settings (jit, work_mem, synchronous_commit: process-chunk.ts), run as the chunk runs them, so the plans are the chunk's.
const settings = captured.filter((s) => /set_config\(/i.test(s.sql));
await db.transaction().execute(async (trx) => {
  for (const statement of settings) await trx.executeQuery(CompiledQuery.raw(statement.sql, [...statement.parameters]));
  for (const statement of statements.slice(0, 2)) {
    const result = await trx.executeQuery(CompiledQuery.raw(`explain (analyze, buffers, wal) ${statement.sql}`, [...statement.parameters]));
    process.stdout.write(`---- ${statement.sql.replace(/\s+/g, ' ').slice(0, 100)}\n`);
    for (const row of result.rows as { 'QUERY PLAN': string }[]) process.stdout.write(`${row['QUERY PLAN']}\n`);
  }
  throw new Rollback();
}).catch((error: unknown) => {
  if (!(error instanceof Rollback)) throw error;
});
await db.destroy();
