import { invariant } from '../errors.js';
import type { Fraction } from '../money/fraction.js';
import { minor, type Minor } from '../money/minor.js';
import { divideRounded } from '../money/rounding.js';
import { rateFraction } from '../money/rate.js';
import { levelInstallment } from './annuity.js';
import { toDayNumber, type BusinessDate } from '../calendar/business-date.js';
import { dueDates, type DueDates } from './due-dates.js';
import { periodFactors, periodicRate, wholeTermFactor } from './interest-factors.js';
import type { Installment, Schedule } from './schedule.js';
import type { ScheduleTerms } from './schedule-terms.js';
import { validateTerms } from './validate-terms.js';

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return value < low ? low : value > high ? high : value;
}

function bulletSchedule(terms: ScheduleTerms, due: DueDates): Schedule {
  const dueDays = due.days;
  const factor = wholeTermFactor(terms, dueDays, due.irregularFirst);
  const principal = terms.principal;
  const interest = minor(divideRounded(principal * factor.numerator, factor.denominator, terms.rounding));
  invariant(interest >= 0n, 'interest is never negative');
  const first = dueDays[0] ?? 0;
  const last = dueDays[terms.periods] ?? 0;
  invariant(last > first, 'the bullet falls due after disbursement');
  const total = minor(principal + interest);
  return {
    installments: [
      { number: 1, dueDate: due.dates[terms.periods]!, days: last - first, principal, interest, total, balance: minor(0n) },
    ],
    totalPrincipal: principal,
    totalInterest: interest,
    totalRepayment: total,
  };
}

/**
 * Builds the repayment schedule for `terms`. Pure: the same terms always give the same schedule.
 *
 * The rules (due dates, interest per period, each amortization, grace, rounding) are documented
 * with worked examples in docs/schedules.md. In short: installment k falls due k periods after
 * disbursement (or k − 1 after `firstDue`); each period's interest is one exact fraction rounded
 * once; the last installment pays the whole remaining balance, so rounding differences end there.
 * Throws a ValidationError for terms out of bounds.
 *
 * @example
 * const s = buildSchedule(parseScheduleRequest({
 *   principal: '5000.00', rate: '12', periods: 18, disbursed: '2022-11-01', installmentMultiple: '1.00',
 * }));
 * s.installments[0]; // { number: 1, dueDate: '2022-12-01', days: 30, principal: 25500n, interest: 5000n, total: 30500n, balance: 474500n }
 */
export function buildSchedule(terms: ScheduleTerms): Schedule {
  validateTerms(terms);
  return amortise(terms, dueDates(terms));
}

/**
 * The schedule for `terms` on due dates already fixed — the rest of a loan re-amortised after a
 * prepayment keeps the dates its contract set, which stepping months from a mid-schedule anchor
 * would not always give back (a loan due on the 31st falls on the 28th in February, and stepping
 * on from the 28th would move every later date). `dates[0]` is where the first period starts
 * (the last date already billed, or the disbursement); `terms.periods` must be `dates.length − 1`.
 * The maths is buildSchedule's, line for line.
 *
 * @example
 * // 9,000.00 at 6% over three monthly dates
 * const terms = parseScheduleRequest({ principal: '9000.00', rate: '6', periods: 3, disbursed: '2025-03-15' });
 * buildScheduleOnDates(terms, ['2025-03-15', '2025-04-15', '2025-05-15', '2025-06-15']).installments[0].total; // 303005n (3,030.05)
 */
export function buildScheduleOnDates(terms: ScheduleTerms, dates: readonly BusinessDate[]): Schedule {
  validateTerms(terms);
  invariant(dates.length === terms.periods + 1, 'one date per installment and the start');
  const days = dates.map(toDayNumber);
  for (let k = 1; k < days.length; k++) invariant(days[k]! > days[k - 1]!, 'due dates strictly increase');
  // Irregular only if the first period is not one step of the schedule's unit long.
  const natural = dueDates({ ...terms, periods: 1, disbursed: dates[0]! }).days[1];
  return amortise(terms, { days, dates, irregularFirst: natural !== days[1] });
}

