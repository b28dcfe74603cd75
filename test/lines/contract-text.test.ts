import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorisationText, creditContractText, CREDIT_CONTRACT_VERSION } from '../../src/lines/contract-text.js';
import type { ContractTerms } from '../../src/lines/credit-contracts.js';

const TERMS: ContractTerms = {
  enterpriseId: '0190b6e0-0000-7000-8000-000000000001',
  lineId: '',
  productCode: 'MICRO-LINE',
  productName: 'Revolving micro credit line 小微循环贷',
  limit: '250000.00',
  revolving: true,
  annualRate: '4.35',
  startOn: '2025-07-01',
  endOn: '2026-07-01',
  penaltyMultiplier: '1.5',
  compoundOverdueInterest: true,
  daysInYear: 360,
  allocationOrder: ['penalty', 'interest', 'principal'],
  minTermDays: 1,
  maxTermDays: 365,
};
const PARTIES = { enterpriseName: '杭州绿芽茶叶有限公司', creditCode: '91330106MA2H0XXX0X', contractNo: null };

describe('contract texts', () => {
  it('fill in the terms the borrower signs: limit, rate, day count, penalty, the allocation order and withdrawal', () => {
    const contract = creditContractText(TERMS, PARTIES);
    assert.equal(contract.version, CREDIT_CONTRACT_VERSION);
    for (const words of ['授信额度人民币 250000.00 元', '2025-07-01 至 2026-07-01', '年利率 4.35%', '年利率 ÷ 360', '上浮 1.5 倍', '罚息、利息、本金', '提前还款缩短还款期限', '合同编号：（签署时生成）']) {
      assert.ok(contract.zh.includes(words), `${words} in ${contract.zh}`);
    }
    assert.ok(contract.en.startsWith('Courtesy translation; the Chinese text binds.'));
    // Each text names the product in its own language, never the two mixed (a contract signed before products had two names keeps the one it had).
    const named = creditContractText({ ...TERMS, productName: '小微循环贷', productNameEn: 'Revolving micro credit line' }, PARTIES);
    assert.ok(named.zh.includes('（产品：小微循环贷）'), named.zh);
    assert.ok(named.en.includes('(product: Revolving micro credit line)'), named.en);
    assert.ok(contract.en.includes('(product: Revolving micro credit line 小微循环贷)'), contract.en);
    assert.ok(authorisationText(PARTIES).zh.includes('可随时在线撤回本授权'));
  });

  it('a version is never edited: each digest is pinned, and an unknown version is refused', () => {
    // Changing these words is a new version, not an edit (contract-text.ts): a signed copy is re-rendered from its version.
    assert.equal(creditContractText(TERMS, PARTIES).digest, creditContractText(TERMS, PARTIES, 'SX-CC-2026.1').digest);
    assert.equal(creditContractText(TERMS, PARTIES).digest.length, 64);
    assert.equal(authorisationText(PARTIES).digest, PINNED_AUTHORISATION_DIGEST);
    assert.equal(creditContractText(TERMS, PARTIES).digest, PINNED_CONTRACT_DIGEST);
    assert.throws(() => creditContractText(TERMS, PARTIES, 'SX-CC-2025.9'), { code: 'CONFLICT' });
  });
});

const PINNED_CONTRACT_DIGEST = '9cae37b5a1e79579c0393e4fd0c648b77388de70ebde0ce10353d4646f03726f';
const PINNED_AUTHORISATION_DIGEST = '529d640ddff477c43a95db86eecf1511782d8184647f8c2fdf8288a1a97c9991';
