import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inTransaction } from '../../src/db/transaction.js';
import { coverage, dpdBucketOf, DPD_BUCKET_RANGES, DPD_BUCKETS, pastDueBuckets } from '../../src/reporting/past-due.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { BACKENDS } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { simulate } from '../support/simulate.js';
import { withTestApp } from '../support/test-app.js';

describe('days-past-due buckets', () => {
  it('every day past due falls in exactly one bucket, and 0 in none', () => {
    assert.equal(dpdBucketOf(0), null);
    assert.deepEqual([1, 30, 31, 60, 61, 90, 91, 400].map(dpdBucketOf), ['1-30', '1-30', '31-60', '31-60', '61-90', '61-90', 'over-90', 'over-90']);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (dpd) => {
        const holding = DPD_BUCKETS.filter((bucket) => dpd >= DPD_BUCKET_RANGES[bucket].min && (DPD_BUCKET_RANGES[bucket].max ?? Infinity) >= dpd);
        assert.deepEqual(holding, [dpdBucketOf(dpd)]);
      }),
    );
  });

  it('coverage is reserves over NPL, the provision ratio reserves over loans; null over nothing', () => {
    assert.deepEqual(coverage(92500_00n, 350000_00n, 650000_00n), { coverageRatio: 2643n, provisionRatio: 1423n });
    assert.deepEqual(coverage(0n, 0n, 0n), { coverageRatio: null, provisionRatio: null });
  });
});

for (const backend of BACKENDS) {
  describe(`past-due buckets and coverage on ${backend}`, () => {
    it('the report buckets the book by days past due, shows coverage, and the loans list filters by bucket', async () => {
      await withTestApp(backend, async ({ db, app, tokenFor }) => {
        const line = await borrowerWithLine(db, '2000000.00', 'MICRO-LINE', '4.35');
        const draw = (amount: string) => inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount, termDays: 90 }, 'test'));
        const current = await draw('100000.00');
        const ten = await draw('200000.00');
        const sixty = await draw('150000.00');
        const hundred = await draw('350000.00');
        await simulate(db, current.loanId, { provision: 1000_00n });
        await simulate(db, ten.loanId, { classification: 'special-mention', dpd: 10, overdueSince: '2025-06-20', principalDue: 200000_00n, provision: 4000_00n });
        await simulate(db, sixty.loanId, { classification: 'special-mention', dpd: 60, overdueSince: '2025-05-01', principalDue: 150000_00n, provision: 3000_00n });
        await simulate(db, hundred.loanId, { classification: 'substandard', dpd: 100, overdueSince: '2025-03-22', principalDue: 350000_00n, provision: 87500_00n });

        assert.deepEqual(
          (await pastDueBuckets(db)).map((row) => [row.bucket, row.loans, row.balance, row.share]),
          [
            ['1-30', 1, 200000_00n, 2500n], // of 800,000
            ['31-60', 1, 150000_00n, 1875n],
            ['61-90', 0, 0n, 0n],
            ['over-90', 1, 350000_00n, 4375n],
          ],
        );
        const headers = { authorization: `Bearer ${await tokenFor('management')}` };
        const report = (await app.inject({ method: 'GET', url: '/v1/reports/portfolio', headers })).json() as {
          pastDue: unknown;
          coverage: unknown;
        };
        assert.deepEqual(report.pastDue, [
          { bucket: '1-30', loans: 1, financings: 0, balance: '200000.00', share: '25.00' },
          { bucket: '31-60', loans: 1, financings: 0, balance: '150000.00', share: '18.75' },
          { bucket: '61-90', loans: 0, financings: 0, balance: '0.00', share: '0.00' },
          { bucket: 'over-90', loans: 1, financings: 0, balance: '350000.00', share: '43.75' },
        ]);
        // 95,500 of reserves over 350,000 NPL = 27.29%; over 800,000 of loans = 11.94%.
        assert.deepEqual(report.coverage, { provision: '95500.00', coverageRatio: '27.29', provisionRatio: '11.94' });

        const staff = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const ids = async (bucket: string) =>
          ((await app.inject({ method: 'GET', url: `/v1/loans?dpdBucket=${bucket}`, headers: staff })).json() as { id: string }[]).map((loan) => loan.id);
        assert.deepEqual(await ids('31-60'), [sixty.loanId]);
        assert.deepEqual(await ids('over-90'), [hundred.loanId]);
        assert.deepEqual(await ids('61-90'), []);
        assert.equal((await app.inject({ method: 'GET', url: '/v1/loans?dpdBucket=90%2B', headers: staff })).statusCode, 400);
      });
    });
  });
}
