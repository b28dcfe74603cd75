import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

for (const backend of BACKENDS) {
  describe(`collateral API on ${backend}`, () => {
    it('an officer registers a house and a guarantee on a line; the borrower sees what secures it; a retry moves no memo twice', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        const am = await as('account-manager');
        const firm = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: am, payload: { name: '浙江青禾机械有限公司', sizeClass: 'small' } });
        const enterpriseId = (firm.json() as { id: string }).id;
        const line = await app.inject({ method: 'POST', url: '/v1/lines', headers: await as('credit-approver'), payload: { enterpriseId, productCode: 'TERM-LOAN', limit: '6000000.00' } });
        const lineId = (line.json() as { id: string }).id;

        const created = await app.inject({ method: 'POST', url: '/v1/collateral', headers: am, payload: { enterpriseId, type: 'commercial-real-estate', owner: 'third-party', ownerName: '陈立', description: '杭州市拱墅区商铺', identifier: '浙(2023)杭州市不动产权第0456789号' } });
        assert.equal(created.statusCode, 201, created.body);
        const collateralId = (created.json() as { id: string; status: string }).id;
        const valued = () => app.inject({ method: 'POST', url: `/v1/collateral/${collateralId}/valuations`, headers: { ...am, 'idempotency-key': 'valuation-0001' }, payload: { value: '9000000.00', method: 'appraisal', appraiser: '浙江中衡资产评估' } });
        const first = await valued();
        assert.equal(first.statusCode, 201, first.body);
        // Commercial property: 40% haircut → 5,400,000.00 eligible.
        assert.deepEqual((first.json() as { valuation: { eligible: string; haircut: string } }).valuation, { ...(first.json() as { valuation: object }).valuation, eligible: '5400000.00', haircut: '40.00' });
        assert.equal((await valued()).statusCode, 201);
        assert.equal((await db.selectFrom('collateral_valuation').select('id').execute()).length, 1, 'the retry recorded nothing');
        const registered = await app.inject({ method: 'POST', url: `/v1/collateral/${collateralId}/registration`, headers: { ...am, 'idempotency-key': 'registration-0001' }, payload: { authority: '杭州市不动产登记中心', number: '浙(2025)杭州市不动产证明第0011111号', registeredOn: '2025-06-30', rank: 1 } });
        assert.equal(registered.statusCode, 200, registered.body);
        assert.equal((registered.json() as { status: string }).status, 'registered');
        const linked = await app.inject({ method: 'POST', url: `/v1/collateral/${collateralId}/links`, headers: am, payload: { lineId, allocated: '5400000.00' } });
        assert.equal(linked.statusCode, 200, linked.body);
        // 6,000,000 / 5,400,000 = 111.12% against a maximum of 85.00%.
        assert.deepEqual(
          (({ ltv, maxLtv, capacity, overMaximum }) => ({ ltv, maxLtv, capacity, overMaximum }))(linked.json() as { ltv: string; maxLtv: string; capacity: string; overMaximum: boolean }),
          { ltv: '111.12', maxLtv: '85.00', capacity: '4590000.00', overMaximum: true },
        );

        const person = await app.inject({ method: 'POST', url: '/v1/guarantors', headers: am, payload: { kind: 'person', name: '陈立', idNumber: '11010519491231002X' } });
        assert.equal(person.statusCode, 201, person.body);
        assert.equal((person.json() as { idNumber: string }).idNumber, '110105********002X', 'an account manager sees the ID masked');
        const guarantee = await app.inject({ method: 'POST', url: '/v1/guarantees', headers: { ...am, 'idempotency-key': 'guarantee-0001' }, payload: { guarantorId: (person.json() as { id: string }).id, enterpriseId, lineId, type: 'joint-and-several', amount: '1500000.00', startOn: '2025-06-30', endOn: '2028-06-30' } });
        assert.equal(guarantee.statusCode, 201, guarantee.body);

        await createUser(db, { username: 'owner-1', displayName: 'Owner', role: 'borrower', password: 'owner-1-password', enterpriseId });
        const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'owner-1', password: 'owner-1-password' } });
        const owner = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
        const mine = await app.inject({ method: 'GET', url: `/v1/lines/${lineId}/security`, headers: owner });
        assert.equal(mine.statusCode, 200, mine.body);
        const view = mine.json() as { guaranteed: string; overMaximum: boolean; collateral: { type: string; effective: string }[] };
        assert.deepEqual([view.guaranteed, view.overMaximum, view.collateral.map((c) => [c.type, c.effective])], ['1500000.00', false, [['commercial-real-estate', '5400000.00']]]);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/lines/${lineId}/security`, headers: await as('borrower') })).statusCode, 404);

        const release = await app.inject({ method: 'POST', url: `/v1/collateral/${collateralId}/release`, headers: { ...am, 'idempotency-key': 'release-0001' }, payload: { reason: '客户申请' } });
        assert.equal(release.statusCode, 409);
        assert.equal((release.json() as { error: { code: string; field: string } }).error.field, 'lineId');

        const split = await app.inject({ method: 'GET', url: '/v1/reports/security-split', headers: await as('management') });
        assert.deepEqual(split.json(), { secured: { balance: '0.00', loans: 0 }, guaranteed: { balance: '0.00', loans: 0 }, pureCredit: { balance: '0.00', loans: 0 } });
        const tb = await app.inject({ method: 'GET', url: '/v1/ledger/trial-balance', headers: await as('management') });
        const accounts = (tb.json() as { accounts: { purpose: string; balance: string }[] }).accounts;
        assert.deepEqual(accounts.filter((a) => a.purpose.endsWith('-held')).map((a) => [a.purpose, a.balance]), [['collateral-held', '9000000.00'], ['guarantees-held', '1500000.00']]);
      });
    });
  });
}
