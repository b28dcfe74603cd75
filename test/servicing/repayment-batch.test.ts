import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { postEntry } from '../../src/ledger/post-entry.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { formatMoney } from '../../src/money/format-money.js';
import { minor } from '../../src/money/minor.js';
import { MAX_LOAN_PRINCIPAL_FEN } from '../../src/servicing/loan-bounds.js';
import { InvariantError, NotFoundError } from '../../src/errors.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { once } from '../../src/servicing/idempotency.js';
import { repay } from '../../src/servicing/repayment.js';
import { RepaymentBatcher, type RepaymentSubmission } from '../../src/servicing/repayment-batch.js';
import { createUser } from '../../src/auth/users.js';
import { streamOf, verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { BACKENDS, TEST_BUSINESS_DATE, withTestDatabase } from '../support/backends.js';
import { unlessCitus } from '../support/citus.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { answerOf, failingFirstBatchRecords, type Answer } from '../support/money-batches.js';
import { countAuditStatements } from '../support/audit-statements.js';
import { withTestApp } from '../support/test-app.js';

/** The book every run starts from: the same loans, in the same order, in a fresh database. */
async function book(db: Kysely<Database>): Promise<{ loans: string[]; lines: string[]; names: Map<string, string> }> {
  const names = new Map<string, string>();
  const loans: string[] = [];
  const fixtures = [
    bullet('', 100_000_00n, '2025-09-30'),
    bullet('', 5_000_00n, '2025-09-30'),
    bullet('', 8_000_00n, '2025-09-30', { overdue: { principal: 8_000_00n, since: '2025-06-15' } }),
    bullet('', 3_000_00n, '2025-09-30'),
    bullet('', 20_000_00n, '2025-12-31'),
    bullet('', 7_000_00n, '2025-09-30'),
  ];
  for (const [index, fixture] of fixtures.entries()) {
    const enterpriseId = await createEnterprise(db, `借款企业 ${index}`);
    names.set(enterpriseId, `enterprise-${index}`);
    const loanId = await createLoan(db, { ...fixture, enterpriseId });
    names.set(loanId, `loan-${index}`);
    loans.push(loanId);
  }
  // Interest accrued and billed, penalty billed and a provision held on some: every part of the allocation, and a provision released on payoff.
  for (const [index, { interest, penalty, provision }] of [
    { interest: 120_00n, penalty: 0n, provision: 0n },
    { interest: 35_50n, penalty: 0n, provision: 50_00n },
    { interest: 64_10n, penalty: 12_34n, provision: 160_00n },
    { interest: 0n, penalty: 0n, provision: 30_00n },
  ].entries()) {
    const loanId = loans[index]!;
    const loan = await db.selectFrom('loan').select(['enterprise_id']).where('id', '=', loanId).executeTakeFirstOrThrow();
    await inTransaction(db, async (trx) => {
      await trx
        .updateTable('loan')
        .set({ interest_accrued: minor(interest), penalty_due: minor(penalty), provision: minor(provision) })
        .where('id', '=', loanId)
        .execute();
      await postEntry(trx, {
        enterpriseId: loan.enterprise_id,
        businessDate: TEST_BUSINESS_DATE,
        kind: 'accrual',
        description: 'test accrual',
        loanId,
        createdBy: 'test',
        lines: [
          { purpose: 'interest-receivable', amount: minor(interest) },
          { purpose: 'interest-income', amount: minor(-interest) },
          { purpose: 'penalty-receivable', amount: minor(penalty) },
          { purpose: 'penalty-income', amount: minor(-penalty) },
          { purpose: 'provision-expense', amount: minor(provision) },
          { purpose: 'loan-loss-provision', amount: minor(-provision) },
        ],
      });
    });
  }
  // Two loans drawn from revolving lines: repaid principal goes back to the line.
  const lines: string[] = [];
  for (const index of [0, 1]) {
    const line = await borrowerWithLine(db, '300000.00');
    names.set(line.id, `line-${index}`);
    names.set(line.enterpriseId, `line-enterprise-${index}`);
    lines.push(line.id);
    const drawn = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: index === 0 ? '40000.00' : '12000.00', termDays: 90 }, 'test'));
    names.set(drawn.loanId, `line-loan-${index}`);
    loans.push(drawn.loanId);
  }
  return { loans, lines, names };
}

