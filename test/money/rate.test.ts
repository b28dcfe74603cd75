import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/errors.js';
import { parseRate, rateFraction } from '../../src/money/rate.js';

test('parseRate keeps a canonical decimal string', () => {
  assert.equal(parseRate('4.35', 'rate'), '4.35');
  assert.equal(parseRate('12.500', 'rate'), '12.5');
  assert.equal(parseRate('004.0', 'rate'), '4');
  assert.equal(parseRate('0', 'rate'), '0');
  assert.equal(parseRate('0.000001', 'rate'), '0.000001');
  assert.equal(parseRate('1000', 'rate'), '1000');
});

test('parseRate rejects negatives, more than six decimals, above 1000 and junk', () => {
  for (const bad of ['-1', '1.0000001', '1000.000001', '1001', '', '4.35%', '1e2', ' 4', '4,5', '.5']) {
    assert.throws(
      () => parseRate(bad, 'rate'),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.message === 'rate: must be a yearly percentage like "4.35": from 0 to 1000 with at most six decimals',
      bad,
    );
  }
});

test('rateFraction is the annual rate as an exact fraction of one', () => {
  assert.deepEqual(rateFraction(parseRate('4.35', 'rate')), { numerator: 435n, denominator: 10000n });
  assert.deepEqual(rateFraction(parseRate('12', 'rate')), { numerator: 12n, denominator: 100n });
  assert.deepEqual(rateFraction(parseRate('0.000001', 'rate')), { numerator: 1n, denominator: 100000000n });
});
