import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifySize, INDUSTRIES, SIZE_STANDARD_2011, sizeStandardFor, wan, type IndustryCode, type SizeIndicators } from '../../src/enterprises/size-standard.js';

const size = (industry: IndustryCode, indicators: SizeIndicators): string => classifySize(industry, indicators).sizeClass;

describe('enterprise size by 工信部联企业〔2011〕300号', () => {
  it('covers all 16 industry groups of the standard, in 万元 converted to fen', () => {
    assert.equal(INDUSTRIES.length, 16);
    assert.deepEqual(Object.keys(SIZE_STANDARD_2011.industries).sort(), [...INDUSTRIES].sort());
    assert.equal(wan(1n), 1_000_000n); // 1 万元 = 10,000 yuan = 1,000,000 fen
    assert.equal(SIZE_STANDARD_2011.industries.industry.medium.revenue, 20_000_000_00n); // 2000 万元 = 20 million yuan
    assert.equal(sizeStandardFor('2025-06-30').version, '2011');
  });

  it('industry: medium needs X ≥ 300 and Y ≥ 2000 万; small X ≥ 20 and Y ≥ 300 万; large X ≥ 1000 and Y ≥ 40000 万', () => {
    assert.equal(size('industry', { employees: 20, revenue: wan(300n) }), 'small');
    assert.equal(size('industry', { employees: 19, revenue: wan(300n) }), 'micro');
    assert.equal(size('industry', { employees: 20, revenue: wan(300n) - 1n }), 'micro');
    assert.equal(size('industry', { employees: 300, revenue: wan(2000n) }), 'medium');
    assert.equal(size('industry', { employees: 299, revenue: wan(2000n) }), 'small');
    assert.equal(size('industry', { employees: 300, revenue: wan(2000n) - 1n }), 'small');
    // Many people, little revenue: falls through to the tier whose bounds are all met.
    assert.equal(size('industry', { employees: 999, revenue: wan(250n) }), 'micro');
    assert.equal(size('industry', { employees: 1000, revenue: wan(40000n) }), 'large');
    assert.equal(size('industry', { employees: 1000, revenue: wan(40000n) - 1n }), 'medium');
    assert.equal(size('industry', { employees: 999, revenue: wan(90000n) }), 'medium');
  });

  it('agriculture on revenue alone: medium ≥ 500 万, small ≥ 50 万, large ≥ 20000 万', () => {
    assert.equal(size('agriculture', { revenue: wan(50n) - 1n }), 'micro');
    assert.equal(size('agriculture', { revenue: wan(50n) }), 'small');
    assert.equal(size('agriculture', { revenue: wan(500n) - 1n }), 'small');
    assert.equal(size('agriculture', { revenue: wan(500n) }), 'medium');
    assert.equal(size('agriculture', { revenue: wan(20000n) }), 'large');
  });

  it('retail: medium X ≥ 50 and Y ≥ 500 万; small X ≥ 10 and Y ≥ 100 万', () => {
    assert.equal(size('retail', { employees: 10, revenue: wan(100n) }), 'small');
    assert.equal(size('retail', { employees: 9, revenue: wan(4000n) }), 'micro');
    assert.equal(size('retail', { employees: 50, revenue: wan(500n) }), 'medium');
    assert.equal(size('retail', { employees: 49, revenue: wan(500n) }), 'small');
    assert.equal(size('retail', { employees: 300, revenue: wan(20000n) }), 'large');
    assert.equal(size('retail', { employees: 299, revenue: wan(20000n) }), 'medium');
  });

  it('construction on revenue and assets: medium Y ≥ 6000 and Z ≥ 5000 万; small Y ≥ 300 and Z ≥ 300 万', () => {
    assert.equal(size('construction', { revenue: wan(300n), assets: wan(300n) }), 'small');
    assert.equal(size('construction', { revenue: wan(300n), assets: wan(300n) - 1n }), 'micro');
    assert.equal(size('construction', { revenue: wan(6000n), assets: wan(5000n) }), 'medium');
    assert.equal(size('construction', { revenue: wan(6000n), assets: wan(4999n) }), 'small');
    assert.equal(size('construction', { revenue: wan(80000n), assets: wan(80000n) }), 'large');
  });

  it('real-estate development: medium Y ≥ 1000 and Z ≥ 5000 万; small Y ≥ 100 and Z ≥ 2000 万; large Y ≥ 200000 and Z ≥ 10000 万', () => {
    assert.equal(size('real-estate-development', { revenue: wan(100n), assets: wan(2000n) }), 'small');
    assert.equal(size('real-estate-development', { revenue: wan(99n), assets: wan(9000n) }), 'micro');
    assert.equal(size('real-estate-development', { revenue: wan(1000n), assets: wan(5000n) }), 'medium');
    assert.equal(size('real-estate-development', { revenue: wan(200000n), assets: wan(10000n) }), 'large');
    assert.equal(size('real-estate-development', { revenue: wan(199999n), assets: wan(50000n) }), 'medium');
  });

  it('leasing and business services on employees and assets: medium X ≥ 100 and Z ≥ 8000 万; small X ≥ 10 and Z ≥ 100 万', () => {
    assert.equal(size('leasing-business-services', { employees: 10, assets: wan(100n) }), 'small');
    assert.equal(size('leasing-business-services', { employees: 10, assets: wan(99n) }), 'micro');
    assert.equal(size('leasing-business-services', { employees: 100, assets: wan(8000n) }), 'medium');
    assert.equal(size('leasing-business-services', { employees: 300, assets: wan(120000n) }), 'large');
  });

  it('software, property management, others: their own bounds', () => {
    assert.equal(size('software-it-services', { employees: 10, revenue: wan(50n) }), 'small');
    assert.equal(size('software-it-services', { employees: 10, revenue: wan(49n) }), 'micro');
    assert.equal(size('software-it-services', { employees: 100, revenue: wan(1000n) }), 'medium');
    assert.equal(size('property-management', { employees: 100, revenue: wan(500n) }), 'small');
    assert.equal(size('property-management', { employees: 99, revenue: wan(500n) }), 'micro');
    assert.equal(size('property-management', { employees: 300, revenue: wan(1000n) }), 'medium');
    assert.equal(size('other', { employees: 9 }), 'micro');
    assert.equal(size('other', { employees: 10 }), 'small');
    assert.equal(size('other', { employees: 100 }), 'medium');
    assert.equal(size('other', { employees: 300 }), 'large');
    assert.equal(size('wholesale', { employees: 5, revenue: wan(1000n) }), 'small');
    assert.equal(size('wholesale', { employees: 20, revenue: wan(5000n) }), 'medium');
    assert.equal(size('information-transmission', { employees: 2000, revenue: wan(100000n) }), 'large');
    assert.equal(size('catering', { employees: 100, revenue: wan(2000n) }), 'medium');
    assert.equal(size('accommodation', { employees: 10, revenue: wan(99n) }), 'micro');
    assert.equal(size('transport', { employees: 20, revenue: wan(200n) }), 'small');
    assert.equal(size('warehousing', { employees: 100, revenue: wan(1000n) }), 'medium');
    assert.equal(size('post', { employees: 20, revenue: wan(99n) }), 'micro');
  });

  it('names the indicator an industry needs and does not have', () => {
    assert.throws(() => classifySize('construction', { revenue: wan(300n) }), { code: 'VALIDATION', field: 'assets' });
    assert.throws(() => classifySize('retail', { revenue: wan(300n) }), { code: 'VALIDATION', field: 'employees' });
    assert.throws(() => classifySize('retail', { employees: -1, revenue: wan(300n) }), { code: 'VALIDATION', field: 'employees' });
  });
});
