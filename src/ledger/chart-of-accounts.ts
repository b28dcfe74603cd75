/**
 * The default chart of accounts. Sprout posts by *purpose* (`interest-income`), never by code, so
 * a bank can renumber or rename accounts (the `ledger_account` table) to fit its own chart.
 *
 * Codes follow the Chinese banks' common numbering (1301 loans, 1132 interest receivable, 6011
 * interest income …); loans receivable is split by five-category classification (五级分类) so
 * that the general ledger shows asset quality directly.
 */
import type { Classification } from '../db/schema.js';

/** What Sprout posts to. One account per purpose. */
export type AccountPurpose =
  | 'settlement'
  | 'loans-normal'
  | 'loans-special-mention'
  | 'loans-substandard'
  | 'loans-doubtful'
  | 'loans-loss'
  | 'interest-receivable'
  | 'penalty-receivable'
  | 'loan-loss-provision'
  | 'suspense'
  | 'interest-income'
  | 'penalty-income'
  | 'fee-income'
  | 'recovery-income'
  | 'provision-expense'
  | 'written-off-loans'
  | 'written-off-loans-contra'
  | 'collateral-held'
  | 'collateral-held-contra'
  | 'guarantees-held'
  | 'guarantees-held-contra'
  | 'general-reserve'
  | 'general-reserve-appropriation'
  | 'scf-normal'
  | 'scf-special-mention'
  | 'scf-substandard'
  | 'scf-doubtful'
  | 'scf-loss'
  | 'scf-collections'
  | 'scf-certificates'
  | 'scf-certificates-contra';

/** An account as configured. */
export interface LedgerAccount {
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
  readonly type: 'asset' | 'liability' | 'equity' | 'income' | 'expense' | 'off-balance';
  readonly purpose: AccountPurpose;
}

/** The chart a new database starts with. */
export const DEFAULT_CHART: readonly LedgerAccount[] = [
  { code: '1001', name: 'Settlement account', nameZh: '清算账户', type: 'asset', purpose: 'settlement' },
  { code: '1301.01', name: 'Loans receivable - normal', nameZh: '贷款-正常', type: 'asset', purpose: 'loans-normal' },
  { code: '1301.02', name: 'Loans receivable - special mention', nameZh: '贷款-关注', type: 'asset', purpose: 'loans-special-mention' },
  { code: '1301.03', name: 'Loans receivable - substandard', nameZh: '贷款-次级', type: 'asset', purpose: 'loans-substandard' },
  { code: '1301.04', name: 'Loans receivable - doubtful', nameZh: '贷款-可疑', type: 'asset', purpose: 'loans-doubtful' },
  { code: '1301.05', name: 'Loans receivable - loss', nameZh: '贷款-损失', type: 'asset', purpose: 'loans-loss' },
  { code: '1132', name: 'Interest receivable', nameZh: '应收利息', type: 'asset', purpose: 'interest-receivable' },
  { code: '1133', name: 'Penalty interest receivable', nameZh: '应收罚息', type: 'asset', purpose: 'penalty-receivable' },
  { code: '1304', name: 'Loan loss provision', nameZh: '贷款损失准备', type: 'asset', purpose: 'loan-loss-provision' },
  { code: '2241', name: 'Suspense - unapplied receipts', nameZh: '其他应付款-暂收款', type: 'liability', purpose: 'suspense' },
  { code: '6011', name: 'Interest income', nameZh: '利息收入', type: 'income', purpose: 'interest-income' },
  { code: '6012', name: 'Penalty interest income', nameZh: '罚息收入', type: 'income', purpose: 'penalty-income' },
  { code: '6021', name: 'Fee income', nameZh: '手续费及佣金收入', type: 'income', purpose: 'fee-income' },
  { code: '6031', name: 'Recoveries of written-off loans', nameZh: '已核销贷款收回', type: 'income', purpose: 'recovery-income' },
  { code: '6701', name: 'Credit impairment loss', nameZh: '信用减值损失', type: 'expense', purpose: 'provision-expense' },
  { code: '7001', name: 'Written-off loans (memo)', nameZh: '已核销贷款(表外)', type: 'off-balance', purpose: 'written-off-loans' },
  { code: '7002', name: 'Written-off loans contra (memo)', nameZh: '已核销贷款对方(表外)', type: 'off-balance', purpose: 'written-off-loans-contra' },
  // Security held (src/collateral): memo accounts at the collateral's last value and the guaranteed amount.
  { code: '7101', name: 'Collateral held (memo)', nameZh: '抵质押品(表外)', type: 'off-balance', purpose: 'collateral-held' },
  { code: '7102', name: 'Collateral held contra (memo)', nameZh: '抵质押品对方(表外)', type: 'off-balance', purpose: 'collateral-held-contra' },
  { code: '7201', name: 'Guarantees received (memo)', nameZh: '收到的保证(表外)', type: 'off-balance', purpose: 'guarantees-held' },
  { code: '7202', name: 'Guarantees received contra (memo)', nameZh: '收到的保证对方(表外)', type: 'off-balance', purpose: 'guarantees-held-contra' },
  // The general provision (一般准备, 财金〔2012〕20号): set aside from profit at month end (src/eod/general-provision.ts).
  { code: '4102', name: 'General risk reserve', nameZh: '一般风险准备', type: 'equity', purpose: 'general-reserve' },
  { code: '4104.05', name: 'Profit distribution - general risk reserve', nameZh: '利润分配-提取一般风险准备', type: 'equity', purpose: 'general-reserve-appropriation' },
  // Supply-chain finance (src/supply-chain): financing against payment certificates, by
  // classification as loans are; what core enterprises pay before it reaches the bank's claims and
  // the holders; the certificates the core enterprises have confirmed and not yet paid, as memo.
  { code: '1305.01', name: 'Supply-chain financing - normal', nameZh: '供应链融资-正常', type: 'asset', purpose: 'scf-normal' },
  { code: '1305.02', name: 'Supply-chain financing - special mention', nameZh: '供应链融资-关注', type: 'asset', purpose: 'scf-special-mention' },
  { code: '1305.03', name: 'Supply-chain financing - substandard', nameZh: '供应链融资-次级', type: 'asset', purpose: 'scf-substandard' },
  { code: '1305.04', name: 'Supply-chain financing - doubtful', nameZh: '供应链融资-可疑', type: 'asset', purpose: 'scf-doubtful' },
  { code: '1305.05', name: 'Supply-chain financing - loss', nameZh: '供应链融资-损失', type: 'asset', purpose: 'scf-loss' },
  { code: '2243', name: 'Supply-chain collections payable', nameZh: '其他应付款-供应链代收款', type: 'liability', purpose: 'scf-collections' },
  { code: '7301', name: 'Payment certificates outstanding (memo)', nameZh: '流转中的付款凭证(表外)', type: 'off-balance', purpose: 'scf-certificates' },
  { code: '7302', name: 'Payment certificates outstanding contra (memo)', nameZh: '流转中的付款凭证对方(表外)', type: 'off-balance', purpose: 'scf-certificates-contra' },
];

/** The loans-receivable account purpose for a classification. */
export function loansAccountPurpose(classification: Classification): AccountPurpose {
  return `loans-${classification}`;
}

/** The supply-chain financing account purpose for a classification. */
export function scfAccountPurpose(classification: Classification): AccountPurpose {
  return `scf-${classification}`;
}
