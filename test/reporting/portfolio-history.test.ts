import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { inTransaction } from '../../src/db/transaction.js';
import type { Database } from '../../src/db/schema.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { runEod } from '../../src/eod/run-eod.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { portfolioHistory } from '../../src/reporting/portfolio-history.js';
import { portfolioReport } from '../../src/reporting/portfolio.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';

/** A retail micro firm in Hangzhou (100,000 at 4.35% for 30 days) and a small restaurant in Shenzhen (200,000 at 6.00% for 90 days). */
async function twoFirms(db: Kysely<Database>): Promise<void> {
  const firms = [
    { name: '杭州绿芽茶叶有限公司', industry: 'retail', regionCode: '330106', sizeClass: 'micro', product: 'MICRO-LINE', rate: '4.35', amount: '100000.00', termDays: 30 },
    { name: '深圳老街面馆有限公司', industry: 'catering', regionCode: '440305', sizeClass: 'small', product: 'SHORT-TERM', rate: '6.00', amount: '200000.00', termDays: 90 },
  ];
  for (const firm of firms) {
    await inTransaction(db, async (trx) => {
      const enterprise = await createEnterprise(trx, { name: firm.name, industry: firm.industry, regionCode: firm.regionCode, sizeClass: firm.sizeClass }, 'test');
      const line = await openCreditLine(trx, { enterpriseId: enterprise.id, productCode: firm.product, limit: '1000000.00', annualRate: firm.rate }, 'test');
      await drawdown(trx, { lineId: line.id, amount: firm.amount, termDays: firm.termDays }, 'test');
    });
  }
}

