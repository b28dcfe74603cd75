/**
 * The words of each notice, in Chinese and English, made from the figures stored with it. Pure:
 * the same notice reads the same in the portal, an SMS, an e-mail and a webhook's payload.
 *
 * @example
 * noticeText('due-reminder', { noteNo: 'JJ20260115-00042', dueOn: '2026-02-15', amount: '5120.00', daysBefore: '3' }).zh.title;
 * // "还款提醒：借据 JJ20260115-00042 将于 2026-02-15 到期"
 */
import type { NoticeKind } from './notice-kinds.js';

export interface NoticeText {
  readonly title: string;
  readonly body: string;
}

export interface NoticeTexts {
  readonly zh: NoticeText;
  readonly en: NoticeText;
}

type Params = Readonly<Record<string, string>>;

const OUTCOME_ZH: Readonly<Record<string, string>> = { approved: '已批准', declined: '未获批准', referred: '转人工审查', 'pending-confirmation': '待复核' };
const LEVEL_ZH: Readonly<Record<string, string>> = { red: '红色', orange: '橙色', yellow: '黄色' };

const p = (params: Params, key: string) => params[key] ?? '—';

/** The zh and en texts of a notice of `kind` with these figures. */
export function noticeText(kind: NoticeKind, params: Params): NoticeTexts {
  switch (kind) {
    case 'due-reminder':
      return {
        zh: { title: `还款提醒：借据 ${p(params, 'noteNo')} 将于 ${p(params, 'dueOn')} 到期`, body: `您的借据 ${p(params, 'noteNo')} 本期应还 ${p(params, 'amount')} 元，到期日 ${p(params, 'dueOn')}（${p(params, 'daysBefore')} 天后）。请在到期日前确保还款账户余额充足。` },
        en: { title: `Repayment reminder: loan note ${p(params, 'noteNo')} falls due on ${p(params, 'dueOn')}`, body: `CNY ${p(params, 'amount')} falls due on ${p(params, 'dueOn')} (in ${p(params, 'daysBefore')} days) on loan note ${p(params, 'noteNo')}. Please have it in the repayment account by then.` },
      };
    case 'overdue':
      return {
        zh: { title: `逾期通知：借据 ${p(params, 'noteNo')} 已逾期`, body: `您的借据 ${p(params, 'noteNo')} 自 ${p(params, 'overdueSince')} 起逾期，逾期金额 ${p(params, 'amountOverdue')} 元。逾期本金按合同计收罚息，请尽快还款。` },
        en: { title: `Overdue notice: loan note ${p(params, 'noteNo')} is overdue`, body: `Loan note ${p(params, 'noteNo')} has been overdue since ${p(params, 'overdueSince')}: CNY ${p(params, 'amountOverdue')} is unpaid. Overdue principal bears penalty interest under the contract; please repay as soon as you can.` },
      };
    case 'decision':
      return {
        zh: { title: `授信申请结果：${OUTCOME_ZH[p(params, 'outcome')] ?? p(params, 'outcome')}`, body: params['outcome'] === 'approved' ? `您的授信申请（${p(params, 'productName')}）已批准，额度 ${p(params, 'limit')} 元，年利率 ${p(params, 'annualRate')}%。请登录查看并签署合同。` : params['outcome'] === 'declined' ? `很遗憾，您的授信申请（${p(params, 'productName')}）未获批准。可登录查看主要原因。` : `您的授信申请（${p(params, 'productName')}）已转人工审查，审查完成后将再次通知您。` },
        en: { title: `Your credit application: ${p(params, 'outcome')}`, body: params['outcome'] === 'approved' ? `Your application (${p(params, 'productName')}) is approved: a limit of CNY ${p(params, 'limit')} at ${p(params, 'annualRate')}% a year. Sign in to read and sign the contract.` : params['outcome'] === 'declined' ? `We are sorry: your application (${p(params, 'productName')}) was declined. Sign in to see the main reasons.` : `Your application (${p(params, 'productName')}) is with an officer for review; we will tell you when it is decided.` },
      };
    case 'drawdown-receipt':
      return {
        zh: { title: `放款回单：借据 ${p(params, 'noteNo')}`, body: `已于 ${p(params, 'disbursedOn')} 向您发放贷款 ${p(params, 'amount')} 元，年利率 ${p(params, 'annualRate')}%，到期日 ${p(params, 'maturityOn')}，借据号 ${p(params, 'noteNo')}。` },
        en: { title: `Drawdown receipt: loan note ${p(params, 'noteNo')}`, body: `CNY ${p(params, 'amount')} was disbursed on ${p(params, 'disbursedOn')} at ${p(params, 'annualRate')}% a year, maturing on ${p(params, 'maturityOn')}; loan note ${p(params, 'noteNo')}.` },
      };
    case 'repayment-receipt':
      return {
        zh: { title: `还款回单：借据 ${p(params, 'noteNo')}`, body: `已于 ${p(params, 'paidOn')} 收到还款 ${p(params, 'amount')} 元：本金 ${p(params, 'principal')} 元，利息 ${p(params, 'interest')} 元，罚息 ${p(params, 'penalty')} 元。${params['loanStatus'] === 'closed' ? '该笔贷款已结清。' : ''}` },
        en: { title: `Repayment receipt: loan note ${p(params, 'noteNo')}`, body: `CNY ${p(params, 'amount')} received on ${p(params, 'paidOn')}: principal ${p(params, 'principal')}, interest ${p(params, 'interest')}, penalty ${p(params, 'penalty')}.${params['loanStatus'] === 'closed' ? ' The loan is repaid in full.' : ''}` },
      };
    case 'warning':
      return {
        zh: { title: `预警：${p(params, 'enterpriseName')} ${LEVEL_ZH[p(params, 'level')] ?? p(params, 'level')}预警`, body: `${p(params, 'raisedOn')} 对 ${p(params, 'enterpriseName')} 触发预警规则 ${p(params, 'ruleId')}（${LEVEL_ZH[p(params, 'level')] ?? p(params, 'level')}），指标值 ${p(params, 'value')}。请在预警页面处理。` },
        en: { title: `Early warning: ${p(params, 'enterpriseName')}, ${p(params, 'level')}`, body: `Rule ${p(params, 'ruleId')} (${p(params, 'level')}) was raised on ${p(params, 'enterpriseName')} on ${p(params, 'raisedOn')}, value ${p(params, 'value')}. Handle it on the warnings page.` },
      };
  }
}
