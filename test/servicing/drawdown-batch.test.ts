import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { setCreditLineStatus } from '../../src/lines/credit-lines.js';
import { NotFoundError } from '../../src/errors.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { DrawdownBatcher, type DrawdownSubmission } from '../../src/servicing/drawdown-batch.js';
import { once } from '../../src/servicing/idempotency.js';
import { createUser } from '../../src/auth/users.js';
import { verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { unlessCitus } from '../support/citus.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { answerOf, failingFirstBatchRecords, type Answer } from '../support/money-batches.js';
import { withTestApp } from '../support/test-app.js';

/** The lines every run starts from: a small one drawn on three times, a large one, a frozen one. */
async function book(db: Kysely<Database>): Promise<{ lines: string[]; names: Map<string, string> }> {
  const names = new Map<string, string>();
  const lines: string[] = [];
  for (const [index, limit] of ['10000.00', '300000.00', '50000.00'].entries()) {
    const line = await borrowerWithLine(db, limit);
    names.set(line.id, `line-${index}`);
    names.set(line.enterpriseId, `enterprise-${index}`);
    lines.push(line.id);
  }
  await inTransaction(db, (trx) => setCreditLineStatus(trx, lines[2]!, 'frozen', 'test'));
  return { lines, names };
}

/** The drawdowns of a busy few seconds, in arrival order (indices into the book's lines). */
function burst(lines: readonly string[]): DrawdownSubmission[] {
  const borrower = (line: number, key: string, amount: string, termDays = 90): DrawdownSubmission => ({
    caller: `user-${line}`,
    key,
    actor: `borrower-${line}`,
    request: { lineId: lines[line]!, amount, termDays },
  });
  const missing = '0190a000-0000-7000-8000-000000000000';
  return [
    borrower(0, 'draw-0000-a', '6000.00'),
    // The same line again, more than the 4,000.00 the first leaves: LIMIT_EXCEEDED on amount.
    borrower(0, 'draw-0000-b', '5000.00'),
    borrower(1, 'draw-0001-a', '20000.00', 180),
    // Exactly what the first leaves: the line is drawn to 0.00.
    borrower(0, 'draw-0000-c', '4000.00', 30),
    // A bad amount, a term outside the product's: VALIDATION_ERROR on each.
    borrower(1, 'draw-0001-b', '0.00'),
    borrower(1, 'draw-0001-c', '1000.00', 400),
    // A frozen line: CONFLICT on lineId.
    borrower(2, 'draw-0002-a', '1000.00'),
    // A line that does not exist, and one the caller may not see: NOT_FOUND.
    { caller: 'user-x', key: 'draw-missing', actor: 'borrower-x', request: { lineId: missing, amount: '10.00', termDays: 90 } },
    {
      caller: 'user-y',
      key: 'draw-stranger',
      actor: 'borrower-y',
      request: { lineId: lines[1]!, amount: '10.00', termDays: 90 },
      check: (line) => {
        throw new NotFoundError(`credit line ${line.id}`);
      },
    },
    // A retry of the first with its key: the first answer, no money.
    borrower(0, 'draw-0000-a', '6000.00'),
    // The same key for another request: CONFLICT on the key.
    borrower(0, 'draw-0000-a', '6001.00'),
    borrower(1, 'draw-0001-d', '1234.56', 60),
  ];
}

/** What the run left and answered, with each database's own ids named by their place in the book (new loans by their note number). */
async function outcome(db: Kysely<Database>, names: Map<string, string>, answers: readonly Answer[]) {
  const loans = await db.selectFrom('loan').select(['id', 'note_no', 'line_id', 'status', 'principal', 'principal_not_due', 'annual_rate', 'disbursed_on', 'maturity_on', 'next_due_on', 'next_due_principal', 'interest_basis']).orderBy('note_no').execute();
  const named = new Map([...names, ...loans.map((loan): [string, string] => [loan.id, `loan-${loan.note_no}`])]);
  const name = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field)).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => named.get(id) ?? 'an-id'),
    );
  const lines = await db.selectFrom('credit_line').select(['id', 'available', 'status']).orderBy('id').execute();
  const installments = await db.selectFrom('loan_installment').select(['loan_id', 'number', 'due_on', 'principal', 'interest']).execute();
  const journal = await db
    .selectFrom('journal_entry')
    .innerJoin('journal_line', 'journal_line.entry_id', 'journal_entry.id')
    .select(['journal_entry.loan_id', 'journal_entry.kind', 'journal_entry.business_date', 'journal_entry.description', 'journal_entry.created_by', 'journal_entry.account_id', 'journal_line.account_code', 'journal_line.amount'])
    .where('journal_entry.kind', '=', 'drawdown')
    .execute();
  const receipts = await db.selectFrom('notification').select(['loan_id', 'kind', 'dedupe_key', 'params']).where('kind', '=', 'drawdown-receipt').execute();
  const audit = await db.selectFrom('audit_event').select(['actor', 'action', 'entity_id', 'before', 'after']).where('action', '=', 'loan.drawdown').execute();
  // The request hash covers the line's id, which each database draws anew.
  const records = await db.selectFrom('idempotency_record').select(['key', 'operation', 'response']).execute();
  const sorted = (rows: unknown[]) => (name(rows) as unknown[]).map((row) => JSON.stringify(row)).sort();
  return {
    answers: name(answers),
    loans: name(loans),
    lines: sorted(lines),
    installments: sorted(installments),
    journal: sorted(journal),
    receipts: sorted(receipts),
    audit: sorted(audit),
    records: sorted(records),
    reconciled: (await reconcile(db)).balanced,
    auditFindings: (await verifyAuditTrail(db)).findings,
  };
}

