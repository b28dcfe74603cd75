/**
 * A batch's multi-row statements as VALUES of one cast parameter per cell (the shape before
 * issue 21's session 22) against one array parameter per column (src/db/unnest-rows.ts), at 50,
 * 250 and 750 rows: Kysely's build and compile, the driver's serialisation of the parameters, the
 * server's planning and execution (EXPLAIN ANALYZE) and the round trip, each statement rolled back.
 * Scratch tables are temporary, on one connection. Fixed data; prints one JSON line.
 *
 *   DATABASE_URL=postgres://… node --import tsx scripts/statement-shapes.ts
 */
import { sql, type Kysely } from 'kysely';
// @ts-expect-error pg's utils have no declarations: its prepareValue is what the driver does to each parameter.
import pgUtils from 'pg/lib/utils.js';
import { kyselyOverPostgres } from '../src/db/postgres-backend.js';
import { unnestRows } from '../src/db/unnest-rows.js';

// One connection, so that the temporary tables are there for every statement.
const db = kyselyOverPostgres(process.env.DATABASE_URL!, { maxConnections: 1 }) as unknown as Kysely<any>;
await sql`create temporary table jl (entry_id uuid, enterprise_id uuid, line_no integer, account_code text, amount bigint)`.execute(db);
await sql`create temporary table ln (id uuid primary key, penalty_due bigint, interest_due bigint, principal_due bigint, interest_accrued bigint, principal_not_due bigint, overdue_since date, dpd integer, status text, interest_remainder bigint, penalty_remainder bigint, next_due_on date, next_due_principal bigint, interest_basis text, next_interest bigint, provision bigint)`.execute(db);
const ids = Array.from({ length: 750 }, (_, i) => `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`);
await sql`insert into ln select id, 0,0,0,0,0,null,0,'active',0,0,null,0,'daily',0,0 from unnest(cast(${ids} as uuid[])) as u(id) on conflict do nothing`.execute(db);

const makeLines = (n: number) => Array.from({ length: n }, (_, i) => ({ entry_id: ids[i]!, enterprise_id: ids[(i * 7) % 750]!, line_no: (i % 3) + 1, account_code: '1301', amount: BigInt(i) * 100_000_000n }));
const makeLoans = (n: number) => Array.from({ length: n }, (_, i) => ({ id: ids[i]!, penalty_due: 0n, interest_due: 12n, principal_due: 0n, interest_accrued: 5n, principal_not_due: 100_000_000_000n, overdue_since: i % 2 ? null : '2025-06-30', dpd: 0, status: 'active', interest_remainder: 0n, penalty_remainder: 0n, next_due_on: '2025-07-31', next_due_principal: 10n, interest_basis: 'daily', next_interest: 0n, provision: 0n }));
const LOAN = { id: 'uuid', penalty_due: 'bigint', interest_due: 'bigint', principal_due: 'bigint', interest_accrued: 'bigint', principal_not_due: 'bigint', overdue_since: 'date', dpd: 'integer', status: 'text', interest_remainder: 'bigint', penalty_remainder: 'bigint', next_due_on: 'date', next_due_principal: 'bigint', interest_basis: 'text', next_interest: 'bigint', provision: 'bigint' } as const;
let lines: ReturnType<typeof makeLines> = [];
let loans: ReturnType<typeof makeLoans> = [];
const SET = sql`penalty_due = v.penalty_due, interest_due = v.interest_due, principal_due = v.principal_due, interest_accrued = v.interest_accrued, principal_not_due = v.principal_not_due, overdue_since = v.overdue_since, dpd = v.dpd, status = v.status, interest_remainder = v.interest_remainder, penalty_remainder = v.penalty_remainder, next_due_on = v.next_due_on, next_due_principal = v.next_due_principal, interest_basis = v.interest_basis, next_interest = v.next_interest, provision = v.provision`;

