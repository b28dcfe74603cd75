import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import { addDays } from '../../src/calendar/business-date.js';
import { runEod } from '../../src/eod/run-eod.js';
import { chunkBoundaries, measureBook, openRun } from '../../src/eod/eod-run.js';
import { rulesFor } from '../../src/classification/classification-rules.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { ON_CITUS } from '../support/citus.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';
import { createDataset, DATASET_LOANS } from './eod-dataset.js';

/** The boundaries numbering the whole book gives (the size alone known): what the walks from last night's chunks must find. */
async function numbered(db: Kysely<Database>, date: BusinessDate, chunks: number): Promise<string[]> {
  const book = await measureBook(db, date);
  return chunkBoundaries(db, date, chunks, book.size);
}

/** How many of last night's history rows fall in each range cut at `boundaries`. */
async function loansPerRange(db: Kysely<Database>, night: BusinessDate, boundaries: readonly string[]): Promise<number[]> {
  const ids = (await db.selectFrom('loan_day').select('loan_id').where('business_date', '=', night).execute()).map((row) => row.loan_id);
  const edges: (string | null)[] = [null, ...boundaries, null];
  return edges.slice(1).map((to, k) => ids.filter((id) => (edges[k] === null || id >= edges[k]!) && (to === null || id < to)).length);
}

for (const backend of BACKENDS) {
  describe(`a new run's chunk boundaries (${backend})`, { skip: backend === 'postgres' && ON_CITUS ? 'on Citus, chunks are hash ranges of borrowers' : false }, () => {
    it('on a first night, with no history, cut the active loans, counted', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        const date = await getBusinessDate(db);
        const book = await measureBook(db, date);
        assert.deepEqual(book, { size: DATASET_LOANS, lastNight: null, anchors: null });
        const boundaries = await chunkBoundaries(db, date, 16, book);
        assert.equal(boundaries.length, 15);
        const active = (await db.selectFrom('loan').select('id').where('status', '=', 'active').orderBy('id').execute()).map((row) => row.id);
        assert.deepEqual(boundaries, Array.from({ length: 15 }, (_, k) => active[(k + 1) * 3]));
      });
    });

    it("after a night, come from its chunks' counts and the history's key: the ids numbering the book gives, as loans leave and join between nights, with years of history behind", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        const enterprise = await createEnterprise(db, 'Late borrower');
        await runEod(db, { shardsPerChunk: 64 });
        // Two years of older history: the last night is still the one the book is cut from.
        const first = await getBusinessDate(db);
        const night = addDays(first, -1);
        await sql`insert into loan_day select cast(d as date), loan_id, principal_not_due, principal_due, interest_accrued, interest_due, penalty_due, dpd, classification, provision, enterprise_id, line_id, principal, rate_units
          from loan_day cross join generate_series(cast(${night} as date) - 730, cast(${night} as date) - 1, interval '1 day') as g(d) where business_date = cast(${night} as date)`.execute(db);
        let book = await measureBook(db, first);
        assert.deepEqual([book.size, book.lastNight, book.anchors?.length], [DATASET_LOANS, night, 15]);
        assert.deepEqual(book.anchors!.map((anchor) => anchor.position), Array.from({ length: 15 }, (_, k) => (k + 1) * 3));
        for (const chunks of [2, 8, 16, 32, 64]) assert.deepEqual(await chunkBoundaries(db, first, chunks, book), await numbered(db, first, chunks), `${chunks} chunks`);

        // Between nights: loans in the middle of the book leave it (closed by hand, their balances
        // left: the ledger no longer reconciles, which this test does not ask), and new ones (the highest ids) join.
        const ids = (await db.selectFrom('loan').select('id').orderBy('id').execute()).map((row) => row.id);
        await db.updateTable('loan').set({ status: 'closed' }).where('id', 'in', [ids[4]!, ids[5]!, ids[20]!, ids[33]!]).execute();
        for (let k = 0; k < 6; k++) await createLoan(db, bullet(enterprise, 1_000_000n, '2026-03-31', { shard: k }));
        const second = await runEod(db, { shardsPerChunk: 64 });
        assert.equal(second.loans, DATASET_LOANS - 4 + 6);
        const date = await getBusinessDate(db);
        book = await measureBook(db, date);
        assert.deepEqual([book.size, book.lastNight], [DATASET_LOANS + 2, second.date]);
        for (const chunks of [2, 8, 16, 32, 64]) assert.deepEqual(await chunkBoundaries(db, date, chunks, book), await numbered(db, date, chunks), `${chunks} chunks`);
        // The next night's chunks: 50 loans in 16, 3 or 4 each.
        const third = await runEod(db, { shardsPerChunk: 64 });
        const perChunk = (await db.selectFrom('eod_chunk').select('loans').where('run_id', '=', third.runId).orderBy('chunk_no').execute()).map((row) => row.loans);
        // 50 loans cut at floor(50 × k / 16): chunks of 3, and two of 4.
        assert.deepEqual(perChunk, [3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 3, 3, 3, 3, 3, 4]);
      });
    });

    it("when last night's chunks did not count the book (its run not closed, or counts gone wrong), still cut it into ranges that take each loan once", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        await runEod(db, { shardsPerChunk: 64 });
        const date = await getBusinessDate(db);
        const night = addDays(date, -1);
        // Counts that are not the history's: the walks end elsewhere, and the ids are still in order.
        await db.updateTable('eod_chunk').set({ loans: sql<number>`case when chunk_no % 2 = 0 then 1 else 6 end` }).execute();
        const book = await measureBook(db, date);
        assert.equal(book.size, 8 * 1 + 8 * 6);
        const boundaries = await chunkBoundaries(db, date, 16, book);
        assert.deepEqual(boundaries, [...boundaries].sort());
        const ranges = await loansPerRange(db, night, boundaries);
        assert.equal(ranges.reduce((sum, n) => sum + n, 0), DATASET_LOANS);
        // Last night's run not closed: the history rows are counted and numbered.
        await db.updateTable('eod_run').set({ status: 'running' }).execute();
        assert.deepEqual(await measureBook(db, date), { size: DATASET_LOANS, lastNight: night, anchors: null });
        assert.deepEqual(await loansPerRange(db, night, await chunkBoundaries(db, date, 16, await measureBook(db, date))), Array.from({ length: 16 }, () => 3));
      });
    });

    it('a loan created after the run opened, and one closed, fall in exactly one chunk: the run processes each active loan once', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        await runEod(db, { shardsPerChunk: 64 });
        const date = await getBusinessDate(db);
        const run = await openRun(db, date, 64, rulesFor(date).version, false, await measureBook(db, date));
        const enterprise = await createEnterprise(db, 'Borrower during the night');
        const late = await createLoan(db, bullet(enterprise, 2_000_000n, '2026-03-31'));
        const summary = await runEod(db);
        assert.equal(summary.runId, run.id);
        assert.equal(summary.loans, DATASET_LOANS + 1);
        const chunks = await db.selectFrom('eod_chunk').select(['id_from', 'id_to', 'loans']).where('run_id', '=', run.id).orderBy('chunk_no').execute();
        assert.equal(chunks.filter((chunk) => (chunk.id_from === null || late >= chunk.id_from) && (chunk.id_to === null || late < chunk.id_to)).length, 1);
        assert.equal((await db.selectFrom('loan').select('last_eod_on').where('id', '=', late).executeTakeFirstOrThrow()).last_eod_on, date);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
