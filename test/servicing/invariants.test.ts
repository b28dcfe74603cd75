import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { inTransaction } from '../../src/db/transaction.js';
import { InvariantError, SproutError, ValidationError } from '../../src/errors.js';
import { installErrorHandler } from '../../src/http/error-handler.js';
import { assertLineAvailable, getCreditLine } from '../../src/lines/credit-lines.js';
import { formatMoney } from '../../src/money/format-money.js';
import { minor } from '../../src/money/minor.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { MAX_RATE_UNITS, rateUnits } from '../../src/pricing/rate-units.js';
import { buildSchedule, parseScheduleRequest } from '../../src/schedule/index.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { assertBookedLoan, assertLoanParts, checkLoanPrincipal, INT8_MAX, MAX_LOAN_PRINCIPAL_FEN, MAX_LOAN_TERM_DAYS } from '../../src/servicing/loan-bounds.js';
import { loanById } from '../../src/servicing/loans.js';
import { insertNewLoan, type NewLoan } from '../../src/servicing/new-loan.js';
import { repay } from '../../src/servicing/repayment.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';

const isInvariant = (pattern: RegExp) => (error: unknown) => error instanceof InvariantError && error.code === 'INTERNAL' && pattern.test(error.message);

describe('the principal bound end of day relies on', () => {
  it('is ¥50,000,000.00, and the largest loan at 100% over 1,827 days keeps principal × rate units × days inside int8', () => {
    assert.equal(formatMoney(MAX_LOAN_PRINCIPAL_FEN), '50000000.00');
    assert.equal(MAX_LOAN_TERM_DAYS, 5 * 365 + 2);
    assert.equal(MAX_LOAN_PRINCIPAL_FEN * MAX_RATE_UNITS * BigInt(MAX_LOAN_TERM_DAYS), 9_135_000_000_000_000_000n);
    assert.ok(MAX_LOAN_PRINCIPAL_FEN * MAX_RATE_UNITS * BigInt(MAX_LOAN_TERM_DAYS) <= INT8_MAX);
    // Twice the bound would not fit: the bound is not arbitrary.
    assert.ok(2n * MAX_LOAN_PRINCIPAL_FEN * MAX_RATE_UNITS * BigInt(MAX_LOAN_TERM_DAYS) > INT8_MAX);
  });

  it('a request above it is a ValidationError naming the field; at it, accepted', () => {
    assert.doesNotThrow(() => checkLoanPrincipal(MAX_LOAN_PRINCIPAL_FEN, 'amount'));
    assert.throws(
      () => checkLoanPrincipal(MAX_LOAN_PRINCIPAL_FEN + 1n, 'amount'),
      (error: unknown) => error instanceof ValidationError && error.field === 'amount' && /at most 50000000\.00.*got 50000000\.01/.test(error.message),
    );
  });

  it('a booked loan outside the bounds is an invariant failure (INTERNAL), not a validation error', () => {
    const ok = { principal: 100_000_00n, rateUnits: 43_500n, penaltyRateUnits: 65_250n, compoundRateUnits: 0n, fromDate: '2025-06-30', maturityOn: '2025-09-28' };
    assert.doesNotThrow(() => assertBookedLoan(ok));
    assert.throws(() => assertBookedLoan({ ...ok, principal: MAX_LOAN_PRINCIPAL_FEN + 1n }), isInvariant(/principal 5000000001 fen is outside/));
    assert.throws(() => assertBookedLoan({ ...ok, rateUnits: MAX_RATE_UNITS + 1n }), isInvariant(/rate 1000001 units/));
    assert.throws(() => assertBookedLoan({ ...ok, penaltyRateUnits: 2_000_001n }), isInvariant(/penalty rate/));
    assert.throws(() => assertBookedLoan({ ...ok, maturityOn: '2030-07-02' }), isInvariant(/term of 1828 days/));
    assert.throws(() => assertBookedLoan({ ...ok, maturityOn: '2025-06-30' }), isInvariant(/term of 0 days/));
  });
});

