import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { closeStep, type ClosingStep } from '../../src/eod/closing-steps.js';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import { judgeNight } from '../../src/reporting/report-verdicts.js';
import { runEod } from '../../src/eod/run-eod.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { createDataset, DATASET_LOANS, snapshot } from './eod-dataset.js';
import { minor } from '../../src/money/minor.js';
import { openRun, splitHashRange } from '../../src/eod/eod-run.js';
import { inTransaction } from '../../src/db/transaction.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { rulesFor } from '../../src/classification/classification-rules.js';
import { ON_CITUS } from '../support/citus.js';
import { citusShardRanges } from '../../src/db/distribution.js';
import { snapshotRowsSql } from '../../src/reporting/portfolio-history.js';

const NIGHTS = 3;

class Crash extends Error {}

/** Chunks whose id ranges follow one another from unbounded to unbounded, each starting after the one before. */
function assertConsecutive(run: readonly { id_from: string | null; id_to: string | null }[]): void {
  assert.equal(run[0]!.id_from, null);
  assert.equal(run.at(-1)!.id_to, null);
  for (let k = 1; k < run.length; k++) {
    assert.equal(run[k]!.id_from, run[k - 1]!.id_to);
    assert.ok(run[k]!.id_from! > (run[k - 1]!.id_from ?? ''), `chunk ${k} starts after chunk ${k - 1}`);
  }
}

/**
 * What the closing steps wrote (src/eod/closing-steps.ts), without ids or timestamps (a borrower's
 * row is known by its balance): the borrower
 * rows, new lending, the portfolio snapshot, the notices, the journal's entries by kind, date and
 * description, each night's audit record, and which steps each night committed. On Citus a chunk
 * is a hash range of borrowers, so which chunk enters a loan's accrual follows its enterprise's
 * random id: there the chunks' entries (accrual, provision, reclassification) are compared by their
 * sums (`snapshot`'s balances) and every other entry by kind, date and description.
 */
async function closingRows(db: Kysely<Database>, backend: string) {
  const byChunk = backend === 'postgres' && ON_CITUS ? sql`where description not like '%, chunk %'` : sql``;
  const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  return {
    borrowerDay: await rows(sql`select business_date, loans, balance, overdue, provision, rate_weighted, b2, n2, inclusive from borrower_day order by 1, 3, 2`),
    newLending: await rows(sql`select day, loans, principal, weighted, inclusive from new_lending order by 1, 3, 2`),
    portfolio: await rows(sql`select business_date, dimension, key, loans, borrowers, balance, overdue_balance, npl_balance, provision, new_loans, new_lending from portfolio_snapshot order by 1, 2, 3`),
    notices: await rows(sql`select kind, business_date, count(*) as n from notification group by 1, 2 order by 1, 2`),
    entries: await rows(sql`select kind, business_date, description, count(*) as n from journal_entry ${byChunk} group by 1, 2, 3 order by 1, 2, 3`),
    audit: (await db.selectFrom('audit_event').select('after').where('action', '=', 'eod.run').orderBy('id').execute()).map((row) => (typeof row.after === 'string' ? JSON.parse(row.after) : row.after) as Record<string, unknown>),
    steps: await rows(sql`select r.business_date, s.step, s.affected from eod_close_step s join eod_run r on r.id = s.run_id order by 1, 2`),
  };
}

/**
 * The first night's `borrower_day` rows of the dataset (eod-dataset.ts), by borrower name, derived
 * from how it is built: borrower i has loans i, i + 12, i + 24, i + 36 of 1,000,000 + 123,457 × n
 * fen, nothing repaid; borrowers 2, 6 and 10 owe every loan overdue — one since 2024-05-01 (over
 * 360 days: loss, provision 100%), the others substandard (over 90 days, or caught by the debtor
 * rule), provision 25% a loan rounded down; the rest are normal. Even borrowers are the lower half.
 */
