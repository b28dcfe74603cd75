import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toDayNumber } from '../../src/calendar/business-date.js';
import { buildSchedule, parseScheduleRequest, type Schedule, type ScheduleRequest } from '../../src/schedule/index.js';
import { arbitraryRequest } from './arbitrary-terms.js';

const RUNS = { numRuns: 400 };

function check(property: (s: Schedule, req: ScheduleRequest) => void): void {
  fc.assert(
    fc.property(arbitraryRequest, (req) => {
      const terms = parseScheduleRequest(req);
      property(buildSchedule(terms), req);
    }),
    RUNS,
  );
}

test('principal parts sum exactly to the principal', () => {
  check((s, req) => {
    const principal = parseScheduleRequest(req).principal;
    assert.equal(s.installments.reduce((sum, row) => sum + row.principal, 0n), principal);
    assert.equal(s.totalPrincipal, principal);
  });
});

test('balances are never negative, never rise, and end at zero', () => {
  check((s, req) => {
    let previous: bigint = parseScheduleRequest(req).principal;
    for (const row of s.installments) {
      assert.ok(row.balance >= 0n);
      assert.ok(row.balance <= previous);
      // No fen lost: the balance falls by exactly the principal paid.
      assert.equal(row.balance, previous - row.principal);
      previous = row.balance;
    }
    assert.equal(s.installments.at(-1)?.balance, 0n);
  });
});

test('every row totals principal plus interest, with no negative amount', () => {
  check((s) => {
    for (const row of s.installments) {
      assert.ok(row.principal >= 0n && row.interest >= 0n);
      assert.equal(row.total, row.principal + row.interest);
    }
  });
});

test('schedule totals are the sums of the rows', () => {
  check((s) => {
    const sum = (pick: (row: Schedule['installments'][number]) => bigint) =>
      s.installments.reduce((acc, row) => acc + pick(row), 0n);
    assert.equal(s.totalPrincipal, sum((row) => row.principal));
    assert.equal(s.totalInterest, sum((row) => row.interest));
    assert.equal(s.totalRepayment, sum((row) => row.total));
    assert.equal(s.totalRepayment, s.totalPrincipal + s.totalInterest);
  });
});

test('due dates strictly increase, days are positive and match the dates', () => {
  check((s, req) => {
    let previous = toDayNumber(parseScheduleRequest(req).disbursed);
    s.installments.forEach((row, index) => {
      assert.equal(row.number, index + 1);
      const day = toDayNumber(row.dueDate);
      assert.ok(row.days > 0);
      assert.equal(day - previous, row.days);
      previous = day;
    });
  });
});

test('there is one installment per period, or one for a bullet loan', () => {
  check((s, req) => {
    const terms = parseScheduleRequest(req);
    assert.equal(s.installments.length, terms.method === 'bullet' ? 1 : terms.periods);
    // firstDue is the first due date, except for a bullet over several periods, which is due at
    // the end of the term anchored on firstDue.
    if (terms.firstDue !== undefined && !(terms.method === 'bullet' && terms.periods > 1)) {
      assert.equal(s.installments[0]?.dueDate, terms.firstDue);
    }
  });
});

test('grace installments pay no principal, and interest grace pays nothing at all', () => {
  check((s, req) => {
    const terms = parseScheduleRequest(req);
    s.installments.forEach((row, index) => {
      if (index < Math.max(terms.gracePrincipal, terms.graceInterest)) assert.equal(row.principal, 0n);
      if (index < terms.graceInterest) assert.equal(row.total, 0n);
    });
  });
});

test('a zero rate charges no interest', () => {
  fc.assert(
    fc.property(arbitraryRequest, (req) => {
      const s = buildSchedule(parseScheduleRequest({ ...req, rate: '0' }));
      assert.equal(s.totalInterest, 0n);
    }),
    { numRuns: 200 },
  );
});

test('building the same terms twice gives the same schedule', () => {
  check((s, req) => {
    assert.deepEqual(buildSchedule(parseScheduleRequest(req)), s);
  });
});

test('equal principal: every principal-paying installment but the last pays P ÷ m rounded to the fen (or the balance, if less)', () => {
  check((s, req) => {
    const terms = parseScheduleRequest(req);
    if (terms.method !== 'equal-principal') return;
    const start = Math.max(terms.gracePrincipal, terms.graceInterest);
    const m = BigInt(terms.periods - start);
    const share = (terms.principal * 2n + m) / (2n * m); // within half a fen of P ÷ m
    s.installments.slice(start, -1).forEach((row, index) => {
      const before = index + start === 0 ? terms.principal : s.installments[index + start - 1]!.balance;
      const expected = before < share ? before : share;
      assert.ok(row.principal === expected || row.principal === expected - 1n, `installment ${index + start + 1}: ${row.principal} vs ${expected}`);
    });
  });
});

test('flat interest: rounding an installment to a multiple never changes its interest, the same in every level flat schedule with or without one', () => {
  check((s, req) => {
    const terms = parseScheduleRequest(req);
    if (terms.method !== 'equal-installments' || terms.interest !== 'flat') return;
    const { installmentMultiple: _multiple, ...withoutMultiple } = req;
    const plain = buildSchedule(parseScheduleRequest(withoutMultiple));
    assert.deepEqual(s.installments.map((row) => row.interest), plain.installments.map((row) => row.interest));
  });
});
