import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sprout as runSprout, type HeldDatabase } from '../support/cli.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, TEST_BUSINESS_DATE } from '../support/backends.js';
import { createDataset, DATASET_LOANS, snapshot } from '../eod/eod-dataset.js';
import { newPlace as placeOn, type Place } from '../support/cli-place.js';
import { wasmFlags } from '../../src/cli/wasm-flags.js';

const newPlace = (backend: string) => placeOn(backend, 'sprout-eod-');

const SPROUT = join(import.meta.dirname, '..', '..', 'bin', 'sprout.js');

/** The test book on the test business date, written in this process; the commands run end of day. */
async function prepare(db: Kysely<Database>): Promise<void> {
  await setBusinessDate(db, TEST_BUSINESS_DATE);
  await createDataset(db);
}

/** End of day monitors with the configured connectors: here the demo's simulated ones. */
const DEMO = { SPROUT_MODE: 'demo' };

/** `sprout` on `place`, run in this process (test/support/cli.ts) on the place the test holds open for its commands. */
function sprout(place: Place, held: HeldDatabase, args: readonly string[]) {
  return runSprout([...args, ...place.args], { ...place.env, ...DEMO }, held);
}

/** `sprout` on `place` as a real process: for the run that kills itself. */
function spawnedSprout(place: Place, args: readonly string[], extraEnv: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [...wasmFlags(), SPROUT, ...args, ...place.args], { encoding: 'utf8', env: { ...place.env, ...DEMO, ...extraEnv } });
}

/** What {@link closedOnce} leaves: the place, the run's result and the loans as the run left them. */
interface ClosedPlace {
  readonly place: Place;
  readonly held: HeldDatabase;
  readonly whole: Awaited<ReturnType<typeof sprout>>;
  readonly snapshot: Awaited<ReturnType<typeof snapshot>>;
}

