import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runEod } from '../../src/eod/run-eod.js';
import { loanById } from '../../src/servicing/loans.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, TEST_BUSINESS_DATE, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/** The loan as the service reads it: a row end of day did not write is as of its last_eod_on (src/servicing/lazy-accrual.ts). */
async function loan(db: Kysely<Database>, id: string) {
  return loanById(db, id);
}

async function balances(db: Kysely<Database>): Promise<Record<string, bigint>> {
  const tb = await trialBalance(db, null);
  return Object.fromEntries(tb.rows.filter((row) => row.balance !== 0n).map((row) => [row.purpose, row.balance]));
}

for (const backend of BACKENDS) {
  describe(`end-of-day accrual on ${backend}`, () => {
    it('one night on 100,000.00 at 4.35% actual/360 accrues 12.08 and carries the exact remainder', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await createEnterprise(db, 'Sprout Tea Co.');
        const id = await createLoan(db, bullet(enterpriseId, 10_000_000n, '2025-12-31'));
        const summary = await runEod(db);
        // 10,000,000 fen × 43500 / (360 × 10^6) = 1208.333… fen: 1208 booked, 1/3 fen carried as 120,000,000 / 360,000,000.
        assert.equal((10_000_000n * 43_500n) / 360_000_000n, 1208n);
        const row = await loan(db, id);
        assert.deepEqual([row.interest_accrued, row.interest_remainder, row.last_eod_on, row.dpd, row.classification], [1208n, 120_000_000n, TEST_BUSINESS_DATE, 0, 'normal']);
        assert.deepEqual([summary.loans, summary.interest, summary.penalty, summary.alreadyDone], [1, 1208n, 0n, false]);
        assert.equal(await getBusinessDate(db), '2025-07-01');
        // 2025-06-30 is a month end: the general provision (一般准备) sets aside 1.5% of the 100,000.00 principal, 1,500.00.
        assert.deepEqual(await balances(db), {
          settlement: -10_000_000n, 'loans-normal': 10_000_000n, 'interest-receivable': 1208n, 'interest-income': -1208n,
          'general-reserve': -150_000n, 'general-reserve-appropriation': 150_000n,
        });
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it('thirty nights sum to exactly floor(30 × the exact daily interest): no fen lost', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await createEnterprise(db, 'Sprout Tea Co.');
        const id = await createLoan(db, bullet(enterpriseId, 10_000_000n, '2025-12-31'));
        let interest = 0n;
        for (let night = 0; night < 30; night++) interest += (await runEod(db)).interest;
        // 30 × 1208.333… = 36250 exactly; the remainder returns to zero.
        const row = await loan(db, id);
        assert.deepEqual([row.interest_accrued, row.interest_remainder, interest], [36_250n, 0n, 36_250n]);
        assert.equal(await getBusinessDate(db), '2025-07-30');
        assert.equal((await balances(db))['interest-income'], -36_250n);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
