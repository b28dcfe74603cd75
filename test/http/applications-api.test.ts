import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { DATA_SOURCES, simulatedEnterpriseInput, simulatedPopulation } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

/** The enterprise's own account, as typed (spaces as printed on a bank card or statement). */
const ACCOUNTS = { accounts: { disbursement: { bankCode: '102331000013', bankName: '工商银行杭州分行', accountNo: '1202 0212 0900 0123 456' } } };

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
            // Before signing, the owner reads the contract and the authorisation in full, filled in with the offer.
            const draft = (await app.inject({ method: 'GET', url: `/v1/applications/${decision.applicationId}/contract`, headers: owner })).json() as { state: string; contract: { version: string; zh: string; en: string }; authorisation: { version: string; zh: string } };
            assert.equal(draft.state, 'offer');
            assert.equal(draft.contract.version, 'SX-CC-2026.2');
            assert.ok(draft.contract.zh.includes('放款账户：（签署时登记）'), 'the draft says the accounts are registered on signing');
            assert.ok(draft.contract.zh.includes(`授信额度人民币 ${decision.limit} 元`), draft.contract.zh);
            assert.ok(draft.contract.zh.includes(`年利率 ${decision.annualRate}%`));
            assert.ok(draft.authorisation.zh.includes('撤回'), 'the authorisation says it can be withdrawn');
            assert.equal((await app.inject({ method: 'GET', url: `/v1/applications/${decision.applicationId}/contract.html`, headers: owner })).statusCode, 404, 'nothing signed to download yet');
            // A borrower signs by naming the version read; none, or an old one, signs nothing.
            const unsigned = await app.inject({ method: 'POST', url: `/v1/applications/${decision.applicationId}/accept`, headers: owner, payload: ACCOUNTS });
            assert.deepEqual([unsigned.statusCode, (unsigned.json() as { error: { field: string } }).error.field], [400, 'contractVersion']);
            const stale = await app.inject({ method: 'POST', url: `/v1/applications/${decision.applicationId}/accept?contractVersion=SX-CC-2025.9`, headers: owner, payload: ACCOUNTS });
            assert.equal(stale.statusCode, 409);
            const line = await app.inject({ method: 'POST', url: `/v1/applications/${decision.applicationId}/accept?contractVersion=${draft.contract.version}`, headers: owner, payload: ACCOUNTS });
            assert.equal(line.statusCode, 201, line.body);
            const signed = (await app.inject({ method: 'GET', url: `/v1/applications/${decision.applicationId}/contract`, headers: owner })).json() as { state: string; contractNo: string; contract: { zh: string; digest: string }; signature: { signedBy: string; verified: boolean } };
            assert.deepEqual([signed.state, signed.signature.signedBy, signed.signature.verified], ['signed', `owner-${index}`, true]);
            assert.ok(signed.contract.zh.startsWith(`合同编号：${signed.contractNo}`));
            // The signed contract names both accounts, masked; the line shows them masked, never whole.
            assert.ok(signed.contract.zh.includes('放款账户：工商银行杭州分行（行号 102331000013）账号 ****3456；还款账户：工商银行杭州分行（行号 102331000013）账号 ****3456。'), signed.contract.zh);
            assert.ok(!JSON.stringify(signed).includes('120202120900'), 'the whole number is never sent');
            const accounts = (await app.inject({ method: 'GET', url: `/v1/lines/${(line.json() as { id: string }).id}/accounts`, headers: owner })).json() as Record<string, { bankCode: string; accountNoMasked: string; accountName: string } | null>;
            assert.deepEqual(
              Object.fromEntries(Object.entries(accounts).map(([purpose, account]) => [purpose, [account?.bankCode, account?.accountNoMasked, account?.accountName]])),
              { disbursement: ['102331000013', '****3456', enterprise.name], repayment: ['102331000013', '****3456', enterprise.name] },
            );
            const copy = await app.inject({ method: 'GET', url: `/v1/applications/${decision.applicationId}/contract.html`, headers: owner });
            assert.equal(copy.statusCode, 200);
            assert.match(String(copy.headers['content-type']), /^text\/html; charset=utf-8/);
            assert.match(String(copy.headers['content-disposition']), new RegExp(`filename="${signed.contractNo}.html"`));
            assert.ok(copy.body.includes(signed.contract.digest) && copy.body.includes('核对一致'));
            // The portal reads the application back from the server on any device.
            const mine = (await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/applications`, headers: owner })).json() as { applicationId: string; status: string; lineId: string | null }[];
            assert.deepEqual(mine.map((row) => [row.applicationId, row.status, row.lineId]), [[decision.applicationId, 'accepted', (line.json() as { id: string }).id]]);
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
