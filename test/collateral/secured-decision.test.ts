import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordPledgeRegistration, registerCollateral } from '../../src/collateral/collateral-register.js';
import { valueCollateral } from '../../src/collateral/security-events.js';
import { lineSecurity } from '../../src/collateral/security-views.js';
import { DATA_SOURCES, grantDataAuthorisation, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { acceptOffer, applyForCredit } from '../../src/decision/apply-for-credit.js';
import { decide, DEFAULT_DECISION_CONFIG, type DecisionInputs } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const NOW = new Date('2025-06-30T02:00:00Z');
const config = DEFAULT_DECISION_CONFIG(defaultScorecard());
const provider = simulatedProvider({ seed: 2025 });

for (const backend of BACKENDS) {
  describe(`the secured decision on ${backend}`, () => {
    it('records the security it read; the limit is the lesser of the scorecard and what security carries, and says which bound applied', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        let found: { applicationId: string; inputs: DecisionInputs; limit: bigint; enterpriseId: string } | undefined;
        for (const firm of simulatedPopulation({ seed: 2025, size: 12 })) {
          const result = await inTransaction(db, async (trx) => {
            const enterprise = await createEnterprise(trx, simulatedEnterpriseInput(firm), 'owner');
            await grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: '2025-06-30', expiresOn: '2025-12-31' }, 'owner', NOW);
            const applied = await applyForCredit(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' }, { provider, config, now: NOW }, 'owner');
            return { ...applied, enterpriseId: enterprise.id };
          });
          if (result.decision.outcome === 'approved' && result.decision.limit.limit > 300_000_00n) {
            found = { applicationId: result.applicationId, inputs: result.inputs, limit: result.decision.limit.limit, enterpriseId: result.enterpriseId };
            // Under the pure-credit ceiling: the scorecard binds and nothing is needed.
            assert.deepEqual([result.inputs.security, result.decision.security?.boundBy, result.decision.security?.securityNeeded], [{ eligibleByType: {}, guaranteed: '0' }, 'scorecard', 0n]);
            break;
          }
        }
        assert.ok(found, 'an approved firm with a limit above 300,000.00');
        const L = found.limit;
        // The borrower already holds 4,900,000.00: 100,000.00 of pure credit is left.
        const held = { ...found.inputs, existingExposure: (4_900_000_00n).toString() };
        const bare = decide(held, config);
        assert.deepEqual([bare.limit.limit, bare.security?.boundBy, bare.security?.pureCreditRoom, bare.security?.securityNeeded], [100_000_00n, 'pure-credit', 100_000_00n, L - 100_000_00n]);
        // A deposit certificate (5% haircut, 100% max LTV) of 210,526.32: eligible 200,000.004 → carries 200,000.00.
        const deposit = decide({ ...held, security: { eligibleByType: { 'deposits-certificates': (21_052_632n * 9_500n).toString() }, guaranteed: '0' } }, config);
        assert.deepEqual([deposit.limit.limit, deposit.security?.boundBy, deposit.security?.collateralCapacity], [200_000_00n, 'security', 200_000_00n]);
        // Enough security: the scorecard binds again.
        const ample = decide({ ...held, security: { eligibleByType: {}, guaranteed: L.toString() } }, config);
        assert.deepEqual([ample.limit.limit, ample.security?.boundBy], [L, 'scorecard']);
        // A company checked clean today guarantees 200,000.00, a person not yet checked 500,000.00: only the first counts, and the record says why.
        const guarantors = [
          { guaranteeId: 'g1', guarantorId: 'c1', kind: 'company' as const, standing: 'clear' as const, checkedOn: held.date, amount: '20000000', counted: true, reason: 'clean-check' as const },
          { guaranteeId: 'g2', guarantorId: 'p1', kind: 'person' as const, standing: 'unchecked' as const, checkedOn: null, amount: '50000000', counted: false, reason: 'unchecked' as const },
        ];
        const guaranteed = decide({ ...held, security: { eligibleByType: {}, guaranteed: '20000000', countingPolicy: 'guarantor-counting-2025-01', guarantors } }, config);
        assert.deepEqual(
          [guaranteed.limit.limit, guaranteed.security?.boundBy, guaranteed.security?.guaranteed, guaranteed.security?.guarantorCounting, guaranteed.security?.guarantees?.map((g) => [g.guaranteeId, g.counted, g.reason])],
          [200_000_00n, 'security', 200_000_00n, 'guarantor-counting-2025-01', [['g1', true, 'clean-check'], ['g2', false, 'unchecked']]],
        );
        // A record made before secured lending has no security and decides as it always did.
        const { security: _s, ...old } = found.inputs;
        assert.equal(decide(old, config).security, undefined);

        // Collateral registered before the offer is accepted secures the line it becomes.
        const house = await inTransaction(db, async (trx) => {
          const c = await registerCollateral(trx, { enterpriseId: found.enterpriseId, type: 'residential-real-estate', owner: 'borrower', ownerName: 'x', description: 'flat', identifier: 'CERT-1' }, 't');
          await valueCollateral(trx, c.id, { value: '1000000.00', method: 'appraisal', appraiser: 'a' }, 't');
          await recordPledgeRegistration(trx, c.id, { authority: '不动产登记中心', number: 'R-1', registeredOn: '2025-06-30', rank: 1 }, 't');
          return c.id;
        });
        const line = await inTransaction(db, (trx) => acceptOffer(trx, found.applicationId, 'owner'));
        const view = await lineSecurity(db, line.id);
        assert.deepEqual(view.collateral.map((c) => [c.collateralId, c.allocated]), [[house, 700_000_00n]]);
      });
    });
  });
}
