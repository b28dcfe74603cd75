import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignLimit, DEFAULT_LIMIT_POLICY } from '../../src/decision/limit.js';
import { checkPolicy, DEFAULT_POLICY, evaluatePolicy } from '../../src/decision/policy-rules.js';
import { DEFAULT_PRICING_POLICY, priceLoan } from '../../src/decision/pricing.js';
import { DEFAULT_BAND_CUTS, scoreBand } from '../../src/decision/score-band.js';

const CLEAN = { dishonest_debtor_listed: 0, years_in_business: 4.2, enterprise_max_dpd_24m: 0, sales_12m_yuan: 3_000_000, cross_check_failed: 0, lawsuits_defendant_24m: 0, admin_penalties_24m: 0 };

describe('policy rules', () => {
  it('a clean applicant passes, with every rule traced as not fired', () => {
    const result = evaluatePolicy(DEFAULT_POLICY, CLEAN);
    assert.equal(result.outcome, 'pass');
    assert.deepEqual(result.reasonCodes, []);
    assert.equal(result.trace.length, DEFAULT_POLICY.rules.length);
    assert.ok(result.trace.every((rule) => !rule.fired));
    assert.deepEqual(result.trace[1]?.inputs, { years_in_business: 4.2 });
  });

  it('a decline wins over a referral, and every fired rule is reported', () => {
    const result = evaluatePolicy(DEFAULT_POLICY, { ...CLEAN, dishonest_debtor_listed: 1, cross_check_failed: 1, lawsuits_defendant_24m: 3 });
    assert.equal(result.outcome, 'decline');
    assert.deepEqual(result.reasonCodes, ['DISHONEST_DEBTOR', 'CROSS_CHECK_FAILED', 'LAWSUITS']);
  });

  it('referrals alone refer; thresholds are exact (under one year: 0.99 declines, 1.0 passes)', () => {
    assert.equal(evaluatePolicy(DEFAULT_POLICY, { ...CLEAN, lawsuits_defendant_24m: 2 }).outcome, 'pass');
    assert.equal(evaluatePolicy(DEFAULT_POLICY, { ...CLEAN, lawsuits_defendant_24m: 3 }).outcome, 'refer');
    assert.equal(evaluatePolicy(DEFAULT_POLICY, { ...CLEAN, years_in_business: 0.99 }).outcome, 'decline');
    assert.equal(evaluatePolicy(DEFAULT_POLICY, { ...CLEAN, years_in_business: 1 }).outcome, 'pass');
  });

  it('a missing feature never fires a rule, and a malformed policy is refused', () => {
    assert.equal(evaluatePolicy(DEFAULT_POLICY, {}).outcome, 'pass');
    assert.throws(() => checkPolicy({ ...DEFAULT_POLICY, rules: [...DEFAULT_POLICY.rules, DEFAULT_POLICY.rules[0]!] }), /rules\.7\.id: duplicate rule id D01/);
  });
});

describe('score bands', () => {
  it('cut at 700 / 650 / 600 / 560', () => {
    assert.deepEqual([720, 700, 699, 650, 600, 599, 560, 559].map((score) => scoreBand(score, DEFAULT_BAND_CUTS)), ['A', 'A', 'B', 'B', 'C', 'D', 'D', 'E']);
  });
});

describe('limits', () => {
  const base = { verifiedAnnualSales: 2_000_000_00n, band: 'B' as const, productMin: 100_00n, productMax: 3_000_000_00n, existingExposure: 0n };
  it('are a band share of verified sales, rounded down to a thousand yuan', () => {
    assert.deepEqual(assignLimit(base, DEFAULT_LIMIT_POLICY), { limit: 500_000_00n, boundBy: 'sales' });
    assert.deepEqual(assignLimit({ ...base, verifiedAnnualSales: 1_234_567_89n, band: 'A' }, DEFAULT_LIMIT_POLICY), { limit: 370_000_00n, boundBy: 'sales' }); // 30% = 370370.37
  });
  it('stop at the product maximum and at the inclusive ceiling less existing exposure', () => {
    assert.deepEqual(assignLimit({ ...base, verifiedAnnualSales: 50_000_000_00n, band: 'A' }, DEFAULT_LIMIT_POLICY), { limit: 3_000_000_00n, boundBy: 'product-max' });
    assert.deepEqual(assignLimit({ ...base, verifiedAnnualSales: 50_000_000_00n, band: 'A', existingExposure: 8_500_000_00n }, DEFAULT_LIMIT_POLICY), { limit: 1_500_000_00n, boundBy: 'inclusive-ceiling' });
  });
  it('are zero below the product minimum or in band E', () => {
    assert.deepEqual(assignLimit({ ...base, existingExposure: 9_999_950_00n }, DEFAULT_LIMIT_POLICY), { limit: 0n, boundBy: 'below-product-min' });
    assert.deepEqual(assignLimit({ ...base, band: 'E' }, DEFAULT_LIMIT_POLICY), { limit: 0n, boundBy: 'band-e' });
  });
});

describe('pricing', () => {
  it('is LPR + band spread − inclusive and repeat discounts, never below the floor', () => {
    assert.equal(priceLoan({ lprUnits: 30_000n, band: 'B', inclusive: false, repeatBorrower: false }, DEFAULT_PRICING_POLICY).rateUnits, 43_500n);
    assert.equal(priceLoan({ lprUnits: 30_000n, band: 'B', inclusive: true, repeatBorrower: false }, DEFAULT_PRICING_POLICY).rateUnits, 41_000n);
    assert.equal(priceLoan({ lprUnits: 30_000n, band: 'A', inclusive: true, repeatBorrower: true }, DEFAULT_PRICING_POLICY).rateUnits, 35_000n);
    const floored = priceLoan({ lprUnits: 20_000n, band: 'A', inclusive: true, repeatBorrower: true }, DEFAULT_PRICING_POLICY);
    assert.deepEqual([floored.rateUnits, floored.components.floored], [30_000n, true]);
  });
});
