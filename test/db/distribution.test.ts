/**
 * The distribution list (src/db/distribution.ts) against the migrated schema, on every backend:
 * every table is classified, and the distributed ones have keys Citus accepts (checked here on
 * PGlite and PostgreSQL too, so a migration that breaks them fails before anyone runs Citus). On a
 * Citus coordinator, the tables are also placed as listed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { DISTRIBUTION_COLUMN, hasCitus, parentsFirst, TABLE_PLACEMENT } from '../../src/db/distribution.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

interface Key {
  table: string;
  name: string;
  kind: 'p' | 'u' | 'f' | 'i';
  columns: string[];
  parent: string | null;
  parentColumns: string[] | null;
}

for (const backend of BACKENDS) {
  describe(`distribution list on ${backend}`, () => {
    it('classifies every table of the schema, and nothing else', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { rows } = await sql<{ name: string }>`
          select tablename as name from pg_tables where schemaname = current_schema() and tablename <> 'schema_migration' order by 1`.execute(db);
        const tables = rows.map((row) => row.name);
        assert.deepEqual(tables.filter((table) => TABLE_PLACEMENT[table] === undefined), [], 'tables to add to TABLE_PLACEMENT in src/db/distribution.ts');
        assert.deepEqual(Object.keys(TABLE_PLACEMENT).filter((table) => !tables.includes(table)), [], 'TABLE_PLACEMENT names tables the schema does not have');
      });
    });

    it("gives every distributed table a not-null enterprise_id in each primary key, unique constraint and foreign key Citus needs", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const keys = await keysOf(db);
        const { rows: columns } = await sql<{ table: string; nullable: boolean }>`
          select c.relname as "table", not a.attnotnull as nullable
            from pg_attribute a join pg_class c on c.oid = a.attrelid
           where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and a.attname = ${DISTRIBUTION_COLUMN} and not a.attisdropped`.execute(db);
        const problems: string[] = [];
        for (const [table, placement] of Object.entries(TABLE_PLACEMENT)) {
          if (placement !== 'distributed') continue;
          const column = columns.find((row) => row.table === table);
          if (column === undefined || column.nullable) problems.push(`${table}: no not-null ${DISTRIBUTION_COLUMN}`);
          for (const key of keys.filter((k) => k.table === table && k.kind !== 'f')) {
            if (!key.columns.includes(DISTRIBUTION_COLUMN)) problems.push(`${table}: ${key.name} (${key.columns.join(', ')}) lacks ${DISTRIBUTION_COLUMN}`);
          }
        }
        for (const key of keys.filter((k) => k.kind === 'f')) {
          const child = TABLE_PLACEMENT[key.table];
          const parent = TABLE_PLACEMENT[key.parent!];
          if (child === undefined || parent === undefined) continue;
          const allowed = child === 'distributed' ? ['distributed', 'reference'] : child === 'reference' ? ['reference'] : ['local', 'reference'];
          if (!allowed.includes(parent)) problems.push(`${key.table} (${child}) → ${key.parent} (${parent}): ${key.name} is not allowed by Citus`);
          if (child === 'distributed' && parent === 'distributed') {
            const at = key.columns.indexOf(DISTRIBUTION_COLUMN);
            if (at < 0 || key.parentColumns![at] !== DISTRIBUTION_COLUMN) problems.push(`${key.table} → ${key.parent}: ${key.name} does not match ${DISTRIBUTION_COLUMN} on both sides`);
          }
        }
        assert.deepEqual(problems, []);
      });
    });

    it('orders tables so that a referenced table comes first', () => {
      assert.deepEqual(parentsFirst(['c', 'b', 'a'], [{ child: 'c', parent: 'b' }, { child: 'b', parent: 'a' }, { child: 'c', parent: 'c' }]), ['a', 'b', 'c']);
    });

    it('on a Citus coordinator, places every table as listed (elsewhere, Citus is absent)', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        if (!(await hasCitus(db))) return; // PGlite, and PostgreSQL without the extension: nothing is placed

        const { rows } = await sql<{ name: string; placed: string }>`
          select c.relname as name,
                 coalesce((select case when p.partmethod = 'h' then 'distributed' when p.repmodel = 't' then 'reference' else 'local' end
                             from pg_dist_partition p where p.logicalrelid = c.oid), 'local') as placed
            from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and c.relname <> 'schema_migration'`.execute(db);
        const wrong = rows.filter((row) => TABLE_PLACEMENT[row.name] !== undefined && TABLE_PLACEMENT[row.name] !== row.placed).map((row) => `${row.name}: ${row.placed}`);
        assert.deepEqual(wrong, []);
        const distributed = rows.filter((row) => row.placed === 'distributed').length;
        assert.equal(distributed, Object.values(TABLE_PLACEMENT).filter((placement) => placement === 'distributed').length);
      });
    });
  });
}

async function keysOf(db: Parameters<Parameters<typeof withTestDatabase>[1]>[0]['db']): Promise<Key[]> {
  const { rows } = await sql<Key>`
    select c.relname as "table", co.conname as name, co.contype as kind,
           array(select a.attname::text from unnest(co.conkey) with ordinality k(num, ord) join pg_attribute a on a.attrelid = co.conrelid and a.attnum = k.num order by k.ord) as columns,
           p.relname as parent,
           case when co.contype = 'f' then array(select a.attname::text from unnest(co.confkey) with ordinality k(num, ord) join pg_attribute a on a.attrelid = co.confrelid and a.attnum = k.num order by k.ord) end as "parentColumns"
      from pg_constraint co
      join pg_class c on c.oid = co.conrelid
      left join pg_class p on p.oid = co.confrelid
     where co.connamespace = current_schema()::regnamespace and co.contype in ('p', 'u', 'f')
    union all
    select c.relname, i.relname, 'i',
           array(select a.attname::text from unnest(x.indkey::int2[]) with ordinality k(num, ord) join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.num order by k.ord),
           null, null
      from pg_index x
      join pg_class c on c.oid = x.indrelid
      join pg_class i on i.oid = x.indexrelid
     where c.relnamespace = current_schema()::regnamespace and x.indisunique
       and not exists (select 1 from pg_constraint co where co.conindid = x.indexrelid)`.execute(db);
  return rows;
}