function firstNightBorrowers() {
  const principal = (n: number) => 1_000_000n + BigInt(n) * 123_457n;
  return Array.from({ length: 12 }, (_, i) => {
    const loans = [i, i + 12, i + 24, i + 36];
    const balance = loans.reduce((sum, n) => sum + principal(n), 0n);
    if (i % 4 !== 2) return [`Borrower ${i}`, i % 2 === 0, 4, balance, 0n, 0n, balance, 0n, 0n, 4, 0, 0];
    const loss = loans.filter((n) => (n >> 2) % 4 === 3).map(principal);
    const substandard = loans.filter((n) => (n >> 2) % 4 !== 3).map(principal);
    const provision = substandard.reduce((sum, p) => sum + (p * 2_500n) / 10_000n, 0n) + loss.reduce((sum, p) => sum + p, 0n);
    return [`Borrower ${i}`, i % 2 === 0, 4, balance, balance, provision, 0n, substandard.reduce((sum, p) => sum + p, 0n), loss.reduce((sum, p) => sum + p, 0n), 0, substandard.length, loss.length];
  }).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
}

/** `borrower_day` of `date` as `firstNightBorrowers` gives it: name, lower half, loans, balance, overdue, provision, normal, substandard and loss balances, their counts. */
async function borrowerRows(db: Kysely<Database>, date: string) {
  const { rows } = await sql<{ name: string; lower: boolean; loans: number; balance: bigint; overdue: bigint; provision: bigint; b0: bigint; b2: bigint; b4: bigint; n0: number; n2: number; n4: number }>`
    select e.name, get_byte(uuid_send(b.enterprise_id), 15) < 128 as lower, b.loans, b.balance, b.overdue, b.provision, b.b0, b.b2, b.b4, b.n0, b.n2, b.n4
    from borrower_day b join enterprise e on e.id = b.enterprise_id
    where b.business_date = cast(${date} as date) and b.b1 = 0 and b.b3 = 0 and b.n1 = 0 and b.n3 = 0
    order by e.name collate "C"`.execute(db);
  return rows.map((row) => [row.name, row.lower, row.loans, BigInt(row.balance), BigInt(row.overdue), BigInt(row.provision), BigInt(row.b0), BigInt(row.b2), BigInt(row.b4), row.n0, row.n2, row.n4]);
}

