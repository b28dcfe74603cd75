import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { runEodUntil } from '../../src/eod/catch-up.js';
import { runEod } from '../../src/eod/run-eod.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { createDataset, snapshot } from './eod-dataset.js';
import { ON_CITUS } from '../support/citus.js';

class Crash extends Error {}

/**
 * The journal as the nights wrote it: per date, kind and account, the sum and the number of lines.
 * On Citus without the number of lines: a chunk there is one shard's borrowers, and which shard a
 * borrower lands in follows from its (random) id, so two databases with the same book split the
 * night's loans into different chunks, and the chunks' entries into different lines; the sums agree.
 */
async function ledger(db: Kysely<Database>, backend: string) {
  const lines = !(backend === 'postgres' && ON_CITUS);
  const rows = await sql<{ business_date: string; kind: string; account_code: string; total: string; lines: string }>`
    select e.business_date, e.kind, l.account_code, cast(sum(l.amount) as text) as total, cast(count(*) as text) as lines
    from journal_entry e join journal_line l on l.entry_id = e.id and l.enterprise_id = e.enterprise_id
    group by e.business_date, e.kind, l.account_code
    order by e.business_date, e.kind, l.account_code`.execute(db);
  return rows.rows.map((row) => `${String(row.business_date)} ${row.kind} ${row.account_code} ${row.total}${lines ? ` ×${row.lines}` : ''}`);
}

async function history(db: Kysely<Database>) {
  const rows = await sql<{ business_date: string; n: string; provision: string }>`
    select business_date, cast(count(*) as text) as n, cast(sum(provision) as text) as provision from loan_day group by business_date order by business_date`.execute(db);
  return rows.rows.map((row) => `${String(row.business_date)} ${row.n} ${row.provision}`);
}

for (const backend of BACKENDS) {
  describe(`end of day catching up on ${backend}`, () => {
    let nightly: { book: unknown; journal: string[]; days: string[] } | undefined;

    it('three nightly runs', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        for (let night = 0; night < 3; night++) await runEod(db, { shardsPerChunk: 64 });
        nightly = { book: await snapshot(db), journal: await ledger(db, backend), days: await history(db) };
        assert.equal((nightly.book as { businessDate: string }).businessDate, '2025-07-03');
        assert.equal(nightly.days.length, 3);
      });
    });

    it('three missed days caught up with one call equal three nightly runs: the same balances, the same journal', async () => {
      assert.ok(nightly, 'runs after the nightly test');
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        const closed: string[] = [];
        const summaries = await runEodUntil(db, '2025-07-02', { shardsPerChunk: 64, onDate: (summary) => { closed.push(summary.date); } });
        assert.deepEqual(closed, ['2025-06-30', '2025-07-01', '2025-07-02']);
        assert.deepEqual(summaries.map((summary) => summary.alreadyDone), [false, false, false]);
        assert.deepEqual(await snapshot(db), nightly!.book);
        assert.deepEqual(await ledger(db, backend), nightly!.journal);
        assert.deepEqual(await history(db), nightly!.days);
        assert.equal((await reconcile(db)).balanced, true);
        // Caught up: the same call again has nothing to close.
        assert.deepEqual(await runEodUntil(db, '2025-07-02'), []);
      });
    });

    it('a catch-up that crashes on the second date resumes to the same book when run again', async () => {
      assert.ok(nightly, 'runs after the nightly test');
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        let chunks = 0;
        await assert.rejects(
          runEodUntil(db, '2025-07-02', { shardsPerChunk: 64, afterChunk: () => { chunks++; if (chunks === 16 + 5) throw new Crash('killed'); } }),
          Crash,
        );
        const runs = await db.selectFrom('eod_run').select(['business_date', 'status']).orderBy('business_date').execute();
        assert.deepEqual(runs.map((run) => `${run.business_date} ${run.status}`), ['2025-06-30 done', '2025-07-01 running']);
        const resumed = await runEodUntil(db, '2025-07-02', { shardsPerChunk: 64 });
        assert.deepEqual(resumed.map((summary) => [summary.date, summary.chunksProcessed]), [['2025-07-01', 11], ['2025-07-02', 16]]);
        assert.deepEqual(await snapshot(db), nightly!.book);
        assert.deepEqual(await ledger(db, backend), nightly!.journal);
      });
    });

    it('a date before the business date closes nothing; more than a year at once is refused', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        assert.deepEqual(await runEodUntil(db, '2025-06-29'), []);
        await assert.rejects(runEodUntil(db, '2026-07-01'), /would close 367 dates from 2025-06-30; at most 366/);
        await assert.rejects(runEodUntil(db, '2025-02-30'), /until/);
      });
    });
  });
}
