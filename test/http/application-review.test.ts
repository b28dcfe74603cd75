import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { DATA_SOURCES, grantDataAuthorisation, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider } from '../../src/data/index.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { applyForCredit } from '../../src/decision/apply-for-credit.js';
import { DEFAULT_DECISION_CONFIG } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { DEFAULT_POLICY, type PolicyRule } from '../../src/decision/policy-rules.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { createUser } from '../../src/auth/users.js';
import { verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';
import { minor } from '../../src/money/minor.js';

const NOW = new Date('2025-06-30T02:00:00Z');
// Every applicant not declined is referred, so the tests have referrals whatever the tuning.
const REFER_ALL = DEFAULT_DECISION_CONFIG(defaultScorecard());
const config = { ...REFER_ALL, policy: { ...DEFAULT_POLICY, version: 'test-refer-all', rules: [...DEFAULT_POLICY.rules, { id: 'R99', description: 'everyone to a person', when: [{ feature: 'years_in_business', op: '>=', value: 0 }], outcome: 'refer', reasonCode: 'MANUAL_REVIEW' } satisfies PolicyRule] } };
const provider = simulatedProvider({ seed: 2025 });

/** `count` referred applications of simulated firms. */
async function referrals(db: Kysely<Database>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (const firm of simulatedPopulation({ seed: 2025, size: 40 })) {
    if (ids.length === count) break;
    const result = await inTransaction(db, async (trx) => {
      const enterprise = await createEnterprise(trx, simulatedEnterpriseInput(firm), 'account-manager');
      await grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: '2025-06-30', expiresOn: '2025-12-31' }, 'owner', NOW);
      return applyForCredit(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' }, { provider, config, now: NOW }, 'account-manager');
    });
    if (result.decision.outcome === 'referred') ids.push(result.applicationId);
  }
  assert.equal(ids.length, count, 'enough referrals among 40 simulated firms');
  return ids;
}

type Review = { applicationId: string; status: string; approvalRequestId: string | null; limit: string };