/** The requests of a month end's few seconds, in arrival order (indices into the book's loans). */
function month(loans: readonly string[]): RepaymentSubmission[] {
  const borrower = (loan: number, key: string, amount: string, extra: Partial<RepaymentSubmission['request']> = {}): RepaymentSubmission => ({
    caller: `user-${loan}`,
    key,
    actor: `borrower-${loan}`,
    request: { loanId: loans[loan]!, amount, aboveThePayoff: 'refuse', ...extra },
  });
  const missing = '0190a000-0000-7000-8000-000000000000';
  return [
    borrower(0, 'key-0000-a', '100.00'),
    // Exactly the payoff (principal, interest, all of it): closes the loan and releases its provision.
    borrower(1, 'key-0001-a', '5035.50'),
    // Above the payoff, self-service: LIMIT_EXCEEDED on amount, nothing moves.
    borrower(2, 'key-0002-a', '99999.00'),
    // Staff at the counter: the surplus to suspense.
    { caller: 'operator-1', key: 'key-0003-a', actor: 'operator', request: { loanId: loans[3]!, amount: '3100.00', aboveThePayoff: 'suspense' } },
    // The same loan again: it waits for the first.
    borrower(0, 'key-0000-b', '250.00'),
    // A retry of the first with its key: the first answer, no money.
    borrower(0, 'key-0000-a', '100.00'),
    // The same key for another request: CONFLICT on the key.
    borrower(0, 'key-0000-a', '101.00'),
    // A loan that does not exist, and one the caller may not see: NOT_FOUND.
    { caller: 'user-x', key: 'key-missing', actor: 'borrower-x', request: { loanId: missing, amount: '10.00', aboveThePayoff: 'refuse' } },
    {
      caller: 'user-5',
      key: 'key-0005-a',
      actor: 'borrower-5',
      request: { loanId: loans[5]!, amount: '10.00', aboveThePayoff: 'refuse' },
      check: (loan) => {
        throw new NotFoundError(`loan ${loan.id}`);
      },
    },
    // A bad amount and a bad key: VALIDATION_ERROR on each.
    borrower(4, 'key-0004-a', '0.00'),
    borrower(4, 'short', '10.00'),
    borrower(4, 'key-0004-b', '2000.00'),
    // Line loans: part of the principal back to the line; another paid off.
    borrower(6, 'key-0006-a', '15000.00', { prepaymentEffect: 'shorten-term' }),
    borrower(7, 'key-0007-a', '12000.00'),
    // A closed loan takes no repayment: CONFLICT (it waits for the payoff before it).
    borrower(1, 'key-0001-b', '1.00'),
    borrower(2, 'key-0002-b', '8076.44'),
  ];
}

