import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { generalProvisionTarget, setGeneralProvisionRate } from '../../src/eod/general-provision.js';
import { runEod } from '../../src/eod/run-eod.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { minor } from '../../src/money/minor.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';

/** The general-provision entries: date, and the lines by account code. */
async function entries(db: Kysely<Database>) {
  const rows = await sql<{ business_date: string; account_code: string; amount: string }>`
    select e.business_date, l.account_code, cast(l.amount as text) as amount
    from journal_entry e join journal_line l on l.entry_id = e.id and l.enterprise_id = e.enterprise_id
    where e.kind = 'eod-general-provision' order by e.business_date, l.line_no`.execute(db);
  return rows.rows.map((row) => `${String(row.business_date)} ${row.account_code} ${row.amount}`);
}

describe('the general provision target (pure)', () => {
  it('is the share of risk assets rounded down to the fen', () => {
    assert.equal(generalProvisionTarget(minor(100_000_000n), 150), 1_500_000n);
    assert.equal(generalProvisionTarget(minor(13_333_333n), 150), 199_999n); // 199,999.995 → 199,999
    assert.equal(generalProvisionTarget(minor(0n), 150), 0n);
  });
});

for (const backend of BACKENDS) {
  describe(`the general provision on ${backend}`, () => {
    it('is posted at each month end as balanced entries: 1.5% by default, then the configured share', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createLoan(db, bullet(await createEnterprise(db, 'Sprout Reserve Co.'), 10_000_000n, '2025-12-31'));
        await createLoan(db, bullet(await createEnterprise(db, 'Sprout Provision Co.'), 3_333_333n, '2025-12-31'));
        await runEod(db); // 2025-06-30, a month end: 1.5% of 133,333.33 = 1,999.99995 → 1,999.99
        assert.deepEqual(await entries(db), ['2025-06-30 4104.05 199999', '2025-06-30 4102 -199999']);
        await runEod(db); // 07-01: not a month end, nothing more
        assert.equal((await entries(db)).length, 2);
        assert.equal(await inTransaction(db, (trx) => setGeneralProvisionRate(trx, '1.8', 'finance')), 180);
        for (let night = 0; night < 30; night++) await runEod(db); // 07-02 … 07-31
        // 1.8% of 133,333.33 = 2,399.99994 → 2,399.99; 400.00 more set aside.
        assert.deepEqual((await entries(db)).slice(2), ['2025-07-31 4104.05 40000', '2025-07-31 4102 -40000']);
        const reserve = await sql<{ balance: string }>`select cast(sum(amount) as text) as balance from journal_line where account_code = '4102'`.execute(db);
        assert.equal(reserve.rows[0]?.balance, '-239999');
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it('a rate that is not a percentage with two decimals is refused, naming the field', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        for (const bad of ['1.555', '-1', '101', 'abc', '']) {
          await assert.rejects(inTransaction(db, (trx) => setGeneralProvisionRate(trx, bad, 'finance')), (error: Error & { field?: string }) => error.field === 'rate');
        }
        const state = await db.selectFrom('system_state').select('general_provision_bp').executeTakeFirstOrThrow();
        assert.equal(state.general_provision_bp, 150);
      });
    });
  });
}
