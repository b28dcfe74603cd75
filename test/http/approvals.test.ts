import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { loanById } from '../../src/servicing/loans.js';
import { BACKENDS } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { simulate } from '../support/simulate.js';
import { withTestApp } from '../support/test-app.js';

for (const backend of BACKENDS) {
  describe(`maker-checker on ${backend}`, () => {
    it('a write-off waits for a second person; the maker cannot check it; the checker runs it', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const line = await borrowerWithLine(db);
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '20000.00', termDays: 30 }, 'u'));
        await simulate(db, loanId, { classification: 'loss', provision: 20_000_00n, principalDue: 20_000_00n, dpd: 400 });
        const maker = { authorization: `Bearer ${await tokenFor('risk-officer')}` };

        const requested = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/write-off`, headers: { ...maker, 'idempotency-key': 'wo-req-000001' }, payload: { reason: 'enterprise deregistered, no assets' } });
        assert.equal(requested.statusCode, 202, requested.body);
        const request = requested.json() as { id: string; status: string; maker: string };
        assert.deepEqual([request.status, request.maker], ['pending', 'risk-officer']);
        assert.equal((await loanById(db, loanId)).status, 'active');

        const twice = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/write-off`, headers: { ...maker, 'idempotency-key': 'wo-req-000002' }, payload: { reason: 'enterprise deregistered, no assets' } });
        assert.equal(twice.statusCode, 409);

        const self = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: maker, payload: { decision: 'approve' } });
        assert.equal(self.statusCode, 403);
        assert.match((self.json() as { error: { message: string } }).error.message, /different person/);
        assert.equal((await loanById(db, loanId)).status, 'active');

        const checker = { authorization: `Bearer ${await tokenFor('admin')}` };
        const queue = await app.inject({ method: 'GET', url: '/v1/approvals', headers: checker });
        assert.deepEqual((queue.json() as { id: string }[]).map((row) => row.id), [request.id]);
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: checker, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);
        const body = approved.json() as { status: string; checker: string; result: { total: string; provisionUsed: string } };
        assert.deepEqual([body.status, body.checker, body.result.total, body.result.provisionUsed], ['approved', 'admin', '20000.00', '20000.00']);
        assert.equal((await loanById(db, loanId)).status, 'written-off');
        const again = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: checker, payload: { decision: 'reject' } });
        assert.equal(again.statusCode, 409);
      });
    });
  });

  describe(`manual journal entries on ${backend}`, () => {
    it('an operator requests an entry, only an administrator posts it, and sub-ledger accounts are refused', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const operator = { authorization: `Bearer ${await tokenFor('operator')}` };
        const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
        const refused = await app.inject({
          method: 'POST', url: '/v1/ledger/entries', headers: { ...operator, 'idempotency-key': 'manual-000001' },
          payload: { description: 'book interest by hand', lines: [{ account: 'interest-receivable', amount: '10.00' }, { account: 'interest-income', amount: '-10.00' }] },
        });
        assert.equal(refused.statusCode, 400);
        assert.equal((refused.json() as { error: { field: string } }).error.field, 'lines.0.account');
        const unbalanced = await app.inject({
          method: 'POST', url: '/v1/ledger/entries', headers: { ...operator, 'idempotency-key': 'manual-000002' },
          payload: { description: 'return an overpayment', lines: [{ account: 'suspense', amount: '300.00' }, { account: 'settlement', amount: '-299.99' }] },
        });
        assert.equal(unbalanced.statusCode, 400);
        assert.equal((unbalanced.json() as { error: { field: string } }).error.field, 'lines');

        const made = await app.inject({
          method: 'POST', url: '/v1/ledger/entries', headers: { ...operator, 'idempotency-key': 'manual-000003' },
          payload: { description: 'return an overpayment to the borrower', lines: [{ account: 'suspense', amount: '300.00' }, { account: 'settlement', amount: '-300.00' }] },
        });
        assert.equal(made.statusCode, 202, made.body);
        const id = (made.json() as { id: string }).id;
        const riskOfficer = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const wrongChecker = await app.inject({ method: 'POST', url: `/v1/approvals/${id}/decision`, headers: riskOfficer, payload: { decision: 'approve' } });
        assert.equal(wrongChecker.statusCode, 403);
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${id}/decision`, headers: admin, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);
        const tb = await app.inject({ method: 'GET', url: '/v1/ledger/trial-balance', headers: admin });
        const accounts = (tb.json() as { balanced: boolean; accounts: { purpose: string; balance: string }[] }).accounts;
        assert.equal(accounts.find((row) => row.purpose === 'suspense')?.balance, '300.00');
        assert.equal(accounts.find((row) => row.purpose === 'settlement')?.balance, '-300.00');
        const events = await app.inject({ method: 'GET', url: `/v1/audit/events?entityId=${id}`, headers: { authorization: `Bearer ${await tokenFor('auditor')}` } });
        assert.deepEqual((events.json() as { action: string; actor: string }[]).map((event) => [event.action, event.actor]), [['approval.approved', 'admin'], ['approval.request', 'operator']]);
        const verification = await app.inject({ method: 'GET', url: '/v1/audit/verification', headers: admin });
        assert.equal((verification.json() as { intact: boolean }).intact, true);
      });
    });
  });
}
