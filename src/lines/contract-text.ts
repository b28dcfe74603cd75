/**
 * The words a borrower reads and signs (合同文本), versioned: the credit contract (授信合同) for an
 * offer and the authorisation to pull data and the credit report (数据及征信查询授权书). The text is
 * kept here, with a version each; the signed contract records the version it was signed under, so
 * its copy is rendered from the same words years later. A change of wording is a new version, never
 * an edit of an old one (test/lines/contract-text.test.ts pins each version's digest).
 *
 * Chinese is the binding text; the English is a courtesy translation, said so in the text itself.
 */
import { createHash } from 'node:crypto';
import { ConflictError } from '../errors.js';
import type { ContractAccount, ContractTerms } from './credit-contracts.js';

/** The credit contract's current version; an acceptance names it (`POST /v1/applications/:id/accept`). */
export const CREDIT_CONTRACT_VERSION = 'SX-CC-2026.2';
/** Every credit contract version a signed copy may name, oldest first. */
export const CREDIT_CONTRACT_VERSIONS = ['SX-CC-2026.1', 'SX-CC-2026.2'] as const;
/** The data and credit-report authorisation's current version. */
export const AUTHORISATION_TEXT_VERSION = 'SX-DA-2026.1';

/** What a contract text is filled in with: the terms, and whom they bind. */
export interface ContractParties {
  readonly enterpriseName: string;
  readonly creditCode: string | null;
  readonly contractNo: string | null;
}

/** A text in both languages, with its version and a SHA-256 of the Chinese (the binding words). */
export interface VersionedText {
  readonly version: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly zh: string;
  readonly en: string;
  readonly digest: string;
}

const ORDER_ZH: Readonly<Record<string, string>> = { penalty: '罚息', interest: '利息', principal: '本金' };

function creditContract2026(terms: ContractTerms, parties: ContractParties): { zh: string; en: string } {
  const order = terms.allocationOrder.map((bucket) => ORDER_ZH[bucket] ?? bucket);
  const no = parties.contractNo ?? '（签署时生成）';
  const code = parties.creditCode ?? '—';
  const zh = [
    `合同编号：${no}`,
    `借款人：${parties.enterpriseName}（统一社会信用代码 ${code}）`,
    `贷款人：本行`,
    '',
    `第一条 授信额度　贷款人向借款人提供${terms.revolving ? '可循环使用的' : ''}授信额度人民币 ${terms.limit} 元（产品：${terms.productName}），额度有效期自 ${terms.startOn} 至 ${terms.endOn}。`,
    `第二条 用信　借款人可在额度有效期内随时申请提款，每笔提款为一笔贷款，期限 ${terms.minTermDays} 至 ${terms.maxTermDays} 天，以提款时确认的还款计划为准。${terms.revolving ? '已归还的本金恢复可用额度。' : ''}`,
    `第三条 利率与计息　年利率 ${terms.annualRate}%，按日计息，日利率 = 年利率 ÷ ${terms.daysInYear}。`,
    `第四条 逾期　逾期本金自逾期之日起按合同利率上浮 ${terms.penaltyMultiplier} 倍计收罚息${terms.compoundOverdueInterest ? '；对逾期利息按罚息利率计收复利' : ''}。`,
    `第五条 还款　借款人可随时提前还款，不收取违约金；还款依次冲抵：${order.join('、')}，再冲抵已计未结利息和未到期本金。提前还款缩短还款期限，其后各期按原计划金额偿还，直至结清。`,
    '第六条 资金用途　贷款仅用于借款人的生产经营，不得用于股票、期货、房地产等禁止性领域。',
    '第七条 续贷　流动资金贷款到期前，借款人可按照《关于做好续贷工作 提高小微企业金融服务水平的通知》（金规〔2024〕13号）申请无还本续贷，由贷款人审查决定。',
    '第八条 账户　放款与还款通过借款人在本合同项下登记的结算账户办理。',
    '第九条 信息　借款人同意贷款人依照另行签署的授权书查询、使用其经营数据和征信信息，用于本合同的审批与贷后管理。',
    '第十条 签署　借款人在线确认即视为签署本合同，签署记录（签署人、时间及合同内容摘要）由贷款人留存，可供下载核对。',
  ].join('\n');
  const en = [
    'Courtesy translation; the Chinese text binds.',
    `Contract no.: ${parties.contractNo ?? '(assigned on signing)'}`,
    `Borrower: ${parties.enterpriseName} (Unified Social Credit Code ${code}); Lender: the Bank.`,
    '',
    `1. Credit line. A ${terms.revolving ? 'revolving ' : ''}credit line of CNY ${terms.limit} (product: ${terms.productNameEn ?? terms.productName}), valid from ${terms.startOn} to ${terms.endOn}.`,
    `2. Drawing. The borrower may draw at any time while the line is valid; each drawing is a loan of ${terms.minTermDays} to ${terms.maxTermDays} days on the schedule confirmed when drawn.${terms.revolving ? ' Principal repaid becomes available again.' : ''}`,
    `3. Interest. ${terms.annualRate}% a year, charged by the day at the annual rate ÷ ${terms.daysInYear}.`,
    `4. Overdue. Overdue principal bears penalty interest at the contract rate × ${terms.penaltyMultiplier}${terms.compoundOverdueInterest ? '; overdue interest bears compound interest at the penalty rate' : ''}.`,
    `5. Repayment. Any amount, any day, without a prepayment fee; applied to ${terms.allocationOrder.join(', ')} due, then accrued interest and principal not yet due. A prepayment shortens the term; later installments stay as planned until the loan is repaid.`,
    '6. Use of funds. For the borrower\'s business only; not for shares, futures or real estate.',
    '7. Renewal. Before a working-capital loan matures the borrower may ask for renewal without repaying principal (金规〔2024〕13号), at the lender\'s decision.',
    '8. Accounts. Disbursements and repayments go through the settlement accounts registered under this contract.',
    '9. Information. The borrower agrees that the lender uses its business data and credit report under the separate authorisation.',
    '10. Signing. Confirming online is signing; the record (signer, time, digest of the contract) is kept by the lender and can be downloaded.',
  ].join('\n');
  return { zh, en };
}

