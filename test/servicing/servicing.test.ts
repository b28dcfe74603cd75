import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { getCreditLine, setCreditLineStatus } from '../../src/lines/credit-lines.js';
import { once } from '../../src/servicing/idempotency.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { repay } from '../../src/servicing/repayment.js';
import { loanById } from '../../src/servicing/loans.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { minor } from '../../src/money/minor.js';
import { NotAuthorisedError } from '../../src/errors.js';

const balanceOf = (tb: Awaited<ReturnType<typeof trialBalance>>, purpose: string) => tb.rows.find((row) => row.purpose === purpose)?.balance;

for (const backend of BACKENDS) {
  describe(`lines and servicing on ${backend}`, () => {
    it('a line is priced at the 1-year LPR plus the product spread: 3.00 + 1.35 on 2025-06-30', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        assert.equal(line.annualRate, '4.35');
        assert.equal(line.limit, 300_000_00n);
        assert.equal(line.available, 300_000_00n);
        assert.equal(line.endOn, '2026-06-30');
        assert.equal(line.revolving, true);
      });
    });

    it('a drawdown books a loan, its schedule and a balanced entry, and reduces the available amount', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const result = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '100000.00', termDays: 90 }, 'borrower'));
        assert.equal(result.maturityOn, '2025-09-28');
        assert.equal(result.lineAvailable, 200_000_00n);
        // One bullet installment: 100000.00 × 4.35% × 90 / 360 = 1087.50.
        assert.equal(result.schedule.installments.length, 1);
        assert.equal(result.schedule.totalInterest, 1_087_50n);
        const loan = await loanById(db, result.loanId);
        assert.equal(loan.principal_not_due, 100_000_00n);
        assert.equal(loan.rate_units, 43_500n);
        assert.equal(loan.penalty_rate_units, 65_250n); // 4.35% × 1.5
        assert.equal(loan.next_due_on, '2025-09-28');
        const tb = await trialBalance(db, null);
        assert.equal(tb.balanced, true);
        assert.equal(balanceOf(tb, 'loans-normal'), 100_000_00n);
        assert.equal(balanceOf(tb, 'settlement'), -100_000_00n);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it("a drawdown's check is given the line before anything is checked or moved; the line's available after is the reserve's", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const seen: string[] = [];
        // Refused by the check: even an amount above the line is not looked at, and nothing moves.
        await assert.rejects(
          inTransaction(db, (trx) => drawdown(trx, { lineId: line.id.toUpperCase(), amount: '999999999.00', termDays: 90 }, 'borrower', (read) => {
            seen.push(`${read.id} ${read.available}`);
            throw new NotAuthorisedError('not this line');
          })),
          { code: 'NOT_AUTHORISED' },
        );
        assert.deepEqual(seen, [`${line.id} 30000000`]);
        assert.equal((await getCreditLine(db, line.id)).available, 300_000_00n);
        assert.equal((await db.selectFrom('loan').select('id').where('line_id', '=', line.id).execute()).length, 0);
        // Allowed: one drawdown, then a second; each answer and audit event carries what the line has left.
        const first = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '100000.00', termDays: 90 }, 'borrower', (read) => seen.push(`${read.id} ${read.available}`)));
        const second = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '50000.00', termDays: 90 }, 'borrower', (read) => seen.push(`${read.id} ${read.available}`)));
        assert.deepEqual(seen, [`${line.id} 30000000`, `${line.id} 30000000`, `${line.id} 20000000`]);
        assert.equal(first.lineAvailable, 200_000_00n);
        assert.equal(second.lineAvailable, 150_000_00n);
        const audited = await db.selectFrom('audit_event').select(['entity_id', 'after']).where('action', '=', 'loan.drawdown').execute();
        const lineAvailableOf = (loanId: string) => (audited.find((row) => row.entity_id === loanId)?.after as { lineAvailable?: string } | null)?.lineAvailable;
        assert.equal(lineAvailableOf(first.loanId), '20000000');
        assert.equal(lineAvailableOf(second.loanId), '15000000');
        assert.equal((await getCreditLine(db, line.id)).available, 150_000_00n);
      });
    });

    it('installment drawdowns follow the product schedule: 12 monthly equal installments', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '500000.00', 'TERM-LOAN');
        const result = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '120000.00', installments: 12 }, 'account-manager'));
        assert.equal(result.schedule.installments.length, 12);
        assert.equal(result.maturityOn, '2026-06-30');
        const rows = await db.selectFrom('loan_installment').selectAll().where('loan_id', '=', result.loanId).orderBy('number').execute();
        assert.equal(rows.length, 12);
        assert.equal(rows.reduce((sum, row) => sum + row.principal, 0n), 120_000_00n);
        const loan = await loanById(db, result.loanId);
        assert.equal(loan.next_due_on, '2025-07-30');
        assert.equal(loan.next_due_principal, rows[0]!.principal);
        assert.equal(line.revolving, false);
      });
    });

    it('a drawdown above the available amount, on a frozen line, or with bad input changes nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '1000.00');
        await assert.rejects(inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '1000.01', termDays: 30 }, 'u')), { code: 'LIMIT_EXCEEDED', field: 'amount' });
        await assert.rejects(inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '10.001', termDays: 30 }, 'u')), { code: 'VALIDATION', field: 'amount' });
        await assert.rejects(inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '10.00', termDays: 366 }, 'u')), { code: 'VALIDATION', field: 'termDays' });
        await inTransaction(db, (trx) => setCreditLineStatus(trx, line.id, 'frozen', 'risk-officer'));
        await assert.rejects(inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '10.00', termDays: 30 }, 'u')), { code: 'CONFLICT', field: 'lineId' });
        assert.equal((await getCreditLine(db, line.id)).available, 1000_00n);
        assert.equal(await db.selectFrom('loan').select('id').executeTakeFirst(), undefined);
        assert.equal(await db.selectFrom('journal_entry').select('id').executeTakeFirst(), undefined);
      });
    });

    it('two drawdowns racing for the last available yuan: exactly one succeeds', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '1000.00');
        await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '999.00', termDays: 30 }, 'u'));
        const race = await Promise.allSettled([
          inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '1.00', termDays: 30 }, 'a')),
          inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '1.00', termDays: 30 }, 'b')),
        ]);
        assert.equal(race.filter((outcome) => outcome.status === 'fulfilled').length, 1);
        const failure = race.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
        assert.equal((failure.reason as { code: string }).code, 'LIMIT_EXCEEDED');
        assert.equal((await getCreditLine(db, line.id)).available, 0n);
        const loans = await db.selectFrom('loan').select('principal').execute();
        assert.equal(loans.reduce((sum, loan) => sum + loan.principal, 0n), 1000_00n);
      });
    });

    it('repayments go to due amounts, then prepay; a payoff closes the loan and restores the revolving line', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '10000.00', termDays: 30 }, 'u'));
        // Simulate what end of day does: 10 nights of accrual and a missed small bill.
        await db.updateTable('loan').set({ interest_accrued: minor(12_08n), penalty_due: minor(1_00n), interest_due: minor(3_00n), principal_due: minor(500_00n), principal_not_due: minor(9_500_00n) }).where('id', '=', loanId).execute();
        await setBusinessDate(db, parseBusinessDate('2025-07-10', 'date'));

        const partial = await inTransaction(db, (trx) => repay(trx, { loanId, amount: '104.00' }, 'u'));
        assert.deepEqual(partial.allocation, { penalty: 1_00n, interestDue: 3_00n, principalDue: 100_00n, interestAccrued: 0n, principalNotDue: 0n, overpayment: 0n });
        assert.equal(partial.balances.principalDue, 400_00n);
        assert.equal(partial.balances.payoff, 400_00n + 12_08n + 9_500_00n);
        assert.equal((await getCreditLine(db, line.id)).available, 290_000_00n + 100_00n);

        const payoff = await inTransaction(db, (trx) => repay(trx, { loanId, amount: '9915.08' }, 'u'));
        assert.equal(payoff.loanStatus, 'closed');
        assert.equal(payoff.allocation.overpayment, 3_00n);
        assert.equal((await getCreditLine(db, line.id)).available, 300_000_00n);
        await assert.rejects(inTransaction(db, (trx) => repay(trx, { loanId, amount: '1.00' }, 'u')), { code: 'CONFLICT' });
        const tb = await trialBalance(db, null);
        assert.equal(tb.balanced, true);
        assert.equal(balanceOf(tb, 'suspense'), -3_00n);
        assert.equal(balanceOf(tb, 'loans-normal'), 0n);
      });
    });

    it('a retried drawdown with the same Idempotency-Key moves no more money; a different body is a conflict', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const body = { lineId: line.id, amount: '5000.00', termDays: 60 };
        const draw = () => once(db, 'drawdown', 'u', 'key-0001-abcdef', body, async (trx) => {
          const result = await drawdown(trx, body, 'u');
          return { loanId: result.loanId, available: result.lineAvailable.toString() };
        });
        const [first, again] = [await draw(), await draw()];
        assert.deepEqual(again, first);
        assert.equal((await getCreditLine(db, line.id)).available, 295_000_00n);
        assert.equal((await db.selectFrom('loan').select('id').execute()).length, 1);
        await assert.rejects(once(db, 'drawdown', 'u', 'key-0001-abcdef', { ...body, amount: '6000.00' }, async () => ({})), { code: 'CONFLICT', field: 'Idempotency-Key' });
        const racers = await Promise.all([1, 2].map(() => once(db, 'drawdown', 'u', 'key-0002-abcdef', body, async (trx) => ({ loanId: (await drawdown(trx, body, 'u')).loanId }))));
        assert.equal(racers[0]!.loanId, racers[1]!.loanId);
        assert.equal((await getCreditLine(db, line.id)).available, 290_000_00n);
      });
    });
  });
}
