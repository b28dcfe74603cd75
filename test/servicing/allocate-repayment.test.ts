import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { minor } from '../../src/money/minor.js';
import { allocateRepayment } from '../../src/servicing/allocate-repayment.js';

const OWED = { penaltyDue: minor(10_00n), interestDue: minor(30_00n), principalDue: minor(100_00n), interestAccrued: minor(5_00n), principalNotDue: minor(900_00n) };

describe('repayment allocation', () => {
  it('pays penalty, then interest, then principal by default', () => {
    assert.deepEqual(allocateRepayment(minor(50_00n), OWED, ['penalty', 'interest', 'principal']), {
      penalty: 10_00n, interestDue: 30_00n, principalDue: 10_00n, interestAccrued: 0n, principalNotDue: 0n, overpayment: 0n,
    });
  });

  it('follows a product order of principal first', () => {
    assert.deepEqual(allocateRepayment(minor(105_00n), OWED, ['principal', 'interest', 'penalty']), {
      penalty: 0n, interestDue: 5_00n, principalDue: 100_00n, interestAccrued: 0n, principalNotDue: 0n, overpayment: 0n,
    });
  });

  it('prepays accrued interest then principal with what is left, and holds any excess as overpayment', () => {
    assert.deepEqual(allocateRepayment(minor(200_00n), OWED, ['penalty', 'interest', 'principal']), {
      penalty: 10_00n, interestDue: 30_00n, principalDue: 100_00n, interestAccrued: 5_00n, principalNotDue: 55_00n, overpayment: 0n,
    });
    assert.equal(allocateRepayment(minor(1_100_00n), OWED, ['penalty', 'interest', 'principal']).overpayment, 55_00n);
  });

  it('never loses or invents a fen, whatever the amount and balances', () => {
    const balance = fc.bigInt({ min: 0n, max: 10n ** 10n });
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 11n }), balance, balance, balance, balance, balance, (amount, a, b, c, d, e) => {
        const owed = { penaltyDue: minor(a), interestDue: minor(b), principalDue: minor(c), interestAccrued: minor(d), principalNotDue: minor(e) };
        const out = allocateRepayment(minor(amount), owed, ['interest', 'penalty', 'principal']);
        const sum = out.penalty + out.interestDue + out.principalDue + out.interestAccrued + out.principalNotDue + out.overpayment;
        assert.equal(sum, amount);
        assert.ok(out.penalty <= a && out.interestDue <= b && out.principalDue <= c && out.interestAccrued <= d && out.principalNotDue <= e);
        assert.ok(out.overpayment === 0n || out.principalNotDue === e);
      }),
      { numRuns: 300 },
    );
  });
});
