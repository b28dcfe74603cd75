import { openAsBlob } from 'node:fs';
import { openPglite } from '../../src/db/pglite-backend.js';
const instance = await openPglite('memory://', { loadDataDir: await openAsBlob('/tmp/prof/template.tar') });
const fp = `select md5(coalesce(string_agg(item, ';' order by item), '')) as fingerprint from (
       select c.relname || ':' || c.relkind::text || ':' || coalesce(string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then '!' else '' end, ',' order by a.attnum), '') as item
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = $1 group by c.oid, c.relname, c.relkind
       union all
       select 'constraint ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
         from pg_constraint co join pg_namespace n on n.oid = co.connamespace where n.nspname = $1) items`;
for (const label of ['fingerprint']) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < 10; i++) await instance.query(fp, ['sprout_template']);
  const cu = process.cpuUsage(c0);
  console.log(label, 'per call cpu ms', ((cu.user + cu.system) / 10000).toFixed(1), 'wall', ((performance.now() - t0) / 10).toFixed(1));
}
const tables = (await instance.query<{ t: string }>(`select tablename t from pg_tables where schemaname='sprout_template'`)).rows.length;
console.log('tables', tables);
