import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { DEMO_RENEWAL, demoRenewal } from '../../src/demo/generate-demo.js';
import { runEod } from '../../src/eod/run-eod.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { decideRenewal, requestRenewal } from '../../src/servicing/renewal-requests.js';
import { BACKENDS } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { withTestApp } from '../support/test-app.js';

/** A micro borrower's 50,000.00 working-capital loan for 7 days, on a line of its own. */
async function loanOnLine(db: Kysely<Database>): Promise<string> {
  const line = await borrowerWithLine(db, '80000.00', 'SHORT-TERM');
  return (await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '50000.00', termDays: 7 }, 'owner'))).loanId;
}

/** Everything a renewal changes about a loan, without ids, actors or clock times. */
async function stateAfterRenewal(db: Kysely<Database>, oldLoanId: string) {
  const old = await db.selectFrom('loan').selectAll().where('id', '=', oldLoanId).executeTakeFirstOrThrow();
  const fresh = await db.selectFrom('loan').selectAll().where('renewed_from_id', '=', oldLoanId).executeTakeFirstOrThrow();
  const requests = await db.selectFrom('renewal_request').select(['status', 'new_loan_id', 'term_days', 'business_date']).where('loan_id', '=', oldLoanId).execute();
  const installments = await db.selectFrom('loan_installment').select(['number', 'due_on', 'principal', 'interest']).where('loan_id', '=', fresh.id).orderBy('number').execute();
  const entries = await db
    .selectFrom('journal_entry')
    .innerJoin('journal_line', (join) => join.onRef('journal_line.entry_id', '=', 'journal_entry.id').onRef('journal_line.enterprise_id', '=', 'journal_entry.enterprise_id'))
    .select(['journal_entry.kind', 'journal_entry.business_date', 'journal_line.account_code', 'journal_line.amount'])
    .where('journal_entry.loan_id', 'in', [oldLoanId, fresh.id])
    .orderBy('journal_entry.kind')
    .orderBy('journal_line.account_code')
    .execute();
  const audit = await db.selectFrom('audit_event').select('action').where('entity_id', '=', oldLoanId).orderBy('stream').orderBy('position').execute();
  const pick = (loan: typeof old) => ({
    status: loan.status, disbursedOn: loan.disbursed_on, maturityOn: loan.maturity_on, principal: loan.principal, principalNotDue: loan.principal_not_due,
    principalDue: loan.principal_due, interestAccrued: loan.interest_accrued, interestDue: loan.interest_due, classification: loan.classification, provision: loan.provision,
    nextDueOn: loan.next_due_on, lastEodOn: loan.last_eod_on,
  });
  return {
    old: pick(old),
    fresh: pick(fresh),
    requests: requests.map(({ new_loan_id: newLoanId, ...row }) => ({ ...row, newLoanIsTheRenewal: newLoanId === fresh.id })),
    installments,
    entries,
    audit: audit.map((row) => row.action).sort(),
  };
}

for (const backend of BACKENDS) {
  describe(`deciding a renewal request is one service on ${backend}`, () => {
    it('the demo and the API (renew + settle through decideRenewal) leave the same state', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const viaApi = await loanOnLine(db);
        const viaDemo = await loanOnLine(db);
        for (let night = 0; night < 4; night++) await runEod(db); // today 2025-07-04, maturity 2025-07-07
        const now = new Date('2025-07-04T02:00:00.000Z');

        // The API path: the borrower's request (the same service its route calls), then staff decide over HTTP.
        await inTransaction(db, (trx) => requestRenewal(trx, { loanId: viaApi, termDays: DEMO_RENEWAL.termDays, note: DEMO_RENEWAL.note }, 'owner', now));
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}`, 'idempotency-key': 'renewal-decision-01' };
        const response = await app.inject({ method: 'POST', url: `/v1/loans/${viaApi}/renewals`, headers: approver, payload: { termDays: DEMO_RENEWAL.termDays, attestation: DEMO_RENEWAL.attestation } });
        assert.equal(response.statusCode, 201, response.body);
        // The demo path.
        const outcome = await demoRenewal(db, viaDemo, now);
        assert.equal(outcome.decision, 'renewed');

        const api = await stateAfterRenewal(db, viaApi);
        const demo = await stateAfterRenewal(db, viaDemo);
        assert.deepEqual(demo, api);
        // And the state is what a renewal means: 4 nights of interest collected, the request settled.
        assert.deepEqual(api.requests, [{ status: 'renewed', term_days: 90, business_date: '2025-07-04', newLoanIsTheRenewal: true }]);
        assert.deepEqual([api.old.status, api.old.principalNotDue, api.old.interestAccrued], ['renewed', 0n, 0n]);
        assert.deepEqual([api.fresh.status, api.fresh.principal, api.fresh.disbursedOn, api.fresh.maturityOn], ['active', 50_000_00n, '2025-07-04', '2025-10-02']);
        assert.deepEqual(api.audit, ['loan.drawdown', 'loan.renewal', 'loan.renewal-requested']);
      });
    });

    it('a refusal settles the pending request as refused and renews nothing', async () => {
      await withTestApp(backend, async ({ db }) => {
        const loanId = await loanOnLine(db);
        const now = new Date('2025-06-30T02:00:00.000Z');
        await inTransaction(db, (trx) => requestRenewal(trx, { loanId, termDays: 90, note: '申请续贷' }, 'owner', now));
        const outcome = await inTransaction(db, (trx) => decideRenewal(trx, { loanId, termDays: 90, attestation: { ...DEMO_RENEWAL.attestation, goodCredit: false } }, 'credit-approver'));
        assert.equal(outcome.decision, 'refused');
        assert.deepEqual(outcome.decision === 'refused' && outcome.refusals.map((r) => r.code), ['BAD_CREDIT']);
        const request = await db.selectFrom('renewal_request').select(['status', 'settled_by', 'new_loan_id']).where('loan_id', '=', loanId).executeTakeFirstOrThrow();
        assert.deepEqual(request, { status: 'refused', settled_by: 'credit-approver', new_loan_id: null });
        assert.equal((await db.selectFrom('loan').select('status').where('id', '=', loanId).executeTakeFirstOrThrow()).status, 'active');
      });
    });
  });
}
