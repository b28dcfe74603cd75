import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdDatabase, sprout } from '../support/cli.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { freshDataDir, removeDataDir } from '../support/data-dir.js';


// The command on PGlite (a directory the child owns); the same service code runs on PostgreSQL in
// test/demo/demo.test.ts.
describe('sprout demo', () => {
  it('fills an empty data directory and prints its summary as JSON; refuses a second time; checks its flags', async () => {
    const dir = freshDataDir('sprout-demo-');
    // The directory opened once for the three commands (test/support/cli.ts).
    const held = await holdDatabase({ dataDir: dir });
    try {
      const env = { ...process.env, DATABASE_URL: '' };
      const run = (...args: string[]) => sprout(['demo', '--data-dir', dir, ...args], env, held);
      const first = await run('--enterprises', '8', '--months', '1', '--seed', '11', '--format', 'json');
      assert.equal(first.status, 0, first.stderr);
      const summary = JSON.parse(first.stdout) as { seed: number; enterprises: number; months: number; to: string; eodRuns: number; ledger: { balanced: boolean; reconciled: boolean; totalDebit: string; totalCredit: string } };
      assert.equal(summary.seed, 11);
      assert.equal(summary.enterprises, 8);
      assert.equal(summary.months, 1);
      assert.ok(summary.eodRuns >= 28 && summary.eodRuns <= 31, `a night per day of the month (${summary.eodRuns})`);
      assert.deepEqual([summary.ledger.balanced, summary.ledger.reconciled], [true, true]);
      assert.equal(summary.ledger.totalDebit, summary.ledger.totalCredit);

      const again = await run('--enterprises', '8', '--months', '1', '--format', 'json');
      assert.equal(again.status, 1);
      assert.equal(JSON.parse(again.stderr).error.code, 'CONFLICT');
      const bad = await run('--months', 'six');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /months/);
    } finally {
      await held.close();
      removeDataDir(dir);
    }
  });

  it('leaves the business date where it started', async () => {
    const dir = freshDataDir('sprout-demo-');
    const held = await holdDatabase({ dataDir: dir });
    try {
      const before = await getBusinessDate(held.database.db);
      const run = await sprout(['demo', '--data-dir', dir, '--enterprises', '5', '--months', '1'], undefined, held);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^demo \(seed 2025\): 5 enterprises, /);
      assert.match(run.stdout, /reconciles with the loans/);
      assert.equal(await getBusinessDate(held.database.db), before);
    } finally {
      await held.close();
      removeDataDir(dir);
    }
  });
});
