import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashLabels, randomFor, randomsUnder } from '../../src/data/seeded-random.js';
import { seededRandom } from '../../src/random/seeded-random.js';

describe('seeded streams of the simulated data', () => {
  it('a stream draws what seededRandom draws from the labels hash', () => {
    const stream = randomFor(2025, '91350100M000100Y43', 'tax', '2025-05');
    const reference = seededRandom(hashLabels([2025, '91350100M000100Y43', 'tax', '2025-05']));
    for (let i = 0; i < 1000; i++) assert.equal(stream.uniform(), reference());
  });

  it('streams under a prefix are the streams of the whole labels', () => {
    const under = randomsUnder(42, '91350100M000100Y43');
    for (const rest of [['tax', '2025-05'], ['bureau-overdue', 'owner', '2024-12'], ['dishonest-debtor'], []] as const) {
      const a = under(...rest);
      const b = randomFor(42, '91350100M000100Y43', ...rest);
      for (let i = 0; i < 50; i++) assert.deepEqual([a.uniform(), a.normal(), a.poisson(0.7), a.below(365), a.pick(['x', 'y', 'z'])], [b.uniform(), b.normal(), b.poisson(0.7), b.below(365), b.pick(['x', 'y', 'z'])]);
    }
  });

  it('draws the same numbers as before streams became one object (pinned from the closure version)', () => {
    assert.equal(hashLabels([42, 'a']), 1469383550);
    assert.equal(hashLabels([2025, '91350100M000100Y43', 'courts', '2026-05']), 4293406440);
    const random = randomFor(2025, '91350100M000100Y43', 'courts', '2026-05');
    assert.deepEqual([random.uniform(), random.normal(), random.poisson(3), random.below(365)], [0.32262622751295567, 1.790140226534784, 0, 32]);
  });
});
