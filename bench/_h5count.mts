import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { benchmarkDecisions } from '../src/decision/decision-benchmark.js';
const counts = new Map<string, [number, number]>();
const TYPES = { getTypeParser(oid: number, format?: any) { if (oid === 20) return (v: string) => BigInt(v); if (oid === 1082) return (v: string) => v; return pg.types.getTypeParser(oid, format); } } as any;
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/h5bench', max: 10, types: TYPES });
let on = false;
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: (e) => { if (!on) return; const sql = e.query.sql.slice(0, 50); const c = counts.get(sql) ?? [0, 0]; c[0]++; c[1] += e.queryDurationMillis; counts.set(sql, c); } });
const r = await benchmarkDecisions(db, { n: 300, concurrency: Number(process.argv[2] ?? 1), onProgress: () => { on = true; } });
console.log(r);
let total = 0;
for (const [k, v] of [...counts].sort((a, b) => b[1][1] - a[1][1])) { total += v[1]; console.log(v[0], (v[1] / v[0]).toFixed(2), 'ms avg', k); }
console.log('total ms per decision', (total / 300).toFixed(2));
await db.destroy();