/** What the run left and answered, with each database's own ids named by their place in the book. */
async function outcome(db: Kysely<Database>, names: Map<string, string>, answers: readonly Answer[]) {
  const name = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field)).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => names.get(id) ?? 'an-id'),
    );
  const loans = await db
    .selectFrom('loan')
    .select(['id', 'status', 'principal_not_due', 'principal_due', 'interest_accrued', 'interest_due', 'penalty_due', 'provision', 'overdue_since', 'dpd', 'next_due_on', 'next_due_principal', 'interest_remainder', 'penalty_remainder'])
    .orderBy('note_no')
    .execute();
  const lines = await db.selectFrom('credit_line').select(['id', 'available']).orderBy('id').execute();
  const journal = await db
    .selectFrom('journal_entry')
    .innerJoin('journal_line', 'journal_line.entry_id', 'journal_entry.id')
    .select(['journal_entry.loan_id', 'journal_entry.kind', 'journal_entry.description', 'journal_entry.created_by', 'journal_entry.account_id', 'journal_line.account_code', 'journal_line.amount'])
    .where('journal_entry.kind', 'in', ['repayment', 'provision-release'])
    .execute();
  const receipts = await db.selectFrom('notification').select(['loan_id', 'kind', 'params']).where('kind', '=', 'repayment-receipt').execute();
  const audit = await db.selectFrom('audit_event').select(['actor', 'action', 'entity_id', 'before', 'after']).where('action', '=', 'loan.repayment').execute();
  // The request hash covers the loan's id, which each database draws anew.
  const records = await db.selectFrom('idempotency_record').select(['key', 'operation', 'response']).execute();
  const sorted = (rows: unknown[]) => (name(rows) as unknown[]).map((row) => JSON.stringify(row)).sort();
  return {
    answers: name(answers),
    loans: name(loans),
    lines: sorted(lines),
    journal: sorted(journal),
    receipts: sorted(receipts.map((row) => ({ ...row, params: { ...(row.params as Record<string, string>), entryId: 'an-entry' } }))),
    audit: sorted(audit),
    records: sorted(records),
    reconciled: (await reconcile(db)).balanced,
    auditFindings: (await verifyAuditTrail(db)).findings,
  };
}

const serially = (db: Kysely<Database>, submission: RepaymentSubmission) =>
  once(db, 'repayment', submission.caller, submission.key, submission.request, (trx) => repay(trx, submission.request, submission.actor, submission.check));

