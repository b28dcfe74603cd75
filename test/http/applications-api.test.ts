import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { DATA_SOURCES, simulatedEnterpriseInput, simulatedPopulation } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

for (const backend of BACKENDS) {
  describe(`origination API on ${backend}`, () => {
    it('an owner authorises, applies, gets the decision in the response, and accepts an approved offer', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}` };
        let accepted = false;
        const outcomes: string[] = [];
        for (const [index, firm] of simulatedPopulation({ seed: 2025, size: 8 }).entries()) {
          const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(firm), 'account-manager'));
          await createUser(db, { username: `owner-${index}`, displayName: 'Owner', role: 'borrower', password: 'owner-password-1', enterpriseId: enterprise.id });
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: `owner-${index}`, password: 'owner-password-1' } });
          const owner = { authorization: `Bearer ${(login.json() as { token: string }).token}` };

          const refused = await app.inject({ method: 'POST', url: '/v1/applications', headers: owner, payload: { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' } });
          assert.equal(refused.statusCode, 403);
          assert.equal((refused.json() as { error: { field: string } }).error.field, 'sources');

          const granted = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: owner, payload: { sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10) } });
          assert.equal(granted.statusCode, 201, granted.body);
          const applied = await app.inject({ method: 'POST', url: '/v1/applications', headers: owner, payload: { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' } });
          assert.equal(applied.statusCode, 201, applied.body);
          const decision = applied.json() as { applicationId: string; outcome: string; reasonCodes: string[]; limit: string; annualRate: string | null };
          outcomes.push(decision.outcome);

          const own = await app.inject({ method: 'GET', url: `/v1/applications/${decision.applicationId}`, headers: owner });
          assert.equal('record' in (own.json() as object), false, 'a borrower never sees the decision internals');
          const staff = await app.inject({ method: 'GET', url: `/v1/applications/${decision.applicationId}`, headers: approver });
          assert.equal((staff.json() as { contract: unknown }).contract, null, 'no contract before an offer is accepted');
          assert.ok((staff.json() as { record: { decision: { policy: { trace: unknown[] } } } }).record.decision.policy.trace.length > 0);

          if (decision.outcome === 'approved' && !accepted) {
            const line = await app.inject({ method: 'POST', url: `/v1/applications/${decision.applicationId}/accept`, headers: owner });
            assert.equal(line.statusCode, 201, line.body);
            const body = line.json() as { limit: string; annualRate: string; status: string };
            assert.deepEqual([body.limit, body.annualRate, body.status], [decision.limit, decision.annualRate, 'active']);
            // The owner sees the signed contract record of what it accepted.
            const after = (await app.inject({ method: 'GET', url: `/v1/applications/${decision.applicationId}`, headers: owner })).json() as {
              status: string;
              contract: { contractNo: string; signedBy: string; verified: boolean; terms: { limit: string; annualRate: string; lineId: string } } | null;
            };
            assert.equal(after.status, 'accepted');
            assert.ok(after.contract !== null);
            assert.deepEqual([after.contract.terms.limit, after.contract.terms.annualRate, after.contract.terms.lineId, after.contract.verified], [decision.limit, decision.annualRate, (line.json() as { id: string }).id, true]);
            accepted = true;
          }
          if (decision.outcome === 'referred') {
            const queue = await app.inject({ method: 'GET', url: '/v1/applications?status=referred', headers: approver });
            assert.ok((queue.json() as { id: string }[]).some((row) => row.id === decision.applicationId));
          }
        }
        assert.ok(accepted, `no approved offer among ${outcomes.join(',')}`);
      });
    });
  });
}