function amortise(terms: ScheduleTerms, due: DueDates): Schedule {
  if (terms.method === 'bullet') return bulletSchedule(terms, due);
  const dueDays = due.days;

  const n = terms.periods;
  const principal: bigint = terms.principal;
  const mode = terms.rounding;
  const flat = terms.interest === 'flat';
  const method = terms.method;
  const graceInterest = terms.graceInterest;
  // Installments before the first that repays principal; the principal is amortised over m.
  const start = Math.max(terms.gracePrincipal, graceInterest);
  const m = n - start;
  const annual = rateFraction(terms.annualRate);
  const factors = periodFactors(terms, dueDays, due.irregularFirst, annual);
  const ownInterest = (base: bigint, k: number): bigint => {
    const factor = factors[k - 1] as Fraction;
    return divideRounded(base * factor.numerator, factor.denominator, mode);
  };

  // Equal principal, as bank calculators print it: principal ÷ m rounded to the fen in every
  // installment but the last, which takes what is left (so the rounding ends there).
  const share = method === 'equal-principal' ? divideRounded(principal, BigInt(m), mode) : 0n;
  // The level installment. Flat: (P + the flat interest of the amortising periods) ÷ m, rounded to
  // the fen or the multiple; each installment's interest is its own flat amount and the principal
  // is the rest, so rounding to a multiple moves principal, never interest.
  let level = 0n;
  const levelFlat = method === 'equal-installments' && flat;
  if (method === 'equal-installments') {
    const multiple: bigint = terms.installmentMultiple ?? 1n;
    if (levelFlat) {
      let flatInterest = 0n;
      for (let k = start + 1; k <= n; k++) flatInterest += ownInterest(principal, k);
      level = divideRounded(principal + flatInterest, BigInt(m) * multiple, mode) * multiple;
    } else {
      level = levelInstallment(principal, periodicRate(terms, annual), m, multiple, mode);
    }
  }

  const installments: Installment[] = new Array<Installment>(n);
  let balance = principal;
  let deferred = 0n;
  let totalPrincipal = 0n;
  let totalInterest = 0n;
  for (let k = 1; k <= n; k++) {
    const own = ownInterest(flat ? principal : balance, k);
    let paid = 0n;
    if (k > start) {
      if (k === n) paid = balance;
      // Clamped for the degenerate case of a few fen over many installments (share × (m − 1) > P).
      else if (method === 'equal-principal') paid = share < balance ? share : balance;
      else if (method === 'equal-installments') paid = clamp(level - own, 0n, balance);
    }
    let interest = own;
    if (k <= graceInterest) {
      // Deferred, not capitalised: the balance does not grow, so no interest on interest.
      deferred += own;
      interest = 0n;
    } else if (k === graceInterest + 1) {
      interest += deferred;
      deferred = 0n;
    }
    balance -= paid;
    invariant(paid >= 0n && interest >= 0n && balance >= 0n, 'no negative amounts');
    const dueDay = dueDays[k] ?? 0;
    const days = dueDay - (dueDays[k - 1] ?? 0);
    invariant(days > 0, 'due dates strictly increase');
    installments[k - 1] = {
      number: k,
      dueDate: due.dates[k]!,
      days,
      principal: paid as Minor,
      interest: interest as Minor,
      total: (paid + interest) as Minor,
      balance: balance as Minor,
    };
    totalPrincipal += paid;
    totalInterest += interest;
  }
  invariant(balance === 0n, 'balance after the last installment is 0');
  invariant(totalPrincipal === principal, 'principal parts sum to the principal');
  invariant(deferred === 0n, 'all deferred interest is paid');
  return {
    installments,
    totalPrincipal: totalPrincipal as Minor,
    totalInterest: totalInterest as Minor,
    totalRepayment: (totalPrincipal + totalInterest) as Minor,
  };
}
