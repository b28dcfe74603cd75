import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { portfolioReport } from '../../src/reporting/portfolio.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { loanById } from '../../src/servicing/loans.js';
import { repay } from '../../src/servicing/repayment.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { BACKENDS, TEST_BUSINESS_DATE } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { simulate } from '../support/simulate.js';
import { minor } from '../../src/money/minor.js';
import { withTestApp } from '../support/test-app.js';

/**
 * A small book: two firms on the micro line at 4.35% (100,000 normal; 200,000 overdue 10 days,
 * special mention), one on a short-term loan at 6.00% (350,000 overdue 100 days, substandard),
 * and a repaid loan that must not count.
 */
async function smallBook(db: Kysely<Database>): Promise<void> {
  const micro = await borrowerWithLine(db, '1000000.00', 'MICRO-LINE', '4.35');
  const short = await borrowerWithLine(db, '1000000.00', 'SHORT-TERM', '6.00');
  const draw = (lineId: string, amount: string, termDays: number) => inTransaction(db, (trx) => drawdown(trx, { lineId, amount, termDays }, 'test'));
  const a = await draw(micro.id, '100000.00', 30);
  const b = await draw(micro.id, '200000.00', 60);
  const c = await draw(short.id, '350000.00', 90);
  const repaid = await draw(micro.id, '50000.00', 30);
  await inTransaction(db, (trx) => repay(trx, { loanId: repaid.loanId, amount: '50000.00' }, 'test'));
  assert.equal((await loanById(db, repaid.loanId)).status, 'closed');
  await simulate(db, a.loanId, { provision: 1000_00n });
  await simulate(db, b.loanId, { classification: 'special-mention', dpd: 10, overdueSince: '2025-06-20', principalDue: 200000_00n, provision: 4000_00n });
  await simulate(db, c.loanId, { classification: 'substandard', dpd: 100, overdueSince: '2025-03-22', principalDue: 350000_00n, provision: 87500_00n });
}

for (const backend of BACKENDS) {
  describe(`portfolio report on ${backend}`, () => {
    it('sums the book: balance, five categories, overdue and NPL ratios, weighted rate, by product', async () => {
      await withTestApp(backend, async ({ db, app, tokenFor }) => {
        await smallBook(db);
        const report = await portfolioReport(db);
        assert.equal(report.asOf, TEST_BUSINESS_DATE);
        assert.deepEqual(report.totals, {
          loans: 3,
          borrowers: 2,
          balance: 650000_00n,
          overdueBalance: 550000_00n,
          nplBalance: 350000_00n,
          provision: 92500_00n,
          overdueRatio: 8462n, // 550,000 / 650,000 = 84.615…%
          nplRatio: 5385n, // 350,000 / 650,000 = 53.846…%
          averageRate: '5.2385', // (100,000 × 4.35 + 200,000 × 4.35 + 350,000 × 6.00) / 650,000 = 5.23846…
        });
        assert.deepEqual(
          report.classification.map((row) => [row.category, row.loans, row.balance, row.share]),
          [
            ['normal', 1, 100000_00n, 1538n],
            ['special-mention', 1, 200000_00n, 3077n],
            ['substandard', 1, 350000_00n, 5385n],
            ['doubtful', 0, 0n, 0n],
            ['loss', 0, 0n, 0n],
          ],
        );
        assert.deepEqual(
          report.products.map((row) => [row.code, row.loans, row.balance, row.share, row.overdueRatio, row.nplRatio, row.averageRate]),
          [
            ['SHORT-TERM', 1, 350000_00n, 5385n, 10000n, 10000n, '6.00'],
            ['MICRO-LINE', 2, 300000_00n, 4615n, 6667n, 0n, '4.35'],
          ],
        );

        const response = await app.inject({ method: 'GET', url: '/v1/reports/portfolio', headers: { authorization: `Bearer ${await tokenFor('management')}` } });
        assert.equal(response.statusCode, 200);
        const json = response.json() as { totals: Record<string, unknown>; classification: unknown[]; products: { code: string; balance: string; share: string }[] };
        assert.deepEqual(json.totals, {
          loans: 3,
          borrowers: 2,
          balance: '650000.00',
          overdueBalance: '550000.00',
          nplBalance: '350000.00',
          provision: '92500.00',
          overdueRatio: '84.62',
          nplRatio: '53.85',
          averageRate: '5.2385',
        });
        assert.deepEqual(json.classification[0], { category: 'normal', loans: 1, balance: '100000.00', share: '15.38' });
        assert.deepEqual(json.products.map((row) => [row.code, row.balance, row.share]), [['SHORT-TERM', '350000.00', '53.85'], ['MICRO-LINE', '300000.00', '46.15']]);
      });
    });

    it('the dashboard answers from one read for SPROUT_DASHBOARD_SHARED_MS and says how old its figures are; 0 reads every time', async () => {
      const balanceAfterChange = async (sharedMs: number) =>
        withTestApp(
          backend,
          async ({ db, app, tokenFor }) => {
            await smallBook(db);
            const headers = { authorization: `Bearer ${await tokenFor('management')}` };
            const read = async () => (await app.inject({ method: 'GET', url: '/v1/reports/portfolio', headers })).json() as { totals: { balance: string }; readFrom: { standby: boolean; lagSeconds: number; ageSeconds: number } };
            const before = await read();
            assert.equal(before.totals.balance, '650000.00');
            assert.deepEqual({ ...before.readFrom, ageSeconds: 0 }, { standby: false, lagSeconds: 0, ageSeconds: 0 });
            assert.ok(before.readFrom.ageSeconds >= 0 && before.readFrom.ageSeconds < 60, `age ${before.readFrom.ageSeconds}`);
            // The book changes (a loan's principal, as a repayment would) right after the first read.
            const [loan] = await db.selectFrom('loan').select(['id', 'principal_not_due']).where('status', '=', 'active').orderBy('id').limit(1).execute();
            await db.updateTable('loan').set({ principal_not_due: minor(loan!.principal_not_due - 1000_00n) }).where('id', '=', loan!.id).execute();
            const after = await read();
            return { balance: after.totals.balance, ages: [before.readFrom.ageSeconds, after.readFrom.ageSeconds] as const };
          },
          { dashboardSharedMs: sharedMs },
        );
      // Shared for a minute, the second answer is the first read's, older by the time between; at 0 it reads the change.
      const shared = await balanceAfterChange(60_000);
      assert.equal(shared.balance, '650000.00');
      assert.ok(shared.ages[1] >= shared.ages[0], `ages ${shared.ages.join(', ')}`);
      assert.equal((await balanceAfterChange(0)).balance, '649000.00');
    });

    it('an empty book is all zeros, not a division by zero', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const response = await app.inject({ method: 'GET', url: '/v1/reports/portfolio', headers: { authorization: `Bearer ${await tokenFor('auditor')}` } });
        assert.equal(response.statusCode, 200);
        const json = response.json() as { totals: Record<string, unknown>; classification: { share: string }[]; products: unknown[] };
        assert.deepEqual(json.totals, { loans: 0, borrowers: 0, balance: '0.00', overdueBalance: '0.00', nplBalance: '0.00', provision: '0.00', overdueRatio: '0.00', nplRatio: '0.00', averageRate: '0.00' });
        assert.equal(json.classification.length, 5);
        assert.deepEqual(json.products, []);
      });
    });
  });
}
