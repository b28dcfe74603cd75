import { Kysely, PostgresDialect, sql } from 'kysely';
import { poolFor } from '../src/db/postgres-backend.js';
import { snapshotRowsSql } from '../src/reporting/portfolio-history.js';
import { getBusinessDate } from '../src/system/business-date.js';
import { addDays } from '../src/calendar/business-date.js';
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: poolFor(process.env.DATABASE_URL!) }) });
const date = addDays(await getBusinessDate(db), -1);
const half = process.argv[2] as any;
await db.transaction().execute(async (trx) => {
  await sql`select set_config('jit','off',true), set_config('max_parallel_workers_per_gather','0',true), set_config('enable_nestloop','off',true), set_config('enable_sort','off',true), set_config('enable_indexscan','off',true), set_config('work_mem','64MB',true)`.execute(trx);
  const q = half === 'whole' ? snapshotRowsSql(date, 'history') : snapshotRowsSql(date, 'history', half);
  const { rows } = await sql<any>`explain (analyze, buffers) ${q}`.execute(trx);
  console.log(rows.map((r: any) => r['QUERY PLAN']).join('\n'));
});
await db.destroy();
