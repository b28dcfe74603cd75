import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { formatMoney } from '../../src/money/format-money.js';
import { minor } from '../../src/money/minor.js';
import { rateToUnits } from '../../src/pricing/rate-units.js';
import { buildSchedule, parseScheduleRequest } from '../../src/schedule/index.js';
import type { LoanRow } from '../../src/servicing/loans.js';
import { prepaymentChoice, reamortise, type StoredInstallment } from '../../src/servicing/prepayment-options.js';
import { planRepayment } from '../../src/servicing/repayment.js';

const date = (text: string) => parseBusinessDate(text, 'date');
/** The TERM-LOAN product's schedule defaults (default-products.ts). */
const TERM_LOAN = { method: 'equal-installments', unit: 'months', interestPeriod: 'daily', daysInYear: '360' } as const;

/**
 * 120,000.00 at 6% drawn 2025-01-15 in 12 monthly equal installments, the first three billed and
 * paid; today 2025-04-20, end of day has closed 2025-04-15 to 2025-04-19 (five nights of interest).
 */
function termLoan(): { loan: LoanRow; stored: StoredInstallment[] } {
  const drawn = buildSchedule(parseScheduleRequest({ ...TERM_LOAN, principal: '120000.00', rate: '6', disbursed: '2025-01-15', periods: 12, every: 1 }));
  const stored = drawn.installments.map((row) => ({ number: row.number, due_on: row.dueDate, principal: row.principal, interest: row.interest }));
  const left = drawn.installments.slice(3).reduce((sum, row) => sum + row.principal, 0n);
  const loan = {
    id: 'loan-1', enterprise_id: 'e', product_id: 'p', line_id: null, renewed_from_id: null, shard: 0, status: 'active',
    disbursed_on: date('2025-01-15'), maturity_on: date('2026-01-15'), principal: minor(120_000_00n), annual_rate: '6.00',
    rate_units: rateToUnits('6', 'rate'), penalty_rate_units: rateToUnits('9', 'rate'), compound_rate_units: rateToUnits('9', 'rate'),
    days_in_year: 360, working_capital: true, allocation_order: 'penalty,interest,principal',
    principal_not_due: minor(left), principal_due: minor(0n),
    // Five nights on the balance: left × 6% × 5 ÷ 360, exactly as end of day accrues it.
    interest_accrued: minor((left * 6n * 5n) / 36000n), interest_due: minor(0n), penalty_due: minor(0n),
    interest_remainder: (left * 6n * 5n) % 36000n * 10_000n, penalty_remainder: 0n,
    next_due_on: date('2025-05-15'), next_due_principal: drawn.installments[3]!.principal, overdue_since: null, dpd: 0,
    classification: 'normal', provision: minor(0n), last_eod_on: date('2025-04-19'), created_at: new Date(0),
    written_off: minor(0n), recovered: minor(0n), restructured_until: null, amortization: 'equal-installments',
  } as LoanRow;
  return { loan, stored };
}

/** Half-even division, written here apart from src/money so the check does not share its code. */
function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = 2n * (numerator % denominator);
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** Days between two ISO dates, by the calendar. */
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/**
 * The annuity on P at 6% a year, 9 months, as an exact fraction: P·r·(1+r)^m ÷ ((1+r)^m − 1)
 * with r = 1/200, i.e. P·201^9 ÷ (200·(201^9 − 200^9)), rounded once to the fen.
 */
const annuity = (principal: bigint, m: bigint) => roundHalfEven(principal * 201n ** m, 200n * (201n ** m - 200n ** m));