const shapes = {
  'journal lines, before (Kysely values)': (n: number) => db.insertInto('jl').values(lines),
  'journal lines, after (unnest)': (n: number) => db.insertInto('jl').columns(['entry_id', 'enterprise_id', 'line_no', 'account_code', 'amount']).expression(sql`select * from ${unnestRows({ entry_id: 'uuid', enterprise_id: 'uuid', line_no: 'integer', account_code: 'text', amount: 'bigint' }, lines)}`),
  'loans update, before (values of casts)': (n: number) => {
    const rows = loans.map((a) => sql`(cast(${a.id} as uuid), cast(${a.penalty_due} as bigint), cast(${a.interest_due} as bigint), cast(${a.principal_due} as bigint),
      cast(${a.interest_accrued} as bigint), cast(${a.principal_not_due} as bigint), cast(${a.overdue_since} as date), cast(${a.dpd} as integer),
      cast(${a.status} as text), cast(${a.interest_remainder} as bigint), cast(${a.penalty_remainder} as bigint), cast(${a.next_due_on} as date),
      cast(${a.next_due_principal} as bigint), cast(${a.interest_basis} as text), cast(${a.next_interest} as bigint), cast(${a.provision} as bigint))`);
    return sql`update ln set ${SET} from (values ${sql.join(rows)}) as v(id, penalty_due, interest_due, principal_due, interest_accrued, principal_not_due, overdue_since, dpd, status, interest_remainder, penalty_remainder, next_due_on, next_due_principal, interest_basis, next_interest, provision) where ln.id = v.id`;
  },
  'loans update, after (unnest)': (n: number) => sql`update ln set ${SET} from ${unnestRows(LOAN, loans)} where ln.id = v.id`,
};

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const out: Record<string, unknown>[] = [];
for (const n of [50, 250, 750]) {
  lines = makeLines(n);
  loans = makeLoans(n);
  for (const [name, build] of Object.entries(shapes)) {
    let buildMs = 0, serialiseMs = 0, execMs = 0, textLength = 0, params = 0;
    for (let round = 0; round < ROUNDS + 5; round++) {
      const t0 = performance.now();
      const compiled = build(n).compile(db as any);
      const t1 = performance.now();
      const prepared = compiled.parameters.map((p) => pgUtils.prepareValue(p));
      const t2 = performance.now();
      await db.transaction().execute(async (trx) => { await trx.executeQuery(compiled); await sql`select 1`.execute(trx); throw Object.assign(new Error('rollback'), { rollback: true }); }).catch((e) => { if (!e.rollback) throw e; });
      const t3 = performance.now();
      if (round >= 5) { buildMs += t1 - t0; serialiseMs += t2 - t1; execMs += t3 - t2; }
      textLength = compiled.sql.length; params = prepared.length;
    }
    // The server's own planning and execution, from EXPLAIN ANALYZE of the same statement (rolled back).
    let planMs = 0, runMs = 0;
    for (let round = 0; round < 10; round++) {
      const compiled = build(n).compile(db as any);
      await db.transaction().execute(async (trx) => {
        const { rows } = await trx.executeQuery<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>({ ...compiled, sql: `explain (analyze, format json) ${compiled.sql}` } as any);
        planMs += rows[0]!['QUERY PLAN'][0]['Planning Time']; runMs += rows[0]!['QUERY PLAN'][0]['Execution Time'];
        throw Object.assign(new Error('rollback'), { rollback: true });
      }).catch((e) => { if (!e.rollback) throw e; });
    }
    out.push({ rows: n, shape: name, planMs: +(planMs / 10).toFixed(2), runMs: +(runMs / 10).toFixed(2), params, textLength, buildMs: +(buildMs / ROUNDS).toFixed(3), serialiseMs: +(serialiseMs / ROUNDS).toFixed(3), execMs: +(execMs / ROUNDS).toFixed(2) });
  }
}
console.log(JSON.stringify(out));
await db.destroy();
