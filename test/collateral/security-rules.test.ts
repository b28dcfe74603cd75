import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RULES_2023, classifyByDaysPastDue, classifyWithGuarantee, isNonPerforming, CATEGORIES } from '../../src/classification/index.js';
import { eligibleValue, loanToValueBp, securedCapacity, sumFractions, wholeFen, bpAsPercent } from '../../src/collateral/eligible-value.js';
import { HAIRCUTS_2025, haircutsFor } from '../../src/collateral/haircuts.js';
import type { GuarantorStanding } from '../../src/collateral/collateral-terms.js';
import { countGuarantees, GUARANTOR_COUNTING_2025, guarantorCountingFor, guaranteeCounts } from '../../src/collateral/guarantor-counting.js';
import { countedSecurity, securityBound } from '../../src/collateral/security-limit.js';
import { maxLtvFor, SECURITY_POLICY_2025 } from '../../src/collateral/security-policy.js';
import { minor } from '../../src/money/minor.js';

describe('haircuts and eligible value', () => {
  it('discounts by the dated haircut of the type, exactly, and rounds down only to whole fen', () => {
    assert.equal(haircutsFor('2025-06-30').version, 'haircuts-2025-01');
    assert.throws(() => haircutsFor('2024-12-31'), { code: 'INTERNAL' });
    // A flat appraised at 1,234,567.89 yuan, 30% haircut: 864,197.523 yuan, exactly.
    const eligible = eligibleValue(minor(1_234_567_89n), HAIRCUTS_2025.haircutBp['residential-real-estate']);
    assert.deepEqual(eligible, { numerator: 864_197_523_000n, denominator: 10_000n });
    assert.equal(wholeFen(eligible), 86_419_752n);
    // Inventory at 60% off: 333.33 → 133.332 yuan; two such pieces sum to 266.664 before any rounding.
    const stock = eligibleValue(minor(333_33n), HAIRCUTS_2025.haircutBp.inventory);
    assert.equal(wholeFen(sumFractions([stock, stock])), 26_666n);
    assert.equal(wholeFen(stock) * 2n, 26_666n);
    assert.equal(wholeFen(sumFractions([eligibleValue(minor(1n), 5000), eligibleValue(minor(1n), 5000)])), 1n, 'two half fen make a whole fen');
  });

  it('loan-to-value rounds up; capacity at the maximum rounds down', () => {
    assert.equal(loanToValueBp(7_000_000_00n, 10_000_000_00n), 7000);
    assert.equal(loanToValueBp(4_000_000_00n, 4_500_000_00n), 8889);
    assert.equal(loanToValueBp(1n, 0n), null);
    assert.equal(bpAsPercent(8889), '88.89');
    assert.equal(securedCapacity({ numerator: 7_000_000_00n * 10_000n, denominator: 10_000n }, 9000), 6_300_000_00n);
    assert.equal(securedCapacity({ numerator: 864_197_523_000n, denominator: 10_000n }, 9000), 77_777_777n);
    assert.equal(maxLtvFor(SECURITY_POLICY_2025, 'TERM-LOAN', 'inventory'), 6000);
    assert.equal(maxLtvFor(SECURITY_POLICY_2025, 'MICRO-LINE', 'inventory'), 7000);
  });

  it('a fen of value never makes more than a fen of eligible value (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100_000_000_000_00n }), fc.integer({ min: 0, max: 10000 }), (value, bp) => {
        const fen = wholeFen(eligibleValue(minor(value), bp));
        assert.ok(fen <= value && fen >= 0n);
        assert.equal(fen, (value * BigInt(10000 - bp)) / 10_000n);
      }),
    );
  });
});

describe('the security bound on a limit', () => {
  const house = { 'residential-real-estate': (7_000_000_00n * 10_000n).toString() };

  it('pure credit needs nothing up to 5 million per borrower', () => {
    const result = securityBound(3_000_000_00n, 1_000_000_00n, 'TERM-LOAN', { eligibleByType: {}, guaranteed: '0' }, SECURITY_POLICY_2025);
    assert.deepEqual([result.boundBy, result.limit, result.pureCreditRoom, result.securityNeeded], ['scorecard', 3_000_000_00n, 4_000_000_00n, 0n]);
  });

  it('above it, without security, the pure-credit room binds and the offer says what security is needed', () => {
    const result = securityBound(10_000_000_00n, 1_000_000_00n, 'TERM-LOAN', { eligibleByType: {}, guaranteed: '0' }, SECURITY_POLICY_2025);
    assert.deepEqual([result.boundBy, result.limit, result.securityNeeded], ['pure-credit', 4_000_000_00n, 6_000_000_00n]);
  });

  it('with a house (eligible 7,000,000 at 90%) and a 1,000,000 guarantee, 7,300,000 is carried', () => {
    const result = securityBound(10_000_000_00n, 0n, 'TERM-LOAN', { eligibleByType: house, guaranteed: (1_000_000_00n).toString() }, SECURITY_POLICY_2025);
    assert.deepEqual(
      [result.boundBy, result.limit, result.collateralCapacity, result.guaranteed, result.securityNeeded, result.policy],
      ['security', 7_300_000_00n, 6_300_000_00n, 1_000_000_00n, 2_700_000_00n, 'security-2025-01'],
    );
    // The scorecard binds when it lends less than the security carries.
    assert.equal(securityBound(6_000_000_00n, 0n, 'TERM-LOAN', { eligibleByType: house, guaranteed: '0' }, SECURITY_POLICY_2025).boundBy, 'scorecard');
    // Inventory under the term loan lends at 60%, not the bank-wide 70%.
    const stock = securityBound(10_000_000_00n, 0n, 'TERM-LOAN', { eligibleByType: { inventory: (10_000_000_00n * 10_000n).toString() }, guaranteed: '0' }, SECURITY_POLICY_2025);
    assert.deepEqual([stock.boundBy, stock.limit], ['security', 6_000_000_00n]);
  });
});

