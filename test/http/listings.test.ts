import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindEnterprise } from '../../src/auth/users.js';
import { inTransaction } from '../../src/db/transaction.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { BACKENDS } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { withTestApp } from '../support/test-app.js';

for (const backend of BACKENDS) {
  describe(`listing lines and loans on ${backend}`, () => {
    it('staff list any enterprise; a borrower only its own, and another enterprise is a 404', async () => {
      await withTestApp(backend, async ({ db, app, tokenFor }) => {
        const mine = await borrowerWithLine(db, '500000.00');
        const theirs = await borrowerWithLine(db, '500000.00');
        const first = await inTransaction(db, (trx) => drawdown(trx, { lineId: mine.id, amount: '1000.00', termDays: 30 }, 'test'));
        await inTransaction(db, (trx) => drawdown(trx, { lineId: theirs.id, amount: '2000.00', termDays: 30 }, 'test'));
        const borrowerUser = await db.selectFrom('app_user').select('id').where('username', '=', 'borrower').executeTakeFirstOrThrow();
        await inTransaction(db, (trx) => bindEnterprise(trx, borrowerUser.id, mine.enterpriseId, 'test'));

        const staff = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const all = (await app.inject({ method: 'GET', url: '/v1/loans', headers: staff })).json() as { outstanding: string }[];
        assert.deepEqual(all.map((loan) => loan.outstanding).sort(), ['1000.00', '2000.00']);
        const one = (await app.inject({ method: 'GET', url: `/v1/loans?enterpriseId=${theirs.enterpriseId}&status=active&limit=10`, headers: staff })).json() as { enterpriseId: string }[];
        assert.deepEqual(one.map((loan) => loan.enterpriseId), [theirs.enterpriseId]);
        assert.equal(((await app.inject({ method: 'GET', url: '/v1/lines', headers: staff })).json() as unknown[]).length, 2);

        const borrower = { authorization: `Bearer ${await tokenFor('borrower')}` };
        const own = (await app.inject({ method: 'GET', url: '/v1/loans', headers: borrower })).json() as { id: string; principal: string }[];
        assert.deepEqual(own.map((loan) => [loan.id, loan.principal]), [[first.loanId, '1000.00']]);
        const lines = (await app.inject({ method: 'GET', url: '/v1/lines', headers: borrower })).json() as { id: string; available: string }[];
        assert.deepEqual(lines.map((line) => [line.id, line.available]), [[mine.id, '499000.00']]);
        const probe = await app.inject({ method: 'GET', url: `/v1/loans?enterpriseId=${theirs.enterpriseId}`, headers: borrower });
        assert.equal(probe.statusCode, 404);
        const tooMany = await app.inject({ method: 'GET', url: '/v1/loans?limit=999', headers: staff });
        assert.equal(tooMany.statusCode, 400);
      });
    });
  });
}
