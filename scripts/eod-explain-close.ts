/**
 * EXPLAIN (ANALYZE, BUFFERS, WAL) of each statement of end of day's closing steps — the debtor-level
 * rule, the night's notices, the portfolio snapshot and the report verdicts (`borrower_day`, `new_lending`) — for
 * the last night closed, with its rows of those tables removed first, rolled back: nothing
 * changes (issue 21).
 *
 * Run: DATABASE_URL=postgres://root@127.0.0.1:5432/bench_x node --import tsx scripts/eod-explain-close.ts [slower-than-ms]
 */
import { CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { poolFor } from '../src/db/postgres-backend.js';
import { addDays } from '../src/calendar/business-date.js';
import { getBusinessDate } from '../src/system/business-date.js';
import { writePortfolioSnapshot } from '../src/reporting/portfolio-history.js';
import { judgeBorrowers, judgeNight } from '../src/reporting/report-verdicts.js';
import { writeNightNotices } from '../src/notifications/night-notices.js';
import { applyDebtorContagion } from '../src/eod/debtor-contagion.js';
import { rulesFor } from '../src/classification/classification-rules.js';

const url = process.env.DATABASE_URL;
if (url === undefined) throw new Error('DATABASE_URL');
const slowerThan = Number(process.argv[2] ?? 50);
const captured: { sql: string; parameters: readonly unknown[]; ms: number }[] = [];
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool: poolFor(url) }),
  log(event) {
    captured.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
  },
});
const date = addDays(await getBusinessDate(db), -1);
class Rollback extends Error {}
/** The night's rows of the closing steps' tables, removed so the steps write them again. */
async function clear(trx: Transaction<Database>): Promise<void> {
  await sql`delete from borrower_day where business_date = cast(${date} as date)`.execute(trx);
  await sql`delete from new_lending where day = cast(${date} as date)`.execute(trx);
  await sql`delete from portfolio_snapshot where business_date = cast(${date} as date)`.execute(trx);
  await sql`delete from notification where business_date = cast(${date} as date)`.execute(trx);
}
const rolledBack = (error: unknown) => {
  if (!(error instanceof Rollback)) throw error;
};
await db.transaction().execute(async (trx) => {
  await clear(trx);
  captured.length = 0;
  // Idempotent: on a closed night it moves nothing, but reads what it read at the close.
  await applyDebtorContagion(trx, date, rulesFor(date), 'eod-explain', false);
  await writeNightNotices(trx, date, 3);
  // The borrower rows first: the snapshot reads them (both halves, as the steps 'borrowers' and 'verdicts' write them).
  await judgeBorrowers(trx, date, 'lower');
  await judgeNight(trx, date, 'upper');
  await writePortfolioSnapshot(trx, date);
  throw new Rollback();
}).catch(rolledBack);
// The steps' own settings (set_config, local to the transaction) are replayed as they ran, not explained.
const statements = captured.filter((s) => (s.ms >= slowerThan || /set_config\(/.test(s.sql)) && !/^\s*(begin|rollback|commit)/i.test(s.sql));
await db.transaction().execute(async (trx) => {
  await clear(trx);
  await sql`set local jit = off`.execute(trx);
  // EOD_EXPLAIN_SETTINGS='work_mem=64MB,enable_sort=off': planner settings to try, for the whole transaction.
  for (const setting of (process.env.EOD_EXPLAIN_SETTINGS ?? '').split(',').filter((s) => s !== '')) {
    const [name, value] = setting.split('=');
    await sql`select set_config(${name}, ${value}, true)`.execute(trx);
  }
  for (const statement of statements) {
    if (/set_config\(/.test(statement.sql)) {
      await trx.executeQuery(CompiledQuery.raw(statement.sql, [...statement.parameters]));
      continue;
    }
    const result = await trx.executeQuery(CompiledQuery.raw(`explain (analyze, buffers, wal) ${statement.sql}`, [...statement.parameters]));
    process.stdout.write(`---- ${Math.round(statement.ms)} ms: ${statement.sql.replace(/\s+/g, ' ').slice(0, 100)}\n`);
    for (const row of result.rows as { 'QUERY PLAN': string }[]) process.stdout.write(`${row['QUERY PLAN']}\n`);
  }
  throw new Rollback();
}).catch(rolledBack);
await db.destroy();