/** An account as a contract names it: bank and the last four digits, never the whole number. */
function accountLine(account: ContractAccount | undefined, zh: boolean): string {
  if (account === undefined) return zh ? '（签署时登记）' : '(registered on signing)';
  return `${account.bankName}（行号 ${account.bankCode}）账号 ${account.accountNoMasked}`;
}

/**
 * 2026.2 (issue 14): the accounts article names the disbursement and repayment accounts (masked),
 * and a prepayment either shortens the term or lowers the installments, as the borrower chooses.
 */
function creditContract2026b(terms: ContractTerms, parties: ContractParties): { zh: string; en: string } {
  const base = creditContract2026(terms, parties);
  const zhLines = base.zh.split('\n');
  const enLines = base.en.split('\n');
  const order = terms.allocationOrder.map((bucket) => ORDER_ZH[bucket] ?? bucket);
  const replace = (lines: string[], prefix: string, text: string) => lines.map((line) => (line.startsWith(prefix) ? text : line));
  const zh = replace(
    replace(zhLines, '第五条', `第五条 还款　借款人可随时提前还款，不收取违约金；还款依次冲抵：${order.join('、')}，再冲抵已计未结利息和未到期本金。提前偿还本金时，由借款人选择缩短还款期限（其后各期按原计划本金偿还）或保持期限不变、减少每期还款额（剩余本金按原利率在剩余期数内重新计算）。`),
    '第八条',
    `第八条 账户　放款账户：${accountLine(terms.accounts?.disbursement, true)}；还款账户：${accountLine(terms.accounts?.repayment, true)}。账户均为借款人本人的结算账户，变更须经贷款人记录。`,
  ).join('\n');
  const en = replace(
    replace(enLines, '5. Repayment.', `5. Repayment. Any amount, any day, without a prepayment fee; applied to ${terms.allocationOrder.join(', ')} due, then accrued interest and principal not yet due. When principal is prepaid, the borrower chooses to shorten the term (later installments keep their planned principal) or to keep the term and lower the installments (the principal left re-amortised at the same rate over the installments left).`),
    '8. Accounts.',
    `8. Accounts. Disbursements to ${accountLine(terms.accounts?.disbursement, false).replace('（行号 ', ' (bank code ').replace('）账号 ', ') account ')}; repayments debited from ${accountLine(terms.accounts?.repayment, false).replace('（行号 ', ' (bank code ').replace('）账号 ', ') account ')}. Both are the borrower's own settlement accounts; a change is recorded by the lender.`,
  ).join('\n');
  return { zh, en };
}