for (const backend of BACKENDS) {
  describe(`end-of-day runs on ${backend}`, () => {
    let uninterrupted: Awaited<ReturnType<typeof snapshot>> | undefined;
    let uninterruptedClose: Awaited<ReturnType<typeof closingRows>> | undefined;

    it('three nights over the book reconcile, and closing a closed date again changes nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        for (let night = 0; night < NIGHTS; night++) {
          const summary = await runEod(db, { shardsPerChunk: 64 });
          assert.deepEqual([summary.loans, summary.chunks, summary.chunksProcessed], [DATASET_LOANS, 16, 16]);
          assert.equal((await reconcile(db)).balanced, true);
          // The snapshot the close wrote from the night's history rows is the one the loans as they
          // stand at the close give (its definition before s21k), the debtor rule's moves included.
          const snapshotRows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
          const stored = await snapshotRows(sql`select business_date, dimension, key, loans, borrowers, balance, overdue_balance, npl_balance, provision, rate_weighted, new_loans, new_lending
            from portfolio_snapshot where business_date = cast(${summary.date} as date) order by dimension, key`);
          assert.equal(stored.length, 4);
          assert.deepEqual(await snapshotRows(sql`select * from (${snapshotRowsSql(summary.date, 'loans')}) x order by dimension, key`), stored);
          assert.deepEqual(await snapshotRows(sql`select * from (${snapshotRowsSql(summary.date, 'history')}) x order by dimension, key`), stored);
        }
        const chunks = await db.selectFrom('eod_chunk').innerJoin('eod_run', 'eod_run.id', 'eod_chunk.run_id')
          .select(['eod_run.business_date', 'eod_chunk.chunk_no', 'eod_chunk.id_from', 'eod_chunk.id_to', 'eod_chunk.loans', 'eod_chunk.shard_from', 'eod_chunk.shard_to', 'eod_chunk.borrower_hash_min', 'eod_chunk.borrower_hash_max'])
          .orderBy('eod_run.business_date').orderBy('eod_chunk.chunk_no').execute();
        assert.equal(chunks.length, NIGHTS * 16);
        for (let night = 0; night < NIGHTS; night++) {
          const run = chunks.slice(night * 16, night * 16 + 16);
          assert.deepEqual(run.map((chunk) => [chunk.shard_from, chunk.shard_to]), Array.from({ length: 16 }, () => [0, 1024]));
          if (backend === 'postgres' && ON_CITUS) {
            // On Citus, each of the 4 shards of a test schema has 4 chunks, each a quarter of the
            // shard's borrowers by hash with all their loans (test "each chunk is part of one shard" below).
            assert.ok(run.every((chunk) => chunk.id_from === null && chunk.id_to === null));
            assert.equal(run[0]!.borrower_hash_min, -2147483648);
            assert.equal(run[15]!.borrower_hash_max, 2147483647);
            for (let k = 1; k < 16; k++) assert.equal(run[k]!.borrower_hash_min, run[k - 1]!.borrower_hash_max! + 1, `chunk ${k} follows chunk ${k - 1}`);
            assert.equal(run.reduce((sum, chunk) => sum + chunk.loans, 0), DATASET_LOANS);
          } else {
            // Each night's chunks are ranges of ids that follow one another from the lowest to the highest,
            // cut at the book's quantiles: 48 loans in 16 chunks, 3 each.
            assert.deepEqual(run.map((chunk) => chunk.loans), Array.from({ length: 16 }, () => 3));
            assert.ok(run.every((chunk) => chunk.borrower_hash_min === null && chunk.borrower_hash_max === null));
            assertConsecutive(run);
          }
        }
        uninterrupted = await snapshot(db);
        uninterruptedClose = await closingRows(db, backend);
        assert.equal(uninterrupted.businessDate, '2025-07-03');
        // Every night committed each closing step once: the first night's debtor rule moved three
        // loans; each half of the borrower rows is six borrowers (the dataset alternates them).
        assert.deepEqual(uninterruptedClose.steps.map((row) => JSON.parse(row) as { business_date: string; step: string; affected: string }).map((row) => [row.business_date, row.step, Number(row.affected)]), [
          ['2025-06-30', 'borrowers', 6], ['2025-06-30', 'notices', 3], ['2025-06-30', 'rules', 3], ['2025-06-30', 'snapshot', 0], ['2025-06-30', 'verdicts', 6],
          ['2025-07-01', 'borrowers', 6], ['2025-07-01', 'notices', 12], ['2025-07-01', 'rules', 0], ['2025-07-01', 'snapshot', 0], ['2025-07-01', 'verdicts', 6],
          ['2025-07-02', 'borrowers', 6], ['2025-07-02', 'notices', 8], ['2025-07-02', 'rules', 0], ['2025-07-02', 'snapshot', 0], ['2025-07-02', 'verdicts', 6],
        ]);
        assert.deepEqual(uninterruptedClose.audit.map((after) => [after.debtorReclassified, after.verdictBorrowers]), [[3, 12], [0, 12], [0, 12]]);
        // Each night's borrower rows: both halves, each borrower once, in the half of its id.
        const halves = await sql<{ business_date: string; lower: boolean; n: bigint }>`
          select business_date, get_byte(uuid_send(enterprise_id), 15) < 128 as lower, count(*) as n from borrower_day group by 1, 2 order by 1, 2`.execute(db);
        assert.deepEqual(halves.rows.map((row) => [row.business_date, row.lower, Number(row.n)]), ['2025-06-30', '2025-07-01', '2025-07-02'].flatMap((date) => [[date, false, 6], [date, true, 6]]));
        assert.deepEqual(await borrowerRows(db, '2025-06-30'), firstNightBorrowers());
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

    it('a run that crashes between its closing steps resumes them, each step once, to the same book', async () => {
      assert.ok(uninterrupted && uninterruptedClose, 'runs after the uninterrupted test');
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        // On PostgreSQL two workers: the notices run beside the rules, the upper half of the borrower
        // rows (the verdicts) beside the lower (the borrowers).
        const workers = backend === 'postgres' ? 2 : 1;
        const crashAfter = (crashing: ClosingStep, on = workers) => ({ shardsPerChunk: 64, workers: on, afterClosingStep: (step: ClosingStep) => { if (step === crashing) throw new Crash('killed'); } });
        const committed = async () => (await db.selectFrom('eod_close_step').select('step').orderBy('step').execute()).map((row) => row.step);
        // Killed once the debtor-level rules committed: the loans they moved stay moved, the date stays.
        await assert.rejects(runEod(db, crashAfter('rules')), Crash);
        assert.deepEqual(await committed(), workers === 2 ? ['notices', 'rules'] : ['rules']);
        assert.equal(await getBusinessDate(db), '2025-06-30');
        assert.equal((await reconcile(db)).balanced, true);
        // Killed between the halves (one worker: the lower half, then the upper): the lower half's
        // rows are written, the upper half's are not.
        await assert.rejects(runEod(db, { ...crashAfter('borrowers', 1), workerName: 'second' }), Crash);
        assert.deepEqual(await committed(), ['borrowers', 'notices', 'rules']);
        assert.deepEqual(await borrowerRows(db, '2025-06-30'), firstNightBorrowers().filter((row) => row[1] === true));
        // Killed again once the upper half and the verdicts committed, before the snapshot.
        await assert.rejects(runEod(db, { ...crashAfter('verdicts'), workerName: 'third' }), Crash);
        assert.deepEqual(await committed(), ['borrowers', 'notices', 'rules', 'verdicts']);
        assert.deepEqual(await borrowerRows(db, '2025-06-30'), firstNightBorrowers());
        assert.equal(await getBusinessDate(db), '2025-06-30');
        // The fourth call does what is left and closes the night with what the others' steps counted.
        const closed = await runEod(db, { shardsPerChunk: 64, workers, workerName: 'fourth' });
        assert.deepEqual([closed.chunksProcessed, closed.debtorReclassified, closed.businessDate], [0, 3, '2025-07-01']);
        for (let night = 1; night < NIGHTS; night++) await runEod(db, { shardsPerChunk: 64, workers });
        assert.deepEqual(await snapshot(db), uninterrupted);
        assert.deepEqual(await closingRows(db, backend), uninterruptedClose);
      });
    });

    it('a night whose close began before the borrower rows were split (every row in its verdicts step) is finished by this close, each row once', async () => {
      assert.ok(uninterrupted && uninterruptedClose, 'runs after the uninterrupted test');
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        await assert.rejects(runEod(db, { shardsPerChunk: 64, afterClosingStep: (step) => { if (step === 'notices') throw new Crash('killed'); } }), Crash);
        // The close before the split: its one 'verdicts' step judged every borrower and the new lending, then it died.
        const run = await db.selectFrom('eod_run').select('id').executeTakeFirstOrThrow();
        assert.equal(await closeStep(db, run.id, 'verdicts', async (trx) => (await judgeNight(trx, '2025-06-30' as BusinessDate)).borrowers), 12);
        const closed = await runEod(db, { shardsPerChunk: 64, workers: backend === 'postgres' ? 2 : 1 });
        assert.deepEqual([closed.chunksProcessed, closed.debtorReclassified, closed.businessDate], [0, 3, '2025-07-01']);
        // The lower half found its rows written: it wrote none, and the night's count is the old step's.
        const steps = await db.selectFrom('eod_close_step').select(['step', 'affected']).orderBy('step').execute();
        assert.deepEqual(steps.map((row) => [row.step, Number(row.affected)]), [['borrowers', 0], ['notices', 3], ['rules', 3], ['snapshot', 0], ['verdicts', 12]]);
        assert.deepEqual(await borrowerRows(db, '2025-06-30'), firstNightBorrowers());
        for (let night = 1; night < NIGHTS; night++) await runEod(db, { shardsPerChunk: 64 });
        assert.deepEqual(await snapshot(db), uninterrupted);
        const { steps: _, ...close } = await closingRows(db, backend);
        const { steps: __, ...expected } = uninterruptedClose!;
        assert.deepEqual(close, expected);
      });
    });

    it('a run opened before migration 0066, with chunks of shards, resumes to the same book', async () => {
      assert.ok(uninterrupted, 'runs after the uninterrupted test');
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        const date = await getBusinessDate(db);
        await inTransaction(db, async (trx) => openRun(trx, date, 64, rulesFor(date).version));
        await db.updateTable('eod_chunk')
          .set({ id_from: null, id_to: null, shard_from: sql<number>`chunk_no * 64`, shard_to: sql<number>`(chunk_no + 1) * 64` })
          .execute();
        const summary = await runEod(db);
        assert.deepEqual([summary.loans, summary.chunks, summary.chunksProcessed], [DATASET_LOANS, 16, 16]);
        const perChunk = await db.selectFrom('eod_chunk').select('loans').orderBy('chunk_no').execute();
        assert.ok(perChunk.some((chunk) => chunk.loans !== 3), 'shards, not quantiles of ids, decided the chunks');
        for (let night = 1; night < NIGHTS; night++) await runEod(db, { shardsPerChunk: 64 });
        assert.deepEqual(await snapshot(db), uninterrupted);
      });
    });

    it("on Citus, each chunk is part of one shard's borrowers: the chunks' hash ranges cut the shards of loan, and a chunk processes exactly the loans of its borrowers", backend === 'postgres' && ON_CITUS ? {} : { skip: 'needs a Citus coordinator (TEST_DATABASE_URL)' }, async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createDataset(db);
        const summary = await runEod(db, { shardsPerChunk: 64 });
        const shards = await citusShardRanges(db, 'loan');
        const chunks = await db.selectFrom('eod_chunk').selectAll().where('run_id', '=', summary.runId).orderBy('chunk_no').execute();
        const perShard = Math.ceil(16 / shards.length);
        assert.equal(chunks.length, shards.length * perShard);
        assert.deepEqual(chunks.map((chunk) => [chunk.borrower_hash_min, chunk.borrower_hash_max]), shards.flatMap((shard) => splitHashRange(shard, perShard).map((part) => [part.min, part.max])));
        for (const shard of shards) assert.ok(chunks.some((chunk) => chunk.borrower_hash_min === shard.min) && chunks.some((chunk) => chunk.borrower_hash_max === shard.max));
        for (const chunk of chunks) {
          const { rows } = await sql<{ n: bigint }>`select count(*) as n from loan
            where worker_hash(enterprise_id) between ${chunk.borrower_hash_min} and ${chunk.borrower_hash_max}
              and (cast(${chunk.id_from} as uuid) is null or id >= cast(${chunk.id_from} as uuid)) and (cast(${chunk.id_to} as uuid) is null or id < cast(${chunk.id_to} as uuid))`.execute(db);
          assert.equal(chunk.loans, Number(rows[0]!.n), `chunk ${chunk.chunk_no}`);
        }
        assert.equal(summary.loans, DATASET_LOANS);
        assert.equal((await reconcile(db)).balanced, true);
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

describe('splitHashRange', () => {
  it('cuts a shard\'s hash range into consecutive parts that cover it exactly', () => {
    assert.deepEqual(splitHashRange({ min: 0, max: 99 }, 3), [{ min: 0, max: 32 }, { min: 33, max: 65 }, { min: 66, max: 99 }]);
    assert.deepEqual(splitHashRange({ min: -2147483648, max: -1073741825 }, 4).map((part) => part.max - part.min + 1), [268435456, 268435456, 268435456, 268435456]);
    assert.deepEqual(splitHashRange({ min: 5, max: 6 }, 4), [{ min: 5, max: 5 }, { min: 6, max: 6 }]);
    assert.deepEqual(splitHashRange({ min: 7, max: 7 }, 1), [{ min: 7, max: 7 }]);
  });
});
