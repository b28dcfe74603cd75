import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

for (const backend of BACKENDS) {
  describe(`servicing API on ${backend}`, () => {
    it('an approver opens a line, the borrower draws and repays, a retry moves no money, the ledger balances', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        const firm = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: await as('account-manager'), payload: { name: '宁波小微五金厂', sizeClass: 'micro' } });
        assert.equal(firm.statusCode, 201, firm.body);
        const enterpriseId = (firm.json() as { id: string }).id;
        await createUser(db, { username: 'owner-1', displayName: 'Owner', role: 'borrower', password: 'owner-1-password', enterpriseId });
        const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'owner-1', password: 'owner-1-password' } });
        const owner = { authorization: `Bearer ${(login.json() as { token: string }).token}` };

        const line = await app.inject({ method: 'POST', url: '/v1/lines', headers: await as('credit-approver'), payload: { enterpriseId, productCode: 'MICRO-LINE', limit: '200000.00' } });
        assert.equal(line.statusCode, 201, line.body);
        const lineBody = line.json() as { id: string; available: string; annualRate: string };
        assert.deepEqual([lineBody.available, lineBody.annualRate], ['200000.00', '4.35']);

        const draw = () => app.inject({ method: 'POST', url: `/v1/lines/${lineBody.id}/drawdowns`, headers: { ...owner, 'idempotency-key': 'draw-2025-06-30-001' }, payload: { amount: '50000.00', termDays: 30 } });
        const first = await draw();
        assert.equal(first.statusCode, 201, first.body);
        const drawn = first.json() as { loanId: string; lineAvailable: string; maturityOn: string; schedule: { totalInterest: string } };
        // 50000.00 × 4.35% × 30 / 360 = 181.25
        assert.deepEqual([drawn.lineAvailable, drawn.maturityOn, drawn.schedule.totalInterest], ['150000.00', '2025-07-30', '181.25']);
        const retry = await draw();
        assert.equal(retry.statusCode, 201);
        assert.deepEqual(retry.json(), first.json());
        const afterRetry = await app.inject({ method: 'GET', url: `/v1/lines/${lineBody.id}`, headers: owner });
        assert.equal((afterRetry.json() as { available: string }).available, '150000.00');

        const noKey = await app.inject({ method: 'POST', url: `/v1/lines/${lineBody.id}/drawdowns`, headers: owner, payload: { amount: '1.00', termDays: 30 } });
        assert.equal(noKey.statusCode, 400);
        assert.equal((noKey.json() as { error: { field: string } }).error.field, 'idempotency-key');

        const loan = await app.inject({ method: 'GET', url: `/v1/loans/${drawn.loanId}`, headers: owner });
        assert.equal(loan.statusCode, 200);
        const loanBody = loan.json() as { balances: { payoff: string }; classification: string; installments: unknown[] };
        assert.deepEqual([loanBody.balances.payoff, loanBody.classification, loanBody.installments.length], ['50000.00', 'normal', 1]);

        const repaid = await app.inject({ method: 'POST', url: `/v1/loans/${drawn.loanId}/repayments`, headers: { ...owner, 'idempotency-key': 'repay-2025-06-30-001' }, payload: { amount: '50000.00' } });
        assert.equal(repaid.statusCode, 201, repaid.body);
        assert.equal((repaid.json() as { loanStatus: string }).loanStatus, 'closed');

        // Another borrower sees neither the line nor the loan: the same 404 as for nothing.
        const stranger = await app.inject({ method: 'GET', url: `/v1/loans/${drawn.loanId}`, headers: await as('borrower') });
        assert.equal(stranger.statusCode, 404);

        const eod = await app.inject({ method: 'POST', url: '/v1/eod/runs', headers: await as('operator'), payload: {} });
        assert.equal(eod.statusCode, 200, eod.body);
        assert.deepEqual([(eod.json() as { date: string }).date, (eod.json() as { businessDate: string }).businessDate], ['2025-06-30', '2025-07-01']);
        const date = await app.inject({ method: 'GET', url: '/v1/business-date', headers: owner });
        assert.deepEqual(date.json(), { businessDate: '2025-07-01' });
        const tb = await app.inject({ method: 'GET', url: '/v1/ledger/trial-balance', headers: await as('management') });
        const tbBody = tb.json() as { balanced: boolean; accounts: { purpose: string; balance: string }[] };
        assert.equal(tbBody.balanced, true);
        assert.equal(tbBody.accounts.find((account) => account.purpose === 'settlement')?.balance, '0.00');
        const rec = await app.inject({ method: 'GET', url: '/v1/ledger/reconciliation', headers: await as('operator') });
        assert.equal((rec.json() as { balanced: boolean }).balanced, true);
      });
    });

    it('a drawdown over the available amount is a 422 naming the amount and moves nothing', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}` };
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const firm = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: { name: 'A', sizeClass: 'small' } });
        const line = await app.inject({ method: 'POST', url: '/v1/lines', headers: approver, payload: { enterpriseId: (firm.json() as { id: string }).id, productCode: 'MICRO-LINE', limit: '1000.00' } });
        const lineId = (line.json() as { id: string }).id;
        const over = await app.inject({ method: 'POST', url: `/v1/lines/${lineId}/drawdowns`, headers: { ...manager, 'idempotency-key': 'over-limit-0001' }, payload: { amount: '1000.01', termDays: 10 } });
        assert.equal(over.statusCode, 422);
        assert.deepEqual((over.json() as { error: { code: string; field: string } }).error.code, 'LIMIT_EXCEEDED');
        assert.equal((over.json() as { error: { field: string } }).error.field, 'amount');
        const after = await app.inject({ method: 'GET', url: `/v1/lines/${lineId}`, headers: manager });
        assert.equal((after.json() as { available: string }).available, '1000.00');
      });
    });

    it('an approver renews a loan before maturity; a replay returns the same new loan', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}` };
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const firm = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: { name: '小微茶叶', sizeClass: 'micro' } });
        const line = await app.inject({ method: 'POST', url: '/v1/lines', headers: approver, payload: { enterpriseId: (firm.json() as { id: string }).id, productCode: 'SHORT-TERM', limit: '80000.00' } });
        const lineId = (line.json() as { id: string }).id;
        const draw = await app.inject({ method: 'POST', url: `/v1/lines/${lineId}/drawdowns`, headers: { ...manager, 'idempotency-key': 'st-draw-000001' }, payload: { amount: '80000.00', termDays: 180 } });
        const loanId = (draw.json() as { loanId: string }).loanId;
        const attestation = { lawfulOperation: true, stableOperation: true, goodCredit: true, meetsLendingCriteria: true };
        const renewOnce = () => app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewals`, headers: { ...approver, 'idempotency-key': 'renew-000001' }, payload: { termDays: 365, attestation } });
        const first = await renewOnce();
        assert.equal(first.statusCode, 201, first.body);
        const body = first.json() as { newLoanId: string; principal: string; maturityOn: string; classification: string };
        assert.deepEqual([body.principal, body.maturityOn, body.classification], ['80000.00', '2026-06-30', 'normal']);
        assert.deepEqual((await renewOnce()).json(), first.json());
        const renewed = await app.inject({ method: 'GET', url: `/v1/loans/${body.newLoanId}`, headers: manager });
        assert.equal((renewed.json() as { renewedFromId: string }).renewedFromId, loanId);
        const refused = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewals`, headers: { ...approver, 'idempotency-key': 'renew-000002' }, payload: { termDays: 30, attestation } });
        assert.equal(refused.statusCode, 200);
        assert.deepEqual((refused.json() as { refusals: { code: string }[] }).refusals.map((refusal) => refusal.code), ['NOT_ACTIVE']);
      });
    });

    it('injection strings in text fields are stored and returned as text', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        for (const name of ["Robert'); DROP TABLE loan; --", '<script>alert(1)</script>', '${process.exit()}', '?\\x00 %s %n \u202e']) {
          const created = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: { name, sizeClass: 'micro' } });
          assert.equal(created.statusCode, 201, created.body);
          assert.equal((created.json() as { name: string }).name, name);
          const stored = await db.selectFrom('enterprise').select('name').where('id', '=', (created.json() as { id: string }).id).executeTakeFirstOrThrow();
          assert.equal(stored.name, name);
        }
        const nul = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: { name: 'A\u0000B', sizeClass: 'micro' } });
        assert.equal(nul.statusCode, 400);
        assert.equal((nul.json() as { error: { field: string } }).error.field, 'name');
      });
    });
  });
}