for (const backend of BACKENDS) {
  describe(`sprout eod and sprout ledger on ${backend}`, () => {
    // The test book closed once, uninterrupted: the first test compares the crashed run with it, the
    // second reads its ledger (and then damages it). Filling and closing a book per test cost a
    // second or two of CPU on PGlite (docs/benchmarks.md, s12n); the snapshot is taken before any
    // test can change the place.
    let closed: Promise<ClosedPlace> | undefined;
    const closedOnce = () =>
      (closed ??= (async () => {
        const place = await newPlace(backend);
        const held = await place.hold();
        await prepare(held.database.db);
        const whole = await sprout(place, held, ['eod', 'run', '--shards-per-chunk', '64', '--format', 'json']);
        return { place, held, whole, snapshot: await snapshot(held.database.db) };
      })());
    after(async () => {
      if (closed === undefined) return;
      const { place, held } = await closed;
      await held.close();
      await place.drop();
    });

    it('a run killed after 3 chunks resumes when run again, to the same loans and trial balance as an uninterrupted run', async () => {
      const clean = await closedOnce();
      const crashed = await newPlace(backend);
      let held: HeldDatabase | undefined;
      try {
        // Written and closed before the killed process opens the place.
        const database = await crashed.open();
        try {
          await prepare(database.db);
        } finally {
          await database.close();
        }
        const whole = clean.whole;
        assert.equal(whole.status, 0, whole.stderr);
        const summary = JSON.parse(whole.stdout) as Record<string, unknown>;
        assert.deepEqual(Object.keys(summary), ['date', 'loans', 'chunks', 'seconds', 'interest', 'penalty', 'monitoring']);
        assert.deepEqual([summary.date, summary.loans, summary.chunks], [TEST_BUSINESS_DATE, DATASET_LOANS, 16]);
        assert.match(String(summary.interest), /^[0-9]+\.[0-9]{2}$/);
        // Monitoring ran first: the 12 borrowers gave no monitoring authorisation, so nothing is pulled and each has that warning.
        assert.deepEqual(summary.monitoring, { enterprises: 12, pulls: 0, warnings: 12 });

        const killed = spawnedSprout(crashed, ['eod', 'run', '--shards-per-chunk', '64', '--format', 'json'], { SPROUT_EOD_CRASH_AFTER_CHUNKS: '3' });
        assert.equal(killed.signal, 'SIGKILL');
        assert.equal(killed.stdout, '');
        held = await crashed.hold();
        // The three chunks done before the kill are kept (on PGlite the process is the server: a
        // chunk committed without writing its WAL would be lost with it, and the rerun would wait
        // out the dead worker's claims).
        const chunks = await held.database.db.selectFrom('eod_chunk').select(['status']).execute();
        assert.equal(chunks.filter((chunk) => chunk.status === 'done').length, 3);
        const resumed = await sprout(crashed, held, ['eod', 'run', '--format', 'json']);
        assert.equal(resumed.status, 0, resumed.stderr);
        const after = JSON.parse(resumed.stdout) as Record<string, unknown>;
        // The totals are the whole run's, the same as the uninterrupted run's.
        assert.deepEqual({ ...after, seconds: 0 }, { ...summary, seconds: 0 });
        assert.deepEqual(await snapshot(held.database.db), clean.snapshot);

        // The date is closed: running it again is refused as not today; the next date runs.
        const again = await sprout(crashed, held, ['eod', 'run', '--date', TEST_BUSINESS_DATE, '--format', 'json']);
        assert.equal(again.status, 0, again.stderr);
        assert.deepEqual({ ...JSON.parse(again.stdout), seconds: 0 }, { ...summary, seconds: 0 });
        const wrong = await sprout(crashed, held, ['eod', 'run', '--date', '2025-08-01']);
        assert.equal(wrong.status, 2);
        assert.match(wrong.stderr, /must be the current business date 2025-07-01/);
        // Run again with no date after the run committed: no second day closed by surprise.
        const unasked = await sprout(crashed, held, ['eod', 'run']);
        assert.equal(unasked.status, 2, unasked.stdout);
        assert.match(unasked.stderr, /end of day 2025-06-30 was closed; the business date is now 2025-07-01\. To close 2025-07-01, run again with --next/);
        assert.equal(unasked.stdout, '');
        const next = await sprout(crashed, held, ['eod', 'run', '--next', '--format', 'json']);
        assert.equal(next.status, 0, next.stderr);
        assert.equal((JSON.parse(next.stdout) as { date: string }).date, '2025-07-01');
      } finally {
        await held?.close();
        await crashed.drop();
      }
    });

    it('ledger trial-balance and reconcile print amounts as yuan strings; reconcile exits 1 on a difference', async () => {
      // The book closed by an uninterrupted `eod run` (that test's --shards-per-chunk changes no figure).
      const { place, held, whole } = await closedOnce();
      assert.equal(whole.status, 0, whole.stderr);
      const tb = await sprout(place, held, ['ledger', 'trial-balance', '--format', 'json']);
      assert.equal(tb.status, 0, tb.stderr);
      const balance = JSON.parse(tb.stdout) as { rows: { purpose: string; balance: string }[]; totalDebit: string; totalCredit: string; balanced: boolean };
      assert.equal(balance.balanced, true);
      assert.equal(balance.totalDebit, balance.totalCredit);
      // Settlement paid out the whole book: 48 loans of 10,000.00 + i × 1,234.57, i = 0…47.
      assert.equal(balance.rows.find((row) => row.purpose === 'settlement')?.balance, '-1872594.96');
      const before = await sprout(place, held, ['ledger', 'trial-balance', '--date', '2025-06-29', '--format', 'json']);
      assert.equal((JSON.parse(before.stdout) as { totalDebit: string }).totalDebit, '0.00');
      const ok = await sprout(place, held, ['ledger', 'reconcile', '--format', 'json']);
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal((JSON.parse(ok.stdout) as { balanced: boolean }).balanced, true);

      // A fen taken from one loan without a posting.
      await sql`update loan set interest_accrued = interest_accrued + 1 where id = (select id from loan order by id limit 1)`.execute(held.database.db);
      const bad = await sprout(place, held, ['ledger', 'reconcile', '--format', 'json']);
      assert.equal(bad.status, 1);
      const report = JSON.parse(bad.stdout) as { balanced: boolean; lines: { purpose: string; difference: string }[] };
      assert.equal(report.balanced, false);
      assert.equal(report.lines.find((line) => line.purpose === 'interest-receivable')?.difference, '-0.01');
      assert.match((await sprout(place, held, ['ledger', 'reconcile'])).stdout, /NOT RECONCILED/);
    });

    it('bench eod creates the book, runs end of day and reports a reconciled ledger', async () => {
      const place = await newPlace(backend);
      const held = await place.hold();
      try {
        const result = await sprout(place, held, ['bench', 'eod', '--loans', '300', '--format', 'json']);
        assert.equal(result.status, 0, result.stderr);
        const figures = JSON.parse(result.stdout) as {
          loans: number; seconds: number; firstNightSeconds: number; floorSeconds: number; leanFloorSeconds: number; balanced: boolean;
          checkpointed: boolean; server: Record<string, string>;
        };
        assert.deepEqual(Object.keys(figures), ['loans', 'seconds', 'firstNightSeconds', 'floorSeconds', 'leanFloorSeconds', 'balanced', 'checkpointed', 'server']);
        // The test roles may run CHECKPOINT (a superuser on the server, the only role in PGlite).
        assert.deepEqual([figures.loans, figures.balanced, figures.checkpointed], [300, true, true]);
        // The settings the figures depend on, as the server itself shows them.
        const shown = (await sql<{ sb: string; mw: string; ct: string }>`select current_setting('shared_buffers') as sb, current_setting('max_wal_size') as mw,
          current_setting('checkpoint_timeout') as ct`.execute(held.database.db)).rows[0];
        assert.deepEqual(figures.server, { sharedBuffers: shown?.sb, maxWalSize: shown?.mw, checkpointTimeout: shown?.ct });
        assert.match(figures.server.sharedBuffers ?? '', /^\d+(kB|MB|GB)$/);
        assert.ok(figures.seconds > 0 && figures.firstNightSeconds > 0 && figures.floorSeconds > 0 && figures.leanFloorSeconds >= 0);
        const again = await sprout(place, held, ['bench', 'eod', '--loans', '10']);
        assert.equal(again.status, 1);
        assert.match(again.stderr, /without loans/);
      } finally {
        await held.close();
        await place.drop();
      }
    });
  });
}
