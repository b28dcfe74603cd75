import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyDebtorRule,
  classifyByDaysPastDue,
  debtorIsNonPerforming,
  nextClassification,
  provisionFor,
  rulesFor,
  RULES_2023,
  type ClassificationRules,
} from '../../src/classification/index.js';

describe('five-category classification by days past due (2023 rules)', () => {
  it('thresholds: 0 normal, 1–90 special mention, 91–270 substandard, 271–360 doubtful, over 360 loss', () => {
    const cases: [number, string][] = [
      [0, 'normal'], [1, 'special-mention'], [90, 'special-mention'], [91, 'substandard'],
      [270, 'substandard'], [271, 'doubtful'], [360, 'doubtful'], [361, 'loss'],
    ];
    for (const [dpd, expected] of cases) assert.equal(classifyByDaysPastDue(dpd, RULES_2023), expected, `dpd ${dpd}`);
  });

  it('a special-mention loan returns to normal once nothing is overdue', () => {
    assert.equal(nextClassification('special-mention', 0, RULES_2023), 'normal');
  });

  it('a non-performing loan is never upgraded automatically, but still gets worse', () => {
    assert.equal(nextClassification('substandard', 0, RULES_2023), 'substandard');
    assert.equal(nextClassification('substandard', 5, RULES_2023), 'substandard');
    assert.equal(nextClassification('substandard', 271, RULES_2023), 'doubtful');
    assert.equal(nextClassification('doubtful', 100, RULES_2023), 'doubtful');
  });

  it('the rules in force are chosen by date, and a later version takes over on its date', () => {
    assert.equal(rulesFor('2025-06-30').version, '2023-07-01');
    assert.throws(() => rulesFor('2023-06-30'), /no classification rules/);
    const stricter: ClassificationRules = { ...RULES_2023, version: '2026-01-01', effectiveFrom: '2026-01-01', overdueDaysAbove: { 'special-mention': 0, substandard: 60, doubtful: 180, loss: 360 } };
    const versions = [RULES_2023, stricter];
    assert.equal(rulesFor('2025-12-31', versions).version, '2023-07-01');
    assert.equal(classifyByDaysPastDue(61, rulesFor('2026-01-01', versions)), 'substandard');
  });

  it('rules whose thresholds do not rise are refused', () => {
    const broken: ClassificationRules = { ...RULES_2023, version: 'x', overdueDaysAbove: { 'special-mention': 0, substandard: 300, doubtful: 270, loss: 360 } };
    assert.throws(() => rulesFor('2025-01-01', [broken]), /thresholds must rise/);
  });
});

describe('debtor-level rule', () => {
  it('exactly 10% non-performing does not spread; just over 10% makes every loan at least substandard', () => {
    const exactly = [{ principal: 1_000_000n, classification: 'substandard' as const }, { principal: 9_000_000n, classification: 'normal' as const }];
    assert.equal(debtorIsNonPerforming(exactly, RULES_2023), false);
    assert.deepEqual(applyDebtorRule(exactly, RULES_2023).map((loan) => loan.classification), ['substandard', 'normal']);
    const over = [{ principal: 1_000_001n, classification: 'doubtful' as const }, { principal: 9_000_000n, classification: 'special-mention' as const }, { principal: 5n, classification: 'loss' as const }];
    assert.equal(debtorIsNonPerforming(over, RULES_2023), true);
    assert.deepEqual(applyDebtorRule(over, RULES_2023).map((loan) => loan.classification), ['doubtful', 'substandard', 'loss']);
  });

  it('special mention does not count as non-performing, and a borrower with no principal is performing', () => {
    assert.equal(debtorIsNonPerforming([{ principal: 100n, classification: 'special-mention' }], RULES_2023), false);
    assert.equal(debtorIsNonPerforming([], RULES_2023), false);
  });
});

describe('provision', () => {
  it('is principal × the category rate, rounded down to the fen', () => {
    assert.equal(provisionFor(10_000_000n, 'normal', RULES_2023), 0n);
    assert.equal(provisionFor(10_000_000n, 'special-mention', RULES_2023), 200_000n);
    assert.equal(provisionFor(10_000_000n, 'substandard', RULES_2023), 2_500_000n);
    assert.equal(provisionFor(10_000_000n, 'doubtful', RULES_2023), 5_000_000n);
    assert.equal(provisionFor(10_000_000n, 'loss', RULES_2023), 10_000_000n);
    assert.equal(provisionFor(149n, 'special-mention', RULES_2023), 2n); // 2.98 fen → 2
  });
});
