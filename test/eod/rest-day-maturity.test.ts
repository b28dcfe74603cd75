import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { runEod } from '../../src/eod/run-eod.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';

async function loan(db: Kysely<Database>, id: string) {
  return db.selectFrom('loan').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

for (const backend of BACKENDS) {
  describe(`a maturity on a rest day on ${backend}`, () => {
    it('a loan due on Saturday 2025-07-05 is not overdue over the weekend; unpaid on Monday it is 1 day past due on Tuesday', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await createEnterprise(db, 'Sprout Weekend Co.');
        const saturday = await createLoan(db, bullet(enterpriseId, 10_000_000n, '2025-07-05'));
        const wednesday = await createLoan(db, bullet(await createEnterprise(db, 'Sprout Midweek Co.'), 10_000_000n, '2025-07-02'));

        for (let night = 0; night < 5; night++) await runEod(db); // nights of 06-30 … 07-04 (Friday): billed
        let row = await loan(db, saturday);
        // Five nights at 4.35%/360 on 10,000,000: 1208 + 1208 + 1209 + 1208 + 1208 = 6041, carry 240,000,000.
        assert.deepEqual([row.principal_due, row.interest_due, row.overdue_since, row.dpd, row.classification], [10_000_000n, 6041n, '2025-07-07', 0, 'normal']);

        await runEod(db); // Saturday 07-05, the due date, not paid
        await runEod(db); // Sunday 07-06
        row = await loan(db, saturday);
        assert.deepEqual([row.last_eod_on, row.dpd, row.classification, row.penalty_due, row.penalty_remainder, row.provision], ['2025-07-06', 0, 'normal', 0n, 0n, 0n]);
        // The same loan due on a Wednesday is 5 days past due by then (nights of 07-02 … 07-06).
        const midweek = await loan(db, wednesday);
        assert.deepEqual([midweek.dpd, midweek.classification], [5, 'special-mention']);

        await runEod(db); // Monday 07-07, the working day it could still be paid on: not paid
        row = await loan(db, saturday);
        // One night of penalty at 6.525% on 10,000,000 principal and 6,041 interest:
        // (652,500,000,000 + 394,175,250) / 360,000,000 = 1813.59… → 1813.
        assert.deepEqual([row.dpd, row.classification, row.penalty_due, row.provision], [1, 'special-mention', 1813n, 200_000n]);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
