import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { DATA_SOURCES } from '../../src/data/index.js';
import { runEod } from '../../src/eod/run-eod.js';
import { getCreditLine } from '../../src/lines/credit-lines.js';
import { BACKENDS } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { withTestApp, type TestApp } from '../support/test-app.js';

async function borrowerOf({ app, db }: TestApp, username: string, enterpriseId: string) {
  await createUser(db, { username, displayName: username, role: 'borrower', password: 'owner-password-1', enterpriseId });
  const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username, password: 'owner-password-1' } });
  return { authorization: `Bearer ${(login.json() as { token: string }).token}` };
}

type Balances = { payoff: string; principalNotDue: string; interestAccrued: string };

for (const backend of BACKENDS) {
  describe(`borrower portal API on ${backend}`, () => {
    it('a repayment preview shows its allocation and the balances after, moves nothing, and refuses a borrower more than the payoff', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db } = test;
        // 100,000.00 at 3.6 % on a 360-day year: 10.00 a day.
        const line = await borrowerWithLine(db, '300000.00', 'MICRO-LINE', '3.6');
        const owner = await borrowerOf(test, 'owner-p', line.enterpriseId);
        const draw = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...owner, 'idempotency-key': 'preview-draw-01' }, payload: { amount: '100000.00', termDays: 90 } });
        const loanId = (draw.json() as { loanId: string }).loanId;
        for (let day = 0; day < 3; day += 1) await runEod(db);

        const preview = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayment-preview?amount=5000.00`, headers: owner });
        assert.equal(preview.statusCode, 200, preview.body);
        const body = preview.json() as { asOf: string; allocation: Record<string, string>; before: Balances; after: Balances; loanStatusAfter: string; lineAvailableAfter: string };
        assert.equal(body.asOf, '2025-07-03');
        assert.deepEqual(body.allocation, { penalty: '0.00', interestDue: '0.00', principalDue: '0.00', interestAccrued: '30.00', principalNotDue: '4970.00', overpayment: '0.00' });
        assert.deepEqual([body.before.payoff, body.after.payoff, body.after.principalNotDue, body.after.interestAccrued], ['100030.00', '95030.00', '95030.00', '0.00']);
        assert.equal(body.loanStatusAfter, 'active');
        assert.equal(body.lineAvailableAfter, '204970.00', 'the revolving line gets back the principal repaid');
        assert.equal((await getCreditLine(db, line.id)).available, 200_000_00n, 'a preview moves nothing');

        const full = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayment-preview?amount=100030.00`, headers: owner })).json() as { loanStatusAfter: string; after: Balances };
        assert.deepEqual([full.loanStatusAfter, full.after.payoff], ['closed', '0.00']);

        // ¥0.01 above the payoff: refused to the borrower in the preview and in the repayment itself.
        const over = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayment-preview?amount=100030.01`, headers: owner });
        assert.equal(over.statusCode, 422);
        assert.deepEqual([(over.json() as { error: { code: string; field: string } }).error.code, (over.json() as { error: { field: string } }).error.field], ['LIMIT_EXCEEDED', 'amount']);
        const overpaid = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/repayments`, headers: { ...owner, 'idempotency-key': 'overpay-000001' }, payload: { amount: '90000000.00' } });
        assert.equal(overpaid.statusCode, 422, overpaid.body);
        const loan = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}`, headers: owner })).json() as { balances: Balances };
        assert.equal(loan.balances.payoff, '100030.00', 'a refused repayment moves nothing');
        // At the counter, staff may take more and hold the surplus in suspense; the preview says so.
        const counter = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayment-preview?amount=100050.00`, headers: { authorization: `Bearer ${await test.tokenFor('operator')}` } })).json() as { allocation: { overpayment: string } };
        assert.equal(counter.allocation.overpayment, '20.00');
        // Someone else's loan is not there at all.
        const stranger = await borrowerOf(test, 'stranger-p', (await borrowerWithLine(db)).enterpriseId);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayment-preview?amount=1.00`, headers: stranger })).statusCode, 404);
      });
    });

    it('a double-tapped repayment (one key) moves money once; the history lists each payment with its allocation', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db } = test;
        const line = await borrowerWithLine(db, '300000.00', 'MICRO-LINE', '3.6');
        const owner = await borrowerOf(test, 'owner-h', line.enterpriseId);
        const draw = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...owner, 'idempotency-key': 'history-draw-1' }, payload: { amount: '100000.00', termDays: 90 } });
        const loanId = (draw.json() as { loanId: string }).loanId;
        for (let day = 0; day < 3; day += 1) await runEod(db);
        const tap = () => app.inject({ method: 'POST', url: `/v1/loans/${loanId}/repayments`, headers: { ...owner, 'idempotency-key': 'tap-tap-000001' }, payload: { amount: '5000.00' } });
        const [first, second] = await Promise.all([tap(), tap()]);
        assert.deepEqual([first.statusCode, second.statusCode], [201, 201]);
        assert.deepEqual(first.json(), second.json());
        await runEod(db);
        const later = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/repayments`, headers: { ...owner, 'idempotency-key': 'tap-tap-000002' }, payload: { amount: '1000.00' } });
        assert.equal(later.statusCode, 201, later.body);

        const history = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayments`, headers: owner })).json() as { paidOn: string; amount: string; penalty: string; interest: string; principal: string; overpayment: string; recordedBy: string }[];
        // One day at 95,030.00 × 3.6 % / 360 = 9.503, so 9.50 accrued; the rest is principal.
        assert.deepEqual(history.map((row) => [row.paidOn, row.amount, row.penalty, row.interest, row.principal, row.overpayment, row.recordedBy]), [
          ['2025-07-04', '1000.00', '0.00', '9.50', '990.50', '0.00', 'owner-h'],
          ['2025-07-03', '5000.00', '0.00', '30.00', '4970.00', '0.00', 'owner-h'],
        ]);
        const loan = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}`, headers: owner })).json() as { balances: Balances };
        assert.equal(loan.balances.principalNotDue, '94039.50');
        assert.equal((await getCreditLine(db, line.id)).available, 200_000_00n + 4_970_00n + 990_50n);
      });
    });

    it('after a prepayment the current schedule is shorter: the last installments shrink or fall away, and the next payment is named', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db } = test;
        const line = await borrowerWithLine(db, '300000.00', 'MICRO-LINE', '3.6');
        const owner = await borrowerOf(test, 'owner-s', line.enterpriseId);
        const draw = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...owner, 'idempotency-key': 'schedule-draw1' }, payload: { amount: '60000.00', installments: 6, method: 'equal-principal' } });
        assert.equal(draw.statusCode, 201, draw.body);
        const loanId = (draw.json() as { loanId: string }).loanId;
        const paid = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/repayments`, headers: { ...owner, 'idempotency-key': 'schedule-pay01' }, payload: { amount: '25000.00' } });
        assert.equal(paid.statusCode, 201, paid.body);

        const current = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/current-schedule`, headers: owner })).json() as {
          installments: { dueOn: string; principal: string; interest: string; state: string }[];
          remainingPrincipal: string;
          next: { dueOn: string; principal: string; interest: string; dueNow: string; total: string };
        };
        assert.deepEqual(current.installments.map((row) => [row.dueOn, row.principal, row.interest, row.state]), [
          // 35,000.00 × 3.6 % × 30/360 = 105.00; then 25,000 for 31 days, 15,000 for 31, 5,000 for 30.
          ['2025-07-30', '10000.00', '105.00', 'upcoming'],
          ['2025-08-30', '10000.00', '77.50', 'upcoming'],
          ['2025-09-30', '10000.00', '46.50', 'upcoming'],
          ['2025-10-30', '5000.00', '15.00', 'upcoming'],
          ['2025-11-30', '0.00', '0.00', 'prepaid'],
          ['2025-12-30', '0.00', '0.00', 'prepaid'],
        ]);
        assert.equal(current.remainingPrincipal, '35000.00');
        assert.deepEqual(current.next, { dueOn: '2025-07-30', principal: '10000.00', interest: '105.00', dueNow: '0.00', total: '10105.00' });
      });
    });

    it('a drawdown preview checks what is available before anything is confirmed, and reserves nothing', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db } = test;
        const line = await borrowerWithLine(db, '300000.00', 'MICRO-LINE', '3.6');
        const owner = await borrowerOf(test, 'owner-d', line.enterpriseId);
        const ok = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdown-preview`, headers: owner, payload: { amount: '100000.00', termDays: 90 } });
        assert.equal(ok.statusCode, 200, ok.body);
        const plan = ok.json() as { maturityOn: string; lineAvailable: string; lineAvailableAfter: string; schedule: { totalInterest: string; totalRepayment: string } };
        // 100,000.00 × 3.6 % × 90/360 = 900.00.
        assert.deepEqual([plan.maturityOn, plan.lineAvailable, plan.lineAvailableAfter, plan.schedule.totalInterest, plan.schedule.totalRepayment], ['2025-09-28', '300000.00', '200000.00', '900.00', '100900.00']);
        const tooMuch = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdown-preview`, headers: owner, payload: { amount: '300000.01', termDays: 90 } });
        assert.equal(tooMuch.statusCode, 422);
        assert.deepEqual((tooMuch.json() as { error: { code: string; field: string } }).error.code, 'LIMIT_EXCEEDED');
        assert.deepEqual((tooMuch.json() as { error: { field: string } }).error.field, 'amount');
        assert.equal((await getCreditLine(db, line.id)).available, 300_000_00n, 'a preview reserves nothing');
        const longTerm = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdown-preview`, headers: owner, payload: { amount: '1000.00', installments: 24 } });
        assert.equal((longTerm.json() as { error: { field: string } }).error.field, 'installments', 'a term beyond the product is refused at preview');
      });
    });

    it('an owner lists its authorisations and withdraws one: audited, in force no more, and applications stop', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db } = test;
        const line = await borrowerWithLine(db);
        const owner = await borrowerOf(test, 'owner-w', line.enterpriseId);
        const expiresOn = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
        const granted = await app.inject({ method: 'POST', url: `/v1/enterprises/${line.enterpriseId}/authorisations`, headers: owner, payload: { sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn } });
        assert.equal(granted.statusCode, 201, granted.body);
        const id = (granted.json() as { id: string }).id;
        const listed = (await app.inject({ method: 'GET', url: `/v1/enterprises/${line.enterpriseId}/authorisations`, headers: owner })).json() as { id: string; inForce: boolean; withdrawnAt: string | null; expiresOn: string }[];
        assert.deepEqual(listed.map((row) => [row.id, row.inForce, row.withdrawnAt, row.expiresOn]), [[id, true, null, expiresOn]]);

        const stranger = await borrowerOf(test, 'stranger-w', (await borrowerWithLine(db)).enterpriseId);
        assert.equal((await app.inject({ method: 'POST', url: `/v1/authorisations/${id}/withdrawal`, headers: stranger })).statusCode, 404);
        const withdrawn = await app.inject({ method: 'POST', url: `/v1/authorisations/${id}/withdrawal`, headers: owner });
        assert.equal(withdrawn.statusCode, 200, withdrawn.body);
        assert.equal((withdrawn.json() as { inForce: boolean }).inForce, false);
        const again = await app.inject({ method: 'POST', url: `/v1/authorisations/${id}/withdrawal`, headers: owner });
        assert.equal(again.statusCode, 409);
        const after = (await app.inject({ method: 'GET', url: `/v1/enterprises/${line.enterpriseId}/authorisations`, headers: owner })).json() as { inForce: boolean; withdrawnAt: string | null }[];
        assert.equal(after[0]!.inForce, false);
        assert.ok(after[0]!.withdrawnAt !== null);
        const applied = await app.inject({ method: 'POST', url: '/v1/applications', headers: owner, payload: { enterpriseId: line.enterpriseId, productCode: 'MICRO-LINE' } });
        assert.equal(applied.statusCode, 403, 'no pull rests on a withdrawn authorisation');
        assert.equal((applied.json() as { error: { field: string } }).error.field, 'sources');
        const audit = await db.selectFrom('audit_event').select(['action', 'actor']).where('entity_id', '=', id).orderBy('position').execute();
        assert.deepEqual(audit.map((row) => [row.action, row.actor]), [['data-authorisation.grant', 'owner-w'], ['data-authorisation.revoke', 'owner-w']]);
      });
    });
  });
}
