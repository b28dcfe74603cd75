import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addMonths } from '../../src/calendar/add-months.js';
import { daysInMonth, fromDayNumber, parseBusinessDate, toCivil } from '../../src/calendar/business-date.js';

const d = (text: string) => parseBusinessDate(text, 'date');

test('a 31st anchor clamps to month end and comes back to the 31st', () => {
  const anchor = d('2024-01-31');
  assert.deepEqual([1, 2, 3, 4, 13, 25].map((m) => addMonths(anchor, m)), [
    '2024-02-29',
    '2024-03-31',
    '2024-04-30',
    '2024-05-31',
    '2025-02-28',
    '2026-02-28',
  ]);
});

test('addMonths crosses year ends in both directions', () => {
  assert.equal(addMonths(d('2024-11-15'), 3), '2025-02-15');
  assert.equal(addMonths(d('2024-03-31'), -1), '2024-02-29');
  assert.equal(addMonths(d('2024-01-15'), -13), '2022-12-15');
  assert.equal(addMonths(d('2024-01-15'), 0), '2024-01-15');
  assert.equal(addMonths(d('2024-01-15'), 1200), '2124-01-15');
});

test('addMonths keeps the anchor day or falls on the last day of the month', () => {
  fc.assert(
    // Keep anchor ± 1200 months inside 0001–9999.
    fc.property(fc.integer({ min: -719162 + 36600, max: 2932896 - 36600 }), fc.integer({ min: -1200, max: 1200 }), (day, months) => {
      const anchor = fromDayNumber(day);
      const result = toCivil(addMonths(anchor, months));
      const a = toCivil(anchor);
      assert.equal(result.year * 12 + result.month, a.year * 12 + a.month + months);
      assert.equal(result.day, Math.min(a.day, daysInMonth(result.year, result.month)));
    }),
    { numRuns: 500 },
  );
});
