import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LPR_TABLE, lprOn } from '../../src/pricing/lpr.js';
import { multiplyRate, rateToUnits, unitsToRate } from '../../src/pricing/rate-units.js';

describe('rate units', () => {
  it('turn percent strings into exact integers and back', () => {
    assert.equal(rateToUnits('4.35', 'rate'), 43500n);
    assert.equal(rateToUnits('3', 'rate'), 30000n);
    assert.equal(rateToUnits('0.0001', 'rate'), 1n);
    assert.equal(unitsToRate(43500n), '4.35');
    assert.equal(unitsToRate(30000n), '3.00');
    assert.equal(unitsToRate(43525n), '4.3525');
    assert.equal(unitsToRate(43520n), '4.352');
    assert.equal(unitsToRate(1n), '0.0001');
  });

  it('refuse more than four decimals or more than 100 percent, naming the field', () => {
    assert.throws(() => rateToUnits('4.35001', 'rate'), /rate: .*four decimals/);
    assert.throws(() => rateToUnits('100.01', 'annualRate'), /annualRate: .*100 percent/);
    assert.throws(() => rateToUnits('-1', 'rate'), /rate:/);
  });

  it('the default penalty rate is the contract rate × 1.5, rounded half-even to a unit', () => {
    assert.equal(multiplyRate(43500n, '1.5'), 65250n);
    assert.equal(multiplyRate(30001n, '1.5'), 45002n); // 45001.5 → 45002 (even)
    assert.equal(multiplyRate(30003n, '1.5'), 45004n); // 45004.5 → 45004 (even)
  });
});

describe('LPR table', () => {
  it('gives the rate in effect on a date: the last published on or before it', () => {
    assert.equal(lprOn(LPR_TABLE, '1y', '2025-05-19'), '3.10');
    assert.equal(lprOn(LPR_TABLE, '1y', '2025-05-20'), '3.00');
    assert.equal(lprOn(LPR_TABLE, '5y', '2024-07-21'), '3.95');
    assert.equal(lprOn(LPR_TABLE, '5y', '2025-12-31'), '3.50');
    assert.throws(() => lprOn(LPR_TABLE, '1y', '2020-01-01'), /no 1y LPR/);
  });
});
