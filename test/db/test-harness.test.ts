import { parseBusinessDate } from '../../src/calendar/business-date.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { MIGRATIONS } from '../../src/db/migrate.js';
import { uuidv7 } from '../../src/ids.js';
import { getBusinessDate, setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, TEST_BUSINESS_DATE, withTestDatabase } from '../support/backends.js';

// The harness migrates once per process and resets between tests (test/support/template.ts). These
// run in order: each checks that what the one before did is gone.
for (const backend of BACKENDS) {
  describe(`the test database harness on ${backend}`, () => {
    let seeded: { products: bigint; accounts: bigint } | undefined;

    it('a test changes rows: adds a user, moves the business date, deletes a seeded product', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        seeded = await counts(db);
        assert.ok(seeded.products > 0n && seeded.accounts > 0n, 'the seed has products and accounts');
        await db.insertInto('app_user').values({ id: uuidv7(), username: 'leftover', display_name: 'L', role: 'admin', password_hash: 'x', created_at: new Date() }).execute();
        await setBusinessDate(db, parseBusinessDate('2025-07-01', 'date'));
        await sql`delete from product where id = (select id from product order by id limit 1)`.execute(db);
        assert.equal((await counts(db)).products, seeded.products - 1n);
      });
    });

    it('the next test starts from the seed again', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        assert.deepEqual(await counts(db), seeded);
        assert.equal((await db.selectFrom('app_user').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()).n, 0n);
        assert.equal(await getBusinessDate(db), TEST_BUSINESS_DATE);
      });
    });

    it('a test changes the schema: drops a table and creates one', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await db.schema.dropTable('data_record_set').execute();
        await sql`create table harness_probe (id int primary key)`.execute(db);
      });
    });

    it('the next test gets a freshly migrated schema', async () => {
      await withTestDatabase(backend, async ({ db, schema }) => {
        const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = ${schema}`.execute(db);
        const names = tables.rows.map((row) => row.name);
        assert.ok(names.includes('data_record_set'));
        assert.ok(!names.includes('harness_probe'));
        const migrations = await db.selectFrom('schema_migration').select('name').orderBy('name').execute();
        assert.deepEqual(migrations.map((row) => row.name), MIGRATIONS.map((migration) => migration.name));
        assert.deepEqual(await counts(db), seeded);
      });
    });
  });
}

async function counts(db: Parameters<Parameters<typeof withTestDatabase>[1]>[0]['db']) {
  const count = (table: 'product' | 'ledger_account') => db.selectFrom(table).select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
  return { products: (await count('product')).n, accounts: (await count('ledger_account')).n };
}
