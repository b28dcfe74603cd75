import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { runEod } from '../../src/eod/run-eod.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { createDataset, DATASET_LOANS, snapshot } from './eod-dataset.js';
import { minor } from '../../src/money/minor.js';

const NIGHTS = 3;

class Crash extends Error {}

for (const backend of BACKENDS) {
  describe(`end-of-day runs on ${backend}`, () => {
    let uninterrupted: Awaited<ReturnType<typeof snapshot>> | undefined;

    it('three nights over the book reconcile, and closing a closed date again changes nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        for (let night = 0; night < NIGHTS; night++) {
          const summary = await runEod(db, { shardsPerChunk: 64 });
          assert.deepEqual([summary.loans, summary.chunks, summary.chunksProcessed], [DATASET_LOANS, 16, 16]);
          assert.equal((await reconcile(db)).balanced, true);
        }
        uninterrupted = await snapshot(db);
        assert.equal(uninterrupted.businessDate, '2025-07-03');
        const entries = await db.selectFrom('journal_entry').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
        const again = await runEod(db, { date: '2025-07-02' });
        assert.deepEqual([again.alreadyDone, again.chunksProcessed, again.loans], [true, 0, DATASET_LOANS]);
        assert.deepEqual(await snapshot(db), uninterrupted);
        assert.deepEqual(await db.selectFrom('journal_entry').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow(), entries);
        // A date that is neither closed nor today is refused.
        await assert.rejects(runEod(db, { date: '2025-07-05' }), /must be the current business date 2025-07-03/);
      });
    });

    it('a run that crashes after some chunks, with a dead worker\'s claim and a chunk done twice, resumes to the same book', async () => {
      assert.ok(uninterrupted, 'runs after the uninterrupted test');
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        await assert.rejects(
          runEod(db, { shardsPerChunk: 64, afterChunk: (committed) => { if (committed === 5) throw new Crash('killed'); } }),
          Crash,
        );
        const chunks = await db.selectFrom('eod_chunk').select(['chunk_no', 'status']).orderBy('chunk_no').execute();
        assert.deepEqual(chunks.map((chunk) => chunk.status), [...Array(5).fill('done'), ...Array(11).fill('pending')]);
        // A worker elsewhere claimed chunk 7 an hour ago and died; chunk 2 is marked pending again
        // as if its worker had lost its lease after committing: its loans must not accrue twice.
        await sql`update eod_chunk set status = 'claimed', claimed_by = 'ghost', claimed_at = now() - interval '1 hour' where chunk_no = 7`.execute(db);
        await sql`update eod_chunk set status = 'pending' where chunk_no = 2`.execute(db);
        const resumed = await runEod(db, { shardsPerChunk: 64, workerName: 'second' });
        assert.deepEqual([resumed.loans, resumed.chunksProcessed], [DATASET_LOANS, 12]);
        const claimers = await db.selectFrom('eod_chunk').select(['chunk_no', 'claimed_by']).where('chunk_no', 'in', [2, 7]).orderBy('chunk_no').execute();
        assert.deepEqual(claimers.map((row) => row.claimed_by), ['second#1', 'second#1']);
        for (let night = 1; night < NIGHTS; night++) await runEod(db, { shardsPerChunk: 64 });
        assert.deepEqual(await snapshot(db), uninterrupted);
      });
    });

    it(backend === 'postgres' ? 'two workers sharing a run process each loan exactly once' : 'two calls sharing a run one after the other process each loan exactly once', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        const options = { shardsPerChunk: 16 } as const;
        if (backend === 'postgres') {
          const [a, b] = await Promise.all([
            runEod(db, { ...options, workerName: 'a' }),
            runEod(db, { ...options, workerName: 'b' }),
          ]);
          assert.equal(a.chunksProcessed + b.chunksProcessed, 64);
        } else {
          await assert.rejects(runEod(db, { ...options, workerName: 'a', afterChunk: (n) => { if (n === 20) throw new Crash(); } }), Crash);
          const b = await runEod(db, { ...options, workerName: 'b' });
          assert.equal(b.chunksProcessed, 44);
        }
        const chunks = await db.selectFrom('eod_chunk').select(['status', 'claimed_by', 'loans']).execute();
        assert.ok(chunks.every((chunk) => chunk.status === 'done'));
        assert.equal(chunks.reduce((sum, chunk) => sum + chunk.loans, 0), DATASET_LOANS);
        const loans = await db.selectFrom('loan').select(['last_eod_on']).execute();
        assert.ok(loans.every((loan) => loan.last_eod_on === '2025-06-30'));
        // Exactly one night of accrual each: the book equals the first night of an uninterrupted run.
        const accrual = await db.selectFrom('journal_line').innerJoin('journal_entry', (join) => join.onRef('journal_entry.id', '=', 'journal_line.entry_id').onRef('journal_entry.enterprise_id', '=', 'journal_line.enterprise_id'))
          .select((eb) => eb.fn.sum<bigint>('amount').as('total')).where('journal_entry.kind', '=', 'eod-accrual').where('journal_line.amount', '>', minor(0n)).executeTakeFirstOrThrow();
        const fromLoans = await db.selectFrom('loan').select(sql<bigint>`cast(sum(interest_accrued + interest_due + penalty_due) as bigint)`.as('total')).executeTakeFirstOrThrow();
        assert.equal(BigInt(accrual.total), fromLoans.total);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