for (const backend of BACKENDS) {
  describe(`reviewing referred applications on ${backend}`, () => {
    it('approves within authority, refuses beyond it, confirms above the threshold through a second approver, declines', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const [withinId, beyondId, bigId, declineId] = await referrals(db, 4);
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        const review = async (role: Parameters<typeof tokenFor>[0], id: string, payload: object) => app.inject({ method: 'POST', url: `/v1/applications/${id}/review`, headers: await as(role), payload });
        const statusOf = async (id: string) => db.selectFrom('application').select(['status', 'limit_amount', 'reviewed_by']).where('id', '=', id).executeTakeFirstOrThrow();

        // The queue shows the referral with its enterprise, product, rate and time.
        const queue = (await app.inject({ method: 'GET', url: '/v1/applications?status=referred', headers: await as('credit-approver') })).json() as Record<string, unknown>[];
        const row = queue.find((entry) => entry.id === withinId)!;
        assert.equal(row.productCode, 'MICRO-LINE');
        assert.equal(typeof row.enterpriseName, 'string');
        assert.match(String(row.annualRate), /^[0-9]+\.[0-9]+$/);
        assert.match(String(row.createdAt), /^2025-06-30T02:00:00/);
        assert.deepEqual(row.reasonCodes, ['MANUAL_REVIEW']);

        // Within authority and threshold: a credit approver (1,000,000.00) approves 300,000.00 alone.
        const within = await review('credit-approver', withinId!, { decision: 'approve', limit: '300000.00', note: '销售稳定，交叉核验差异为季节性' });
        assert.equal(within.statusCode, 200, within.body);
        assert.deepEqual(within.json(), { applicationId: withinId, status: 'approved', approvalRequestId: null, limit: '300000.00' });
        assert.deepEqual(await statusOf(withinId!), { status: 'approved', limit_amount: 300_000_00n, reviewed_by: 'credit-approver' });
        const again = await review('risk-officer', withinId!, { decision: 'decline', note: 'too late' });
        assert.equal(again.statusCode, 409, 'only referred applications are reviewed');

        // Beyond authority: 1,200,000.00 > 1,000,000.00 → 403 naming the authority, nothing changes.
        const before = await statusOf(beyondId!);
        const beyond = await review('credit-approver', beyondId!, { decision: 'approve', limit: '1200000.00', note: '大额' });
        assert.equal(beyond.statusCode, 403);
        assert.equal((beyond.json() as { error: { code: string } }).error.code, 'NOT_AUTHORISED');
        assert.match((beyond.json() as { error: { message: string } }).error.message, /approval authority is 1000000\.00/);
        assert.deepEqual(await statusOf(beyondId!), before);
        assert.equal((await db.selectFrom('approval_request').select('id').execute()).length, 0);
        // An account manager has no approval authority at all: the route refuses the role.
        assert.equal((await review('account-manager', beyondId!, { decision: 'approve', note: 'x' })).statusCode, 403);

        // Above the 500,000.00 threshold: pending until another approver confirms.
        const big = await review('credit-approver', bigId!, { decision: 'approve', limit: '800000.00', note: '核心企业上游供应商' });
        assert.equal(big.statusCode, 200, big.body);
        const pending = big.json() as Review;
        assert.equal(pending.status, 'pending-confirmation');
        assert.equal(pending.limit, '800000.00');
        assert.ok(pending.approvalRequestId);
        assert.equal((await statusOf(bigId!)).status, 'pending-confirmation');
        const waiting = (await app.inject({ method: 'GET', url: '/v1/applications?status=pending-confirmation', headers: await as('admin') })).json() as { id: string }[];
        assert.deepEqual(waiting.map((entry) => entry.id), [bigId]);
        const accept = await app.inject({ method: 'POST', url: `/v1/applications/${bigId}/accept`, headers: await as('account-manager'), payload: { accounts: { disbursement: { bankCode: '102331000013', bankName: '工商银行杭州分行', accountNo: '1202 0212 0900 0123 456' } } } });
        assert.equal(accept.statusCode, 409, 'a pending approval cannot be accepted');

        // The same user cannot confirm; a checker whose authority does not cover the amount cannot either.
        const self = await app.inject({ method: 'POST', url: `/v1/approvals/${pending.approvalRequestId}/decision`, headers: await as('credit-approver'), payload: { decision: 'approve' } });
        assert.equal(self.statusCode, 403);
        await createUser(db, { username: 'junior.approver', displayName: 'Junior', role: 'credit-approver', password: 'junior-password', approvalLimit: minor(500_000_00n) });
        const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'junior.approver', password: 'junior-password' } });
        const junior = await app.inject({ method: 'POST', url: `/v1/approvals/${pending.approvalRequestId}/decision`, headers: { authorization: `Bearer ${(login.json() as { token: string }).token}` }, payload: { decision: 'approve' } });
        assert.equal(junior.statusCode, 403);
        assert.match((junior.json() as { error: { message: string } }).error.message, /junior\.approver's approval authority is 500000\.00/);
        assert.equal((await statusOf(bigId!)).status, 'pending-confirmation');

        // A risk officer (5,000,000.00) confirms: approved at 800,000.00, and the borrower may accept.
        const confirmed = await app.inject({ method: 'POST', url: `/v1/approvals/${pending.approvalRequestId}/decision`, headers: await as('risk-officer'), payload: { decision: 'approve' } });
        assert.equal(confirmed.statusCode, 200, confirmed.body);
        assert.equal((confirmed.json() as { status: string; checker: string }).checker, 'risk-officer');
        assert.deepEqual(await statusOf(bigId!), { status: 'approved', limit_amount: 800_000_00n, reviewed_by: 'credit-approver (confirmed by risk-officer)' });
        const line = await app.inject({ method: 'POST', url: `/v1/applications/${bigId}/accept`, headers: await as('account-manager'), payload: { accounts: { disbursement: { bankCode: '102331000013', bankName: '工商银行杭州分行', accountNo: '1202 0212 0900 0123 456' } } } });
        assert.equal(line.statusCode, 201, line.body);
        assert.equal((line.json() as { limit: string }).limit, '800000.00');

        // Declined, with the note.
        const declined = await review('risk-officer', declineId!, { decision: 'decline', note: '电费与开票严重背离' });
        assert.deepEqual(declined.json(), { applicationId: declineId, status: 'declined', approvalRequestId: null, limit: '0.00' });
        const declinedRow = await db.selectFrom('application').select(['status', 'review_note']).where('id', '=', declineId!).executeTakeFirstOrThrow();
        assert.deepEqual(declinedRow, { status: 'declined', review_note: '电费与开票严重背离' });

        // Every decision is in the audit trail.
        const audit = await db.selectFrom('audit_event').select(['action', 'actor']).where('entity_type', '=', 'application').where('action', 'in', ['application.review', 'application.confirm']).orderBy('id').execute();
        assert.deepEqual(audit.map((event) => `${event.action}:${event.actor}`), ['application.review:credit-approver', 'application.review:credit-approver', 'application.confirm:risk-officer', 'application.review:risk-officer']);
        // The chains hold, including the decisions' pull and decision events appended together.
        const verified = await verifyAuditTrail(db);
        assert.deepEqual(verified.findings, []);
        assert.ok(verified.events > 8);
      });
    });

    it('a rejected confirmation returns the application to the queue; a note is required', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const [id] = await referrals(db, 1);
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}` };
        const noNote = await app.inject({ method: 'POST', url: `/v1/applications/${id}/review`, headers: approver, payload: { decision: 'approve', limit: '600000.00', note: '   ' } });
        assert.equal(noNote.statusCode, 400);
        assert.equal((noNote.json() as { error: { field: string } }).error.field, 'note');
        const made = (await app.inject({ method: 'POST', url: `/v1/applications/${id}/review`, headers: approver, payload: { decision: 'approve', limit: '600000.00', note: '扩大额度' } })).json() as Review;
        const rejected = await app.inject({ method: 'POST', url: `/v1/approvals/${made.approvalRequestId}/decision`, headers: { authorization: `Bearer ${await tokenFor('admin')}` }, payload: { decision: 'reject' } });
        assert.equal(rejected.statusCode, 200, rejected.body);
        assert.equal((await db.selectFrom('application').select('status').where('id', '=', id!).executeTakeFirstOrThrow()).status, 'referred');
      });
    });
  });
}
