import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { actualActualIsda, days30E, yearFraction } from '../../src/calendar/day-count.js';
import { parseBusinessDate, toDayNumber } from '../../src/calendar/business-date.js';

const d = (text: string) => parseBusinessDate(text, 'date');
const n = (text: string) => toDayNumber(d(text));

test('actual/365, actual/360 and actual/364 divide actual days by a fixed year', () => {
  assert.deepEqual(yearFraction(d('2024-01-01'), d('2024-04-01'), 'actual/365'), { numerator: 91n, denominator: 365n });
  assert.deepEqual(yearFraction(d('2024-01-01'), d('2024-04-01'), 'actual/360'), { numerator: 91n, denominator: 360n });
  assert.deepEqual(yearFraction(d('2024-01-01'), d('2024-04-01'), 'actual/364'), { numerator: 91n, denominator: 364n });
});

test('30E/360 counts a 31st as the 30th on both ends and February as it falls', () => {
  assert.equal(days30E(n('2024-01-31'), n('2024-03-31')), 60);
  assert.equal(days30E(n('2024-01-30'), n('2024-01-31')), 0);
  // min(29, 30) − min(31, 30) + 30 × 1 = 29
  assert.equal(days30E(n('2024-01-31'), n('2024-02-29')), 29);
  // 30 + (30 − 29) = 31
  assert.equal(days30E(n('2024-02-29'), n('2024-03-31')), 31);
  assert.equal(days30E(n('2023-12-15'), n('2024-12-15')), 360);
  assert.deepEqual(yearFraction(d('2024-01-31'), d('2024-03-31'), '30E/360'), { numerator: 60n, denominator: 360n });
});

test('actual/actual ISDA splits a period at 1 January', () => {
  // 2023-12-15 → 2024-01-15: 17 days in 2023 over 365 + 14 days in 2024 over 366
  // = (17 × 366 + 14 × 365) / (365 × 366) = 11332 / 133590
  assert.deepEqual(yearFraction(d('2023-12-15'), d('2024-01-15'), 'actual/actual'), { numerator: 11332n, denominator: 133590n });
  // A whole leap year is exactly one year: 366 × 365 / 133590.
  assert.deepEqual(actualActualIsda(n('2024-01-01'), n('2025-01-01')), { numerator: 133590n, denominator: 133590n });
  // Across three calendar years: 2023-07-01 → 2025-03-01 = 184/365 + 366/366 + 59/365.
  const f = actualActualIsda(n('2023-07-01'), n('2025-03-01'));
  assert.equal(f.numerator, (184n + 59n) * 366n + 366n * 365n);
});

test('every day count is additive over consecutive periods', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 40000 }),
      fc.integer({ min: 0, max: 800 }),
      fc.integer({ min: 0, max: 800 }),
      (a, x, y) => {
        const b = a + x;
        const c = b + y;
        assert.equal(days30E(a, b) + days30E(b, c), days30E(a, c));
        const ab = actualActualIsda(a, b);
        const bc = actualActualIsda(b, c);
        assert.equal(ab.numerator + bc.numerator, actualActualIsda(a, c).numerator);
      },
    ),
    { numRuns: 300 },
  );
});
