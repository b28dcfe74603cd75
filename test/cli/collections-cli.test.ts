import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { minor } from '../../src/money/minor.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';
import { sprout } from '../support/cli.js';
import { unpackMigratedCluster } from '../support/data-dir.js';

// The worklist's figures are checked on both backends in test/collections; this is the command's
// edge (the bucket filter and the JSON shape), on a PGlite data directory.
describe('sprout collections list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sprout-collections-'));
  const env = { ...process.env, DATABASE_URL: '' };
  const run = (args: readonly string[]) => sprout([...args, '--data-dir', dir], env);

  before(async () => {
    // The run's migrated cluster (test/support/data-dir.ts): initialising an empty one is test/db/database.test.ts's.
    unpackMigratedCluster(dir);
    const database = await openDatabase({ dataDir: dir });
    try {
      const enterpriseId = await createEnterprise(database.db, '绿芽茶业');
      for (const [index, dpd] of [12, 45, 91].entries()) {
        const id = await createLoan(database.db, bullet(enterpriseId, 1_000_000n, '2026-06-30'));
        await database.db.updateTable('loan').set({ dpd, principal_due: minor(BigInt(index + 1) * 10_000n), principal_not_due: minor(1_000_000n - BigInt(index + 1) * 10_000n) }).where('id', '=', id).execute();
      }
    } finally {
      await database.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--bucket 31-90 --format json lists the one loan 45 days past due, with every bucket counted', async () => {
    const result = await run(['collections', 'list', '--bucket', '31-90', '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.total, 1);
    assert.deepEqual(json.items.map((row: { daysPastDue: number; bucket: string; overdueAmount: string; collector: null }) => [row.daysPastDue, row.bucket, row.overdueAmount, row.collector]), [[45, '31-90', '200.00', null]]);
    assert.deepEqual(json.buckets.map((b: { bucket: string; loans: number; overdue: string }) => [b.bucket, b.loans, b.overdue]), [
      ['1-30', 1, '100.00'],
      ['31-90', 1, '200.00'],
      ['91-180', 1, '300.00'],
      ['181-360', 0, '0.00'],
      ['over-360', 0, '0.00'],
    ]);
    const bad = await run(['collections', 'list', '--bucket', '31-60']);
    assert.notEqual(bad.status, 0);
  });
});
