import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { classifyByDaysPastDue, provisionFor, RULES_2023 } from '../../src/classification/index.js';
import type { Database } from '../../src/db/schema.js';
import { runEod } from '../../src/eod/run-eod.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { addDays, parseBusinessDate } from '../../src/calendar/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';

async function loan(db: Kysely<Database>, id: string) {
  return db.selectFrom('loan').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function balances(db: Kysely<Database>): Promise<Record<string, bigint>> {
  const tb = await trialBalance(db, null);
  assert.equal(tb.balanced, true);
  return Object.fromEntries(tb.rows.filter((row) => row.balance !== 0n).map((row) => [row.purpose, row.balance]));
}

/** Every journal entry's lines sum to zero. */
async function assertEntriesBalance(db: Kysely<Database>): Promise<void> {
  const unbalanced = await db.selectFrom('journal_line').select('entry_id').groupBy('entry_id').having((eb) => eb.fn.sum('amount'), '<>', 0).execute();
  assert.deepEqual(unbalanced, []);
}

for (const backend of BACKENDS) {
  describe(`end of day on overdue loans on ${backend}`, () => {
    it('a missed maturity is billed, then dpd 1, penalty at 1.5× on principal and overdue interest, special mention, 2% provision; dpd 91 is substandard at 25%', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await createEnterprise(db, 'Sprout Tea Co.');
        const id = await createLoan(db, bullet(enterpriseId, 10_000_000n, '2025-07-02'));

        await runEod(db); // night of 06-30: 1208 accrued, 120,000,000 carried
        await runEod(db); // night of 07-01: 1208 more (carry 240,000,000), then 07-02's repayment is billed
        let row = await loan(db, id);
        assert.deepEqual(
          [row.principal_not_due, row.principal_due, row.interest_accrued, row.interest_due, row.interest_remainder, row.overdue_since, row.dpd, row.classification, row.next_due_on],
          [0n, 10_000_000n, 0n, 2416n, 240_000_000n, '2025-07-02', 0, 'normal', null],
        );

        await runEod(db); // night of 07-02: not repaid
        row = await loan(db, id);
        // Penalty rate 65250 units (1.5 × 4.35%) on 10,000,000 overdue principal and 2,416 overdue interest:
        // (652,500,000,000 + 157,644,000) / 360,000,000 = 1812.937… → 1812, carry 337,644,000.
        assert.deepEqual([row.penalty_due, row.penalty_remainder, row.dpd, row.classification, row.provision], [1812n, 337_644_000n, 1, 'special-mention', 200_000n]);
        // No principal is not yet due, so no contract interest accrues; its carry stays.
        assert.deepEqual([row.interest_accrued, row.interest_remainder], [0n, 240_000_000n]);
        assert.deepEqual(await balances(db), {
          settlement: -10_000_000n,
          'loans-special-mention': 10_000_000n,
          'interest-receivable': 2416n,
          'penalty-receivable': 1812n,
          'loan-loss-provision': -200_000n,
          'interest-income': -2416n,
          'penalty-income': -1812n,
          'provision-expense': 200_000n,
          // The night of 06-30 was a month end: the general provision (一般准备) set aside 1.5% of the 100,000.00 principal.
          'general-reserve': -150_000n,
          'general-reserve-appropriation': 150_000n,
        });
        await assertEntriesBalance(db);
        assert.equal((await reconcile(db)).balanced, true);

        // Nights of 07-03 … 09-29: dpd reaches 90 and the loan is still special mention.
        for (let night = 0; night < 89; night++) await runEod(db);
        row = await loan(db, id);
        assert.deepEqual([row.last_eod_on, row.dpd, row.classification], ['2025-09-29', 90, 'special-mention']);
        await runEod(db); // night of 09-30: dpd 91
        row = await loan(db, id);
        assert.deepEqual([row.dpd, row.classification, row.provision], [91, 'substandard', 2_500_000n]);
        // 91 nights of penalty with the carry: floor(91 × 652,657,644,000 / 360,000,000).
        assert.equal(row.penalty_due, (91n * 652_657_644_000n) / 360_000_000n);
        assert.equal(row.penalty_due, 164_977n);
        const gl = await balances(db);
        assert.deepEqual([gl['loans-special-mention'], gl['loans-substandard'], gl['loan-loss-provision'], gl['penalty-receivable']], [undefined, 10_000_000n, -2_500_000n, 164_977n]);
        await assertEntriesBalance(db);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it('the SQL classification and provision agree with the pure rules at every threshold', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const days = [0, 1, 90, 91, 270, 271, 360, 361];
        const ids: string[] = [];
        for (const dpd of days) {
          const enterpriseId = await createEnterprise(db, `Borrower ${dpd}`);
          // Billed and unpaid since 07-01 − dpd days; for dpd 0 nothing is overdue.
          const since = addDays(parseBusinessDate('2025-07-01', 'since'), -dpd);
          ids.push(await createLoan(db, bullet(enterpriseId, 1_000_001n, '2026-06-30', dpd === 0 ? {} : { overdue: { principal: 500_000n, since } })));
        }
        await runEod(db);
        for (const [index, dpd] of days.entries()) {
          const row = await loan(db, ids[index]!);
          const expected = classifyByDaysPastDue(dpd, RULES_2023);
          assert.deepEqual([row.dpd, row.classification, row.provision], [dpd, expected, provisionFor(1_000_001n, expected, RULES_2023)], `dpd ${dpd}`);
        }
        // 1,000,001 × 2% = 20,000.02 fen → 20,000 (rounded down, documented).
        assert.equal((await loan(db, ids[1]!)).provision, 20_000n);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it('a borrower with exactly 10% non-performing keeps its other loans; just over 10% makes them all substandard', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const exactly = await createEnterprise(db, 'Exactly ten percent Ltd.');
        const over = await createEnterprise(db, 'Just over Ltd.');
        const overdue = { principal: 0n, since: '2025-03-01' }; // 122 days past due tonight: substandard
        const a = await createLoan(db, bullet(exactly, 1_000_000n, '2025-03-01', { overdue: { ...overdue, principal: 1_000_000n }, shard: 3 }));
        const b = await createLoan(db, bullet(exactly, 9_000_000n, '2026-06-30', { shard: 900 }));
        const c = await createLoan(db, bullet(over, 1_000_001n, '2025-03-01', { overdue: { ...overdue, principal: 1_000_001n }, shard: 5 }));
        const d = await createLoan(db, bullet(over, 9_000_000n, '2026-06-30', { shard: 1000 }));
        const summary = await runEod(db, { shardsPerChunk: 256 });
        assert.equal(summary.debtorReclassified, 1);
        assert.deepEqual((await loan(db, a)).classification, 'substandard');
        assert.deepEqual([(await loan(db, b)).classification, (await loan(db, b)).provision], ['normal', 0n]);
        assert.deepEqual([(await loan(db, c)).classification, (await loan(db, c)).provision], ['substandard', 250_000n]);
        // 9,000,000 × 25% = 2,250,000, posted by the debtor-level step.
        assert.deepEqual([(await loan(db, d)).classification, (await loan(db, d)).dpd, (await loan(db, d)).provision], ['substandard', 0, 2_250_000n]);
        const entries = await db.selectFrom('journal_entry').select(['kind', 'description']).where('description', 'like', '%debtor-level%').orderBy('kind').execute();
        assert.deepEqual(entries.map((entry) => entry.kind), ['eod-provision', 'eod-reclassification']);
        const gl = await balances(db);
        assert.deepEqual([gl['loans-normal'], gl['loans-substandard'], gl['loan-loss-provision']], [9_000_000n, 11_000_001n, -(250_000n + 250_000n + 2_250_000n)]);
        assert.equal((await reconcile(db)).balanced, true);

        // The next night the rule still holds and nothing moves again: the contagion is not undone and redone.
        const next = await runEod(db);
        assert.equal(next.debtorReclassified, 0);
        assert.equal((await loan(db, d)).classification, 'substandard');
        const reclassifications = await db.selectFrom('journal_entry').select('id').where('kind', '=', 'eod-reclassification').where('business_date', '=', parseBusinessDate('2025-07-01', 'date')).execute();
        assert.deepEqual(reclassifications, []);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
