import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { assignCollector, collectionCase, logContact, recordPromise, recordStep, type Actor } from '../../src/collections/collection-actions.js';
import { collectionFunnel, collectionWorklist } from '../../src/collections/collection-worklist.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { enterpriseTimeline } from '../../src/enterprises/enterprise-timeline.js';
import { runEod } from '../../src/eod/run-eod.js';
import { minor } from '../../src/money/minor.js';
import { bucketOf, COLLECTION_BUCKETING, dpdBucketOf } from '../../src/reporting/past-due.js';
import { repay } from '../../src/servicing/repayment.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';

const manager: Actor = { username: 'risk-officer', role: 'risk-officer' };
const collector: Actor = { username: 'collector', role: 'collector' };

async function staff(db: Kysely<Database>): Promise<void> {
  const users = [
    { username: 'risk-officer', role: 'risk-officer' as const },
    { username: 'collector', role: 'collector' as const },
    { username: 'collector-2', role: 'collector' as const },
    { username: 'approver', role: 'credit-approver' as const },
  ];
  for (const [index, user] of users.entries()) {
    await db.insertInto('app_user').values({ id: `00000000-0000-7000-8000-00000000000${index}`, username: user.username, display_name: user.username, role: user.role, password_hash: 'x', created_at: new Date(), approval_limit: null }).execute();
  }
}

/** A loan 500,000.00 yuan of which 10,000.00 fell due on 2025-06-20 unpaid: overdue from the first end of day. */
async function overdueLoan(db: Kysely<Database>, name: string): Promise<{ enterpriseId: string; loanId: string }> {
  const enterpriseId = await createEnterprise(db, name);
  const loanId = await createLoan(db, {
    enterpriseId,
    principal: 50_000_000n,
    disbursedOn: '2025-05-20',
    installments: [
      { dueOn: '2025-06-20', principal: 1_000_000n },
      { dueOn: '2025-12-20', principal: 49_000_000n },
    ],
    overdue: { principal: 1_000_000n, since: '2025-06-20' },
  });
  return { enterpriseId, loanId };
}

const tx = <T>(db: Kysely<Database>, body: Parameters<typeof inTransaction<T>>[1]) => inTransaction<T>(db, body);

describe('collections buckets', () => {
  it('cuts days past due at 30/31, 90/91, 180/181, 360/361; the reporting cut stays 1-30, 31-60, 61-90, over-90', () => {
    const cut = (dpd: number) => bucketOf(COLLECTION_BUCKETING, dpd);
    assert.deepEqual(
      [0, 1, 30, 31, 90, 91, 180, 181, 360, 361, 5000].map(cut),
      [null, '1-30', '1-30', '31-90', '31-90', '91-180', '91-180', '181-360', '181-360', 'over-360', 'over-360'],
    );
    assert.deepEqual([30, 31, 60, 61, 90, 91].map(dpdBucketOf), ['1-30', '31-60', '31-60', '61-90', '61-90', 'over-90']);
  });
});