describe('a prepayment shortens the term or lowers the installments', () => {
  it('lowering the installments re-amortises what is left over the same nine dates: the annuity on 60,745.48 is 6,919.36', () => {
    const { loan, stored } = termLoan();
    assert.equal(formatMoney(loan.principal_not_due), '90669.93');
    // 30,000.00 pays the five nights' interest (75.55) and prepays 29,924.45 of principal.
    const plan = planRepayment(loan, minor(30_000_00n), 'refuse');
    assert.deepEqual([plan.allocation.interestAccrued, plan.allocation.principalNotDue], [75_55n, 29_924_45n]);
    const left = plan.loanAfter.principal_not_due;
    assert.equal(left, 60_745_48n);

    const rows = reamortise(plan.loanAfter, stored, 'equal-installments', TERM_LOAN);
    assert.deepEqual(rows.slice(0, 3), stored.slice(0, 3), 'billed installments stay as they were');
    assert.deepEqual(rows.slice(3).map((row) => [row.due_on, formatMoney(row.principal), formatMoney(row.interest)]), [
      ['2025-05-15', '6615.63', '303.73'],
      ['2025-06-15', '6639.69', '279.67'],
      ['2025-07-15', '6681.91', '237.45'],
      ['2025-08-15', '6708.52', '210.84'],
      ['2025-09-15', '6743.18', '176.18'],
      ['2025-10-15', '6782.58', '136.78'],
      ['2025-11-15', '6813.06', '106.30'],
      ['2025-12-15', '6850.56', '68.80'],
      ['2026-01-15', '6910.35', '35.70'],
    ]);

    // Independently: the level installment is the annuity; each row's interest is the balance × 6% ×
    // days ÷ 360, its principal the level less that; the last takes what is left.
    const level = annuity(left, 9n);
    assert.equal(level, 6_919_36n);
    let balance: bigint = left;
    let from = '2025-04-15';
    const expected = stored.slice(3).map((row, index, all) => {
      const interest = roundHalfEven(balance * 6n * BigInt(days(from, row.due_on)), 36_000n);
      const principal = index === all.length - 1 ? balance : level - interest;
      balance -= principal;
      from = row.due_on;
      return [row.due_on, principal, interest];
    });
    assert.deepEqual(rows.slice(3).map((row) => [row.due_on, row.principal, row.interest]), expected);
    assert.equal(balance, 0n);
    assert.ok(rows.slice(3, -1).every((row) => row.principal + row.interest === level), 'every installment but the last is the annuity');
  });

  it('the preview offers both: 7 installments to 2025-11-15 saving 1,198.35, or 9 of 6,919.36 to 2026-01-15 saving 741.31', () => {
    const { loan, stored } = termLoan();
    const plan = planRepayment(loan, minor(30_000_00n), 'refuse');
    const choice = prepaymentChoice(loan, plan.loanAfter, stored, 'equal-installments', TERM_LOAN, date('2025-04-20'));
    assert.ok(choice !== null);
    const summary = (outcome: typeof choice.shortenTerm) => [outcome.effect, outcome.installmentsLeft, formatMoney(outcome.installment), outcome.lastDueOn, formatMoney(outcome.interestSaved)];
    assert.deepEqual(summary(choice.shortenTerm), ['shorten-term', 7, '10173.36', '2025-11-15', '1198.35']);
    assert.ok(choice.lowerInstallments !== null);
    assert.deepEqual(summary(choice.lowerInstallments), ['lower-installments', 9, '6919.36', '2026-01-15', '741.31']);
    // The shortened schedule keeps each planned principal until the last, which takes the rest.
    assert.deepEqual(choice.shortenTerm.schedule.slice(3).map((row) => [row.dueOn, formatMoney(row.principal), row.state]), [
      ['2025-05-15', '9874.62', 'upcoming'], ['2025-06-15', '9910.53', 'upcoming'], ['2025-07-15', '9973.55', 'upcoming'], ['2025-08-15', '10013.26', 'upcoming'],
      ['2025-09-15', '10065.00', 'upcoming'], ['2025-10-15', '10123.81', 'upcoming'], ['2025-11-15', '784.71', 'upcoming'], ['2025-12-15', '0.00', 'prepaid'], ['2026-01-15', '0.00', 'prepaid'],
    ]);

    // Interest saved, recomputed by hand: the balance path with and without the prepaid principal,
    // each period's interest on it at 6% ÷ 360 a day (the first from today, 2025-04-20).
    const interestOn = (start: bigint, principals: readonly bigint[]) => {
      let balance = start;
      let from = '2025-04-20';
      let total = 0n;
      stored.slice(3).forEach((row, index) => {
        total += roundHalfEven(balance * 6n * BigInt(days(from, row.due_on)), 36_000n);
        balance -= principals[index] ?? balance;
        if (balance < 0n) balance = 0n;
        from = row.due_on;
      });
      return total;
    };
    const planned = stored.slice(3).map((row) => row.principal);
    const kept = interestOn(90_669_93n, planned);
    assert.equal(kept - interestOn(60_745_48n, planned), 1_198_35n);
    assert.equal(kept - interestOn(60_745_48n, reamortise(plan.loanAfter, stored, 'equal-installments', TERM_LOAN).slice(3).map((row) => row.principal)), 741_31n);
  });

  it('no choice when nothing is prepaid, the loan closes, or one installment is left', () => {
    const { loan, stored } = termLoan();
    const interestOnly = planRepayment(loan, minor(75_55n), 'refuse');
    assert.equal(prepaymentChoice(loan, interestOnly.loanAfter, stored, 'equal-installments', TERM_LOAN, date('2025-04-20')), null);
    const payoff = planRepayment(loan, minor(90_745_48n), 'refuse');
    assert.equal(payoff.loanStatusAfter, 'closed');
    assert.equal(prepaymentChoice(loan, payoff.loanAfter, stored, 'equal-installments', TERM_LOAN, date('2025-04-20')), null);
    const last = { ...loan, next_due_on: date('2026-01-15') };
    assert.equal(prepaymentChoice(last, planRepayment(last, minor(1_000_00n), 'refuse').loanAfter, stored, 'equal-installments', TERM_LOAN, date('2025-04-20')), null);
  });
});