describe('balance invariants', () => {
  it('no loan part below zero', () => {
    const zero = { principal_not_due: 0n, principal_due: 0n, interest_accrued: 0n, interest_due: 0n, penalty_due: 0n };
    assert.doesNotThrow(() => assertLoanParts('L1', zero));
    assert.throws(() => assertLoanParts('L1', { ...zero, interest_due: -1n }), isInvariant(/loan L1: interest_due is -1, below zero/));
  });

  it('a line has 0 ≤ available ≤ limit', () => {
    assert.doesNotThrow(() => assertLineAvailable('C1', 0n, 100n));
    assert.doesNotThrow(() => assertLineAvailable('C1', 100n, 100n));
    assert.throws(() => assertLineAvailable('C1', -1n, 100n), isInvariant(/line C1: available -1 is outside 0\.\.100/));
    assert.throws(() => assertLineAvailable('C1', 101n, 100n), isInvariant(/available 101/));
  });

  it('an invariant failure is a 500 INTERNAL at the HTTP edge, a validation error a 400', async () => {
    const app = Fastify();
    installErrorHandler(app);
    app.get('/broken', async () => {
      throw new InvariantError('repayment parts sum to the amount paid');
    });
    app.get('/refused', async () => {
      checkLoanPrincipal(MAX_LOAN_PRINCIPAL_FEN + 1n, 'amount');
    });
    const broken = await app.inject({ method: 'GET', url: '/broken' });
    assert.equal(broken.statusCode, 500);
    assert.deepEqual(broken.json(), { error: { code: 'INTERNAL', message: 'invariant violated: repayment parts sum to the amount paid' } });
    const refused = await app.inject({ method: 'GET', url: '/refused' });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.field, 'amount');
    await app.close();
  });
});

for (const backend of BACKENDS) {
  describe(`invariants asserted in the services on ${backend}`, () => {
    it('a drawdown above the principal bound is refused before anything else, naming amount', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        await assert.rejects(
          inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '50000000.01', termDays: 90 }, 'borrower')),
          (error: unknown) => error instanceof ValidationError && error.field === 'amount' && /at most 50000000\.00/.test(error.message),
        );
        assert.equal((await getCreditLine(db, line.id)).available, 300_000_00n);
      });
    });

    it('writing a loan above the bound, or with a term beyond it, is an invariant failure and writes nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const product = await db.selectFrom('product').select('id').where('code', '=', 'MICRO-LINE').executeTakeFirstOrThrow();
        const base = (principal: string, months: number): NewLoan => ({
          enterpriseId: line.enterpriseId,
          productId: product.id,
          lineId: null,
          renewedFromId: null,
          disbursedOn: parseBusinessDate('2025-06-30', 'disbursedOn'),
          principal: minor(BigInt(principal.replace('.', ''))),
          annualRate: '4.35',
          amortization: 'equal-installments',
          rateUnits: rateUnits(43_500n),
          penaltyRateUnits: rateUnits(65_250n),
          compoundRateUnits: rateUnits(0n),
          daysInYear: 360,
          workingCapital: true,
          allocationOrder: 'penalty,interest,principal',
          schedule: buildSchedule(parseScheduleRequest({ principal, rate: '4.35', periods: months, disbursed: '2025-06-30' })),
          classification: 'normal',
          provision: minor(0n),
          lastEodOn: null,
        });
        await assert.rejects(inTransaction(db, (trx) => insertNewLoan(trx, base('50000000.01', 12))), isInvariant(/principal 5000000001 fen/));
        await assert.rejects(inTransaction(db, (trx) => insertNewLoan(trx, base('100000.00', 61))), isInvariant(/term of 1856 days is outside 1\.\.1827/));
        const { loanId } = await inTransaction(db, (trx) => insertNewLoan(trx, base('50000000.00', 60)));
        assert.equal((await loanById(db, loanId)).principal, MAX_LOAN_PRINCIPAL_FEN);
        assert.equal((await db.selectFrom('loan').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n.toString(), '1');
      });
    });

    it('a repayment that overpays: its parts and the overpayment sum to the amount, every balance ends at zero, the line is back to its limit', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const loan = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '100000.00', termDays: 90 }, 'borrower'));
        assert.equal((await getCreditLine(db, line.id)).available, 200_000_00n);
        const paid = await inTransaction(db, (trx) => repay(trx, { loanId: loan.loanId, amount: '100050.00' }, 'borrower'));
        const a = paid.allocation;
        assert.deepEqual([a.penalty, a.interestDue, a.principalDue, a.interestAccrued, a.principalNotDue, a.overpayment], [0n, 0n, 0n, 0n, 100_000_00n, 50_00n]);
        assert.equal(a.penalty + a.interestDue + a.principalDue + a.interestAccrued + a.principalNotDue + a.overpayment, 100_050_00n);
        assert.equal(paid.loanStatus, 'closed');
        assert.equal(paid.balances.payoff, 0n);
        assert.equal((await getCreditLine(db, line.id)).available, 300_000_00n);
      });
    });
  });
}

// SproutError stays the base of every error Sprout raises on purpose, InvariantError included.
assert.ok(new InvariantError('x') instanceof SproutError);
