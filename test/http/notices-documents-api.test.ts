import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { cjkFont } from '../../src/documents/document-pdf.js';
import { enqueueNotice } from '../../src/notifications/outbox.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { BACKENDS } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { withTestApp, type TestApp } from '../support/test-app.js';

async function borrowerOf({ app, db }: TestApp, username: string, enterpriseId: string) {
  await createUser(db, { username, displayName: username, role: 'borrower', password: 'owner-password-1', enterpriseId });
  const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username, password: 'owner-password-1' } });
  return { authorization: `Bearer ${(login.json() as { token: string }).token}` };
}

type Notice = { kind: string; status: string; params: Record<string, string>; texts: { zh: { title: string }; en: { title: string } } };

for (const backend of BACKENDS) {
  describe(`notices and documents over HTTP on ${backend}`, () => {
    it('a borrower reads its own receipts (never staff warnings) and prints its loan note and receipt; staff see the outbox with its status; a stranger sees nothing', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db, tokenFor } = test;
        const line = await borrowerWithLine(db);
        const owner = await borrowerOf(test, 'owner-n', line.enterpriseId);
        const draw = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...owner, 'idempotency-key': 'notice-draw-01' }, payload: { amount: '20000.00', termDays: 90 } });
        assert.equal(draw.statusCode, 201, draw.body);
        const { loanId, noteNo } = draw.json() as { loanId: string; noteNo: string };
        const paid = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/repayments`, headers: { ...owner, 'idempotency-key': 'notice-repay-01' }, payload: { amount: '1000.00' } });
        assert.equal(paid.statusCode, 201, paid.body);
        await enqueueNotice(db, { kind: 'warning', dedupeKey: 'warning:test', enterpriseId: line.enterpriseId, businessDate: parseBusinessDate('2025-06-30', 'd'), params: { ruleId: 'tax-drop', level: 'red', raisedOn: '2025-06-30', value: '0.5', enterpriseName: 'x' } });

        const own = (await app.inject({ method: 'GET', url: `/v1/enterprises/${line.enterpriseId}/notifications`, headers: owner })).json() as Notice[];
        assert.deepEqual(own.map((n) => n.kind), ['repayment-receipt', 'drawdown-receipt']);
        assert.equal(own[1]!.texts.zh.title, `放款回单：借据 ${noteNo}`);
        assert.equal(own[0]!.params['amount'], '1000.00');
        const staff = { authorization: `Bearer ${await tokenFor('operator')}` };
        const outbox = (await app.inject({ method: 'GET', url: `/v1/notifications?status=pending&limit=10`, headers: staff })).json() as Notice[];
        assert.deepEqual(outbox.map((n) => [n.kind, n.status]), [['warning', 'pending'], ['repayment-receipt', 'pending'], ['drawdown-receipt', 'pending']]);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/notifications?limit=0`, headers: staff })).statusCode, 400);

        const note = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/note`, headers: owner });
        assert.equal(note.statusCode, 200);
        assert.match(String(note.headers['content-type']), /^text\/html/);
        for (const text of [noteNo, '20000.00', '4.35%', '2025-06-30', '借款借据']) assert.ok(note.body.includes(text), text);
        const [repayment] = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayments`, headers: owner })).json() as { entryId: string }[];
        const receipt = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayments/${repayment!.entryId}/receipt`, headers: owner });
        assert.equal(receipt.statusCode, 200);
        for (const text of [noteNo, '1000.00', '还款回单']) assert.ok(receipt.body.includes(text), text);
        if (cjkFont() !== null) {
          const pdf = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/note?format=pdf`, headers: owner });
          assert.equal(pdf.statusCode, 200);
          assert.equal(pdf.headers['content-type'], 'application/pdf');
          assert.equal(pdf.headers['content-disposition'], `attachment; filename="${noteNo}.pdf"`);
          assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
        }

        const stranger = await borrowerOf(test, 'stranger-n', (await borrowerWithLine(db)).enterpriseId);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${line.enterpriseId}/notifications`, headers: stranger })).statusCode, 404);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/note`, headers: stranger })).statusCode, 404);
        assert.equal((await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayments/${repayment!.entryId}/receipt?format=pdf`, headers: stranger })).statusCode, 404);
      });
    });
  });
}
