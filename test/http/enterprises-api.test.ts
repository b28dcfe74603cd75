import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { completeCreditCode } from '../../src/enterprises/credit-code.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

const FIRM = {
  creditCode: '91350100M000100Y43',
  name: '杭州绿芽茶叶有限公司',
  industry: 'retail',
  regionCode: '330106',
  registeredOn: '2019-04-01',
  employees: 12,
  revenue: '3200000.00',
  assets: '1500000.00',
  owners: [
    { name: '王芳', idNumber: '330106198001011235', phone: '13812345678', share: '0.60' },
    { name: '李强', idNumber: '11010119900307123X'.slice(0, 17) + '3', phone: '13987654321', share: '0.40' },
  ],
};

interface EnterpriseJson {
  id: string;
  creditCode: string | null;
  sizeClass: string;
  revenue: string | null;
  owners: { name: string; idNumber: string; phone: string | null; share: string | null }[];
}

for (const backend of BACKENDS) {
  describe(`enterprise registry API on ${backend}`, () => {
    it('records the full registry record, computes the size class, and masks owners for roles that do not need them', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        const created = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: await as('account-manager'), payload: FIRM });
        assert.equal(created.statusCode, 201, created.body);
        const firm = created.json() as EnterpriseJson;
        // Retail, 12 people and 320 万元 of revenue: small (10 ≤ X < 50 and 100 ≤ Y < 500 万元).
        assert.equal(firm.sizeClass, 'small');
        assert.equal(firm.revenue, '3200000.00');
        assert.deepEqual(firm.owners[0], { name: '王芳', idNumber: '330106********1235', phone: '138****5678', share: '0.60' });

        const whole = (await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}`, headers: await as('risk-officer') })).json() as EnterpriseJson;
        assert.deepEqual(whole.owners, [
          { name: '王芳', idNumber: '330106198001011235', phone: '13812345678', share: '0.60' },
          { name: '李强', idNumber: '110101199003071233', phone: '13987654321', share: '0.40' },
        ]);
        const admin = (await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}`, headers: await as('admin') })).json() as EnterpriseJson;
        assert.equal(admin.owners[1]!.idNumber, '110101199003071233');
        const approver = (await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}`, headers: await as('credit-approver') })).json() as EnterpriseJson;
        assert.equal(approver.owners[1]!.idNumber, '110101********1233');
        assert.equal(approver.owners[1]!.phone, '139****4321');

        // The borrower sees its own enterprise whole, and nobody else's.
        await createUser(db, { username: 'owner-1', displayName: 'Owner', role: 'borrower', password: 'owner-password-1', enterpriseId: firm.id });
        const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'owner-1', password: 'owner-password-1' } });
        const owner = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
        const own = (await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}`, headers: owner })).json() as EnterpriseJson;
        assert.equal(own.owners[0]!.idNumber, '330106198001011235');
        const other = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: await as('admin'), payload: { name: '宁波小微五金厂', sizeClass: 'micro' } });
        assert.equal(other.statusCode, 201);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${(other.json() as EnterpriseJson).id}`, headers: owner })).statusCode, 404);

        // The audit trail holds neither the ID numbers nor the phones whole.
        const audit = JSON.stringify(await db.selectFrom('audit_event').select('after').where('entity_id', '=', firm.id).execute());
        assert.ok(!audit.includes('330106198001011235') && !audit.includes('13812345678'));
      });
    });

    it('refuses a wrong check character, a missing registry field and a size class the figures contradict; nothing is recorded', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload });
        const badCode = await post({ ...FIRM, creditCode: '91350100M000100Y44' });
        assert.equal(badCode.statusCode, 400);
        assert.deepEqual((badCode.json() as { error: { field: string } }).error.field, 'creditCode');
        assert.match((badCode.json() as { error: { message: string } }).error.message, /should be '3'/);
        const { assets: _assets, ...withoutAssets } = FIRM;
        const missing = await post(withoutAssets);
        assert.equal(missing.statusCode, 400);
        assert.equal((missing.json() as { error: { field: string } }).error.field, 'assets');
        const badId = await post({ ...FIRM, owners: [{ ...FIRM.owners[0], idNumber: '330106198001011234' }] });
        assert.equal((badId.json() as { error: { field: string } }).error.field, 'owners[0].idNumber');
        const contradicted = await post({ ...FIRM, sizeClass: 'micro' });
        assert.equal((contradicted.json() as { error: { field: string } }).error.field, 'sizeClass');
        assert.equal((await db.selectFrom('enterprise').select('id').execute()).length, 0);
      });
    });

    it('binds an existing borrower login on the branch verification once a second person approves, who may then see it; refuses other users and other roles, naming the field', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
        const firm = (await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: FIRM })).json() as EnterpriseJson;
        await createUser(db, { username: 'wang.fang', displayName: '王芳', role: 'borrower', password: 'owner-password-1' });
        const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'wang.fang', password: 'owner-password-1' } });
        const owner = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}`, headers: owner })).statusCode, 404);

        const evidence = 'ID card and business licence seen at branch 0501';
        const bind = (headers: Record<string, string>, username: string, id = firm.id) => app.inject({ method: 'POST', url: `/v1/enterprises/${id}/borrowers`, headers, payload: { username, evidence } });
        const requested = await bind(manager, 'wang.fang');
        assert.equal(requested.statusCode, 202, requested.body);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}`, headers: owner })).statusCode, 404, 'nothing until a second person approves');
        assert.equal((await bind(manager, 'wang.fang')).statusCode, 409, 'one request per enterprise waits at a time');
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${(requested.json() as { id: string }).id}/decision`, headers: admin, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);
        const borrowers = (await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}/borrowers`, headers: manager })).json() as { username: string; displayName: string; boundBy: string; boundAt: string; verification: { method: string } }[];
        assert.deepEqual(borrowers.map((b) => [b.username, b.displayName, b.verification.method]), [['wang.fang', '王芳', 'account-manager']]);
        assert.ok(borrowers[0]!.boundBy.length > 0 && !Number.isNaN(Date.parse(borrowers[0]!.boundAt)));
        // The same session now sees the enterprise, owners whole (its own).
        const seen = await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}`, headers: owner });
        assert.equal(seen.statusCode, 200);
        assert.equal((seen.json() as EnterpriseJson).owners[0]!.idNumber, FIRM.owners[0]!.idNumber);
        assert.equal((await db.selectFrom('audit_event').select('id').where('action', '=', 'user.bind-enterprise').execute()).length, 1);

        const notBorrower = await bind(manager, 'account-manager');
        assert.equal(notBorrower.statusCode, 400);
        assert.equal((notBorrower.json() as { error: { field: string } }).error.field, 'username');
        assert.equal((await bind(manager, 'nobody')).statusCode, 404);
        assert.equal((await bind(manager, 'wang.fang', '0190a1b2-0000-7000-8000-000000000000')).statusCode, 404);
        // Only account managers and admins request it; a borrower cannot bind itself to another firm.
        assert.equal((await bind(owner, 'wang.fang')).statusCode, 403);
        assert.equal((await bind({ authorization: `Bearer ${await tokenFor('credit-approver')}` }, 'wang.fang')).statusCode, 403);
        assert.equal((await db.selectFrom('user_enterprise').select('user_id').execute()).length, 1);
      });
    });

    it('searches by name or credit-code prefix, with a limit', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const second = { ...FIRM, creditCode: completeCreditCode('91330106MA2B3C4D'), name: '杭州绿叶五金有限公司', owners: [] };
        for (const payload of [FIRM, second, { name: '宁波100%五金厂', sizeClass: 'micro' }]) {
          assert.equal((await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload })).statusCode, 201);
        }
        const search = async (query: string) => (await app.inject({ method: 'GET', url: `/v1/enterprises?${query}`, headers: manager })).json() as { name: string; creditCode: string | null; sizeClass: string }[];
        assert.deepEqual((await search(`q=${encodeURIComponent('杭州绿')}`)).map((row) => row.name), ['杭州绿叶五金有限公司', '杭州绿芽茶叶有限公司']);
        assert.deepEqual((await search('q=91330106ma')).map((row) => row.creditCode), [second.creditCode]);
        assert.deepEqual((await search(`q=${encodeURIComponent('100%')}`)).map((row) => row.name), ['宁波100%五金厂']);
        assert.equal((await search(`q=${encodeURIComponent('%')}`)).length, 1, 'a % in the search text is literal');
        assert.equal((await search('limit=2')).length, 2);
        assert.deepEqual(Object.keys((await search('q=%E7%BB%BF%E8%8A%BD'))[0]!).sort(), ['creditCode', 'id', 'industry', 'name', 'regionCode', 'sizeClass']);
        const borrowerSearch = await app.inject({ method: 'GET', url: '/v1/enterprises', headers: { authorization: `Bearer ${await tokenFor('borrower')}` } });
        assert.equal(borrowerSearch.statusCode, 403);
      });
    });
  });
}
