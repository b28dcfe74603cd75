import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKED_ACTIONS } from '../../src/approvals/checked-actions.js';
import { decideRequest, type Actor } from '../../src/approvals/maker-checker.js';
import { DATA_SOURCES, grantDataAuthorisation, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { applyForCredit } from '../../src/decision/apply-for-credit.js';
import { DEFAULT_DECISION_CONFIG, modelId, type Decision } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { deployedModels, listDeployedModels, modelStabilityHistory, proposeDeployment, stabilityOptionsFromEnv } from '../../src/decision/deployed-models.js';
import { activeDecisionConfig, replayWithRecordedPolicy } from '../../src/decision/policy-versions.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { runEod } from '../../src/eod/run-eod.js';
import { uuidv7 } from '../../src/ids.js';
import { productByCode } from '../../src/products/products.js';
import { scoreStability, type ScorecardModel } from '../../src/scoring/index.js';
import { createEnterprise as createBareEnterprise } from '../support/loan-fixtures.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { minor } from '../../src/money/minor.js';
import { parseBusinessDate } from '../../src/calendar/index.js';

const NOW = new Date('2025-06-30T02:00:00Z');
const provider = simulatedProvider({ seed: 2025 });
const fallback = DEFAULT_DECISION_CONFIG(defaultScorecard());
const maker: Actor = { username: 'li.risk', role: 'risk-officer' };
const checker: Actor = { username: 'zhao.risk', role: 'risk-officer' };
/** The shipped scorecard with 10 more points for everyone: another model, whose score is known exactly. */
const challenger: ScorecardModel = { ...defaultScorecard(), intercept: { ...defaultScorecard().intercept, points: defaultScorecard().intercept.points + 10 } };
/** Four bands of equal training share: below 500, 500–600, 600–700, 700 and above. */
const QUARTERS = { cuts: [500, 600, 700], counts: [250, 250, 250, 250] };

async function deploy(db: Kysely<Database>, input: Parameters<typeof proposeDeployment>[1]): Promise<unknown> {
  const request = await inTransaction(db, (trx) => proposeDeployment(trx, input, maker));
  return (await inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', checker))).result;
}

async function firm(db: Kysely<Database>, index: number): Promise<string> {
  const input = simulatedEnterpriseInput(simulatedPopulation({ seed: 2025, size: index + 1 })[index]!);
  return inTransaction(db, async (trx) => {
    const enterprise = await createEnterprise(trx, input, 'owner');
    await grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: '2025-06-30', expiresOn: '2025-12-31' }, 'owner', NOW);
    return enterprise.id;
  });
}

async function apply(db: Kysely<Database>, enterpriseId: string): Promise<{ applicationId: string; decision: Decision }> {
  const config = await activeDecisionConfig(db, fallback);
  return inTransaction(db, (trx) => applyForCredit(trx, { enterpriseId, productCode: 'MICRO-LINE' }, { provider, config, now: NOW }, 'owner'));
}

let recorded = 0;

/** Decisions by `version` with the given scores, recorded on the test business date. */
async function recordScores(db: Kysely<Database>, version: string, scores: readonly number[]): Promise<void> {
  const enterpriseId = await createBareEnterprise(db, 'PSI 样本企业');
  const product = await productByCode(db, 'MICRO-LINE');
  const base = Date.parse('2025-06-30T01:00:00Z') + recorded * 1000;
  recorded += scores.length;
  await db
    .insertInto('application')
    .values(
      scores.map((score, i) => ({
        id: uuidv7(),
        enterprise_id: enterpriseId,
        product_id: product.id,
        business_date: parseBusinessDate('2025-06-30', 'test'),
        status: 'declined' as const,
        outcome: 'declined' as const,
        limit_amount: minor(0n),
        rate_units: null,
        inputs: '{}',
        decision: JSON.stringify({ outcome: 'declined', score, versions: { model: version } }),
        pull_id: null,
        line_id: null,
        applied_by: 'owner',
        created_at: new Date(base + i * 1000),
      })),
    )
    .execute();
}

