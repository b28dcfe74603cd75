import { parseBusinessDate } from '../../src/calendar/business-date.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { MIGRATIONS } from '../../src/db/migrate.js';
import { withSearchPath } from '../../src/db/postgres-backend.js';
import { uuidv7 } from '../../src/ids.js';
import { getBusinessDate, setBusinessDate } from '../../src/system/business-date.js';
import { verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { DEMO_LOGINS, seedDemoUsers } from '../../src/auth/demo-users.js';
import { createUser } from '../../src/auth/users.js';
import { BACKENDS, TEST_BUSINESS_DATE, withTestDatabase } from '../support/backends.js';
import type { Fixture } from '../support/template.js';

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

    it('a fixture is written once and copied in after: the same users and audit records, a chain that verifies and goes on', async () => {
      const writes: string[] = [];
      const fixture = (version: string): Fixture => ({ name: 'harness_probe', version, write: async (db) => { writes.push(version); await seedDemoUsers(db); } });
      const seen: unknown[] = [];
      for (const version of ['a', 'a', 'b']) {
        await withTestDatabase(backend, async ({ db }) => {
          const users = await db.selectFrom('app_user').select(['id', 'username', 'password_hash']).orderBy('username').execute();
          assert.deepEqual(users.map((user) => user.username), DEMO_LOGINS.map((login) => login.username).sort());
          const audit = await db.selectFrom('audit_event').select(['id', 'hash']).orderBy('id').execute();
          assert.equal(audit.length, DEMO_LOGINS.length);
          seen.push({ users, audit });
          await createUser(db, { username: 'after-the-copy', displayName: 'A', role: 'auditor', password: 'a long enough passphrase 7' });
          const { events, findings } = await verifyAuditTrail(db);
          assert.deepEqual(findings, []);
          assert.equal(events, DEMO_LOGINS.length + 1);
        }, { fixture: fixture(version) });
      }
      assert.deepEqual(writes, ['a', 'b'], 'written on first use and again for another version, copied in between');
      assert.deepEqual(seen[1], seen[0]);
      assert.notDeepEqual(seen[2], seen[0]);
      await withTestDatabase(backend, async ({ db }) => {
        assert.equal((await db.selectFrom('app_user').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()).n, 0n);
        assert.equal((await db.selectFrom('audit_event').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()).n, 0n);
      });
    });
  });
}

describe('the PostgreSQL connection options', () => {
  it('put the schema after the environment\'s PGOPTIONS, which node-postgres ignores once options are given', () => {
    assert.equal(withSearchPath(undefined, 'test_7'), '-c search_path=test_7');
    assert.equal(withSearchPath(' ', 'test_7'), '-c search_path=test_7');
    assert.equal(withSearchPath('-c synchronous_commit=off ', 'test_7'), '-c synchronous_commit=off -c search_path=test_7');
  });

  if (BACKENDS.includes('postgres') && process.env.PGOPTIONS === '-c synchronous_commit=off') {
    it('a test\'s connection on PostgreSQL has the runner\'s synchronous_commit off and its own schema', async () => {
      await withTestDatabase('postgres', async ({ db }) => {
        const { rows } = await sql<{ commit: string; path: string }>`select current_setting('synchronous_commit') as commit, current_setting('search_path') as path`.execute(db);
        assert.equal(rows[0]!.commit, 'off');
        assert.match(rows[0]!.path, /^"?[a-z_][a-z0-9_]*"?$/);
        assert.notEqual(rows[0]!.path, '"$user", public');
      });
    });
  }
});

async function counts(db: Parameters<Parameters<typeof withTestDatabase>[1]>[0]['db']) {
  const count = (table: 'product' | 'ledger_account') => db.selectFrom(table).select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
  return { products: (await count('product')).n, accounts: (await count('ledger_account')).n };
}