for (const backend of BACKENDS) {
  describe(`portfolio history and breakdowns on ${backend}`, () => {
    it('end of day writes a snapshot per date; the history, the breakdowns and their CSV read them', async () => {
      await withTestApp(backend, async ({ db, app, tokenFor }) => {
        await twoFirms(db);
        await runEod(db); // closes 2025-06-30, the drawdowns' day
        await runEod(db); // closes 2025-07-01

        const history = await portfolioHistory(db, { from: '2025-06-01' });
        assert.equal(history.to, '2025-07-02', 'default: up to the business date');
        assert.deepEqual(history.points.map((point) => [point.date, point.loans, point.borrowers, point.balance, point.newLoans, point.newLending]), [
          ['2025-06-30', 2, 2, 300000_00n, 2, 300000_00n],
          ['2025-07-01', 2, 2, 300000_00n, 0, 0n],
        ]);
        const live = await portfolioReport(db);
        const last = history.points.at(-1)!;
        assert.deepEqual([last.balance, last.overdueRatio, last.nplRatio, last.averageRate, last.provision], [live.totals.balance, live.totals.overdueRatio, live.totals.nplRatio, live.totals.averageRate, live.totals.provision]);
        assert.equal(last.averageRate, '5.45', '(100,000 × 4.35 + 200,000 × 6.00) / 300,000');
        const regions = await db.selectFrom('portfolio_snapshot').select(['key', 'balance']).where('business_date', '=', parseBusinessDate('2025-07-01', 'date')).where('dimension', '=', 'region').orderBy('key').execute();
        assert.deepEqual(regions, [{ key: '330106', balance: 100000_00n }, { key: '440305', balance: 200000_00n }]);
        const sizes = await db.selectFrom('portfolio_snapshot').select(['key', 'loans']).where('business_date', '=', parseBusinessDate('2025-07-01', 'date')).where('dimension', '=', 'size').orderBy('key').execute();
        assert.deepEqual(sizes, [{ key: 'micro', loans: 1n }, { key: 'small', loans: 1n }]);

        const auth = { authorization: `Bearer ${await tokenFor('management')}` };
        const response = await app.inject({ method: 'GET', url: '/v1/reports/portfolio/history?from=2025-06-30&to=2025-07-01', headers: auth });
        assert.equal(response.statusCode, 200);
        assert.deepEqual(response.json().points[0], {
          date: '2025-06-30', balance: '300000.00', loans: 2, borrowers: 2, overdueBalance: '0.00', nplBalance: '0.00',
          overdueRatio: '0.00', nplRatio: '0.00', averageRate: '5.45', newLoans: 2, newLending: '300000.00',
        });
        const csv = await app.inject({ method: 'GET', url: '/v1/reports/portfolio/history.csv?from=2025-06-30&to=2025-07-01', headers: auth });
        assert.equal(csv.statusCode, 200);
        assert.match(csv.headers['content-type'] as string, /^text\/csv/);
        // The bytes: the UTF-8 byte-order mark, then the header (src/csv/write-csv.ts).
        assert.deepEqual([...csv.rawPayload.subarray(0, 7)], [0xef, 0xbb, 0xbf, ...Buffer.from('date')]);
        assert.deepEqual(csv.body.slice(1).trimEnd().split('\r\n'), [
          'date,loans,borrowers,balance,overdueBalance,overdueRatio,nplBalance,nplRatio,averageRate,newLoans,newLending',
          '2025-06-30,2,2,300000.00,0.00,0.00,0.00,0.00,5.45,2,300000.00',
          '2025-07-01,2,2,300000.00,0.00,0.00,0.00,0.00,5.45,0,0.00',
        ]);

        const byRegion = await app.inject({ method: 'GET', url: '/v1/reports/portfolio?by=region', headers: auth });
        assert.equal(byRegion.statusCode, 200);
        const breakdown = byRegion.json().breakdown as { by: string; groups: { key: string; name: string; nameZh: string; balance: string; share: string; borrowers: number }[] };
        assert.equal(breakdown.by, 'region');
        assert.deepEqual(breakdown.groups.map((group) => [group.key, group.name, group.nameZh, group.balance, group.share, group.borrowers]), [
          ['440305', 'Shenzhen', '深圳', '200000.00', '66.67', 1],
          ['330106', 'Hangzhou', '杭州', '100000.00', '33.33', 1],
        ]);
        const byIndustry = await app.inject({ method: 'GET', url: '/v1/reports/portfolio.csv?by=industry', headers: auth });
        assert.equal(byIndustry.statusCode, 200);
        assert.equal(byIndustry.body.split('\r\n')[1], 'catering,catering,餐饮业,1,1,200000.00,66.67,0.00,0.00,0.00,0.00,6.00,0.00');
        const plain = await app.inject({ method: 'GET', url: '/v1/reports/portfolio', headers: auth });
        assert.equal(plain.json().breakdown, undefined, 'no breakdown unless asked');

        // A name a spreadsheet would run as a formula is neutralised; negative numbers would not be.
        await db.updateTable('product').set({ name: '=HYPERLINK("http://evil.example","短期")' }).where('code', '=', 'SHORT-TERM').execute();
        const byProduct = await app.inject({ method: 'GET', url: '/v1/reports/portfolio.csv', headers: auth });
        assert.equal(byProduct.statusCode, 200);
        assert.deepEqual([...byProduct.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
        const shortTerm = byProduct.body.split('\r\n').find((line) => line.startsWith('SHORT-TERM,'));
        assert.equal(shortTerm, 'SHORT-TERM,"\'=HYPERLINK(""http://evil.example"",""短期"")",Short-term working-capital loan,1,200000.00,66.67,0.00,0.00,0.00,0.00,6.00,0.00');
      });
    });

    it('refuses a bad range or grouping, naming the field', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const auth = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const reversed = await app.inject({ method: 'GET', url: '/v1/reports/portfolio/history?from=2025-07-01&to=2025-06-01', headers: auth });
        assert.equal(reversed.statusCode, 400);
        assert.equal(reversed.json().error.field, 'from');
        const empty = await app.inject({ method: 'GET', url: '/v1/reports/portfolio/history', headers: auth });
        assert.deepEqual(empty.json().points, [], 'no end of day yet, no points');
        const planet = await app.inject({ method: 'GET', url: '/v1/reports/portfolio?by=planet', headers: auth });
        assert.equal(planet.statusCode, 400);
      });
    });
  });
}
