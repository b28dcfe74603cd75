import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney } from '../../src/money/format-money.js';

test('formatMoney writes exactly two decimals with no grouping', () => {
  assert.equal(formatMoney(123456n), '1234.56');
  assert.equal(formatMoney(0n), '0.00');
  assert.equal(formatMoney(5n), '0.05');
  assert.equal(formatMoney(50n), '0.50');
  assert.equal(formatMoney(100_000_000_000_000n), '1000000000000.00');
});

test('formatMoney puts the minus before the yuan, even below one yuan', () => {
  assert.equal(formatMoney(-5n), '-0.05');
  assert.equal(formatMoney(-310n), '-3.10');
});