/** `n` scores in each of the four bands. */
function scoresIn(counts: readonly number[]): number[] {
  const middles = [450, 550, 650, 750];
  return counts.flatMap((n, band) => Array.from({ length: n }, () => middles[band]!));
}

describe('population stability of live scores (pure)', () => {
  it('gives the PSI of a constructed shift exactly', () => {
    // Shares 0.40, 0.30, 0.20, 0.10 against 0.25 each:
    // 0.15 ln 1.6 + 0.05 ln 1.2 − 0.05 ln 0.8 − 0.15 ln 0.4 = 0.228217 ("watch").
    const watch = scoreStability(QUARTERS, scoresIn([40, 30, 20, 10]));
    assert.equal(watch.psi.toFixed(6), '0.228217');
    assert.deepEqual(watch.bins.map((b) => b.actual), [40, 30, 20, 10]);
    // 0.55, 0.25, 0.15, 0.05: 0.3 ln 2.2 + 0 − 0.1 ln 0.6 − 0.2 ln 0.2 = 0.609507 ("shifted").
    assert.equal(scoreStability(QUARTERS, scoresIn([55, 25, 15, 5])).psi.toFixed(6), '0.609507');
    // The same shares as training: 0.
    assert.equal(scoreStability(QUARTERS, scoresIn([5, 5, 5, 5])).psi, 0);
  });

  it('reads its thresholds from the environment, defaults 0.1 and 0.25', () => {
    assert.deepEqual(stabilityOptionsFromEnv({}), { window: 500, minDecisions: 50, watchAt: 0.1, warnAt: 0.25 });
    assert.equal(stabilityOptionsFromEnv({ SPROUT_PSI_WARN: '0.2' }).warnAt, 0.2);
    assert.throws(() => stabilityOptionsFromEnv({ SPROUT_PSI_WINDOW: '1.5' }), { field: 'SPROUT_PSI_WINDOW' });
  });
});

