import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SproutError } from '../../src/errors.js';
import { divideRounded, roundToMultiple } from '../../src/money/rounding.js';

test('half-even sends exact ties to the even neighbour', () => {
  assert.equal(divideRounded(5n, 2n, 'half-even'), 2n); // 2.5
  assert.equal(divideRounded(7n, 2n, 'half-even'), 4n); // 3.5
  assert.equal(divideRounded(-5n, 2n, 'half-even'), -2n); // -2.5
  assert.equal(divideRounded(-7n, 2n, 'half-even'), -4n); // -3.5
});

test('half-up sends exact ties away from zero', () => {
  assert.equal(divideRounded(5n, 2n, 'half-up'), 3n);
  assert.equal(divideRounded(-5n, 2n, 'half-up'), -3n);
  assert.equal(divideRounded(5n, -2n, 'half-up'), -3n);
  assert.equal(divideRounded(-5n, -2n, 'half-up'), 3n);
});

test('values that are not ties go to the nearer integer in both modes', () => {
  for (const mode of ['half-even', 'half-up'] as const) {
    assert.equal(divideRounded(7n, 3n, mode), 2n); // 2.33
    assert.equal(divideRounded(8n, 3n, mode), 3n); // 2.67
    assert.equal(divideRounded(-7n, 3n, mode), -2n);
    assert.equal(divideRounded(-8n, 3n, mode), -3n);
    assert.equal(divideRounded(6n, 3n, mode), 2n);
  }
});

test('divideRounded by zero is an internal error', () => {
  assert.throws(() => divideRounded(1n, 0n, 'half-even'), SproutError);
});

test('divideRounded is within half a unit of the exact quotient, and odd in the numerator', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.bigInt({ min: 1n, max: 10n ** 15n }),
      fc.constantFrom('half-even' as const, 'half-up' as const),
      (n, d, mode) => {
        const q = divideRounded(n, d, mode);
        const error = q * d - n; // (q − n/d) × d
        assert.ok(2n * (error < 0n ? -error : error) <= d);
        assert.equal(divideRounded(-n, d, mode), -q);
      },
    ),
    { numRuns: 500 },
  );
});

test('roundToMultiple rounds an installment to whole yuan', () => {
  assert.equal(roundToMultiple(30491n, 100n, 'half-even'), 30500n);
  assert.equal(roundToMultiple(30449n, 100n, 'half-even'), 30400n);
  assert.equal(roundToMultiple(250n, 100n, 'half-even'), 200n);
  assert.equal(roundToMultiple(250n, 100n, 'half-up'), 300n);
  assert.equal(roundToMultiple(-250n, 100n, 'half-up'), -300n);
});