describe('classification weighing a guarantee', () => {
  const full = { jointFromCompany: true, coversExposure: true };
  it('a covered loan within 90 days keeps its floor; past 90 days it stays non-performing', () => {
    assert.equal(classifyWithGuarantee('substandard', 30, full, RULES_2023), 'special-mention');
    assert.equal(classifyWithGuarantee('substandard', 0, full, RULES_2023), 'normal');
    assert.equal(classifyWithGuarantee('substandard', 30, { ...full, jointFromCompany: false }, RULES_2023), 'substandard');
    assert.equal(classifyWithGuarantee('substandard', 30, { ...full, coversExposure: false }, RULES_2023), 'substandard');
    assert.equal(classifyWithGuarantee('substandard', 91, full, RULES_2023), 'substandard');
    assert.equal(classifyWithGuarantee('doubtful', 271, full, RULES_2023), 'doubtful');
  });

  it('never hides more than 90 days past due, and never upgrades past the overdue floor (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CATEGORIES), fc.integer({ min: 0, max: 2000 }), fc.boolean(), fc.boolean(), (category, dpd, jointFromCompany, coversExposure) => {
        const result = classifyWithGuarantee(category, dpd, { jointFromCompany, coversExposure }, RULES_2023);
        if (dpd > 90) assert.equal(result, category);
        if (!isNonPerforming(category)) assert.equal(result, category);
        // When it changes anything, it gives exactly the overdue floor of a loan within 90 days.
        if (result !== category) assert.equal(result, classifyByDaysPastDue(dpd, RULES_2023));
      }),
    );
  });
});

describe('which guarantees a decision counts (guarantor-counting-2025-01)', () => {
  it('only a clean check at most 180 days old counts; adverse, unchecked and stale do not, and each says why', () => {
    assert.equal(guarantorCountingFor('2025-06-30').version, 'guarantor-counting-2025-01');
    assert.throws(() => guarantorCountingFor('2024-12-31'), { code: 'INTERNAL' });
    const cases: [GuarantorStanding, string | null, string, boolean, string][] = [
      ['clear', '2025-06-30', '2025-06-30', true, 'clean-check'],
      ['clear', '2025-01-01', '2025-06-30', true, 'clean-check'], // 180 days
      ['clear', '2024-12-31', '2025-06-30', false, 'check-stale'], // 181 days
      ['clear', '2025-07-02', '2025-06-30', true, 'clean-check'], // checked on the wall-clock day, after the business date
      ['adverse', '2025-06-30', '2025-06-30', false, 'adverse'],
      ['adverse', '2024-01-01', '2025-06-30', false, 'adverse'], // adverse outranks stale
      ['unchecked', null, '2025-06-30', false, 'unchecked'],
    ];
    for (const [standing, checkedOn, date, counted, reason] of cases) {
      assert.deepEqual(guaranteeCounts({ standing, checkedOn }, date, GUARANTOR_COUNTING_2025), { counted, reason }, `${standing} ${checkedOn} on ${date}`);
    }
    const guarantees = [
      { guaranteeId: 'g1', standing: 'clear' as const, checkedOn: '2025-06-01', amount: '200000000' },
      { guaranteeId: 'g2', standing: 'unchecked' as const, checkedOn: null, amount: '50000000' },
      { guaranteeId: 'g3', standing: 'clear' as const, checkedOn: '2025-06-30', amount: '30000001' },
    ];
    const counted = countGuarantees(guarantees, '2025-06-30', GUARANTOR_COUNTING_2025);
    assert.equal(counted.guaranteed, '230000001');
    assert.deepEqual(counted.guarantees.map((g) => [g.guaranteeId, g.counted, g.reason]), [['g1', true, 'clean-check'], ['g2', false, 'unchecked'], ['g3', true, 'clean-check']]);
    // On 2025-11-29 (181 days after 06-01) the first check is stale: only 300,000.01 counts.
    assert.equal(countGuarantees(guarantees, '2025-11-29', GUARANTOR_COUNTING_2025).guaranteed, '30000001');
  });

  it('the decision recounts under the version its inputs name and records why; inputs that disagree with their version are refused', () => {
    const guarantors = [
      { guaranteeId: 'g1', guarantorId: 'c1', kind: 'company' as const, standing: 'clear' as const, checkedOn: '2025-06-01', amount: '200000000', counted: true },
      { guaranteeId: 'g2', guarantorId: 'p1', kind: 'person' as const, standing: 'unchecked' as const, checkedOn: null, amount: '50000000', counted: false },
    ];
    const input = { eligibleByType: {}, guaranteed: '200000000', countingPolicy: 'guarantor-counting-2025-01', guarantors };
    const { counting } = countedSecurity(input, '2025-06-30');
    assert.equal(counting?.guarantorCounting, 'guarantor-counting-2025-01');
    assert.deepEqual(counting?.guarantees.map((g) => [g.guaranteeId, g.counted, g.reason]), [['g1', true, 'clean-check'], ['g2', false, 'unchecked']]);
    assert.throws(() => countedSecurity({ ...input, guaranteed: '250000000' }, '2025-06-30'), { code: 'INTERNAL' });
    assert.throws(() => countedSecurity({ ...input, countingPolicy: 'guarantor-counting-1999' }, '2025-06-30'), { code: 'INTERNAL' });
    // Older records (no version) are left as stored: their unchecked guarantors counted.
    assert.deepEqual(countedSecurity({ eligibleByType: {}, guaranteed: '250000000', guarantors }, '2025-06-30'), { security: { eligibleByType: {}, guaranteed: '250000000', guarantors } });
  });
});