for (const backend of BACKENDS) {
  describe(`collections on ${backend}`, () => {
    it('the worklist puts loans at the bucket boundaries in their tabs, in SQL as in TypeScript, and filters by bucket and collector', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await staff(db);
        const enterpriseId = await createEnterprise(db, '绿芽茶业');
        const days = [0, 1, 30, 31, 90, 91, 180, 181, 360, 361];
        const loans: string[] = [];
        for (const [index, dpd] of days.entries()) {
          const id = await createLoan(db, bullet(enterpriseId, 10_000_000n, '2026-06-30'));
          // Principal due of (index + 1) × 100.00 yuan, so each bucket's overdue sum names its loans.
          await db.updateTable('loan').set({ dpd, principal_due: minor(BigInt(index + 1) * 10_000n), principal_not_due: minor(10_000_000n - BigInt(index + 1) * 10_000n) }).where('id', '=', id).execute();
          loans.push(id);
        }
        const page = await collectionWorklist(db, {}, { offset: 0, limit: 50 });
        assert.equal(page.total, 9);
        assert.deepEqual(
          page.buckets.map((b) => [b.bucket, b.loans, b.overdue]),
          [
            ['1-30', 2, 50_000n], // dpd 1 (200.00) and 30 (300.00)
            ['31-90', 2, 90_000n], // dpd 31 (400.00) and 90 (500.00)
            ['91-180', 2, 130_000n],
            ['181-360', 2, 170_000n],
            ['over-360', 1, 100_000n],
          ],
        );
        // Most days past due first, the bucket of each row as bucketOf says.
        assert.deepEqual(page.items.map((row) => [row.daysPastDue, row.bucket]), [
          [361, 'over-360'],
          [360, '181-360'],
          [181, '181-360'],
          [180, '91-180'],
          [91, '91-180'],
          [90, '31-90'],
          [31, '31-90'],
          [30, '1-30'],
          [1, '1-30'],
        ]);
        const tab = await collectionWorklist(db, { bucket: '31-90' }, { offset: 0, limit: 50 });
        assert.deepEqual([tab.total, tab.items.map((row) => row.daysPastDue)], [2, [90, 31]]);
        // Tabs keep counting every bucket under the other filters.
        assert.equal(tab.buckets.reduce((sum, b) => sum + b.loans, 0), 9);

        await tx(db, (trx) => assignCollector(trx, { loanId: loans[4]!, collector: 'collector' }, manager, new Date()));
        const mine = await collectionWorklist(db, { collector: 'collector' }, { offset: 0, limit: 50 });
        assert.deepEqual([mine.total, mine.items[0]!.loanId, mine.items[0]!.collector], [1, loans[4], 'collector']);
        assert.deepEqual(mine.buckets.map((b) => b.loans), [0, 1, 0, 0, 0]);
        assert.equal((await collectionWorklist(db, { collector: null }, { offset: 0, limit: 50 })).total, 8);
        // The current loan is nobody's case.
        await assert.rejects(tx(db, (trx) => assignCollector(trx, { loanId: loans[0]!, collector: 'collector' }, manager, new Date())), { code: 'CONFLICT' });
      });
    });

    it('reassignment is audited with the collector before and after; only managers assign, only collectors or account managers are assigned', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await staff(db);
        const { loanId } = await overdueLoan(db, '绿芽茶业');
        await runEod(db);
        await tx(db, (trx) => assignCollector(trx, { loanId, collector: 'collector' }, manager, new Date()));
        const second = await tx(db, (trx) => assignCollector(trx, { loanId, collector: 'collector-2' }, manager, new Date()));
        assert.deepEqual([second.collector, second.previous, second.assignedOn], ['collector-2', 'collector', '2025-07-01']);
        const audit = await db.selectFrom('audit_event').select(['actor', 'before', 'after']).where('action', '=', 'collection.assign').where('entity_id', '=', loanId).orderBy('at').orderBy('id').execute();
        assert.deepEqual(
          audit.map((row) => [row.actor, (row.before as { collector: string | null }).collector, (row.after as { collector: string }).collector]),
          [
            ['risk-officer', null, 'collector'],
            ['risk-officer', 'collector', 'collector-2'],
          ],
        );
        await assert.rejects(tx(db, (trx) => assignCollector(trx, { loanId, collector: 'collector' }, collector, new Date())), { code: 'NOT_AUTHORISED' });
        await assert.rejects(tx(db, (trx) => assignCollector(trx, { loanId, collector: 'approver' }, manager, new Date())), { code: 'VALIDATION', field: 'collector' });
        // The first collector no longer works it.
        await assert.rejects(tx(db, (trx) => logContact(trx, { loanId, channel: 'call', outcome: 'no-answer', note: '' }, collector, new Date())), { code: 'NOT_AUTHORISED' });
      });
    });

    it('a promise broken at end of day raises a follow-up due the next working day; a second broken promise escalates', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await staff(db);
        const { loanId } = await overdueLoan(db, '绿芽茶业');
        await runEod(db); // 06-30 closes: 10,000.00 overdue since 06-20
        assert.equal(await getBusinessDate(db), '2025-07-01');
        await tx(db, (trx) => assignCollector(trx, { loanId, collector: 'collector' }, manager, new Date()));
        // Tuesday 07-01: the borrower promises 5,000.00 by Thursday 07-03.
        const { promise } = await tx(db, (trx) =>
          logContact(trx, { loanId, channel: 'call', outcome: 'promise-made', note: '财务王女士接听', promise: { amount: '5000.00', promisedOn: '2025-07-03' } }, collector, new Date()),
        );
        assert.ok(promise);
        await tx(db, (trx) => repay(trx, { loanId, amount: '2000.00' }, 'operator')); // 07-01: 2,000.00
        await runEod(db); // 07-01 closes: open (2,000.00 of 5,000.00, date not reached)
        await tx(db, (trx) => repay(trx, { loanId, amount: '1000.00' }, 'operator')); // 07-02: 1,000.00
        await runEod(db); // 07-02 closes: open
        let row = await db.selectFrom('promise_to_pay').selectAll().where('id', '=', promise.id).executeTakeFirstOrThrow();
        assert.deepEqual([row.status, row.repaid, row.settled_on], ['open', null, null]);
        await runEod(db); // 07-03 closes: 3,000.00 of 5,000.00 by the date — broken
        row = await db.selectFrom('promise_to_pay').selectAll().where('id', '=', promise.id).executeTakeFirstOrThrow();
        assert.deepEqual([row.status, row.repaid, row.settled_on], ['broken', 300_000n, '2025-07-03']);
        const steps = await db.selectFrom('collection_step').select(['kind', 'reason', 'promise_id', 'due_on', 'status', 'created_on']).where('loan_id', '=', loanId).execute();
        // Raised on Thursday 07-03, due Friday 07-04.
        assert.deepEqual(steps, [{ kind: 'follow-up', reason: 'promise-broken', promise_id: promise.id, due_on: '2025-07-04', status: 'open', created_on: '2025-07-03' }]);
        const page = await collectionWorklist(db, { collector: 'collector' }, { offset: 0, limit: 50 });
        assert.deepEqual([page.items[0]!.nextStep, page.items[0]!.openPromise, page.items[0]!.brokenPromises], [{ kind: 'follow-up', dueOn: '2025-07-04' }, null, 1]);
        // Running a closed date again changes nothing.
        assert.equal((await runEod(db, { date: '2025-07-03' })).alreadyDone, true);

        // Friday 07-04: a second promise, 1,000.00 by Saturday 07-05 — a rest day, so Monday 07-07 still counts.
        const second = await tx(db, (trx) => recordPromise(trx, { loanId, amount: '1000.00', promisedOn: '2025-07-05' }, collector, new Date()));
        await runEod(db); // 07-04
        await runEod(db); // 07-05 (Saturday): the date has passed but not its working day
        await runEod(db); // 07-06 (Sunday)
        assert.equal((await db.selectFrom('promise_to_pay').select('status').where('id', '=', second.id).executeTakeFirstOrThrow()).status, 'open');
        await runEod(db); // 07-07 (Monday) closes with nothing paid: broken, the second on this loan
        row = await db.selectFrom('promise_to_pay').selectAll().where('id', '=', second.id).executeTakeFirstOrThrow();
        assert.deepEqual([row.status, row.repaid, row.settled_on], ['broken', 0n, '2025-07-07']);
        const escalation = await db.selectFrom('collection_step').select(['kind', 'due_on']).where('promise_id', '=', second.id).execute();
        assert.deepEqual(escalation, [{ kind: 'escalation', due_on: '2025-07-08' }]);
        const audit = await db.selectFrom('audit_event').select('action').where('entity_id', '=', loanId).where('action', 'like', 'collection.%').orderBy('at').orderBy('id').execute();
        assert.deepEqual(
          audit.map((a) => a.action),
          ['collection.assign', 'collection.contact', 'collection.promise', 'collection.promise-broken', 'collection.step', 'collection.promise', 'collection.promise-broken', 'collection.step'],
        );
      });
    });

    it('a promise is kept at the end of the day the repayments since it was made reach it, before its date', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await staff(db);
        const { loanId } = await overdueLoan(db, '绿芽茶业');
        await tx(db, (trx) => repay(trx, { loanId, amount: '700.00' }, 'operator')); // 06-30, before the promise: not counted
        await runEod(db);
        await tx(db, (trx) => assignCollector(trx, { loanId, collector: 'collector' }, manager, new Date()));
        const promise = await tx(db, (trx) => recordPromise(trx, { loanId, amount: '3000.00', promisedOn: '2025-07-10' }, collector, new Date()));
        await tx(db, (trx) => repay(trx, { loanId, amount: '1000.00' }, 'operator')); // 07-01
        await runEod(db);
        await tx(db, (trx) => repay(trx, { loanId, amount: '2000.00' }, 'operator')); // 07-02: 3,000.00 since 07-01
        await runEod(db);
        const row = await db.selectFrom('promise_to_pay').selectAll().where('id', '=', promise.id).executeTakeFirstOrThrow();
        assert.deepEqual([row.status, row.repaid, row.settled_on], ['kept', 300_000n, '2025-07-02']);
        assert.equal((await db.selectFrom('collection_step').select('id').where('loan_id', '=', loanId).execute()).length, 0);
        const funnel = await collectionFunnel(db);
        // Still overdue (10,000.00 fell due, 3,700.00 paid): assigned, no contact logged, so the funnel stops at assigned.
        assert.deepEqual(funnel.map((stage) => [stage.stage, stage.loans]), [
          ['overdue', 1],
          ['assigned', 1],
          ['contacted', 0],
          ['promised', 0],
          ['kept', 0],
        ]);
      });
    });

    it('contacts are listed newest first; a promise needs the promise-made outcome; a legal action is a manager\'s step', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await staff(db);
        const { loanId } = await overdueLoan(db, '绿芽茶业');
        await runEod(db);
        await tx(db, (trx) => assignCollector(trx, { loanId, collector: 'collector' }, manager, new Date()));
        await tx(db, (trx) => logContact(trx, { loanId, channel: 'call', outcome: 'no-answer', note: '' }, collector, new Date()));
        await runEod(db);
        await tx(db, (trx) => logContact(trx, { loanId, channel: 'visit', outcome: 'reached', note: '法人代表在厂，称下周回款' }, collector, new Date()));
        await tx(db, (trx) => logContact(trx, { loanId, channel: 'letter', outcome: 'letter-sent', note: '催收函 2025-07-02 第 17 号' }, collector, new Date()));
        await assert.rejects(tx(db, (trx) => logContact(trx, { loanId, channel: 'call', outcome: 'promise-made', note: '' }, collector, new Date())), { code: 'VALIDATION', field: 'promise' });
        await assert.rejects(tx(db, (trx) => logContact(trx, { loanId, channel: 'letter', outcome: 'reached', note: '' }, collector, new Date())), { code: 'VALIDATION', field: 'outcome' });
        await assert.rejects(tx(db, (trx) => recordPromise(trx, { loanId, amount: '100.00', promisedOn: '2025-10-01' }, collector, new Date())), { code: 'VALIDATION', field: 'promisedOn' });
        await assert.rejects(tx(db, (trx) => recordStep(trx, { loanId, kind: 'legal-action', note: '起诉' }, collector, new Date())), { code: 'NOT_AUTHORISED' });
        const legal = await tx(db, (trx) => recordStep(trx, { loanId, kind: 'legal-action', note: '杭州市西湖区人民法院 (2025)浙0106民初1234号', dueOn: '2025-07-15' }, manager, new Date()));
        assert.deepEqual([legal.kind, legal.reason, legal.status, legal.due_on, legal.created_on], ['legal-action', 'staff', 'open', '2025-07-15', '2025-07-02']);
        const found = await collectionCase(db, loanId);
        assert.deepEqual(
          found.contacts.map((c) => [c.contacted_on, c.channel, c.outcome, c.recorded_by]),
          [
            ['2025-07-02', 'letter', 'letter-sent', 'collector'],
            ['2025-07-02', 'visit', 'reached', 'collector'],
            ['2025-07-01', 'call', 'no-answer', 'collector'],
          ],
        );
        assert.deepEqual([found.collector, found.steps.length, found.promises.length], ['collector', 1, 0]);
      });
    });

    it('the enterprise timeline merges applications, pulls, servicing, contacts, promises and steps, newest business date first', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await staff(db);
        const { enterpriseId, loanId } = await overdueLoan(db, '绿芽茶业'); // drawdown entry dated 05-20
        const product = await db.selectFrom('product').select('id').where('code', '=', 'SHORT-TERM').executeTakeFirstOrThrow();
        await db
          .insertInto('data_pull')
          .values({ id: '01970000-0000-7000-8000-000000000001', enterprise_id: enterpriseId, purpose: 'credit-assessment', provider: 'simulated', sources: JSON.stringify(['tax', 'electricity']), authorisations: '{}', as_of: '2025-05-10' as never, months: 24, record_count: 48, actor: 'account-manager', pulled_at: new Date('2025-05-10T02:00:00Z') })
          .execute();
        await db
          .insertInto('application')
          .values({ id: '01970000-0000-7000-8000-000000000002', enterprise_id: enterpriseId, product_id: product.id, business_date: '2025-05-12' as never, status: 'accepted', outcome: 'approved', limit_amount: minor(50_000_000n), rate_units: null, inputs: '{}', decision: '{}', pull_id: null, line_id: null, applied_by: 'borrower', created_at: new Date('2025-05-12T02:00:00Z') })
          .execute();
        await runEod(db); // 06-30
        await tx(db, (trx) => assignCollector(trx, { loanId, collector: 'collector' }, manager, new Date()));
        await tx(db, (trx) => logContact(trx, { loanId, channel: 'call', outcome: 'promise-made', note: '', promise: { amount: '5000.00', promisedOn: '2025-07-02' } }, collector, new Date()));
        await tx(db, (trx) => repay(trx, { loanId, amount: '1500.00' }, 'operator'));
        await runEod(db); // 07-01
        await runEod(db); // 07-02: broken, follow-up raised
        const events = await enterpriseTimeline(db, enterpriseId);
        assert.deepEqual(
          events.map((e) => [e.businessDate, e.kind, e.amount]),
          [
            ['2025-07-02', 'promise-broken', 500_000n],
            ['2025-07-02', 'collection-step', null],
            ['2025-07-01', 'repayment', 150_000n],
            // The contact and the promise it brought are written together; the kind breaks the tie.
            ['2025-07-01', 'promise', 500_000n],
            ['2025-07-01', 'contact', null],
            ['2025-05-20', 'drawdown', 50_000_000n],
            ['2025-05-12', 'application', 50_000_000n],
            ['2025-05-10', 'data-pull', null],
          ],
        );
        assert.deepEqual(events.at(-1)!.detail, { purpose: 'credit-assessment', sources: 2, records: 48 });
        assert.deepEqual(events[0]!.detail, { promisedOn: '2025-07-02', repaid: '150000' });
        assert.deepEqual(events[4]!.detail, { channel: 'call', outcome: 'promise-made' });
        // A source added later (the warnings of monitoring) joins the same order.
        const extra = await enterpriseTimeline(db, enterpriseId, {
          sources: [async () => [{ kind: 'contact', id: 'w1', businessDate: '2025-07-01' as never, at: null, loanId: null, amount: null, actor: 'monitor', detail: {} }]],
        });
        assert.deepEqual(extra.map((e) => e.id), ['w1']);
      });
    });
  });
}
