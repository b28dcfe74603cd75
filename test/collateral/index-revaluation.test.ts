import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { recordPledgeRegistration, registerCollateral } from '../../src/collateral/collateral-register.js';
import { indexedValue, parseIndexCsv, revalueByIndex } from '../../src/collateral/index-revaluation.js';
import { valueCollateral } from '../../src/collateral/security-events.js';
import { openDatabase } from '../../src/db/database.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { minor } from '../../src/money/minor.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { sprout } from '../support/cli.js';
import { unpackMigratedCluster } from '../support/data-dir.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

const INDEX = 'type,change_percent,source\nresidential-real-estate,-8.50,国家统计局 70 城房价指数\nequipment-vehicles,+2.25,\n';

async function twoPieces(db: Kysely<Database>) {
  return inTransaction(db, async (trx) => {
    const firm = await createEnterprise(trx, { name: '浙江青禾机械有限公司', sizeClass: 'small' }, 't');
    const ids: string[] = [];
    for (const [type, identifier, value] of [['residential-real-estate', 'H-1', '3333333.33'], ['equipment-vehicles', 'LVSHCAMB1CE012345', '800000.00'], ['inventory', 'INV-1', '100000.00']] as const) {
      const c = await registerCollateral(trx, { enterpriseId: firm.id, type, owner: 'borrower', ownerName: 'x', description: 'd', identifier }, 't');
      await valueCollateral(trx, c.id, { value, method: 'appraisal', appraiser: 'a' }, 't');
      await recordPledgeRegistration(trx, c.id, { authority: '登记机关', number: `N-${identifier}`, registeredOn: '2025-06-30', rank: 1 }, 't');
      ids.push(c.id);
    }
    return ids;
  });
}

describe('market-index revaluation', () => {
  it('parses percent changes exactly and refuses bad rows naming the line', () => {
    assert.deepEqual(parseIndexCsv(INDEX).map((c) => [c.type, c.changeBp, c.source]), [['residential-real-estate', -850, '国家统计局 70 城房价指数'], ['equipment-vehicles', 225, 'market index']]);
    assert.throws(() => parseIndexCsv('type,change_percent\nboats,1\n'), /line 2: type "boats"/);
    assert.throws(() => parseIndexCsv('type,change_percent\ninventory,-100\n'), /above -100/);
    assert.throws(() => parseIndexCsv('type,change_percent\ninventory,1.234\n'), /two decimals/);
    // 3,333,333.33 × 0.915 = 3,049,999.99695 → 3,050,000.00 (half-even at the fen).
    assert.equal(indexedValue(minor(3_333_333_33n), -850), 3_050_000_00n);
    assert.equal(indexedValue(minor(2n), -2500), 2n, '1.5 fen rounds to the even 2');
  });

  for (const backend of BACKENDS) {
    it(`revalues every registered piece of the named types on ${backend}`, async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await twoPieces(db);
        const done = await revalueByIndex(db, parseIndexCsv(INDEX), 'ops');
        assert.deepEqual(done.map((p) => [p.identifier, p.before, p.after]), [['H-1', '3333333.33', '3050000.00'], ['LVSHCAMB1CE012345', '800000.00', '818000.00']]);
        const methods = await db.selectFrom('collateral_valuation').select('method').where('method', '=', 'market-index').execute();
        assert.equal(methods.length, 2);
      });
    });
  }
});

describe('sprout collateral revalue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sprout-collateral-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--index FILE --format json revalues and reports each piece', async () => {
    // A migrated cluster unpacked from the run's dump, as the other tests that run `sprout` on a
    // directory start (test/support/data-dir.ts): initialising an empty one is test/db/database.test.ts's.
    const data = join(dir, 'data');
    unpackMigratedCluster(data);
    const database = await openDatabase({ dataDir: data });
    try {
      await twoPieces(database.db);
    } finally {
      await database.close();
    }
    const file = join(dir, 'index.csv');
    writeFileSync(file, INDEX);
    const result = await sprout(['collateral', 'revalue', '--index', file, '--data-dir', data, '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { revalued: { identifier: string; after: string }[]; events: unknown[] };
    assert.deepEqual(report.revalued.map((p) => [p.identifier, p.after]), [['H-1', '3050000.00'], ['LVSHCAMB1CE012345', '818000.00']]);
    assert.deepEqual(report.events, []);
    const bad = await sprout(['collateral', 'revalue', '--index', join(dir, 'missing.csv'), '--data-dir', data]);
    assert.notEqual(bad.status, 0);
  });
});
