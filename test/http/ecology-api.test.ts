import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATA_SOURCES, simulatedEnterpriseInput, simulatedPopulation } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { importRegionalIndicators } from '../../src/ecology/regional-indicators.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

interface IndexBody {
  year: number;
  method: string;
  weights: Record<string, number>;
  dimensionWeights: Record<string, number>;
  regions: { region: string; regionEn: string; code: string; score: number; rank: number; grade: string; dimensions: Record<string, number> }[];
  years: number[];
  availableYears: number[];
  consistencyRatio?: number;
  imputed: unknown[];
  excluded: unknown[];
}

for (const backend of BACKENDS) {
  describe(`ecology index API on ${backend}`, () => {
    it('a year, the combined method, the pooled trend and CSV; bank data imported moves the index at once', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const management = { authorization: `Bearer ${await tokenFor('management')}` };
        const latest = await app.inject({ method: 'GET', url: '/v1/ecology/index', headers: management });
        assert.equal(latest.statusCode, 200, latest.body);
        const body = latest.json() as IndexBody;
        assert.deepEqual([body.year, body.method, body.regions.length, body.availableYears], [2023, 'entropy', 31, [2019, 2020, 2021, 2022, 2023]]);
        assert.equal(body.weights.gdp_per_capita_yuan, 0.279144);
        assert.deepEqual(body.regions.find((region) => region.code === '220000'), { region: '吉林省', regionEn: 'Jilin', code: '220000', score: 12.58, rank: 25, grade: 'D', dimensions: body.regions.find((region) => region.code === '220000')!.dimensions });

        const combined = (await app.inject({ method: 'GET', url: '/v1/ecology/index?year=2021&method=combined&alpha=0.3', headers: management })).json() as IndexBody;
        assert.deepEqual([combined.year, combined.method, combined.consistencyRatio], [2021, 'combined', 0.003]);
        assert.ok(Math.abs(Object.values(combined.weights).reduce((sum, w) => sum + w, 0) - 1) < 1e-5);

        const trend = await app.inject({ method: 'GET', url: '/v1/ecology/trend', headers: management });
        assert.equal(trend.statusCode, 200, trend.body);
        const jilin = (trend.json() as { years: number[]; regions: { code: string; points: { year: number; score: number }[] }[] }).regions.find((region) => region.code === '220000')!;
        assert.deepEqual(jilin.points.map((point) => point.year), [2019, 2020, 2021, 2022, 2023]);

        const csv = await app.inject({ method: 'GET', url: '/v1/ecology/index.csv?year=2023', headers: management });
        assert.equal(csv.statusCode, 200);
        assert.equal(csv.body.split('\r\n')[1], '2023,1,110000,北京市,100.00,A,100.00,100.00,69.45,67.77');

        const refused = await app.inject({ method: 'GET', url: '/v1/ecology/index?year=2018&pooled=true', headers: management });
        assert.equal(refused.statusCode, 400);
        assert.equal((refused.json() as { error: { field: string } }).error.field, 'year');

        await importRegionalIndicators(db, 'region_code,year,indicator,value,source\n220000,2023,gdp_growth_pct,30,bank\n', 'bank.csv', 'admin', new Date());
        const moved = (await app.inject({ method: 'GET', url: '/v1/ecology/index?year=2023', headers: management })).json() as IndexBody;
        assert.ok(moved.regions.find((region) => region.code === '220000')!.rank < 25);
      });
    });

    it("an application's outcome carries its region's score, grade and factor", async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const [firm] = simulatedPopulation({ seed: 2025, size: 1 });
        const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, { ...simulatedEnterpriseInput(firm!), regionCode: '310115' }, 'test'));
        const expiresOn = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
        await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: manager, payload: { sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn, evidence: 'signed consent form SC-2025-0001' } });
        const applied = await app.inject({ method: 'POST', url: '/v1/applications', headers: manager, payload: { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' } });
        assert.equal(applied.statusCode, 201, applied.body);
        const expected = { code: '310000', name: '上海市', year: 2023, score: 97.26, grade: 'A', version: 'regional-2025-06', spreadAdjustment: '-0.20', limitMultiplier: '1.10' };
        assert.deepEqual((applied.json() as { regional: unknown }).regional, expected);
        const id = (applied.json() as { applicationId: string }).applicationId;
        const shown = (await app.inject({ method: 'GET', url: `/v1/applications/${id}`, headers: manager })).json() as { regional: unknown; record: { inputs: { region: unknown } } };
        assert.deepEqual(shown.regional, expected);
        assert.deepEqual(shown.record.inputs.region, { code: '310000', name: '上海市', year: 2023, score: 97.26, grade: 'A' });
      });
    });
  });
}
