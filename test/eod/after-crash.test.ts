import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { dateToClose } from '../../src/eod/date-to-close.js';
import type { HeldChunk } from '../../src/eod/eod-run.js';
import { runEod } from '../../src/eod/run-eod.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { createDataset, DATASET_LOANS } from './eod-dataset.js';

class Crash extends Error {}

for (const backend of BACKENDS) {
  describe(`end of day after a crash on ${backend}`, () => {
    it('a chunk a killed process still holds is reported with its lease, and --take-over releases it at once', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        await assert.rejects(runEod(db, { shardsPerChunk: 64, afterChunk: (committed) => { if (committed === 3) throw new Crash('killed'); } }), Crash);
        // The killed process had just claimed chunk 4 (number 3): its lease has 300 s to run.
        await sql`update eod_chunk set status = 'claimed', claimed_by = 'other-host:4242#1', claimed_at = now() where chunk_no = 3`.execute(db);

        // A rerun that is not told to take over reports what it waits for (here a 2 s lease, which then runs out).
        const reports: (readonly HeldChunk[])[] = [];
        const waited = await runEod(db, { workerName: 'rerun', leaseSeconds: 2, onHeldChunks: (held) => reports.push(held) });
        assert.equal(reports.length, 1);
        assert.deepEqual(reports[0]!.map((chunk) => [chunk.chunkNo, chunk.claimedBy]), [[3, 'other-host:4242#1']]);
        assert.ok(reports[0]![0]!.leaseLeftSeconds >= 0 && reports[0]![0]!.leaseLeftSeconds <= 2, `${reports[0]![0]!.leaseLeftSeconds} s left`);
        assert.deepEqual([waited.loans, waited.takenOver], [DATASET_LOANS, 0]);
      });
    });

    it('with take-over the dead worker\'s claim is released before the 300 s lease runs out', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        await assert.rejects(runEod(db, { shardsPerChunk: 64, afterChunk: (committed) => { if (committed === 3) throw new Crash('killed'); } }), Crash);
        await sql`update eod_chunk set status = 'claimed', claimed_by = 'other-host:4242#1', claimed_at = now() where chunk_no in (3, 9)`.execute(db);
        const reports: unknown[] = [];
        const started = performance.now();
        const summary = await runEod(db, { workerName: 'rerun', takeOver: true, onHeldChunks: (held) => reports.push(held) });
        assert.deepEqual([summary.loans, summary.takenOver, summary.chunksProcessed, reports.length], [DATASET_LOANS, 2, 13, 0]);
        // Far below the lease: nothing waited for it.
        assert.ok(performance.now() - started < 300_000);
        const claimers = await db.selectFrom('eod_chunk').select('claimed_by').where('chunk_no', 'in', [3, 9]).execute();
        assert.deepEqual(claimers.map((row) => row.claimed_by), ['rerun#1', 'rerun#1']);
      });
    });

    it('without --date: a fresh book closes its business date, a crashed run is resumed, a closed date is never followed by another unasked', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        assert.equal(await dateToClose(db, {}), '2025-06-30');
        await assert.rejects(runEod(db, { shardsPerChunk: 64, afterChunk: (committed) => { if (committed === 2) throw new Crash('killed'); } }), Crash);
        // Run again after the crash: the unfinished 2025-06-30.
        assert.equal(await dateToClose(db, {}), '2025-06-30');
        await runEod(db, { date: await dateToClose(db, {}) });
        assert.equal(await getBusinessDate(db), '2025-07-01');
        // Run again after it committed: refused, naming what was closed and how to go on.
        await assert.rejects(dateToClose(db, {}), {
          code: 'VALIDATION',
          message: 'date: end of day 2025-06-30 was closed; the business date is now 2025-07-01. To close 2025-07-01, run again with --next (or --date 2025-07-01)',
        });
        assert.equal(await getBusinessDate(db), '2025-07-01');
        assert.equal(await dateToClose(db, { next: true }), '2025-07-01');
        assert.equal(await dateToClose(db, { date: '2025-06-30' }), '2025-06-30');
        await assert.rejects(dateToClose(db, { date: '2025-07-01', next: true }), { code: 'VALIDATION', field: 'next' });
      });
    });
  });
}
