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
    const contract = creditContractText(TERMS, PARTIES, 'SX-CC-2026.1');
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

  it('2026.2 names the accounts masked and lets the borrower choose what a prepayment does', () => {
    const current = creditContractText(TERMS, PARTIES);
    assert.equal(current.version, CREDIT_CONTRACT_VERSION);
    assert.equal(CREDIT_CONTRACT_VERSION, 'SX-CC-2026.2');
    assert.ok(current.zh.includes('放款账户：（签署时登记）；还款账户：（签署时登记）'), current.zh);
    assert.ok(current.zh.includes('由借款人选择缩短还款期限（其后各期按原计划本金偿还）或保持期限不变、减少每期还款额'));
    assert.ok(!current.zh.includes('提前还款缩短还款期限，其后各期'), 'the 2026.1 words on prepayment are gone');
    const account = { bankCode: '102331000013', bankName: '工商银行杭州分行', accountNoMasked: '****3456' };
    const signed = creditContractText({ ...TERMS, accounts: { disbursement: account, repayment: { ...account, accountNoMasked: '****7788' } } }, PARTIES);
    assert.ok(signed.zh.includes('第八条 账户　放款账户：工商银行杭州分行（行号 102331000013）账号 ****3456；还款账户：工商银行杭州分行（行号 102331000013）账号 ****7788。'), signed.zh);
    assert.ok(signed.en.includes('Disbursements to 工商银行杭州分行 (bank code 102331000013) account ****3456; repayments debited from 工商银行杭州分行 (bank code 102331000013) account ****7788.'), signed.en);
    // Twelve articles still, in order: only the fifth and the eighth changed.
    assert.deepEqual(current.zh.split('\n').map((line) => line.slice(0, 3)), creditContractText(TERMS, PARTIES, 'SX-CC-2026.1').zh.split('\n').map((line) => line.slice(0, 3)));
  });

  it('a version is never edited: each digest is pinned, and an unknown version is refused', () => {
    // Changing these words is a new version, not an edit (contract-text.ts): a signed copy is re-rendered from its version.
    assert.equal(creditContractText(TERMS, PARTIES).digest, creditContractText(TERMS, PARTIES, 'SX-CC-2026.2').digest);
    assert.equal(creditContractText(TERMS, PARTIES).digest.length, 64);
    assert.equal(authorisationText(PARTIES).digest, PINNED_AUTHORISATION_DIGEST);
    assert.equal(creditContractText(TERMS, PARTIES, 'SX-CC-2026.1').digest, PINNED_CONTRACT_DIGEST);
    assert.equal(creditContractText(TERMS, PARTIES, 'SX-CC-2026.2').digest, PINNED_CONTRACT_2026_2_DIGEST);
    assert.throws(() => creditContractText(TERMS, PARTIES, 'SX-CC-2025.9'), { code: 'CONFLICT' });
  });
});

const PINNED_CONTRACT_DIGEST = '9cae37b5a1e79579c0393e4fd0c648b77388de70ebde0ce10353d4646f03726f';
const PINNED_CONTRACT_2026_2_DIGEST = '24043d4333bbab630b6a3a69a1c308a163899457b0b462c10a316e802baf0ef7';
const PINNED_AUTHORISATION_DIGEST = '529d640ddff477c43a95db86eecf1511782d8184647f8c2fdf8288a1a97c9991';
