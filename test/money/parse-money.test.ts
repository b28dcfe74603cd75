import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ValidationError } from '../../src/errors.js';
import { formatMoney } from '../../src/money/format-money.js';
import { parseMoney } from '../../src/money/parse-money.js';

test('parseMoney reads whole yuan, one decimal and two decimals as fen', () => {
  assert.equal(parseMoney('1234', 'amount'), 123400n);
  assert.equal(parseMoney('1234.5', 'amount'), 123450n);
  assert.equal(parseMoney('1234.56', 'amount'), 123456n);
  assert.equal(parseMoney('0.05', 'amount'), 5n);
  assert.equal(parseMoney('0', 'amount'), 0n);
});

test('parseMoney accepts a leading minus only when allowNegative is set', () => {
  assert.equal(parseMoney('-3.10', 'adjustment', { allowNegative: true }), -310n);
  assert.throws(() => parseMoney('-3.10', 'adjustment'), ValidationError);
});

test('parseMoney rejects malformed amounts naming the field and the expected form', () => {
  for (const bad of ['', '1.234', '1e3', ' 12', '12 ', '1,234.00', '1.', '.5', '+5', '12a', '--1', 'NaN']) {
    assert.throws(
      () => parseMoney(bad, 'principal'),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.field === 'principal' &&
        error.message === 'principal: must be an amount like "1234.56": digits with at most two decimals, no sign, spaces or separators',
      bad,
    );
  }
});

test('parseMoney rejects a number passed where a string is expected', () => {
  assert.throws(() => parseMoney(12.5 as unknown as string, 'principal'), ValidationError);
});

test('formatMoney then parseMoney gives back the same fen', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (fen) => {
      assert.equal(parseMoney(formatMoney(fen), 'amount', { allowNegative: true }), fen);
    }),
    { numRuns: 300 },
  );
});