function authorisation2026(parties: ContractParties): { zh: string; en: string } {
  const zh = [
    `授权人：${parties.enterpriseName}（统一社会信用代码 ${parties.creditCode ?? '—'}）`,
    '',
    '一、授权内容　本企业授权本行在授权有效期内，为信用评估和贷后管理之目的，向以下机构查询、获取并使用本企业的信息：市场监管登记信息、纳税与开票信息、用电和用水信息、社会保险参保信息、司法诉讼及失信被执行人信息，以及中国人民银行征信中心的企业信用报告。',
    '二、使用范围　上述信息仅用于本企业的授信审批、定价、额度管理和贷后风险监测，不得用于其他目的，不得向无关第三方提供。',
    '三、有效期　自签署之日起至本企业选定的到期日止。',
    '四、撤回　本企业可随时在线撤回本授权。撤回后本行不再查询新的数据；撤回前已依授权取得的信息和已作出的决定不受影响，已发放贷款的贷后管理依合同及法律法规继续进行。',
    '五、记录　每次查询均记录查询时间、数据来源和所依据的授权，本企业可要求查阅。',
  ].join('\n');
  const en = [
    'Courtesy translation; the Chinese text binds.',
    `Grantor: ${parties.enterpriseName} (Unified Social Credit Code ${parties.creditCode ?? '—'})`,
    '',
    '1. What. The enterprise authorises the bank, while this authorisation is valid, to obtain and use for credit assessment and post-lending monitoring: its market-regulator registration, tax and invoicing, electricity and water use, social insurance, court and dishonest-debtor records, and its enterprise credit report from the PBOC Credit Reference Center.',
    '2. Use. Only for this enterprise\'s credit decision, pricing, limit and monitoring; never for another purpose or given to unrelated parties.',
    '3. Validity. From signing to the expiry date the enterprise chooses.',
    '4. Withdrawal. The enterprise may withdraw this authorisation online at any time. After withdrawal the bank pulls no new data; data obtained and decisions made before stay as they are, and existing loans are monitored under their contracts and the law.',
    '5. Records. Every pull records when, from which source and under which authorisation; the enterprise may ask to see them.',
  ].join('\n');
  return { zh, en };
}

function versioned(version: string, title: { zh: string; en: string }, text: { zh: string; en: string }): VersionedText {
  return { version, title, ...text, digest: createHash('sha256').update(text.zh).digest('hex') };
}

/**
 * The credit contract's text in `version` (default the current one) for these terms and parties.
 *
 * @example
 * creditContractText(terms, { enterpriseName: '星火机械', creditCode: '91330100…', contractNo: null }).zh;
 */
export function creditContractText(terms: ContractTerms, parties: ContractParties, version: string = CREDIT_CONTRACT_VERSION): VersionedText {
  if (version === 'SX-CC-2026.1') return versioned(version, { zh: '授信合同', en: 'Credit contract' }, creditContract2026(terms, parties));
  if (version === 'SX-CC-2026.2') return versioned(version, { zh: '授信合同', en: 'Credit contract' }, creditContract2026b(terms, parties));
  throw new ConflictError(`no credit contract text has version ${version}`, 'contractVersion');
}

/** The data and credit-report authorisation's text in `version` (default the current one). */
export function authorisationText(parties: ContractParties, version: string = AUTHORISATION_TEXT_VERSION): VersionedText {
  if (version !== 'SX-DA-2026.1') throw new ConflictError(`no authorisation text has version ${version}`, 'version');
  return versioned(version, { zh: '数据及征信查询授权书', en: 'Authorisation to obtain data and the credit report' }, authorisation2026(parties));
}
