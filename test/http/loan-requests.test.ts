import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { DATA_SOURCES, simulatedEnterpriseInput, simulatedPopulation } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import type { StoredRecord } from '../../src/db/schema.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { runEod } from '../../src/eod/run-eod.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { withTestApp, type TestApp } from '../support/test-app.js';

/** A borrower user bound to `enterpriseId`, logged in. */
async function borrowerOf({ app, db }: TestApp, username: string, enterpriseId: string) {
  await createUser(db, { username, displayName: username, role: 'borrower', password: 'owner-password-1', enterpriseId });
  const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username, password: 'owner-password-1' } });
  return { authorization: `Bearer ${(login.json() as { token: string }).token}` };
}

for (const backend of BACKENDS) {
  describe(`borrower loan requests on ${backend}`, () => {
    it('the payoff quote splits accrued interest and principal exactly as paying it does, and moves nothing', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db } = test;
        // 100,000.00 at 3.6 % on a 360-day year: 10.00 a day.
        const line = await borrowerWithLine(db, '300000.00', 'MICRO-LINE', '3.6');
        const owner = await borrowerOf(test, 'owner-a', line.enterpriseId);
        const draw = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...owner, 'idempotency-key': 'payoff-draw-01' }, payload: { amount: '100000.00', termDays: 90 } });
        assert.equal(draw.statusCode, 201, draw.body);
        const loanId = (draw.json() as { loanId: string }).loanId;
        for (let day = 0; day < 3; day += 1) await runEod(db);

        const quote = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/payoff-quote`, headers: owner });
        assert.equal(quote.statusCode, 200, quote.body);
        const body = quote.json() as { asOf: string; amount: string; allocation: Record<string, string>; balances: { payoff: string } };
        assert.equal(body.asOf, '2025-07-03');
        assert.equal(body.amount, '100030.00');
        assert.deepEqual(body.allocation, { penalty: '0.00', interestDue: '0.00', principalDue: '0.00', interestAccrued: '30.00', principalNotDue: '100000.00', overpayment: '0.00' });
        const again = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/payoff-quote`, headers: owner });
        assert.deepEqual(again.json(), quote.json(), 'a quote changes nothing');

        const paid = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/repayments`, headers: { ...owner, 'idempotency-key': 'payoff-pay-01' }, payload: { amount: body.amount } });
        assert.equal(paid.statusCode, 201, paid.body);
        const repayment = paid.json() as { loanStatus: string; allocation: Record<string, string> };
        assert.equal(repayment.loanStatus, 'closed');
        assert.deepEqual(repayment.allocation, body.allocation);
        const closed = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/payoff-quote`, headers: owner });
        assert.deepEqual([(closed.json() as { amount: string; loanStatus: string }).amount, (closed.json() as { loanStatus: string }).loanStatus], ['0.00', 'closed']);

        const stranger = await borrowerOf(test, 'owner-b', (await borrowerWithLine(db)).enterpriseId);
        const hidden = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/payoff-quote`, headers: stranger });
        assert.equal(hidden.statusCode, 404, "another borrower's loan is not found");
      });
    });

    it('a borrower asks for a renewal within the window before maturity; staff see it and the renewal settles it', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db, tokenFor } = test;
        const line = await borrowerWithLine(db, '80000.00', 'SHORT-TERM');
        const owner = await borrowerOf(test, 'owner-r', line.enterpriseId);
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}` };
        const draw = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...owner, 'idempotency-key': 'renew-req-draw' }, payload: { amount: '80000.00', termDays: 180 } });
        const loanId = (draw.json() as { loanId: string }).loanId;
        assert.equal((draw.json() as { maturityOn: string }).maturityOn, '2025-12-27');

        // The day it is drawn is months before the window: SHORT-TERM opens it 30 days before maturity.
        const early = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewal-requests`, headers: owner, payload: { termDays: 365, note: '订单未回款' } });
        assert.equal(early.statusCode, 409, early.body);
        assert.deepEqual((early.json() as { error: unknown }).error, {
          code: 'CONFLICT',
          message: `a renewal of loan ${loanId} may be asked for from 2025-11-27, 30 days before it matures on 2025-12-27 (today is 2025-06-30)`,
          field: 'loanId',
          reason: 'renewal-window-not-open',
          params: { opensOn: '2025-11-27', maturityOn: '2025-12-27', days: 30 },
        });
        await setBusinessDate(db, parseBusinessDate('2025-11-26', 'date'));
        const dayBefore = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewal-requests`, headers: owner, payload: { termDays: 365, note: '订单未回款' } });
        assert.equal((dayBefore.json() as { error: { reason: string } }).error.reason, 'renewal-window-not-open', 'the window opens on the 30th day before maturity, not the 31st');
        await setBusinessDate(db, parseBusinessDate('2025-11-27', 'date'));

        const bad = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewal-requests`, headers: owner, payload: { termDays: 180, installments: 6, note: '订单未回款' } });
        assert.equal(bad.statusCode, 400);
        assert.equal((bad.json() as { error: { field: string } }).error.field, 'termDays');
        const asked = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewal-requests`, headers: owner, payload: { termDays: 365, note: '订单未回款' } });
        assert.equal(asked.statusCode, 201, asked.body);
        const request = asked.json() as { id: string; status: string; termDays: number; businessDate: string; enterpriseId: string };
        assert.deepEqual([request.status, request.termDays, request.businessDate, request.enterpriseId], ['pending', 365, '2025-11-27', line.enterpriseId]);
        const twice = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewal-requests`, headers: owner, payload: { termDays: 365, note: '再问一次' } });
        assert.equal(twice.statusCode, 409);

        const queue = await app.inject({ method: 'GET', url: '/v1/renewal-requests', headers: approver });
        assert.deepEqual((queue.json() as { id: string }[]).map((row) => row.id), [request.id]);
        const stranger = await borrowerOf(test, 'owner-s', (await borrowerWithLine(db)).enterpriseId);
        assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/renewal-requests', headers: stranger })).json(), []);
        assert.equal((await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewal-requests`, headers: stranger, payload: { termDays: 30, note: 'x' } })).statusCode, 404);

        const attestation = { lawfulOperation: true, stableOperation: true, goodCredit: true, meetsLendingCriteria: true };
        const renewed = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewals`, headers: { ...approver, 'idempotency-key': 'renew-req-0001' }, payload: { termDays: 365, attestation } });
        assert.equal(renewed.statusCode, 201, renewed.body);
        const newLoanId = (renewed.json() as { newLoanId: string }).newLoanId;
        const mine = await app.inject({ method: 'GET', url: '/v1/renewal-requests?status=renewed', headers: owner });
        assert.deepEqual((mine.json() as { id: string; newLoanId: string }[]).map((row) => [row.id, row.newLoanId]), [[request.id, newLoanId]]);
        assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/renewal-requests', headers: approver })).json(), []);
        const late = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/renewal-requests`, headers: owner, payload: { termDays: 30, note: '旧贷款' } });
        assert.equal(late.statusCode, 409, 'the old loan is renewed, no longer active');
      });
    });

    it('data series give power, water and tax by month from the latest pull; history lists the events, staff only', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db, tokenFor } = test;
        const firm = simulatedPopulation({ seed: 2025, size: 1 })[0]!;
        const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(firm), 'account-manager'));
        const owner = await borrowerOf(test, 'owner-d', enterprise.id);
        const officer = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const empty = await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/data-series`, headers: officer });
        assert.deepEqual(empty.json(), { months: [], electricityKwh: [], waterTonnes: [], invoicedSales: [], taxPaid: [] });

        const expiresOn = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
        await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: owner, payload: { sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn } });
        const applied = await app.inject({ method: 'POST', url: '/v1/applications', headers: owner, payload: { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' } });
        assert.equal(applied.statusCode, 201, applied.body);

        const series = await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/data-series`, headers: officer });
        assert.equal(series.statusCode, 200, series.body);
        const body = series.json() as { months: string[]; electricityKwh: number[]; waterTonnes: number[]; invoicedSales: string[]; taxPaid: string[] };
        assert.equal(body.months.length, 24, 'two years of months');
        assert.deepEqual([...body.months].sort(), body.months);
        for (const values of [body.electricityKwh, body.waterTonnes, body.invoicedSales, body.taxPaid]) assert.equal(values.length, 24);
        // The series are the stored records, month by month.
        const stored = await db.selectFrom('data_record_set').select('records').where('enterprise_id', '=', enterprise.id).where('source', '=', 'electricity').executeTakeFirstOrThrow();
        const records = (JSON.parse(stored.records) as StoredRecord[]).filter((record) => record.kind === 'electricity-month').sort((a, b) => a.period.localeCompare(b.period));
        assert.deepEqual(body.electricityKwh, records.map((record) => (record.payload as { kwh: number }).kwh));
        assert.ok(body.invoicedSales.every((value) => /^[0-9]+\.[0-9]{2}$/.test(value)));
        assert.deepEqual((await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/data-series`, headers: owner })).json(), body, 'the borrower sees its own');

        const history = await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/history`, headers: officer });
        const actions = (history.json() as { action: string; at: string }[]).map((event) => event.action);
        for (const action of ['data-authorisation.grant', 'data.pull']) assert.ok(actions.includes(action), `${action} in ${actions.join(',')}`);
        assert.ok(actions.some((action) => action.startsWith('application.')), actions.join(','));
        const times = (history.json() as { at: string }[]).map((event) => event.at);
        assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/history`, headers: owner })).statusCode, 403);

        const stranger = await borrowerOf(test, 'owner-x', (await borrowerWithLine(db)).enterpriseId);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/data-series`, headers: stranger })).statusCode, 404);
        assert.equal((await app.inject({ method: 'GET', url: '/v1/enterprises/0190a4f1-0000-7000-8000-000000000000/history', headers: officer })).statusCode, 404);
      });
    });
  });
}