for (const backend of BACKENDS) {
  describe(`deployed scorecards on ${backend}`, () => {
    it('a deploy needs a second person: the maker cannot confirm it; confirmed, the champion decides and replays', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const request = await inTransaction(db, (trx) => proposeDeployment(trx, { id: 'pd-2026-12', role: 'champion', model: challenger, trainingScores: QUARTERS }, maker));
        assert.equal(request.kind, 'scorecard.deploy');
        await assert.rejects(inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', maker)), { code: 'NOT_AUTHORISED' });
        // An account manager may not check it either.
        await assert.rejects(inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', { username: 'wu.am', role: 'account-manager' })), { code: 'NOT_AUTHORISED' });
        assert.deepEqual(await deployedModels(db), {}, 'nothing deployed before the second person confirms');
        // An operator may not propose one.
        await assert.rejects(inTransaction(db, (trx) => proposeDeployment(trx, { id: 'pd-x', role: 'champion', model: challenger }, { username: 'wang.ops', role: 'operator' })), { code: 'NOT_AUTHORISED' });

        const approved = await inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', checker));
        assert.deepEqual(approved.result, { id: 'pd-2026-12', role: 'champion', version: modelId(challenger) });
        const [listed] = await listDeployedModels(db);
        assert.equal(listed!.role, 'champion');
        assert.equal(listed!.deployedBy, 'li.risk');
        assert.equal(listed!.checkedBy, 'zhao.risk');
        assert.equal(listed!.hasTrainingScores, true);

        const { applicationId, decision } = await apply(db, await firm(db, 0));
        assert.equal(decision.versions.model, modelId(challenger));
        assert.equal(decision.shadow, undefined);
        // The replay finds the deployed model by the version the decision recorded.
        assert.equal((await replayWithRecordedPolicy(db, applicationId, fallback)).matches, true);
        // The same model again as champion is refused; a new id for the same model too.
        await assert.rejects(inTransaction(db, (trx) => proposeDeployment(trx, { id: 'pd-2026-12', role: 'champion' }, maker)), { code: 'CONFLICT', field: 'role' });
        await assert.rejects(inTransaction(db, (trx) => proposeDeployment(trx, { id: 'pd-copy', role: 'shadow', model: challenger }, maker)), { code: 'CONFLICT', field: 'id' });
      });
    });

    it('a shadow challenger is scored and recorded on every decision without changing it; promoted, it retires the champion', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await firm(db, 1);
        const plain = await apply(db, enterpriseId);
        await deploy(db, { id: 'pd-shipped', role: 'champion', model: defaultScorecard() });
        await deploy(db, { id: 'pd-plus-10', role: 'shadow', model: challenger });
        const shadowed = await apply(db, enterpriseId);
        const { shadow, ...rest } = shadowed.decision;
        assert.deepEqual(shadow, { model: 'pd-plus-10', version: modelId(challenger), score: plain.decision.score + 10, probability: shadow!.probability, band: shadow!.band });
        // Everything else is what the same firm got with no shadow.
        assert.deepEqual(JSON.parse(JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))), JSON.parse(JSON.stringify(plain.decision, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))));
        const record = await db.selectFrom('application').select('decision').where('id', '=', shadowed.applicationId).executeTakeFirstOrThrow();
        assert.equal((record.decision as { shadow: { score: number } }).shadow.score, plain.decision.score + 10);
        assert.equal((await replayWithRecordedPolicy(db, shadowed.applicationId, fallback)).matches, true);

        // Promoting the shadow by its id alone: it decides now, the old champion retires, no shadow is left.
        assert.deepEqual(await deploy(db, { id: 'pd-plus-10', role: 'champion' }), { id: 'pd-plus-10', role: 'champion', version: modelId(challenger) });
        const roles = Object.fromEntries((await listDeployedModels(db)).map((m) => [m.id, m.role]));
        assert.deepEqual(roles, { 'pd-plus-10': 'champion', 'pd-shipped': 'retired' });
        const after = await apply(db, enterpriseId);
        assert.equal(after.decision.score, plain.decision.score + 10);
        assert.equal(after.decision.shadow, undefined);
      });
    });

    it("end of day records the champion's PSI over the recent decisions and warns past the threshold", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await deploy(db, { id: 'pd-2026-12', role: 'champion', model: challenger, trainingScores: QUARTERS });
        const version = modelId(challenger);
        // Older decisions outside the window of 100 (and another model's, never counted).
        await recordScores(db, version, scoresIn([0, 0, 0, 50]));
        await recordScores(db, 'scorecard-other', scoresIn([100, 0, 0, 0]));
        await recordScores(db, version, scoresIn([55, 25, 15, 5]));
        await runEod(db, { modelStability: { window: 100, minDecisions: 50 } });
        const [reading] = await modelStabilityHistory(db);
        assert.equal(reading!.businessDate, '2025-06-30');
        assert.equal(reading!.decisions, 100);
        assert.equal(reading!.psi.toFixed(6), '0.609507');
        assert.equal(reading!.level, 'shifted');
        assert.deepEqual(reading!.bins.map((b) => b.actual), [55, 25, 15, 5]);
        const warning = await db.selectFrom('audit_event').select(['action', 'entity_id']).where('action', '=', 'model.psi-warning').execute();
        assert.deepEqual(warning, [{ action: 'model.psi-warning', entity_id: 'pd-2026-12' }]);

        // The next night: the window of the 100 newest holds only the 40/30/20/10 mix: "watch", no warning.
        await recordScores(db, version, scoresIn([40, 30, 20, 10]));
        await runEod(db, { modelStability: { window: 100, minDecisions: 50 } });
        const [next] = await modelStabilityHistory(db);
        assert.equal(next!.businessDate, '2025-07-01');
        assert.equal(next!.psi.toFixed(6), '0.228217');
        assert.equal(next!.level, 'watch');
        assert.equal((await db.selectFrom('audit_event').select('id').where('action', '=', 'model.psi-warning').execute()).length, 1, 'no warning for a watch');
      });
    });
  });
}
