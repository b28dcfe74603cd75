import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATA_SOURCES, simulatedEnterpriseInput, simulatedPopulation } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { replayApplication } from '../../src/decision/apply-for-credit.js';
import { DEFAULT_DECISION_CONFIG } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { replayWithRecordedPolicy } from '../../src/decision/policy-versions.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

interface PolicyDocument {
  policy: { version: string; rules: { id: string; description: string; when: unknown[]; outcome: string; reasonCode: string }[] };
  bands: { version: string; cuts: { band: string; minScore: number }[] };
  limits: { inclusiveCeiling: string; salesShareBp: Record<string, number> };
  pricing: { spreads: Record<string, string>; floor: string };
}

const BUILT_IN = DEFAULT_DECISION_CONFIG(defaultScorecard());

for (const backend of BACKENDS) {
  describe(`decision policy versions on ${backend}`, () => {
    it('a new version waits for a second person, then new applications decide with it and every application replays with its own', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const risk = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const expiresOn = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
        const firms = [];
        for (const firm of simulatedPopulation({ seed: 2025, size: 3 })) {
          const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(firm), 'test'));
          await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: manager, payload: { sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn, evidence: 'consent signed at the branch, form BR-0042' } });
          firms.push(enterprise.id);
        }
        const apply = async (enterpriseId: string) => {
          const response = await app.inject({ method: 'POST', url: '/v1/applications', headers: manager, payload: { enterpriseId, productCode: 'MICRO-LINE' } });
          assert.equal(response.statusCode, 201, response.body);
          return response.json() as { applicationId: string; outcome: string; reasonCodes: string[] };
        };

        const initial = (await app.inject({ method: 'GET', url: '/v1/policies', headers: risk })).json() as { activeVersion: number | null; active: PolicyDocument; versions: unknown[] };
        assert.deepEqual([initial.activeVersion, initial.versions.length], [null, 0]);
        assert.deepEqual([initial.active.pricing.spreads.B, initial.active.pricing.floor, initial.active.limits.inclusiveCeiling, initial.active.policy.rules.length], ['1.35', '3.00', '10000000.00', BUILT_IN.policy.rules.length]);
        const before = await apply(firms[0]!);

        // A stricter policy: a pause rule every applicant meets, and band D raised.
        const stricter: PolicyDocument = structuredClone(initial.active);
        stricter.policy.version = 'policy-2025-11';
        stricter.policy.rules.push({ id: 'D99', description: 'lending paused for review', when: [{ feature: 'years_in_business', op: '>=', value: 0 }], outcome: 'decline', reasonCode: 'LENDING_PAUSED' });
        stricter.bands.cuts[3]!.minScore = 580;
        const proposed = await app.inject({ method: 'POST', url: '/v1/policies', headers: risk, payload: { note: 'pause while the portfolio is reviewed', ...stricter } });
        assert.equal(proposed.statusCode, 202, proposed.body);
        const request = proposed.json() as { id: string; kind: string; status: string };
        assert.deepEqual([request.kind, request.status], ['policy.change', 'pending']);
        const twice = await app.inject({ method: 'POST', url: '/v1/policies', headers: risk, payload: { note: 'again', ...stricter } });
        assert.equal(twice.statusCode, 409);
        assert.equal((await apply(firms[1]!)).reasonCodes.includes('LENDING_PAUSED'), false, 'not in force before the check');

        const self = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: risk, payload: { decision: 'approve' } });
        assert.equal(self.statusCode, 403);
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: admin, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);
        assert.deepEqual((approved.json() as { result: unknown }).result, { version: 1 });

        const after = (await app.inject({ method: 'GET', url: '/v1/policies', headers: { authorization: `Bearer ${await tokenFor('auditor')}` } })).json() as { activeVersion: number; active: PolicyDocument; versions: { version: number; madeBy: string; checkedBy: string; note: string; bands: PolicyDocument['bands'] }[] };
        assert.equal(after.activeVersion, 1);
        assert.deepEqual(after.versions.map((version) => [version.version, version.madeBy, version.checkedBy, version.note, version.bands.cuts[3]!.minScore]), [[1, 'risk-officer', 'admin', 'pause while the portfolio is reviewed', 580]]);
        assert.equal(after.active.policy.version, 'policy-2025-11');

        const paused = await apply(firms[2]!);
        assert.equal(paused.outcome, 'declined');
        assert.ok(paused.reasonCodes.includes('LENDING_PAUSED'));
        const record = await db.selectFrom('application').select('decision').where('id', '=', paused.applicationId).executeTakeFirstOrThrow();
        assert.deepEqual((record.decision as { versions: unknown }).versions, { policy: 'policy-2025-11', bands: 'bands-2025-06', limits: 'limits-2025-06', pricing: 'pricing-2025-06', model: (record.decision as { versions: { model: string } }).versions.model, policySet: 1 });

        // Each application replays under the version it was decided with, the old one too.
        assert.equal((await replayWithRecordedPolicy(db, before.applicationId, BUILT_IN)).matches, true);
        assert.equal((await replayWithRecordedPolicy(db, paused.applicationId, BUILT_IN)).matches, true);
        assert.equal((await replayApplication(db, paused.applicationId, BUILT_IN)).matches, false, 'the version matters');
      });
    });

    it('a policy a bank could not mean is refused at once, naming the field; only a risk officer proposes', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const risk = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const active = ((await app.inject({ method: 'GET', url: '/v1/policies', headers: risk })).json() as { active: PolicyDocument }).active;
        const broken = (change: (document: PolicyDocument) => void) => {
          const document = structuredClone(active);
          change(document);
          return { note: 'test', ...document };
        };
        const cases: [string, unknown, string][] = [
          ['bands not descending', broken((d) => (d.bands.cuts[2]!.minScore = 700)), 'bands.cuts.2.minScore'],
          ['duplicate rule id', broken((d) => d.policy.rules.push({ ...d.policy.rules[0]! })), 'policy.rules.7.id'],
          ['spread with five decimals', broken((d) => (d.pricing.spreads.A = '0.85001')), 'pricing.spreads.A'],
          ['share above 100%', broken((d) => (d.limits.salesShareBp.A = 10_001)), 'limits.salesShareBp.A'],
          ['zero ceiling', broken((d) => (d.limits.inclusiveCeiling = '0.00')), 'limits.inclusiveCeiling'],
          ['unknown field', { ...broken(() => undefined), model: 'mine' }, 'model'],
        ];
        for (const [what, payload, field] of cases) {
          const response = await app.inject({ method: 'POST', url: '/v1/policies', headers: risk, payload: payload as object });
          assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
          assert.equal((response.json() as { error: { field: string } }).error.field, field, what);
        }
        const admin = await app.inject({ method: 'POST', url: '/v1/policies', headers: { authorization: `Bearer ${await tokenFor('admin')}` }, payload: broken(() => undefined) });
        assert.equal(admin.statusCode, 403);
      });
    });
  });
}
