import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/errors.js';
import { buildSchedule, parseScheduleRequest, type ScheduleRequest, type ScheduleTerms } from '../../src/schedule/index.js';

const BASE: ScheduleRequest = { principal: '5000.00', rate: '12', periods: 18, disbursed: '2022-11-01' };

function rejects(req: ScheduleRequest, field: string, message: string): void {
  assert.throws(
    () => parseScheduleRequest(req),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError, String(error));
      assert.equal(error.field, field);
      assert.equal(error.message, `${field}: ${message}`);
      return true;
    },
  );
}

test('parseScheduleRequest applies the documented defaults', () => {
  assert.deepEqual(parseScheduleRequest(BASE), {
    principal: 500000n,
    annualRate: '12',
    periods: 18,
    every: 1,
    unit: 'months',
    method: 'equal-installments',
    interest: 'declining-balance',
    interestPeriod: 'same-as-repayment',
    daysInYear: 'actual',
    daysInMonth: 'actual',
    disbursed: '2022-11-01',
    gracePrincipal: 0,
    graceInterest: 0,
    rounding: 'half-even',
  } satisfies Omit<ScheduleTerms, 'principal' | 'annualRate' | 'disbursed'> & Record<string, unknown>);
});

test('parseScheduleRequest reads counts given as strings, as CLI flags are', () => {
  const terms = parseScheduleRequest({
    ...BASE, periods: '12', every: '2', gracePrincipal: '1', graceInterest: '1', daysInYear: '360',
    installmentMultiple: '1.00', firstDue: '2022-12-15', rounding: 'half-up',
  });
  assert.equal(terms.periods, 12);
  assert.equal(terms.every, 2);
  assert.equal(terms.gracePrincipal, 1);
  assert.equal(terms.graceInterest, 1);
  assert.equal(terms.daysInYear, '360');
  assert.equal(terms.installmentMultiple, 100n);
  assert.equal(terms.firstDue, '2022-12-15');
  assert.equal(terms.rounding, 'half-up');
});

test('parseScheduleRequest treats JSON null options as absent and a number daysInYear as its string', () => {
  const terms = parseScheduleRequest({
    ...BASE, firstDue: null, installmentMultiple: null, daysInYear: 365,
  } as unknown as ScheduleRequest);
  assert.equal(terms.firstDue, undefined);
  assert.equal(terms.installmentMultiple, undefined);
  assert.equal(terms.daysInYear, '365');
});

test('bad money, rates and dates are reported on their JSON property', () => {
  rejects({ ...BASE, principal: '5,000' }, 'principal', 'must be an amount like "1234.56": digits with at most two decimals, no sign, spaces or separators');
  rejects({ ...BASE, principal: '0' }, 'principal', 'must be more than 0 and at most 1000000000000.00 (10^12 yuan)');
  rejects({ ...BASE, principal: '1000000000000.01' }, 'principal', 'must be more than 0 and at most 1000000000000.00 (10^12 yuan)');
  rejects({ ...BASE, rate: '1001' }, 'rate', 'must be a yearly percentage like "4.35": from 0 to 1000 with at most six decimals');
  rejects({ ...BASE, disbursed: '2023-02-29' }, 'disbursed', 'must be a real calendar date written YYYY-MM-DD, e.g. "2024-01-31"; 2023-02-29 does not exist');
  rejects({ ...BASE, firstDue: '2022-11-01' }, 'firstDue', 'must be after the disbursement date 2022-11-01');
  rejects({ ...BASE, installmentMultiple: '0' }, 'installmentMultiple', 'must be an amount more than 0, e.g. "1.00"');
});

test('counts out of bounds say the accepted range', () => {
  rejects({ ...BASE, periods: 0 }, 'periods', 'must be a whole number from 1 to 1200');
  rejects({ ...BASE, periods: 1201 }, 'periods', 'must be a whole number from 1 to 1200');
  rejects({ ...BASE, periods: 2.5 }, 'periods', 'must be a whole number, e.g. 12');
  rejects({ ...BASE, periods: '-3' }, 'periods', 'must be a whole number, e.g. 12');
  rejects({ ...BASE, every: 3651 }, 'every', 'must be a whole number from 1 to 3650');
  rejects({ ...BASE, gracePrincipal: 18 }, 'gracePrincipal', 'must be a whole number from 0 to 17 (less than periods)');
  rejects({ ...BASE, graceInterest: -1 }, 'graceInterest', 'must be a whole number from 0 to 17 (less than periods)');
  rejects({ ...BASE, method: 'bullet', graceInterest: 1 }, 'graceInterest', 'must be a whole number from 0 to 0 (no grace for a bullet loan: it has one installment)');
  rejects({ ...BASE, periods: undefined } as unknown as ScheduleRequest, 'periods', 'is required: a whole number from 1 to 1200');
});

test('options must be one of the listed values', () => {
  rejects({ ...BASE, unit: 'years' }, 'unit', 'must be one of days, weeks, months');
  rejects({ ...BASE, method: 'balloon' }, 'method', 'must be one of equal-installments, equal-principal, interest-only, bullet');
  rejects({ ...BASE, interest: 'compound' }, 'interest', 'must be one of declining-balance, flat');
  rejects({ ...BASE, interestPeriod: 'monthly' }, 'interestPeriod', 'must be one of same-as-repayment, daily');
  rejects({ ...BASE, daysInYear: '366' }, 'daysInYear', 'must be one of actual, 360, 364, 365');
  rejects({ ...BASE, daysInMonth: '31' }, 'daysInMonth', 'must be one of actual, 30');
  rejects({ ...BASE, rounding: 'down' }, 'rounding', 'must be one of half-even, half-up');
});

test('installmentMultiple is refused for methods without a level installment', () => {
  rejects({ ...BASE, method: 'equal-principal', installmentMultiple: '1.00' }, 'installmentMultiple', 'applies only to method equal-installments');
});

test('the term is limited to 1200 months from disbursement and to dates before 10000', () => {
  rejects({ ...BASE, periods: 601, every: 2 }, 'periods', 'periods × every must be at most 1200 months (100 years)');
  assert.equal(parseScheduleRequest({ ...BASE, periods: 600, every: 2 }).periods, 600);
  rejects({ ...BASE, periods: 1200, every: 31, unit: 'days' }, 'periods', 'the last installment must fall due within 1200 months (100 years) of disbursement');
  rejects({ ...BASE, periods: 1200, firstDue: '2022-12-02' }, 'firstDue', 'the last installment must fall due within 1200 months (100 years) of disbursement');
  rejects({ ...BASE, disbursed: '9999-01-01', periods: 12 }, 'periods', 'the schedule must end by 9999-12-31');
});

test('buildSchedule checks the bounds of terms that did not come through parseScheduleRequest', () => {
  const terms = parseScheduleRequest(BASE);
  assert.throws(() => buildSchedule({ ...terms, periods: 0 }), (error: unknown) => error instanceof ValidationError && error.field === 'periods');
  assert.throws(() => buildSchedule({ ...terms, gracePrincipal: 18 }), (error: unknown) => error instanceof ValidationError && error.field === 'gracePrincipal');
  assert.throws(() => buildSchedule({ ...terms, periods: 1200, firstDue: '2022-12-02' as ScheduleTerms['disbursed'] }), (error: unknown) => error instanceof ValidationError && error.field === 'firstDue');
});
