/**
 * A closing step's transaction runs with its own settings (src/eod/closing-steps.ts, CLOSE_SETTINGS):
 * no JIT, no parallel workers and no wait for the WAL flush at commit where the server flushes; all
 * transaction-local, so the connection is back to its session's settings once the step commits or
 * rolls back, and the transaction that closes the run, on the same pool, commits synchronously
 * (docs/decisions.md, "The night's chunks commit asynchronously").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { closeStep, type ClosingStep } from '../../src/eod/closing-steps.js';
import { runEod } from '../../src/eod/run-eod.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { createDataset } from './eod-dataset.js';

interface Settings {
  jit: string | null;
  parallel: string | null;
  synchronous_commit: string | null;
}

async function settings(db: Kysely<Database> | Transaction<Database>): Promise<Settings> {
  const { rows } = await sql<Settings>`select current_setting('jit', true) as jit, current_setting('max_parallel_workers_per_gather', true) as parallel,
    current_setting('synchronous_commit', true) as synchronous_commit`.execute(db);
  return rows[0]!;
}

class Crash extends Error {}
class Rollback extends Error {}

for (const backend of BACKENDS) {
  describe(`a closing step's settings on ${backend}`, () => {
    it("inside the step's transaction: no JIT, no parallel workers, synchronous commit off where the server flushes; after it commits or rolls back, the session's own", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        // One worker: the chunks, then the rules; killed there, so the notices are still to do.
        await assert.rejects(runEod(db, { shardsPerChunk: 64, workers: 1, afterClosingStep: (step: ClosingStep) => { if (step === 'rules') throw new Crash('killed'); } }), Crash);
        const run = await db.selectFrom('eod_run').select('id').executeTakeFirstOrThrow();
        // One connection throughout, so "after" reads the session the step ran in.
        await db.connection().execute(async (connection) => {
          // The session's own values, set here so that they differ from the step's whatever the
          // harness sets (run-tests.js asks for synchronous_commit off through PGOPTIONS); reset at the end.
          await sql`set max_parallel_workers_per_gather = 2`.execute(connection);
          await sql`set synchronous_commit = on`.execute(connection);
          const before = await settings(connection);
          assert.deepEqual([before.parallel, before.synchronous_commit], ['2', 'on']);

          // Rolled back first: the settings go with the transaction, and so does the step's row.
          await assert.rejects(closeStep(connection, run.id, 'notices', async () => { throw new Rollback(); }), Rollback);
          assert.deepEqual(await settings(connection), before);
          assert.equal(await connection.selectFrom('eod_close_step').select('step').where('step', '=', 'notices').executeTakeFirst(), undefined);

          let inside: Settings | undefined;
          assert.equal(await closeStep(connection, run.id, 'notices', async (trx) => ((inside = await settings(trx)), 0)), 0);
          // Synchronous commit goes off only where the server flushes: PostgreSQL (fsync on), not
          // PGlite (fsync off, and no WAL writer) nor a test cluster run with fsync off.
          const { rows: [flush] } = await sql<{ fsync: string }>`select current_setting('fsync') as fsync`.execute(connection);
          if (backend === 'pglite') assert.equal(flush!.fsync, 'off');
          // PGlite and PostgreSQL both know jit (off wherever LLVM is missing); had the engine not, it would stay null.
          assert.deepEqual(inside, { jit: before.jit === null ? null : 'off', parallel: '0', synchronous_commit: flush!.fsync === 'on' ? 'off' : 'on' });
          assert.deepEqual(await settings(connection), before);
          // Committed: a second call finds the step done and runs nothing.
          assert.equal(await closeStep(connection, run.id, 'notices', async () => assert.fail('the step ran twice')), null);
          await sql`reset max_parallel_workers_per_gather`.execute(connection);
          await sql`reset synchronous_commit`.execute(connection);
        });
        // The rest of the close, by another call, closes the night.
        const closed = await runEod(db, { shardsPerChunk: 64 });
        assert.equal(closed.businessDate, '2025-07-01');
      });
    });
  });
}
