import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATA_SOURCES, grantDataAuthorisation, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { applyForCredit, replayApplication } from '../../src/decision/apply-for-credit.js';
import { decide, DEFAULT_DECISION_CONFIG, type DecisionInputs } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { assignLimit, DEFAULT_LIMIT_POLICY } from '../../src/decision/limit.js';
import { policyDocument, policyParts } from '../../src/decision/policy-versions.js';
import { DEFAULT_PRICING_POLICY, priceLoan } from '../../src/decision/pricing.js';
import { DEFAULT_REGIONAL_POLICY, regionalFactor } from '../../src/decision/regional-factor.js';
import { importRegionalIndicators } from '../../src/ecology/regional-indicators.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const config = DEFAULT_DECISION_CONFIG(defaultScorecard());
const provider = simulatedProvider({ seed: 2025 });
const NOW = new Date('2025-06-30T02:00:00Z');

describe('the regional factor in pricing and limits', () => {
  it('grade A takes 0.20 pp off the spread and lends 110% of the sales share; D changes nothing', () => {
    const a = regionalFactor({ code: '110000', name: '北京市', year: 2023, score: 100, grade: 'A' }, DEFAULT_REGIONAL_POLICY);
    assert.deepEqual([a.spreadUnits, a.limitMultiplierBp, a.version], [-2_000n, 11_000, 'regional-2025-06']);
    // LPR 3.00 + B 1.35 − inclusive 0.25 − 0.20 regional = 3.90%.
    const priced = priceLoan({ lprUnits: 30_000n, band: 'B', inclusive: true, repeatBorrower: false, regionalSpreadUnits: a.spreadUnits }, DEFAULT_PRICING_POLICY);
    assert.deepEqual([priced.rateUnits, priced.components.regional], [39_000n, -2_000n]);
    // 2,000,000 yuan sales × 25% × 1.10 = 550,000 yuan.
    const limit = assignLimit({ verifiedAnnualSales: 2_000_000_00n, band: 'B', productMin: 100_00n, productMax: 3_000_000_00n, existingExposure: 0n, multiplierBp: a.limitMultiplierBp }, DEFAULT_LIMIT_POLICY);
    assert.deepEqual(limit, { limit: 550_000_00n, boundBy: 'sales' });
    const d = regionalFactor({ code: '220000', name: '吉林省', year: 2023, score: 12.58, grade: 'D' }, DEFAULT_REGIONAL_POLICY);
    assert.equal(priceLoan({ lprUnits: 30_000n, band: 'B', inclusive: true, repeatBorrower: false, regionalSpreadUnits: d.spreadUnits }, DEFAULT_PRICING_POLICY).rateUnits, 41_000n);
    // Without a region the price has no regional component at all (older records replay unchanged).
    assert.equal('regional' in priceLoan({ lprUnits: 30_000n, band: 'B', inclusive: true, repeatBorrower: false }, DEFAULT_PRICING_POLICY).components, false);
  });

  it('the regional policy is part of the versioned policy document and round-trips; a bad matrix is refused with its CR', () => {
    const document = policyDocument(config);
    assert.deepEqual(document.regional?.spreads, { A: '-0.20', B: '-0.10', C: '-0.05', D: '0.00' });
    assert.deepEqual(policyParts(document).regional, DEFAULT_REGIONAL_POLICY);
    const cyclic = [[1, 9, 1 / 9, 1, 1], [1 / 9, 1, 9, 1, 1], [9, 1 / 9, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]];
    assert.throws(() => policyParts({ ...document, regional: { ...document.regional!, method: 'combined', ahp: cyclic } }), (error: unknown) => (error as { field?: string }).field === 'regional.ahp' && /CR = /.test((error as Error).message));
    assert.throws(() => policyParts({ ...document, regional: { ...document.regional!, spreads: { ...document.regional!.spreads, A: '-x' } } }), { field: 'regional.spreads.A' });
    // A version approved before the factor existed has no `regional`: the default applies.
    const { regional: _omitted, ...older } = document;
    assert.deepEqual(policyParts(older).regional, DEFAULT_REGIONAL_POLICY);
  });
});

for (const backend of BACKENDS) {
  describe(`decisions read the region's grade on ${backend}`, () => {
    it("records the province's score, grade and factor; replays from the recorded grade after the bank's data moved the index", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const firms = simulatedPopulation({ seed: 2025, size: 12 });
        const applyIn = async (firmIndex: number, regionCode: string | null) => {
          const result = await inTransaction(db, async (trx) => {
            const enterprise = await createEnterprise(trx, { ...simulatedEnterpriseInput(firms[firmIndex]!), regionCode }, 'owner');
            await grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: '2025-06-30', expiresOn: '2025-12-31' }, 'owner', NOW);
            return applyForCredit(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' }, { provider, config, now: NOW }, 'owner');
          });
          return result;
        };
        const jilin = await applyIn(0, '220102');
        assert.deepEqual(jilin.inputs.region, { code: '220000', name: '吉林省', year: 2023, score: 12.58, grade: 'D' });
        assert.deepEqual(jilin.decision.regional, { code: '220000', name: '吉林省', year: 2023, score: 12.58, grade: 'D', version: 'regional-2025-06', spreadUnits: 0n, limitMultiplierBp: 10_000 });
        const beijing = await applyIn(3, '110105');
        assert.deepEqual([beijing.inputs.region?.grade, beijing.inputs.region?.score], ['A', 100]);
        // The same inputs without the region: grade A took 0.20 pp off the rate, and the limit is never smaller.
        const without = decide({ ...beijing.inputs, region: undefined }, config);
        assert.equal('regional' in without, false);
        if (without.price !== null && beijing.decision.price !== null && !beijing.decision.price.components.floored) {
          assert.equal(beijing.decision.price.rateUnits, without.price.rateUnits - 2_000n);
        }
        assert.ok(beijing.decision.limit.limit >= without.limit.limit);
        const unknown = await applyIn(1, null);
        assert.equal(unknown.inputs.region, null);
        assert.equal(unknown.decision.regional, null);

        // The bank loads an indicator that puts Jilin first: new decisions read the new index at
        // once (the stamp in the context query changed), the recorded one still replays to its record.
        const rows = ['region_code,year,indicator,value,source', ...['110000', '120000', '220000', '310000'].map((code) => `${code},2023,gdp_per_capita_yuan,${code === '220000' ? 900000 : 1000},test`)];
        await importRegionalIndicators(db, rows.join('\n'), 'bank.csv', 'admin', NOW);
        const after = await applyIn(2, '220102');
        assert.ok(after.inputs.region!.score > 12.58, `Jilin's score moved to ${after.inputs.region!.score}`);
        for (const application of [jilin, beijing, unknown, after]) {
          assert.equal((await replayApplication(db, application.applicationId, config)).matches, true);
        }
        const stored = await db.selectFrom('application').select('inputs').where('id', '=', jilin.applicationId).executeTakeFirstOrThrow();
        assert.deepEqual((stored.inputs as DecisionInputs).region, jilin.inputs.region);
        // Replay reads the recorded grade: the same inputs under a policy that surcharges D differ.
        const surcharge = { ...config, regional: { ...DEFAULT_REGIONAL_POLICY, spreadUnits: { ...DEFAULT_REGIONAL_POLICY.spreadUnits, D: 5_000n } } };
        const replayed = decide(stored.inputs as DecisionInputs, surcharge);
        if (replayed.price !== null && jilin.decision.price !== null && !replayed.price.components.floored) assert.equal(replayed.price.rateUnits, jilin.decision.price.rateUnits + 5_000n);
      });
    });
  });
}
