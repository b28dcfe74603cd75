import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ValidationError } from '../../src/errors.js';
import {
  addDays,
  civilFromDays,
  daysBetween,
  daysFromCivil,
  daysInMonth,
  fromDayNumber,
  isBusinessDate,
  isLeapYear,
  parseBusinessDate,
  toDayNumber,
} from '../../src/calendar/business-date.js';

const d = (text: string) => parseBusinessDate(text, 'date');

test('parseBusinessDate accepts real dates, including 29 February of a leap year', () => {
  assert.equal(d('2024-02-29'), '2024-02-29');
  assert.equal(d('2000-02-29'), '2000-02-29');
  assert.equal(d('0001-01-01'), '0001-01-01');
  assert.equal(d('9999-12-31'), '9999-12-31');
});

test('parseBusinessDate rejects dates that do not exist and other shapes', () => {
  for (const bad of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '0000-01-01', '2024-1-5', '20240105', '2024-01-05T00:00', '', ' 2024-01-05']) {
    assert.throws(
      () => parseBusinessDate(bad, 'disbursed'),
      (error: unknown) => error instanceof ValidationError && error.field === 'disbursed' && error.message.includes('YYYY-MM-DD'),
      bad,
    );
  }
});

test('isBusinessDate answers as parseBusinessDate decides, without throwing', () => {
  for (const good of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) assert.equal(isBusinessDate(good), true, good);
  for (const bad of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '0000-01-01', '2024-1-5', '20240105', '2024-01-05T00:00', '', ' 2024-01-05', null, 20240105, undefined]) {
    assert.equal(isBusinessDate(bad), false, String(bad));
  }
  fc.assert(
    fc.property(fc.integer({ min: daysFromCivil(1, 1, 1), max: daysFromCivil(9999, 12, 31) }), (days) => isBusinessDate(fromDayNumber(days))),
  );
});

test('leap years follow the Gregorian century rule', () => {
  assert.equal(isLeapYear(2024), true);
  assert.equal(isLeapYear(2023), false);
  assert.equal(isLeapYear(1900), false);
  assert.equal(isLeapYear(2000), true);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2024, m)), [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  assert.equal(daysInMonth(2023, 2), 28);
});

test('day numbers count from 1970-01-01', () => {
  assert.equal(toDayNumber(d('1970-01-01')), 0);
  assert.equal(toDayNumber(d('1969-12-31')), -1);
  assert.equal(toDayNumber(d('2000-03-01')), 11017);
  assert.equal(toDayNumber(d('2024-02-29')), 19782);
  assert.equal(fromDayNumber(19782), '2024-02-29');
  assert.equal(fromDayNumber(-719162), '0001-01-01');
});

test('day numbers agree with the JavaScript UTC calendar over 0001–9999', () => {
  fc.assert(
    fc.property(fc.integer({ min: -719162, max: 2932896 }), (day) => {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      assert.equal(fromDayNumber(day), iso);
      const { year, month, day: dom } = civilFromDays(day);
      assert.equal(daysFromCivil(year, month, dom), day);
    }),
    { numRuns: 1000 },
  );
});

test('addDays and daysBetween cross month, year and leap-day boundaries', () => {
  assert.equal(addDays(d('2024-02-28'), 1), '2024-02-29');
  assert.equal(addDays(d('2024-02-28'), 2), '2024-03-01');
  assert.equal(addDays(d('2023-12-31'), 1), '2024-01-01');
  assert.equal(addDays(d('2024-03-01'), -1), '2024-02-29');
  assert.equal(daysBetween(d('2022-11-01'), d('2022-12-01')), 30);
  assert.equal(daysBetween(d('2024-01-01'), d('2025-01-01')), 366);
  assert.equal(daysBetween(d('2025-01-01'), d('2024-01-01')), -366);
});
