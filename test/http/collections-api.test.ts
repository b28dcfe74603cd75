import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runEod } from '../../src/eod/run-eod.js';
import { BACKENDS } from '../support/backends.js';
import { createEnterprise, createLoan } from '../support/loan-fixtures.js';
import { withTestApp } from '../support/test-app.js';

for (const backend of BACKENDS) {
  describe(`collections API on ${backend}`, () => {
    it('a risk officer assigns, the collector works only their own case, the case and the timeline list what was done', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        const enterpriseId = await createEnterprise(db, '绿芽茶业');
        const loanId = await createLoan(db, {
          enterpriseId,
          principal: 5_000_000n,
          disbursedOn: '2025-05-20',
          installments: [{ dueOn: '2025-06-20', principal: 1_000_000n }, { dueOn: '2025-12-20', principal: 4_000_000n }],
          overdue: { principal: 1_000_000n, since: '2025-06-20' },
        });
        await runEod(db);

        const before = await app.inject({ method: 'GET', url: '/v1/collections/worklist?collector=none', headers: await as('collector') });
        assert.equal(before.statusCode, 200, before.body);
        const unassigned = before.json() as { total: number; items: { loanId: string; daysPastDue: number; bucket: string; overdueAmount: string }[] };
        assert.deepEqual(unassigned.items.map((row) => [row.loanId, row.bucket]), [[loanId, '1-30']]);
        // Named by its note number (借据号), and found by part of it.
        const { note_no: noteNo } = await db.selectFrom('loan').select('note_no').where('id', '=', loanId).executeTakeFirstOrThrow();
        assert.deepEqual((unassigned.items as unknown as { noteNo: string }[]).map((row) => row.noteNo), [noteNo]);
        const byNote = (await app.inject({ method: 'GET', url: `/v1/collections/worklist?q=${noteNo.slice(-5)}`, headers: await as('collector') })).json() as { items: { loanId: string }[] };
        assert.deepEqual(byNote.items.map((row) => row.loanId), [loanId]);

        const refused = await app.inject({ method: 'POST', url: `/v1/collections/loans/${loanId}/contacts`, headers: await as('collector'), payload: { channel: 'call', outcome: 'no-answer', note: '' } });
        assert.equal(refused.statusCode, 403);
        const byCollector = await app.inject({ method: 'PUT', url: `/v1/collections/loans/${loanId}/assignment`, headers: await as('collector'), payload: { collector: 'collector' } });
        assert.equal(byCollector.statusCode, 403);
        const assigned = await app.inject({ method: 'PUT', url: `/v1/collections/loans/${loanId}/assignment`, headers: await as('risk-officer'), payload: { collector: 'collector' } });
        assert.equal(assigned.statusCode, 200, assigned.body);
        assert.deepEqual(assigned.json(), { loanId, collector: 'collector', previous: null, assignedOn: '2025-07-01' });

        const contact = await app.inject({
          method: 'POST',
          url: `/v1/collections/loans/${loanId}/contacts`,
          headers: await as('collector'),
          payload: { channel: 'visit', outcome: 'promise-made', note: '厂长在场', promise: { amount: '2500.00', promisedOn: '2025-07-04' } },
        });
        assert.equal(contact.statusCode, 201, contact.body);
        const made = contact.json() as { contact: { channel: string; outcome: string; contactedOn: string }; promise: { amount: string; status: string; madeOn: string; promisedOn: string } };
        assert.deepEqual([made.contact.channel, made.contact.outcome, made.contact.contactedOn], ['visit', 'promise-made', '2025-07-01']);
        assert.deepEqual([made.promise.amount, made.promise.status, made.promise.madeOn, made.promise.promisedOn], ['2500.00', 'open', '2025-07-01', '2025-07-04']);
        const twice = await app.inject({ method: 'POST', url: `/v1/collections/loans/${loanId}/promises`, headers: await as('collector'), payload: { amount: '100.00', promisedOn: '2025-07-02' } });
        assert.equal(twice.statusCode, 409);
        const badAmount = await app.inject({ method: 'POST', url: `/v1/collections/loans/${loanId}/promises`, headers: await as('collector'), payload: { amount: '0.00', promisedOn: '2025-07-02' } });
        assert.equal(badAmount.statusCode, 400);

        const mine = (await app.inject({ method: 'GET', url: '/v1/collections/worklist?collector=me', headers: await as('collector') })).json() as { total: number; items: { openPromise: unknown; lastContact: unknown; collector: string }[] };
        assert.deepEqual([mine.total, mine.items[0]!.collector, mine.items[0]!.openPromise, mine.items[0]!.lastContact], [1, 'collector', { amount: '2500.00', promisedOn: '2025-07-04' }, { on: '2025-07-01', channel: 'visit', outcome: 'promise-made' }]);

        const legal = await app.inject({ method: 'POST', url: `/v1/collections/loans/${loanId}/steps`, headers: await as('risk-officer'), payload: { kind: 'legal-action', note: '(2025)浙0106民初1234号' } });
        assert.equal(legal.statusCode, 201, legal.body);
        const stepId = (legal.json() as { id: string }).id;
        const done = await app.inject({ method: 'POST', url: `/v1/collections/steps/${stepId}/done`, headers: await as('risk-officer') });
        assert.deepEqual([(done.json() as { status: string }).status, (done.json() as { doneOn: string }).doneOn], ['done', '2025-07-01']);

        const found = (await app.inject({ method: 'GET', url: `/v1/collections/loans/${loanId}`, headers: await as('auditor') })).json() as { enterpriseName: string; collector: string; contacts: unknown[]; promises: unknown[]; steps: { kind: string; status: string }[] };
        assert.deepEqual([found.enterpriseName, found.collector, found.contacts.length, found.promises.length, found.steps.map((s) => [s.kind, s.status])], ['绿芽茶业', 'collector', 1, 1, [['legal-action', 'done']]]);

        const timeline = await app.inject({ method: 'GET', url: `/v1/enterprises/${enterpriseId}/timeline`, headers: await as('collector') });
        assert.equal(timeline.statusCode, 200, timeline.body);
        assert.deepEqual((timeline.json() as { kind: string; businessDate: string; amount: string | null }[]).map((e) => [e.businessDate, e.kind, e.amount]), [
          ['2025-07-01', 'collection-step', null],
          ['2025-07-01', 'promise', '2500.00'],
          ['2025-07-01', 'contact', null],
          ['2025-05-20', 'drawdown', '50000.00'],
        ]);
        const borrower = await app.inject({ method: 'GET', url: `/v1/enterprises/${enterpriseId}/timeline`, headers: await as('borrower') });
        assert.equal(borrower.statusCode, 403);
        const funnel = (await app.inject({ method: 'GET', url: '/v1/collections/funnel', headers: await as('management') })).json() as { stage: string; loans: number; overdue: string }[];
        assert.deepEqual(funnel.map((s) => [s.stage, s.loans]), [['overdue', 1], ['assigned', 1], ['contacted', 1], ['promised', 1], ['kept', 0]]);
      });
    });
  });
}
