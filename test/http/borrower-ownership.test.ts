import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindBorrower, createUser } from '../../src/auth/users.js';
import { DATA_SOURCES, simulatedEnterpriseInput, simulatedPopulation } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';
import { CREDIT_CONTRACT_VERSION } from '../../src/lines/contract-text.js';

/** One enterprise's things a borrower might reach. */
interface Holdings {
  readonly enterpriseId: string;
  readonly lineId: string;
  readonly loanId: string;
  readonly applicationId: string;
}

for (const backend of BACKENDS) {
  describe(`a borrower bound to several enterprises on ${backend}`, () => {
    it('reaches every enterprise it is bound to and gets 404 for any other, on every borrower route', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const expiresOn = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
        const holdings: Holdings[] = [];
        for (const firm of simulatedPopulation({ seed: 2025, size: 3 })) {
          const { enterpriseId, lineId, loanId } = await inTransaction(db, async (trx) => {
            const enterprise = await createEnterprise(trx, simulatedEnterpriseInput(firm), 'test');
            const line = await openCreditLine(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE', limit: '100000.00' }, 'test');
            const drawn = await drawdown(trx, { lineId: line.id, amount: '1000.00', termDays: 30 }, 'test');
            return { enterpriseId: enterprise.id, lineId: line.id, loanId: drawn.loanId };
          });
          const granted = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterpriseId}/authorisations`, headers: manager, payload: { sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn, evidence: 'consent signed at the branch, form BR-0042' } });
          assert.equal(granted.statusCode, 201, granted.body);
          const applied = await app.inject({ method: 'POST', url: '/v1/applications', headers: manager, payload: { enterpriseId, productCode: 'MICRO-LINE' } });
          assert.equal(applied.statusCode, 201, applied.body);
          holdings.push({ enterpriseId, lineId, loanId, applicationId: (applied.json() as { applicationId: string }).applicationId });
        }
        const [a, b, c] = holdings as [Holdings, Holdings, Holdings];

        const owner = await createUser(db, { username: 'owner-ab', displayName: 'Owner of A and B', role: 'borrower', password: 'owner-ab-password', enterpriseId: a.enterpriseId });
        await inTransaction(db, (trx) => bindBorrower(trx, owner.username, b.enterpriseId, 'admin at the shell'));
        const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'owner-ab', password: 'owner-ab-password' } });
        const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };

        const me = (await app.inject({ method: 'GET', url: '/v1/me', headers })).json() as { enterpriseIds: string[]; enterpriseId: string };
        assert.deepEqual(me.enterpriseIds, [a.enterpriseId, b.enterpriseId]);
        assert.equal(me.enterpriseId, a.enterpriseId);

        // Every route a borrower may call, aimed at one enterprise's things.
        let key = 0;
        const routes = (h: Holdings) => [
          { method: 'GET', url: `/v1/lines?enterpriseId=${h.enterpriseId}` },
          { method: 'GET', url: `/v1/loans?enterpriseId=${h.enterpriseId}` },
          { method: 'GET', url: `/v1/lines/${h.lineId}` },
          { method: 'POST', url: `/v1/lines/${h.lineId}/drawdowns`, payload: { amount: '100.00', termDays: 30 }, idempotent: true },
          { method: 'GET', url: `/v1/loans/${h.loanId}` },
          { method: 'POST', url: `/v1/loans/${h.loanId}/repayments`, payload: { amount: '10.00' }, idempotent: true },
          { method: 'POST', url: `/v1/enterprises/${h.enterpriseId}/authorisations`, payload: { sources: ['tax'], purpose: 'credit-assessment', expiresOn } },
          { method: 'POST', url: '/v1/applications', payload: { enterpriseId: h.enterpriseId, productCode: 'MICRO-LINE' } },
          { method: 'GET', url: `/v1/applications/${h.applicationId}` },
          { method: 'POST', url: `/v1/applications/${h.applicationId}/accept?contractVersion=${CREDIT_CONTRACT_VERSION}`, payload: { accounts: { disbursement: { bankCode: '102331000013', bankName: '工商银行杭州分行', accountNo: '1202 0212 0900 0123 456' } } } },
        ] as const;
        const call = (route: ReturnType<typeof routes>[number]) =>
          app.inject({
            method: route.method,
            url: route.url,
            headers: 'idempotent' in route ? { ...headers, 'idempotency-key': `ownership-${++key}` } : headers,
            payload: 'payload' in route ? route.payload : undefined,
          });

        for (const own of [a, b]) {
          for (const route of routes(own)) {
            const response = await call(route);
            // An offer that was not approved cannot be accepted (409); everything else succeeds.
            if (route.url.includes('/accept?')) assert.ok([201, 409].includes(response.statusCode), `${route.method} ${route.url}: ${response.body}`);
            else assert.ok([200, 201].includes(response.statusCode), `${route.method} ${route.url}: ${response.statusCode} ${response.body}`);
          }
        }
        for (const route of routes(c)) {
          const response = await call(route);
          assert.equal(response.statusCode, 404, `${route.method} ${route.url} on an enterprise not bound`);
          assert.equal((response.json() as { error: { code: string } }).error.code, 'NOT_FOUND');
        }

        // The unfiltered lists hold A's and B's things and nothing of C's.
        const loans = (await app.inject({ method: 'GET', url: '/v1/loans?limit=200', headers })).json() as { enterpriseId: string }[];
        assert.deepEqual([...new Set(loans.map((loan) => loan.enterpriseId))].sort(), [a.enterpriseId, b.enterpriseId].sort());
        const lines = (await app.inject({ method: 'GET', url: '/v1/lines?limit=200', headers })).json() as { enterpriseId: string }[];
        assert.deepEqual([...new Set(lines.map((line) => line.enterpriseId))].sort(), [a.enterpriseId, b.enterpriseId].sort());
        // C's things are still there for staff: the 404s above were ownership, not absence.
        assert.equal((await app.inject({ method: 'GET', url: `/v1/loans/${c.loanId}`, headers: manager })).statusCode, 200);
      });
    });

    it('a borrower is bound to the enterprises it claims as their verified representative, not to those it merely records; a borrower with none lists nothing', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const headers = { authorization: `Bearer ${await tokenFor('borrower')}` };
        const expiresOn = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
        assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/loans', headers })).json(), []);
        assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/lines', headers })).json(), []);
        const before = (await app.inject({ method: 'GET', url: '/v1/me', headers })).json() as { enterpriseIds: string[]; enterpriseId: string | null };
        assert.deepEqual([before.enterpriseIds, before.enterpriseId], [[], null]);

        // Two firms of the server's simulated world, owned by one person (a second firm of the same owner).
        const [firmA, firmB] = simulatedPopulation({ seed: 2025, size: 12 }).slice(10);
        const ids: string[] = [];
        for (const firm of [firmA!, firmB!]) {
          const input = simulatedEnterpriseInput(firm);
          const body = { ...input, revenue: (Number(input.revenue) / 100).toFixed(2), assets: (Number(input.assets) / 100).toFixed(2), owners: input.owners.map((o) => ({ name: o.name, idNumber: o.idNumber, share: '1.00' })) };
          const recorded = await app.inject({ method: 'POST', url: '/v1/enterprises', headers, payload: body });
          assert.equal(recorded.statusCode, 201, recorded.body);
          ids.push((recorded.json() as { id: string }).id);
        }
        const recordedOnly = (await app.inject({ method: 'GET', url: '/v1/me', headers })).json() as { enterpriseIds: string[] };
        assert.deepEqual(recordedOnly.enterpriseIds, [], 'recording binds nobody');
        for (const firm of [firmA!, firmB!]) {
          const claimed = await app.inject({ method: 'POST', url: '/v1/claims', headers, payload: { creditCode: firm.creditCode, name: firm.owner.name, idNumber: firm.owner.idNumber } });
          assert.equal(claimed.statusCode, 201, claimed.body);
        }
        const after = (await app.inject({ method: 'GET', url: '/v1/me', headers })).json() as { enterpriseIds: string[]; enterpriseId: string | null };
        assert.deepEqual([after.enterpriseIds, after.enterpriseId], [ids, ids[0]]);

        const granted = await app.inject({ method: 'POST', url: `/v1/enterprises/${ids[1]}/authorisations`, headers, payload: { sources: ['tax'], purpose: 'credit-assessment', expiresOn } });
        assert.equal(granted.statusCode, 201, granted.body);
        // Another borrower is not bound to it.
        await createUser(db, { username: 'owner-other', displayName: 'Other owner', role: 'borrower', password: 'owner-other-password' });
        const other = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'owner-other', password: 'owner-other-password' } });
        const otherHeaders = { authorization: `Bearer ${(other.json() as { token: string }).token}` };
        const refused = await app.inject({ method: 'POST', url: `/v1/enterprises/${ids[1]}/authorisations`, headers: otherHeaders, payload: { sources: ['tax'], purpose: 'credit-assessment', expiresOn } });
        assert.equal(refused.statusCode, 404);
      });
    });
  });
}
