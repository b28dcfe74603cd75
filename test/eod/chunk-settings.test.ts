/**
 * A chunk's transaction runs with its own settings (src/eod/process-chunk.ts, chunkSettings): no
 * JIT, work_mem 64MB, no wait for the WAL flush at commit and, off Citus, no merge or hash join;
 * all transaction-local, so the connection is back to its session's settings once the chunk commits or rolls back, and the
 * close, on the same pool, commits synchronously (docs/decisions.md, "The night's chunks commit
 * asynchronously").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely, type Transaction } from 'kysely';
import { addDays } from '../../src/calendar/business-date.js';
import { rulesFor } from '../../src/classification/classification-rules.js';
import type { Database } from '../../src/db/schema.js';
import { hasCitus } from '../../src/db/distribution.js';
import { SHARDS, claimChunk, openRun } from '../../src/eod/eod-run.js';
import { processChunk } from '../../src/eod/process-chunk.js';
import { asynchronousCommitSql } from '../../src/db/transaction-settings.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { createDataset, DATASET_LOANS } from './eod-dataset.js';

interface Settings {
  jit: string | null;
  work_mem: string | null;
  synchronous_commit: string | null;
  enable_mergejoin: string | null;
  enable_hashjoin: string | null;
}

async function settings(db: Kysely<Database> | Transaction<Database>): Promise<Settings> {
  const { rows } = await sql<Settings>`select current_setting('jit', true) as jit, current_setting('work_mem', true) as work_mem,
    current_setting('synchronous_commit', true) as synchronous_commit, current_setting('enable_mergejoin', true) as enable_mergejoin,
    current_setting('enable_hashjoin', true) as enable_hashjoin`.execute(db);
  return rows[0]!;
}

class Rollback extends Error {}

for (const backend of BACKENDS) {
  describe(`a chunk's settings on ${backend}`, () => {
    it('inside the chunk\'s transaction: no JIT, work_mem 64MB, synchronous commit off where the server flushes; after it commits or rolls back, the session\'s own', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        const date = await getBusinessDate(db);
        // On a Citus coordinator the chunk locks its loans as runEod's do there (src/db/distribution.ts).
        const work = { date, tomorrow: addDays(date, 1), shardFrom: 0, shardTo: SHARDS, rules: rulesFor(date), label: 'settings', createdBy: 'eod', citus: await hasCitus(db) };
        // One connection throughout, so "after" reads the session the chunk ran in.
        await db.connection().execute(async (connection) => {
          // The session's own values, set here so that they differ from the chunk's whatever the
          // harness sets (run-tests.js asks for synchronous_commit off through PGOPTIONS); reset at the end.
          await sql`set work_mem = '4MB'`.execute(connection);
          await sql`set synchronous_commit = on`.execute(connection);
          const before = await settings(connection);
          assert.deepEqual([before.work_mem, before.synchronous_commit], ['4MB', 'on']);

          // Rolled back first: the settings go with the transaction, and no loan was touched.
          await assert.rejects(
            connection.transaction().execute(async (trx) => {
              const totals = await processChunk(trx, work);
              assert.equal(totals.loans, DATASET_LOANS);
              throw new Rollback();
            }),
            Rollback,
          );
          assert.deepEqual(await settings(connection), before);

          let inside: Settings | undefined;
          const totals = await connection.transaction().execute(async (trx) => {
            const done = await processChunk(trx, work);
            inside = await settings(trx);
            return done;
          });
          assert.equal(totals.loans, DATASET_LOANS);
          // PGlite and PostgreSQL both know jit (off wherever LLVM is missing); had the engine not, it would stay null.
          // Synchronous commit goes off only where the server flushes: PostgreSQL (fsync on), not
          // PGlite (fsync off, and no WAL writer: an asynchronous commit would die with the process).
          const { rows: [flush] } = await sql<{ fsync: string }>`select current_setting('fsync') as fsync`.execute(connection);
          assert.equal(flush!.fsync, backend === 'pglite' ? 'off' : 'on');
          // Off Citus no merge or hash join (the chunk's update finds its written loans by key); on Citus the session's.
          assert.deepEqual([before.enable_mergejoin, before.enable_hashjoin], ['on', 'on']);
          const joins = work.citus ? 'on' : 'off';
          assert.deepEqual(inside, {
            jit: before.jit === null ? null : 'off', work_mem: '64MB', synchronous_commit: backend === 'pglite' ? 'on' : 'off', enable_mergejoin: joins, enable_hashjoin: joins,
          });
          assert.deepEqual(await settings(connection), before);
          // The chunk committed: every loan is done for the night, once.
          const { rows } = await sql<{ n: bigint }>`select count(*) as n from loan where last_eod_on = cast(${date} as date)`.execute(connection);
          assert.equal(Number(rows[0]!.n), DATASET_LOANS);
          const history = await sql<{ n: bigint }>`select count(*) as n from loan_day where business_date = cast(${date} as date)`.execute(connection);
          assert.equal(Number(history.rows[0]!.n), DATASET_LOANS);
          await sql`reset work_mem`.execute(connection);
          await sql`reset synchronous_commit`.execute(connection);
        });
      });
    });

    it('a claim commits on its own without waiting for the flush, and leaves the session\'s synchronous commit as it was', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        const date = await getBusinessDate(db);
        const citus = await hasCitus(db);
        // Four chunks asked for: the dataset's loans cut into at least two ranges of ids.
        const run = citus ? await db.transaction().execute((trx) => openRun(trx, date, SHARDS / 4, rulesFor(date).version, true)) : await openRun(db, date, SHARDS / 4, rulesFor(date).version);
        assert.ok(run.chunk_count >= 2, `${run.chunk_count} chunks`);
        await db.connection().execute(async (connection) => {
          await sql`set synchronous_commit = on`.execute(connection);
          // The setting the claim's RETURNING makes, as the claim's own transaction sees it.
          const { rows: [claim] } = await sql<{ asynchronous: string | null }>`update eod_chunk set status = status where run_id = ${run.id} and chunk_no = 0
            returning ${asynchronousCommitSql()} as asynchronous`.execute(connection);
          assert.equal(claim!.asynchronous, backend === 'pglite' ? null : 'off');
          assert.equal((await settings(connection)).synchronous_commit, 'on');
          const chunk = await claimChunk(connection, run.id, 'worker 1', 60);
          assert.equal(chunk?.chunkNo, 0);
          // The claim committed, and the session's next transaction commits synchronously again.
          assert.equal((await settings(connection)).synchronous_commit, 'on');
          await sql`reset synchronous_commit`.execute(connection);
        });
        const row = await db.selectFrom('eod_chunk').select(['status', 'claimed_by']).where('run_id', '=', run.id).where('chunk_no', '=', 0).executeTakeFirstOrThrow();
        assert.deepEqual(row, { status: 'claimed', claimed_by: 'worker 1' });
        // In a caller's transaction the setting would make the caller's commit asynchronous too: refused.
        await assert.rejects(db.transaction().execute((trx) => claimChunk(trx, run.id, 'worker 2', 60)), /transaction of its own/);
        const next = await claimChunk(db, run.id, 'worker 2', 60);
        assert.equal(next?.chunkNo, 1);
      });
    });
  });
}
