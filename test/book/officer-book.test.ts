/**
 * The officer's book (issue 14): server-side paging with totals, filters and sort orders with the
 * exact rows; the queue's age and service-level flag; the 360's applications for every role
 * allowed to read them; the checker's worklist with the maker's proposal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely, KyselyPlugin } from 'kysely';
import { applicationBook } from '../../src/book/application-book.js';
import { DEFAULT_QUEUE_SLA } from '../../src/book/queue-sla.js';
import { DATA_SOURCES, grantDataAuthorisation, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider } from '../../src/data/index.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { applyForCredit } from '../../src/decision/apply-for-credit.js';
import { DEFAULT_DECISION_CONFIG } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { DEFAULT_POLICY, type PolicyRule } from '../../src/decision/policy-rules.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { parseBusinessDate } from '../../src/calendar/index.js';
import { getBusinessDate, setBusinessDate } from '../../src/system/business-date.js';
import { repay } from '../../src/servicing/repayment.js';
import { addDays } from '../../src/calendar/index.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

const NOW = new Date('2025-06-30T02:00:00Z');
const REFER_ALL = DEFAULT_DECISION_CONFIG(defaultScorecard());
const config = { ...REFER_ALL, policy: { ...DEFAULT_POLICY, version: 'test-refer-all', rules: [...DEFAULT_POLICY.rules, { id: 'R99', description: 'everyone to a person', when: [{ feature: 'years_in_business', op: '>=', value: 0 }], outcome: 'refer', reasonCode: 'MANUAL_REVIEW' } satisfies PolicyRule] } };
const provider = simulatedProvider({ seed: 2025 });

/** Seven firms with one loan each: 甲 drew 1,000.00, 乙 2,000.00 … 庚 7,000.00. */
const FIRMS = ['甲', '乙', '丙', '丁', '戊', '己', '庚'];
async function book(db: Kysely<Database>): Promise<{ loanIds: string[]; enterpriseIds: string[] }> {
  const loanIds: string[] = [];
  const enterpriseIds: string[] = [];
  for (const [index, firm] of FIRMS.entries()) {
    await inTransaction(db, async (trx) => {
      const enterprise = await createEnterprise(trx, { name: `杭州${firm}贸易有限公司`, sizeClass: 'micro' }, 'test');
      const line = await openCreditLine(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE', limit: '100000.00' }, 'test');
      const loan = await drawdown(trx, { lineId: line.id, amount: `${index + 1}000.00`, termDays: 30 + index }, 'test');
      loanIds.push(loan.loanId);
      enterpriseIds.push(enterprise.id);
    });
  }
  return { loanIds, enterpriseIds };
}

async function referrals(db: Kysely<Database>, count: number): Promise<{ applicationId: string; enterpriseId: string }[]> {
  const made: { applicationId: string; enterpriseId: string }[] = [];
  for (const firm of simulatedPopulation({ seed: 2025, size: 40 })) {
    if (made.length === count) break;
    const result = await inTransaction(db, async (trx) => {
      const enterprise = await createEnterprise(trx, simulatedEnterpriseInput(firm), 'account-manager');
      await grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: '2025-06-30', expiresOn: '2025-12-31' }, 'owner', NOW);
      return { enterpriseId: enterprise.id, ...(await applyForCredit(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' }, { provider, config, now: NOW }, 'account-manager')) };
    });
    if (result.decision.outcome === 'referred') made.push({ applicationId: result.applicationId, enterpriseId: result.enterpriseId });
  }
  assert.equal(made.length, count);
  return made;
}

type LoanPage = { items: { id: string; enterpriseName: string; outstanding: string; daysPastDue: number; classification: string }[]; offset: number; limit: number; total: number };

for (const backend of BACKENDS) {
  describe(`the officer's book on ${backend}`, () => {
    it('pages the loan book with its total and firm names, filters and sorts it with the exact rows', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const { loanIds } = await book(db);
        const staff = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const get = async (query: string) => {
          const response = await app.inject({ method: 'GET', url: `/v1/book/loans?${query}`, headers: staff });
          assert.equal(response.statusCode, 200, response.body);
          return response.json() as LoanPage;
        };
        // Pages of three by outstanding: 3 + 3 + 1, no overlap, the total on each.
        const pages = [await get('sort=outstanding&order=asc&limit=3'), await get('sort=outstanding&order=asc&limit=3&offset=3'), await get('sort=outstanding&order=asc&limit=3&offset=6')];
        assert.deepEqual(pages.map((page) => [page.total, page.offset, page.items.length]), [[7, 0, 3], [7, 3, 3], [7, 6, 1]]);
        assert.deepEqual(pages.flatMap((page) => page.items.map((loan) => loan.outstanding)), ['1000.00', '2000.00', '3000.00', '4000.00', '5000.00', '6000.00', '7000.00']);
        assert.deepEqual(pages.flatMap((page) => page.items.map((loan) => loan.enterpriseName)), FIRMS.map((firm) => `杭州${firm}贸易有限公司`));
        assert.deepEqual(pages.flatMap((page) => page.items.map((loan) => loan.id)), loanIds);
        // Largest first.
        assert.deepEqual((await get('sort=outstanding&order=desc&limit=2')).items.map((loan) => loan.outstanding), ['7000.00', '6000.00']);
        // Search by the firm's name and by the loan id's tail.
        const byName = await get(`q=${encodeURIComponent('丙贸易')}`);
        assert.deepEqual([byName.total, byName.items.map((loan) => loan.outstanding)], [1, ['3000.00']]);
        const byTail = await get(`q=${loanIds[4]!.slice(-8)}`);
        assert.deepEqual(byTail.items.map((loan) => loan.id), [loanIds[4]]);
        // Two loans fall overdue: the overdue filter and the classification filter find exactly them, worst first.
        await db.updateTable('loan').set({ dpd: 45, classification: 'special-mention' }).where('id', '=', loanIds[1]!).execute();
        await db.updateTable('loan').set({ dpd: 95, classification: 'substandard' }).where('id', '=', loanIds[5]!).execute();
        const overdue = await get('overdue=true&sort=daysPastDue&order=desc');
        assert.deepEqual(overdue.items.map((loan) => [loan.id, loan.daysPastDue]), [[loanIds[5], 95], [loanIds[1], 45]]);
        assert.equal((await get('overdue=false')).total, 5);
        assert.deepEqual((await get('classification=substandard')).items.map((loan) => loan.id), [loanIds[5]]);
        // Bounds are refused, not clipped; a borrower does not read the book.
        assert.equal((await app.inject({ method: 'GET', url: '/v1/book/loans?limit=201', headers: staff })).statusCode, 400);
        assert.equal((await app.inject({ method: 'GET', url: '/v1/book/loans', headers: { authorization: `Bearer ${await tokenFor('borrower')}` } })).statusCode, 403);
      });
    });

    it('the queue says how long each application waited and flags those past the service level; every reader of applications sees them', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const [old, fresh, other] = await referrals(db, 3);
        // One referral waited since New Year: 181 days to the business date 2025-06-30.
        await db.updateTable('application').set({ business_date: parseBusinessDate('2025-01-01', 'test') }).where('id', '=', old!.applicationId).execute();
        await db.updateTable('application').set({ business_date: parseBusinessDate('2025-06-29', 'test') }).where('id', '=', other!.applicationId).execute();
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        type Queue = { items: { id: string; ageDays: number; slaDays: number | null; overSla: boolean; enterpriseName: string }[]; total: number; asOf: string; sla: { referredDays: number } };
        const queue = (await app.inject({ method: 'GET', url: '/v1/book/applications?status=referred', headers: await as('credit-approver') })).json() as Queue;
        assert.equal(queue.asOf, '2025-06-30');
        assert.equal(queue.sla.referredDays, 3);
        // Oldest first, with ages and flags.
        assert.deepEqual(queue.items.map((row) => [row.id, row.ageDays, row.slaDays, row.overSla]), [
          [old!.applicationId, 180, 3, true],
          [other!.applicationId, 1, 3, false],
          [fresh!.applicationId, 0, 3, false],
        ]);
        const late = (await app.inject({ method: 'GET', url: '/v1/book/applications?overSla=true', headers: await as('credit-approver') })).json() as Queue;
        assert.deepEqual([late.total, late.items.map((row) => row.id)], [1, [old!.applicationId]]);
        // The enterprise 360's call: an account manager and an auditor read the firm's applications (GET /v1/applications refuses them).
        for (const role of ['account-manager', 'auditor'] as const) {
          const theirs = (await app.inject({ method: 'GET', url: `/v1/book/applications?enterpriseId=${fresh!.enterpriseId}`, headers: await as(role) })).json() as Queue;
          assert.deepEqual(theirs.items.map((row) => row.id), [fresh!.applicationId], role);
          assert.equal((await app.inject({ method: 'GET', url: '/v1/applications', headers: await as(role) })).statusCode, 403);
        }
        assert.equal((await app.inject({ method: 'GET', url: '/v1/book/applications', headers: await as('management') })).statusCode, 403);
      });
    });

    it("the queue's date, total and page are sent together, the date first only for the service-level filter; the figures as before", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const [old, fresh] = await referrals(db, 2);
        await db.updateTable('application').set({ business_date: parseBusinessDate('2025-01-01', 'test') }).where('id', '=', old!.applicationId).execute();
        // How many statements had been sent when each answer came back: 3, 3, 3 when none waited for another.
        const sentAtAnswers = (): { plugin: KyselyPlugin; counts: number[] } => {
          let sent = 0;
          const counts: number[] = [];
          return {
            counts,
            plugin: {
              transformQuery: (args) => {
                sent++;
                return args.node;
              },
              transformResult: async (args) => {
                counts.push(sent);
                return args.result;
              },
            },
          };
        };
        const together = sentAtAnswers();
        const queue = await applicationBook(db.withPlugin(together.plugin), { status: 'referred' }, { offset: 0, limit: 20 }, DEFAULT_QUEUE_SLA);
        assert.deepEqual(together.counts, [3, 3, 3]);
        assert.deepEqual([queue.asOf, queue.total, queue.items.map((row) => [row.id, row.ageDays, row.overSla])], ['2025-06-30', 2, [[old!.applicationId, 180, true], [fresh!.applicationId, 0, false]]]);
        const dateFirst = sentAtAnswers();
        const late = await applicationBook(db.withPlugin(dateFirst.plugin), { overSla: true }, { offset: 0, limit: 20 }, DEFAULT_QUEUE_SLA);
        assert.deepEqual(dateFirst.counts, [1, 3, 3]);
        assert.deepEqual([late.asOf, late.total, late.items.map((row) => row.id)], ['2025-06-30', 1, [old!.applicationId]]);
      });
    });

    it("a checker's worklist shows the maker's proposal and the checker's authority, and marks the maker's own request", async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const [referral] = await referrals(db, 1);
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        const proposed = await db.selectFrom('application').select('decision').where('id', '=', referral!.applicationId).executeTakeFirstOrThrow();
        const reviewed = await app.inject({ method: 'POST', url: `/v1/applications/${referral!.applicationId}/review`, headers: await as('credit-approver'), payload: { decision: 'approve', limit: '600000.00', note: '电表与税表一致，销售稳定' } });
        assert.equal(reviewed.statusCode, 200, reviewed.body);
        type Worklist = { checker: { username: string; approvalLimit: string | null; kinds: string[] }; items: { kind: string; mine: boolean; maker: string; proposal: { subjectName: string | null; amount: string | null; current: string | null; note: string | null } }[] };
        const maker = (await app.inject({ method: 'GET', url: '/v1/book/approvals', headers: await as('credit-approver') })).json() as Worklist;
        assert.equal(maker.checker.approvalLimit, '1000000.00');
        assert.deepEqual(maker.items.map((item) => [item.kind, item.mine]), [['application.approve', true]]);
        const checker = (await app.inject({ method: 'GET', url: '/v1/book/approvals', headers: await as('risk-officer') })).json() as Worklist;
        const item = checker.items[0]!;
        assert.equal(item.mine, false);
        assert.equal(item.maker, 'credit-approver');
        const firm = await db.selectFrom('enterprise').select('name').where('id', '=', referral!.enterpriseId).executeTakeFirstOrThrow();
        const decisionLimit = BigInt((proposed.decision as { limit: { limit: string } }).limit.limit);
        assert.deepEqual(item.proposal, { subjectName: firm.name, enterpriseId: referral!.enterpriseId, amount: '600000.00', current: `${decisionLimit / 100n}.${String(decisionLimit % 100n).padStart(2, '0')}`, note: '电表与税表一致，销售稳定', account: null });
        assert.ok(checker.checker.kinds.includes('application.approve'));
      });
    });

    it("the enterprise 360's history is in business-date order, not in the order the events were written", async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const today = await getBusinessDate(db);
        const { firm, line } = await inTransaction(db, async (trx) => {
          const firm = await createEnterprise(trx, { name: '杭州壬贸易有限公司', sizeClass: 'micro' }, 'test');
          return { firm, line: await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'MICRO-LINE', limit: '100000.00' }, 'test') };
        });
        const first = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '1000.00', termDays: 60 }, 'test'));
        await setBusinessDate(db, addDays(today, 10));
        await inTransaction(db, (trx) => repay(trx, { loanId: first.loanId, amount: '100.00' }, 'test'));
        // A drawdown keyed in afterwards but dated 30 days before (a back-dated correction).
        await setBusinessDate(db, addDays(today, -30));
        await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '2000.00', termDays: 60 }, 'test'));
        const history = (await app.inject({ method: 'GET', url: `/v1/enterprises/${firm.id}/history`, headers: { authorization: `Bearer ${await tokenFor('account-manager')}` } })).json() as { action: string; businessDate: string | null }[];
        const loanEvents = history.filter((event) => event.action.startsWith('loan.'));
        assert.deepEqual(
          loanEvents.map((event) => [event.action, event.businessDate]),
          [
            ['loan.repayment', addDays(today, 10)],
            ['loan.drawdown', today],
            ['loan.drawdown', addDays(today, -30)],
          ],
        );
      });
    });

    it('pages the registry with its total and says which firms are customers', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        await book(db);
        await inTransaction(db, (trx) => createEnterprise(trx, { name: '杭州辛贸易有限公司', sizeClass: 'small' }, 'test'));
        const staff = { authorization: `Bearer ${await tokenFor('auditor')}` };
        type Firms = { items: { name: string; customer: boolean; activeLoans: number; outstanding: string }[]; total: number };
        const all = (await app.inject({ method: 'GET', url: '/v1/book/enterprises?limit=3&q=%E8%B4%B8%E6%98%93', headers: staff })).json() as Firms;
        assert.equal(all.total, 8);
        assert.deepEqual(all.items.length, 3);
        const prospects = (await app.inject({ method: 'GET', url: '/v1/book/enterprises?customer=false', headers: staff })).json() as Firms;
        assert.deepEqual(prospects.items.map((firm) => [firm.name, firm.customer]), [['杭州辛贸易有限公司', false]]);
        const biggest = (await app.inject({ method: 'GET', url: '/v1/book/enterprises?sort=outstanding&limit=2', headers: staff })).json() as Firms;
        assert.deepEqual(biggest.items.map((firm) => [firm.name, firm.activeLoans, firm.outstanding, firm.customer]), [['杭州庚贸易有限公司', 1, '7000.00', true], ['杭州己贸易有限公司', 1, '6000.00', true]]);
      });
    });
  });
}
