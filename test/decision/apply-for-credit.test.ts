import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATA_SOURCES, grantDataAuthorisation, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { acceptOffer, applyForCredit, replayApplication } from '../../src/decision/apply-for-credit.js';
import { getContractForApplication, verifyContract } from '../../src/lines/credit-contracts.js';
import { formatMoney } from '../../src/money/format-money.js';
import { DEFAULT_DECISION_CONFIG } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const SEED = 2025;
const NOW = new Date('2025-06-30T02:00:00Z');
const config = DEFAULT_DECISION_CONFIG(defaultScorecard());
const provider = simulatedProvider({ seed: SEED });

for (const backend of BACKENDS) {
  describe(`applying for credit on ${backend}`, () => {
    it('decides twelve simulated firms in one request each, records every input, and replays each to the same result', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const outcomes: string[] = [];
        let factorsNamed = 0;
        for (const firm of simulatedPopulation({ seed: SEED, size: 12 })) {
          const result = await inTransaction(db, async (trx) => {
            const enterprise = await createEnterprise(trx, simulatedEnterpriseInput(firm), 'owner');
            await grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: '2025-06-30', expiresOn: '2025-12-31' }, 'owner', NOW);
            return applyForCredit(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' }, { provider, config, now: NOW }, 'owner');
          });
          const { decision } = result;
          outcomes.push(decision.outcome);
          assert.equal(decision.policy.trace.length, config.policy.rules.length);
          assert.ok(decision.score > 300 && decision.score < 900, `score ${decision.score}`);
          if (decision.outcome === 'approved') {
            assert.ok(decision.limit.limit >= 100_00n && decision.limit.limit % 1_000_00n === 0n);
            assert.ok(decision.price !== null && decision.price.rateUnits >= 30_000n);
            assert.deepEqual(decision.reasonCodes, []);
          } else {
            assert.ok(decision.reasonCodes.length > 0);
          }
          // The engine names the main factors when it decides, and the record keeps them: the three
          // variables that cost most points, largest first; none for an approval.
          const costliest = [...decision.scoreReasons].filter((reason) => reason.pointsLost > 0).sort((a, b) => b.pointsLost - a.pointsLost || a.variable.localeCompare(b.variable)).slice(0, 3).map((reason) => reason.variable);
          assert.deepEqual(decision.mainFactors, decision.outcome === 'approved' ? [] : costliest);
          const record = await db.selectFrom('application').select('decision').where('id', '=', result.applicationId).executeTakeFirstOrThrow();
          assert.deepEqual((record.decision as { mainFactors: string[] }).mainFactors, [...decision.mainFactors]);
          if (decision.outcome !== 'approved') factorsNamed += decision.mainFactors.length > 0 ? 1 : 0;
          const replay = await replayApplication(db, result.applicationId, config);
          assert.equal(replay.matches, true, `replay of ${result.applicationId}`);
          assert.deepEqual(replay.replayed.mainFactors, decision.mainFactors, 'the replay names the same factors');
        }
        assert.equal(factorsNamed, outcomes.filter((outcome) => outcome !== 'approved').length, 'every decline and referral names its main factors');
        // The population's mix is deterministic for the seed.
        assert.ok(outcomes.includes('approved'), outcomes.join(','));
        const stored = await db.selectFrom('application').select(['status', 'pull_id']).execute();
        assert.equal(stored.length, 12);
        assert.ok(stored.every((row) => row.pull_id !== null));
      });
    });

    it('without an authorisation nothing is pulled, decided or stored', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const [firm] = simulatedPopulation({ seed: SEED, size: 1 });
        const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(firm!), 'owner'));
        await assert.rejects(
          inTransaction(db, (trx) => applyForCredit(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' }, { provider, config, now: NOW }, 'owner')),
          { code: 'NOT_AUTHORISED', field: 'sources' },
        );
        assert.equal((await db.selectFrom('application').select('id').execute()).length, 0);
        assert.equal((await db.selectFrom('data_pull').select('id').execute()).length, 0);
      });
    });

    it('an accepted offer becomes an active line at the offered limit and rate; a second accept is refused', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        for (const firm of simulatedPopulation({ seed: SEED, size: 12 })) {
          const result = await inTransaction(db, async (trx) => {
            const enterprise = await createEnterprise(trx, simulatedEnterpriseInput(firm), 'owner');
            await grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: '2025-06-30', expiresOn: '2025-12-31' }, 'owner', NOW);
            return applyForCredit(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' }, { provider, config, now: NOW }, 'owner');
          });
          if (result.decision.outcome !== 'approved') continue;
          const line = await inTransaction(db, (trx) => acceptOffer(trx, result.applicationId, 'owner'));
          assert.equal(line.limit, result.decision.limit.limit);
          assert.equal(line.status, 'active');
          const expectedRate = result.decision.price!.rateUnits;
          assert.equal(BigInt(Math.round(Number(line.annualRate) * 10_000)), expectedRate);
          // The signed contract record: the terms as accepted, who accepted and a digest that detects any change.
          const contract = await getContractForApplication(db, result.applicationId);
          assert.match(contract.contractNo, /^SX-[0-9]{8}-[0-9a-f]{12}$/);
          assert.equal(contract.signedBy, 'owner');
          assert.deepEqual(
            [contract.terms.lineId, contract.terms.limit, contract.terms.annualRate, contract.terms.startOn, contract.terms.endOn, contract.terms.productCode, contract.terms.penaltyMultiplier],
            [line.id, formatMoney(line.limit), line.annualRate, line.startOn, line.endOn, 'MICRO-LINE', '1.5'],
          );
          assert.equal(verifyContract(contract), true);
          assert.equal(verifyContract({ ...contract, terms: { ...contract.terms, limit: formatMoney(line.limit + 100n) } }), false, 'a changed limit is detected');
          assert.equal(verifyContract({ ...contract, signedBy: 'someone-else' }), false, 'a changed signer is detected');
          const audit = await db.selectFrom('audit_event').select('after').where('action', '=', 'application.accept').where('entity_id', '=', result.applicationId).executeTakeFirstOrThrow();
          assert.deepEqual(audit.after, { status: 'accepted', lineId: line.id, contractNo: contract.contractNo, contractDigest: contract.digest });
          await assert.rejects(inTransaction(db, (trx) => acceptOffer(trx, result.applicationId, 'owner')), { code: 'CONFLICT' });
          assert.equal((await db.selectFrom('credit_contract').select('id').execute()).length, 1, 'one contract, however often accept is tried');
          return;
        }
        assert.fail('no approved application among twelve firms');
      });
    });
  });
}
