import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { MIGRATIONS, migrateToLatest } from '../../src/db/migrate.js';
import { inTransaction, isRetryable } from '../../src/db/transaction.js';
import { openDatabase, redactPassword } from '../../src/db/database.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '../../src/ids.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { kyselyOverPostgres } from '../../src/db/postgres-backend.js';
import { ON_CITUS } from '../support/citus.js';

for (const backend of BACKENDS) {
  describe(`database on ${backend}`, () => {
    it('a migrated schema records every migration once, and migrating again applies nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const rows = await db.selectFrom('schema_migration').select('name').orderBy('name').execute();
        assert.deepEqual(rows.map((row) => row.name), MIGRATIONS.map((migration) => migration.name));
        assert.deepEqual(await migrateToLatest(db), []);
      });
    });

    it('int8 comes back as bigint beyond 2^53 and dates as YYYY-MM-DD strings', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await sql`create table money_probe (id uuid primary key, amount bigint not null, due date not null)`.execute(db);
        const id = uuidv7();
        const amount = 9_007_199_254_740_993n; // 2^53 + 1: a JS number would lose the last fen
        await sql`insert into money_probe values (${id}, ${amount}, ${'2024-02-29'})`.execute(db);
        const result = await sql<{ amount: bigint; due: string; total: bigint }>`
          select amount, due, amount + 1 as total from money_probe where id = ${id}`.execute(db);
        assert.equal(result.rows[0]?.amount, 9_007_199_254_740_993n);
        assert.equal(result.rows[0]?.total, 9_007_199_254_740_994n);
        assert.equal(result.rows[0]?.due, '2024-02-29');
      });
    });

    it("a statement's parameters follow its table's types after the table is altered, and a refused statement names its error", async () => {
      // PGlite's queries keep each statement text's parameter types (src/db/pglite-backend.ts): a
      // change to a table must not leave a text's parameters serialized for the old type. Rolled
      // back at the end, so the template's schema is not changed.
      await withTestDatabase(backend, async ({ db }) => {
        const rolledBack = new Error('rolled back on purpose');
        await assert.rejects(
          db.transaction().execute(async (trx) => {
            await sql`create table param_probe (n int not null, v int)`.execute(trx);
            const insert = (n: number, v: unknown) => sql`insert into param_probe (n, v) values (${n}, ${v})`.execute(trx);
            await insert(1, 5);
            await sql`alter table param_probe alter column v type jsonb using to_jsonb(v)`.execute(trx);
            await insert(2, { a: [1, 'two'] });
            const rows = await sql<{ n: number; v: unknown }>`select n, v from param_probe order by n`.execute(trx);
            assert.deepEqual(rows.rows, [{ n: 1, v: 5 }, { n: 2, v: { a: [1, 'two'] } }]);
            // A refused write (n is not null) inside the transaction names its error like any other.
            await assert.rejects(sql`insert into param_probe (n, v) values (${null}, ${{}})`.execute(trx), { code: '23502' });
            throw rolledBack;
          }),
          (error) => error === rolledBack,
        );
        assert.equal((await sql<{ n: string | null }>`select to_regclass('param_probe')::text as n`.execute(db)).rows[0]?.n, null);
        await assert.rejects(sql`select * from no_such_table where id = ${1}`.execute(db), { code: '42P01' });
      });
    });

    it('a failed transaction changes nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await assert.rejects(
          inTransaction(db, async (trx) => {
            await trx.insertInto('app_user').values({ id: uuidv7(), username: 'ghost', display_name: 'G', role: 'admin', password_hash: 'x', created_at: new Date() }).execute();
            throw new Error('boom');
          }),
          /boom/,
        );
        const count = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
        assert.equal(count.n, 0n);
      });
    });

    it('a transaction that loses a serialization race is run again', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        let attempts = 0;
        const result = await inTransaction(db, async () => {
          attempts++;
          if (attempts < 3) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
          return 'done';
        });
        assert.equal(result, 'done');
        assert.equal(attempts, 3);
      });
    });
  });
}

describe('migrating a new database from several processes at once', () => {
  // `sprout bench decide --workers` starts its workers on a new database together: each migrates.
  // Every one must end with the schema migrated once, whichever created `schema_migration`. (On a
  // Citus coordinator the tables of a second schema would be placed too; the smoke covers the
  // workers' bench there.)
  const url = process.env.TEST_DATABASE_URL;
  it('four connections migrating an empty schema together all succeed, and each migration is recorded once', { skip: url === undefined || ON_CITUS ? 'needs a PostgreSQL server (not Citus)' : false }, async () => {
    const schema = `mig_race_${uuidv7().replaceAll('-', '').slice(-12)}`;
    const admin = kyselyOverPostgres(url!);
    await sql`create schema ${sql.id(schema)}`.execute(admin);
    const openers = Array.from({ length: 4 }, () => kyselyOverPostgres(url!, { schema, maxConnections: 1 }));
    try {
      const applied = await Promise.all(openers.map((db) => migrateToLatest(db)));
      assert.deepEqual(applied.flat().sort(), MIGRATIONS.map((migration) => migration.name).sort());
      const rows = await openers[0]!.selectFrom('schema_migration').select('name').orderBy('name').execute();
      assert.deepEqual(rows.map((row) => row.name), MIGRATIONS.map((migration) => migration.name));
    } finally {
      await Promise.all(openers.map((db) => db.destroy()));
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin);
      await admin.destroy();
    }
  });
});

describe('database helpers', () => {
  it('a PGlite data directory is opened by one process at a time; a second open is refused naming the holder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sprout-lock-'));
    try {
      const first = await openDatabase({ dataDir });
      await assert.rejects(openDatabase({ dataDir }), (error: { code: string; message: string }) => error.code === 'CONFLICT' && error.message.includes(`process ${process.pid}`));
      await first.close();
      const again = await openDatabase({ dataDir });
      assert.equal(again.backend, 'pglite');
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('only serialization failures and deadlocks are retried', () => {
    assert.equal(isRetryable({ code: '40001' }), true);
    assert.equal(isRetryable({ code: '40P01' }), true);
    assert.equal(isRetryable({ code: '23505' }), false);
    assert.equal(isRetryable(new Error('x')), false);
  });

  it('a server URL is logged without its password', () => {
    assert.equal(redactPassword('postgres://sprout:s3cret@db:5432/sprout'), 'postgres://sprout:***@db:5432/sprout');
    assert.equal(redactPassword('postgres://root@127.0.0.1/test'), 'postgres://root@127.0.0.1/test');
  });

  it('UUIDv7 ids are version 7 and sort in creation order', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7());
    assert.match(ids[0]!, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, 5000);
  });
});