const serially = (db: Kysely<Database>, submission: DrawdownSubmission) =>
  once(db, 'drawdown', submission.caller, submission.key, submission.request, (trx) => drawdown(trx, submission.request, submission.actor, submission.check));

for (const backend of BACKENDS) {
  describe(`drawdowns booked together on ${backend}`, () => {
    // The burst one at a time, the reference the batched runs are compared with: run once, by the first test that needs it.
    let reference: ReturnType<typeof outcome> | undefined;
    const serialBurst = () =>
      (reference ??= withTestDatabase(backend, async ({ db }) => {
        const { lines, names } = await book(db);
        const answers: Answer[] = [];
        for (const submission of burst(lines)) answers.push(await answerOf(serially(db, submission)));
        return outcome(db, names, answers);
      }));
    // A test of the batch itself: skipped by name on Citus, where the batcher runs every drawdown alone (test/support/citus.ts).
    const itOfTheBatch = (name: string, test: () => Promise<void>) => it(name, unlessCitus(backend, name), test);

    itOfTheBatch('a burst of concurrent drawdowns (one line past its limit, refusals, a retry) gives the answers, lines, loans, journal, receipts and audit of one at a time', async () => {
      const serial = await serialBurst();
      const batched = await withTestDatabase(backend, async ({ db }) => {
        const { lines, names } = await book(db);
        const batcher = new DrawdownBatcher(db, (drawn) => drawn);
        // All at once, in one turn of the event loop: one batch, and the two under the first's key after it.
        const answers = await Promise.all(burst(lines).map((submission) => answerOf(batcher.submit(submission))));
        // The first takes ten; the second the retry (replayed from the stored record), the third the
        // reused key (refused on it): neither needs a transaction.
        assert.deepEqual(batcher.stats, { batches: 3, transactions: 1, alone: 0 });
        return outcome(db, names, answers);
      });
      assert.deepEqual(batched, serial);
      assert.equal(serial.reconciled, true);
      assert.deepEqual(serial.auditFindings, []);
      const answers = serial.answers as { ok: boolean; value?: { noteNo: string; amount: string; lineAvailable: string }; error?: { code: string; field: string } }[];
      assert.deepEqual(
        answers.map((answer) => (answer.ok ? `ok ${answer.value!.noteNo} ${answer.value!.amount} ${answer.value!.lineAvailable}` : `${answer.error!.code} ${answer.error!.field}`)),
        [
          'ok JJ20250630-00001 600000 400000',
          'LIMIT_EXCEEDED amount',
          'ok JJ20250630-00002 2000000 28000000',
          'ok JJ20250630-00003 400000 0',
          'VALIDATION amount',
          'VALIDATION termDays',
          'CONFLICT lineId',
          'NOT_FOUND undefined',
          'NOT_FOUND undefined',
          'ok JJ20250630-00001 600000 400000',
          'CONFLICT Idempotency-Key',
          'ok JJ20250630-00004 123456 27876544',
        ],
      );
      // Four loans, each recorded once under its key; the retry moved nothing.
      assert.equal((serial.records as unknown[]).length, 4);
      assert.equal((serial.loans as unknown[]).length, 4);
      assert.deepEqual(
        (serial.loans as { note_no: string; line_id: string; principal: string; maturity_on: string }[]).map((loan) => [loan.note_no, loan.line_id, loan.principal, loan.maturity_on]),
        [
          ['JJ20250630-00001', 'line-0', '600000', '2025-09-28'],
          ['JJ20250630-00002', 'line-1', '2000000', '2025-12-27'],
          ['JJ20250630-00003', 'line-0', '400000', '2025-07-30'],
          ['JJ20250630-00004', 'line-1', '123456', '2025-08-29'],
        ],
      );
      assert.deepEqual(serial.lines.map((line) => JSON.parse(line) as { id: string; available: string }).map((line) => [line.id, line.available]).sort(), [
        ['line-0', '0'],
        ['line-1', '27876544'],
        ['line-2', '5000000'],
      ]);
    });

    itOfTheBatch('a drawdown batch whose transaction fails runs its requests one at a time: the same answers, each loan booked once', async () => {
      const serial = await serialBurst();
      // One drawdown per line that books, so that one at a time in any order answers the same.
      const picked = [0, 2, 4, 5, 6, 7, 8];
      const { batched, failed } = await withTestDatabase(backend, async ({ db }) => {
        const { lines, names } = await book(db);
        const plugin = failingFirstBatchRecords();
        const batcher = new DrawdownBatcher(db.withPlugin(plugin), (drawn) => drawn);
        const submissions = burst(lines).filter((_, index) => picked.includes(index));
        const answers = await Promise.all(submissions.map((submission) => answerOf(batcher.submit(submission))));
        // The batch's seven again, each alone.
        assert.deepEqual(batcher.stats, { batches: 1, transactions: 1, alone: 7 });
        return { batched: await outcome(db, names, answers), failed: plugin.failed };
      });
      assert.equal(failed, 1);
      const summary = (answer: Answer) => {
        if (!answer.ok) return `${String(answer.error.code)} ${String(answer.error.field)}`;
        const value = answer.value as { amount: string; lineAvailable: string; lineId: string };
        return `ok ${value.lineId} ${value.amount} ${value.lineAvailable}`;
      };
      const expected = (serial.answers as Answer[]).filter((_, index) => picked.includes(index)).map(summary);
      assert.deepEqual((batched.answers as Answer[]).map(summary), expected);
      assert.deepEqual(expected, ['ok line-0 600000 400000', 'ok line-1 2000000 28000000', 'VALIDATION amount', 'VALIDATION termDays', 'CONFLICT lineId', 'NOT_FOUND undefined', 'NOT_FOUND undefined']);
      // Two loans, numbered 1 and 2 in the order they committed; each posted, receipted and audited once.
      assert.deepEqual((batched.loans as { note_no: string }[]).map((loan) => loan.note_no), ['JJ20250630-00001', 'JJ20250630-00002']);
      assert.equal(batched.journal.length, 4);
      assert.equal(batched.receipts.length, 2);
      assert.equal(batched.audit.length, 2);
      assert.equal((batched.records as unknown[]).length, 2);
      assert.deepEqual(batched.lines.map((line) => JSON.parse(line) as { id: string; available: string }).map((line) => [line.id, line.available]).sort(), [
        ['line-0', '400000'],
        ['line-1', '28000000'],
        ['line-2', '5000000'],
      ]);
      assert.equal(batched.reconciled, true);
      assert.deepEqual(batched.auditFindings, []);
    });

    it('through the API: borrowers drawing at once each get their loan, two racing for one line\'s last 5,000.00 get one, a retry the first answer, a stranger 404', async () => {
      await withTestApp(backend, async ({ app, db }) => {
        const owners: { token: string; lineId: string }[] = [];
        for (let i = 0; i < 8; i++) {
          const line = await borrowerWithLine(db, i === 0 ? '5000.00' : '100000.00');
          await createUser(db, { username: `drawer-${i}`, displayName: `Drawer ${i}`, role: 'borrower', password: `drawer-${i}-password`, enterpriseId: line.enterpriseId });
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: `drawer-${i}`, password: `drawer-${i}-password` } });
          owners.push({ token: (login.json() as { token: string }).token, lineId: line.id });
        }
        const draw = (owner: { token: string }, lineId: string, key: string, amount: string) =>
          app.inject({ method: 'POST', url: `/v1/lines/${lineId}/drawdowns`, headers: { authorization: `Bearer ${owner.token}`, 'idempotency-key': key }, payload: { amount, termDays: 30 } });
        const answers = await Promise.all([
          ...owners.map((owner, i) => draw(owner, owner.lineId, `draw-${i}-0001`, `${1000 + i}.00`)),
          // Line 0 (5,000.00, 1,000.00 just asked): two race for 4,000.00 each; one fits.
          draw(owners[0]!, owners[0]!.lineId, 'draw-0-0002', '4000.00'),
          draw(owners[0]!, owners[0]!.lineId, 'draw-0-0003', '4000.00'),
          // A retry of borrower 1's drawdown, and a stranger on borrower 2's line.
          draw(owners[1]!, owners[1]!.lineId, 'draw-1-0001', '1001.00'),
          draw(owners[3]!, owners[2]!.lineId, 'draw-3-0002', '10.00'),
        ]);
        const statuses = answers.map((answer) => answer.statusCode);
        assert.deepEqual(statuses.slice(0, 8), owners.map(() => 201));
        // Exactly one of the race wins, the other is refused on its amount.
        assert.deepEqual([statuses[8], statuses[9]].sort(), [201, 422]);
        const refused = answers[statuses[8] === 422 ? 8 : 9]!.json() as { error: { code: string; field: string } };
        assert.deepEqual([refused.error.code, refused.error.field], ['LIMIT_EXCEEDED', 'amount']);
        assert.deepEqual(statuses.slice(10), [201, 404]);
        assert.deepEqual(answers[10]!.json(), answers[1]!.json());
        for (const [i, owner] of owners.entries()) {
          const body = answers[i]!.json() as { lineId: string; amount: string; lineAvailable: string };
          assert.deepEqual([body.lineId, body.amount], [owner.lineId, `${1000 + i}.00`]);
          if (i > 0) assert.equal(body.lineAvailable, (100_000 - 1000 - i).toFixed(2));
        }
        const line0 = await db.selectFrom('credit_line').select('available').where('id', '=', owners[0]!.lineId).executeTakeFirstOrThrow();
        assert.equal(BigInt(line0.available), 0n);
        // Nine loans: eight borrowers' and the race's winner; the retry booked nothing.
        const loans = await db.selectFrom('loan').select(['line_id', 'principal', 'note_no']).where('line_id', 'in', owners.map((owner) => owner.lineId)).execute();
        assert.equal(loans.length, 9);
        assert.equal(new Set(loans.map((loan) => loan.note_no)).size, 9);
        assert.equal(loans.reduce((sum, loan) => sum + BigInt(loan.principal), 0n), [...owners.keys()].reduce((sum, i) => sum + BigInt(1000 + i) * 100n, 0n) + 4000_00n);
        const drawn = await db.selectFrom('journal_entry').select('loan_id').where('kind', '=', 'drawdown').execute();
        assert.equal(drawn.length, 9);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
