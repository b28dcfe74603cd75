import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocate, splitEvenly } from '../../src/money/allocate.js';

test('allocate gives leftover fen to the largest remainders', () => {
  // 100 × 1/6 = 16.67, × 2/6 = 33.33, × 3/6 = 50: floors 16, 33, 50 leave 1 fen for the .67.
  assert.deepEqual(allocate(100n, [1n, 2n, 3n]), [17n, 33n, 50n]);
});

test('allocate breaks remainder ties in favour of the earlier index', () => {
  assert.deepEqual(allocate(100n, [1n, 1n, 1n]), [34n, 33n, 33n]);
  assert.deepEqual(allocate(5n, [3n, 7n]), [2n, 3n]);
  assert.deepEqual(allocate(2n, [1n, 1n, 1n]), [1n, 1n, 0n]);
});

test('allocate gives a zero weight nothing and mirrors negative totals', () => {
  assert.deepEqual(allocate(10n, [0n, 1n]), [0n, 10n]);
  assert.deepEqual(allocate(-100n, [1n, 1n, 1n]), [-34n, -33n, -33n]);
});

test('allocated parts always sum to the total and stay within a fen of the exact share', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
      fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0n)),
      (total, weights) => {
        const parts = allocate(total, weights);
        const sum = weights.reduce((a, b) => a + b, 0n);
        assert.equal(parts.reduce((a, b) => a + b, 0n), total);
        parts.forEach((part, i) => {
          const exact = total * (weights[i] ?? 0n); // part × sum should be within sum of this
          const gap = part * sum - exact;
          assert.ok((gap < 0n ? -gap : gap) < sum);
        });
      },
    ),
    { numRuns: 300 },
  );
});

test('splitEvenly puts the extra fen first and matches allocate with equal weights', () => {
  assert.deepEqual(splitEvenly(1000n, 3), [334n, 333n, 333n]);
  assert.deepEqual(splitEvenly(1200000n, 12), new Array(12).fill(100000n));
  assert.deepEqual(splitEvenly(-5n, 2), [-3n, -2n]);
  fc.assert(
    fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.integer({ min: 1, max: 50 }), (total, n) => {
      assert.deepEqual(splitEvenly(total, n), allocate(total, new Array<bigint>(n).fill(1n)));
    }),
    { numRuns: 300 },
  );
});
