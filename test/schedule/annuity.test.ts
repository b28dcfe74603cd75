import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { annuityFactorScaled, clearAnnuityFactorCache, levelInstallment } from '../../src/schedule/annuity.js';
import { schedule } from './helpers.js';

/**
 * The annuity formula again, independently, in floating point: A = P·r / (1 − (1 + r)^−m).
 * 1 − (1 + r)^−m is written −expm1(−m·log1p(r)) so that tiny rates do not cancel to nothing.
 */
function annuityByNumber(principalFen: number, r: number, m: number): number {
  if (r === 0) return principalFen / m;
  return (principalFen * r) / -Math.expm1(-m * Math.log1p(r));
}

test('the level installment matches a floating-point annuity within one fen', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000_000_000 }), // fen, up to 10^10 yuan
      fc.integer({ min: 0, max: 100_000_000 }), // micro-percent, 0–100%
      // At most 200 periods of at most 6 units: always within the 1200-month term limit.
      fc.integer({ min: 2, max: 200 }),
      fc.constantFrom(['months', 12] as const, ['weeks', 52] as const, ['days', 365] as const),
      fc.integer({ min: 1, max: 6 }),
      (principalFen, rateMicro, periods, [unit, perYear], every) => {
        const rate = `${Math.floor(rateMicro / 1_000_000)}.${String(rateMicro % 1_000_000).padStart(6, '0')}`;
        const s = schedule({
          principal: `${Math.floor(principalFen / 100)}.${String(principalFen % 100).padStart(2, '0')}`,
          rate,
          periods,
          every,
          unit,
          daysInYear: '365',
          disbursed: '2024-01-15',
        });
        const r = (rateMicro / 1e8) * (every / perYear);
        const expected = annuityByNumber(principalFen, r, periods);
        const actual = Number(s.installments[0]?.total);
        assert.ok(Math.abs(actual - expected) <= 1, `A = ${actual} fen, floating point ${expected}`);
      },
    ),
    { numRuns: 500 },
  );
});

test('the annuity factor for 0.5% over 12 periods has 36 exact decimals', () => {
  clearAnnuityFactorCache();
  // 0.005 / (1 − 1.005^−12) = 0.086066429707080662686093439811770543|108…, computed separately
  // with Python's decimal module at 60 digits; the 37th decimal is 1, so it rounds down.
  const factor = annuityFactorScaled({ numerator: 6n, denominator: 1200n }, 12);
  assert.equal(factor, 86066429707080662686093439811770543n);
  // Cached: the same value again.
  assert.equal(annuityFactorScaled({ numerator: 6n, denominator: 1200n }, 12), factor);
});

test('levelInstallment rounds to the fen or to a multiple with the mode', () => {
  const r = { numerator: 6n, denominator: 1200n };
  assert.equal(levelInstallment(1_200_000n, r, 12, 1n, 'half-even'), 103280n);
  assert.equal(levelInstallment(1_200_000n, r, 12, 100n, 'half-even'), 103300n);
  assert.equal(levelInstallment(1_200_000n, r, 12, 1000n, 'half-even'), 103000n);
  // r = 0: 1000 / 4 = 250 exactly; 1001 / 2 = 500.5 → 500 (even) or 501 (half-up).
  assert.equal(levelInstallment(1000n, { numerator: 0n, denominator: 1n }, 4, 1n, 'half-even'), 250n);
  assert.equal(levelInstallment(1001n, { numerator: 0n, denominator: 1n }, 2, 1n, 'half-even'), 500n);
  assert.equal(levelInstallment(1001n, { numerator: 0n, denominator: 1n }, 2, 1n, 'half-up'), 501n);
});