for (const backend of BACKENDS) {
  describe(`repayments committed together on ${backend}`, () => {
    // The month one at a time, the reference the batched runs are compared with: run once, by the first test that needs it.
    let reference: ReturnType<typeof outcome> | undefined;
    const serialMonth = () =>
      (reference ??= withTestDatabase(backend, async ({ db }) => {
        const { loans, names } = await book(db);
        const answers: Answer[] = [];
        for (const submission of month(loans)) answers.push(await answerOf(serially(db, submission)));
        return outcome(db, names, answers);
      }));
    // A test of the batch itself: skipped by name on Citus, where the batcher runs every repayment alone (test/support/citus.ts).
    const itOfTheBatch = (name: string, test: () => Promise<void>) => it(name, unlessCitus(backend, name), test);

    itOfTheBatch('a month end of concurrent repayments (retries, refusals, the same loan twice) gives the answers, balances, journal, receipts and audit of one at a time', async () => {
      const serial = await serialMonth();
      const batched = await withTestDatabase(backend, async ({ db }) => {
        const { loans, names } = await book(db);
        const batcher = new RepaymentBatcher(db, (repayment) => repayment);
        // All at once, in one turn of the event loop: one batch, and the ones that must wait.
        const answers = await Promise.all(month(loans).map((submission) => answerOf(batcher.submit(submission))));
        // One request per loan and key in a batch: the first takes nine; the second loan 0's second
        // repayment, the bad key and the two after a payoff; the third the retry (a replay) and loan 4's
        // good one; the fourth the reused key, refused on the stored record without a transaction.
        assert.deepEqual(batcher.stats, { batches: 4, transactions: 3, alone: 0 });
        return outcome(db, names, answers);
      });
      // The first answers are the repayments themselves (bigint fen); replays are their stored JSON.
      assert.deepEqual(batched, serial);
      assert.equal(serial.reconciled, true);
      const answers = serial.answers as { ok: boolean; error?: { code: string; field: string } }[];
      assert.deepEqual(
        answers.map((answer) => (answer.ok ? 'ok' : `${answer.error!.code} ${answer.error!.field}`)),
        ['ok', 'ok', 'LIMIT_EXCEEDED amount', 'ok', 'ok', 'ok', 'CONFLICT Idempotency-Key', 'NOT_FOUND undefined', 'NOT_FOUND undefined', 'VALIDATION amount', 'VALIDATION Idempotency-Key', 'ok', 'ok', 'ok', 'CONFLICT loanId', 'ok'],
      );
      // Six repayments moved money once each, the retry none; two closed loans released their provision.
      assert.equal((serial.records as unknown[]).length, 8);
      const batchedAnswers = batched.answers as unknown[];
      assert.deepEqual(batchedAnswers[5], batchedAnswers[0]);
      assert.deepEqual(
        (serial.loans as { status: string }[]).map((loan) => loan.status),
        ['active', 'closed', 'closed', 'closed', 'active', 'active', 'active', 'closed'],
      );
    });

    itOfTheBatch('a batch writes the audit of all its loans, whatever their streams, in two statements, and the chains verify', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { loans } = await book(db);
        const streams = new Set(loans.map((loan) => streamOf(loan)));
        assert.ok(streams.size >= 3, `the book's loans fall in ${streams.size} audit streams`);
        // Each stream's head exists (the book's drawdowns and this repayment wrote to them), so none is created in the batch.
        for (const loan of loans) await serially(db, { caller: 'operator-0', key: `warm-${loan}`, actor: 'operator', request: { loanId: loan, amount: '1.00', aboveThePayoff: 'suspense' } });
        const audit = countAuditStatements(db);
        const batcher = new RepaymentBatcher(audit.db, (repayment) => repayment);
        const answers = await Promise.all(loans.map((loan, index) => answerOf(batcher.submit({ caller: `user-${index}`, key: `key-many-${index}`, actor: `borrower-${index}`, request: { loanId: loan, amount: '10.00', aboveThePayoff: 'refuse' } }))));
        assert.deepEqual(answers.map((answer) => answer.ok), loans.map(() => true));
        assert.deepEqual(batcher.stats, { batches: 1, transactions: 1, alone: 0 });
        // One statement a stream before (as many as the loans have streams): now the heads locked in stream order, then every event and the receipts.
        assert.equal(audit.statements(), 2);
        const events = await db.selectFrom('audit_event').select('entity_id').where('action', '=', 'loan.repayment').where('actor', 'like', 'borrower-%').execute();
        assert.deepEqual(events.map((event) => event.entity_id).sort(), [...loans].sort());
        assert.deepEqual((await verifyAuditTrail(db)).findings, []);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    itOfTheBatch('a batch whose transaction fails runs its requests one at a time: the same answers, money moved once', async () => {
      const serial = await serialMonth();
      const { batched, failed } = await withTestDatabase(backend, async ({ db }) => {
        const { loans, names } = await book(db);
        const plugin = failingFirstBatchRecords();
        const batcher = new RepaymentBatcher(db.withPlugin(plugin), (repayment) => repayment);
        const answers = await Promise.all(month(loans).map((submission) => answerOf(batcher.submit(submission))));
        // The first batch's nine again one at a time; the later batches commit.
        assert.deepEqual(batcher.stats, { batches: 4, transactions: 3, alone: 9 });
        return { batched: await outcome(db, names, answers), failed: plugin.failed };
      });
      assert.equal(failed, 1);
      assert.deepEqual(batched, serial);
      assert.equal(batched.reconciled, true);
    });

    itOfTheBatch('a batch that fails for a reason not the database\'s (a bug) answers each of its requests with it, runs none alone, moves no money', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { loans } = await book(db);
        const before = await db.selectFrom('journal_entry').select(db.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
        const plugin = failingFirstBatchRecords(new InvariantError('a broken batch'));
        const batcher = new RepaymentBatcher(db.withPlugin(plugin), (repayment) => repayment);
        const submissions = month(loans).slice(0, 2);
        const answers = await Promise.all(submissions.map((submission) => answerOf(batcher.submit(submission))));
        assert.deepEqual(batcher.stats, { batches: 1, transactions: 1, alone: 0 });
        assert.deepEqual(
          answers.map((answer) => (answer.ok ? 'ok' : `${answer.error.code} ${answer.error.message}`)),
          ['INTERNAL invariant violated: a broken batch', 'INTERNAL invariant violated: a broken batch'],
        );
        const after = await db.selectFrom('journal_entry').select(db.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
        assert.equal(after.n, before.n);
        const records = await db.selectFrom('idempotency_record').select('key').execute();
        assert.deepEqual(records, []);
      });
    });

    itOfTheBatch('the same key sent to two processes at once moves money once: the batch that loses runs its request alone and replays the winner', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { loans, names } = await book(db);
        // Two servers' batchers on one database, the same request (a client retrying on another connection).
        const first = new RepaymentBatcher(db, (repayment) => repayment);
        const second = new RepaymentBatcher(db, (repayment) => repayment);
        const submission = month(loans)[0]!;
        const answers = await Promise.all([answerOf(first.submit(submission)), answerOf(second.submit(submission))]);
        const { answers: named, journal, records, reconciled } = await outcome(db, names, answers);
        const [a, b] = named as Answer[];
        assert.equal(a!.ok && b!.ok, true);
        assert.deepEqual(a, b);
        assert.equal(journal.filter((line) => line.includes('"kind":"repayment"') && line.includes('"amount":"10000"')).length, 1);
        assert.equal((records as unknown[]).length, 1);
        assert.equal(reconciled, true);
        // The loser found the winner's record before its transaction, or lost it on the unique key and ran alone.
        assert.ok(first.stats.alone + second.stats.alone <= 1);
      });
    });

    itOfTheBatch('a batch of edge values (the largest loan paid off, zero interest, overdue dates kept and cleared, no line) writes the rows one at a time writes', async () => {
      // Each column of the batch's statements goes as one array (src/db/unnest-rows.ts): nulls, zeros,
      // the largest principal a loan may have and dates must arrive as the one-at-a-time statements write them.
      const edges = async (db: Kysely<Database>) => {
        const names = new Map<string, string>();
        const loans: string[] = [];
        const fixtures = [
          bullet('', MAX_LOAN_PRINCIPAL_FEN, '2025-12-31', { rateUnits: 0n, penaltyRateUnits: 0n, compoundRateUnits: 0n }),
          bullet('', 8_000_00n, '2025-09-30', { overdue: { principal: 8_000_00n, since: '2025-06-15' } }),
          bullet('', 10_000_00n, '2025-09-30', { overdue: { principal: 8_000_00n, since: '2025-06-15' } }),
          bullet('', 1_00n, '2025-09-30'),
        ];
        for (const [index, fixture] of fixtures.entries()) {
          const enterpriseId = await createEnterprise(db, `边界企业 ${index}`);
          names.set(enterpriseId, `enterprise-${index}`);
          const loanId = await createLoan(db, { ...fixture, enterpriseId });
          names.set(loanId, `loan-${index}`);
          loans.push(loanId);
        }
        const pay = (loan: number, amount: string): RepaymentSubmission => ({ caller: `user-${loan}`, key: `edge-${loan}-0001`, actor: `borrower-${loan}`, request: { loanId: loans[loan]!, amount, aboveThePayoff: 'refuse' } });
        // The whole of the largest loan; part of an overdue one (its date stays); all of another's overdue principal (its date goes); a loan of one yuan paid off.
        return { names, submissions: [pay(0, formatMoney(MAX_LOAN_PRINCIPAL_FEN)), pay(1, '1000.00'), pay(2, '8000.00'), pay(3, '1.00')] };
      };
      const serial = await withTestDatabase(backend, async ({ db }) => {
        const { names, submissions } = await edges(db);
        const answers: Answer[] = [];
        for (const submission of submissions) answers.push(await answerOf(serially(db, submission)));
        return outcome(db, names, answers);
      });
      const batched = await withTestDatabase(backend, async ({ db }) => {
        const { names, submissions } = await edges(db);
        const batcher = new RepaymentBatcher(db, (repayment) => repayment);
        const answers = await Promise.all(submissions.map((submission) => answerOf(batcher.submit(submission))));
        assert.deepEqual(batcher.stats, { batches: 1, transactions: 1, alone: 0 });
        return outcome(db, names, answers);
      });
      assert.deepEqual(batched, serial);
      assert.equal(batched.reconciled, true);
      assert.deepEqual(batched.auditFindings, []);
      const loans = batched.loans as { status: string; principal_not_due: string; principal_due: string; overdue_since: string | null; next_due_on: string | null }[];
      assert.deepEqual(
        loans.map((loan) => [loan.status, loan.principal_not_due, loan.principal_due, loan.overdue_since, loan.next_due_on]),
        [
          ['closed', '0', '0', null, null],
          ['active', '0', '700000', '2025-06-15', '2025-09-30'],
          ['active', '200000', '0', null, '2025-09-30'],
          ['closed', '0', '0', null, null],
        ],
      );
      // The largest repayment's journal lines carry its 5×10^9 fen, debit and credit.
      assert.equal(batched.journal.filter((line) => line.includes(`"amount":"${MAX_LOAN_PRINCIPAL_FEN}"`) || line.includes(`"amount":"-${MAX_LOAN_PRINCIPAL_FEN}"`)).length, 2);
      assert.ok(batched.journal.every((line) => line.includes('"account_id":null')));
    });

    it('through the API: borrowers repaying at once each get their answer, a retry the first, a stranger 404', async () => {
      await withTestApp(backend, async ({ app, db }) => {
        const owners: { token: string; loanId: string }[] = [];
        for (let i = 0; i < 12; i++) {
          const enterpriseId = await createEnterprise(db, `并发企业 ${i}`);
          const loanId = await createLoan(db, bullet(enterpriseId, 10_000_00n, '2025-09-30'));
          await createUser(db, { username: `owner-${i}`, displayName: `Owner ${i}`, role: 'borrower', password: `owner-${i}-password`, enterpriseId });
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: `owner-${i}`, password: `owner-${i}-password` } });
          owners.push({ token: (login.json() as { token: string }).token, loanId });
        }
        const pay = (owner: { token: string }, loanId: string, key: string, amount: string) =>
          app.inject({ method: 'POST', url: `/v1/loans/${loanId}/repayments`, headers: { authorization: `Bearer ${owner.token}`, 'idempotency-key': key }, payload: { amount } });
        const answers = await Promise.all([
          ...owners.map((owner, i) => pay(owner, owner.loanId, `pay-${i}-0001`, `${100 + i}.00`)),
          pay(owners[0]!, owners[0]!.loanId, 'pay-0-0001', '100.00'),
          pay(owners[1]!, owners[2]!.loanId, 'pay-1-0002', '5.00'),
          pay(owners[3]!, owners[3]!.loanId, 'pay-3-0002', '10000.01'),
        ]);
        assert.deepEqual(
          answers.map((answer) => answer.statusCode),
          [...owners.map(() => 201), 201, 404, 422],
        );
        assert.deepEqual(answers[12]!.json(), answers[0]!.json());
        assert.equal((answers[14]!.json() as { error: { field: string } }).error.field, 'amount');
        for (const [i, owner] of owners.entries()) {
          const body = answers[i]!.json() as { loanId: string; amount: string; balances: { principalNotDue: string } };
          assert.deepEqual([body.loanId, body.amount, body.balances.principalNotDue], [owner.loanId, `${100 + i}.00`, (10_000 - 100 - i).toFixed(2)]);
        }
        const repaid = await db.selectFrom('journal_entry').select('loan_id').where('kind', '=', 'repayment').execute();
        assert.equal(repaid.length, owners.length);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
