/**
 * Printable documents (打印文书): the signed credit contract (授信合同), each drawdown's loan note
 * (借据) and each repayment's receipt (还款回单), read from the records themselves — the contract's
 * stored terms and digest, the loan row and its installments, the repayment's journal entry — into
 * one plain shape that `document-html.ts` prints as A4 HTML and `document-pdf.ts` as PDF, so the
 * two always carry the same figures.
 *
 * @example
 * const note = await loanNoteDocument(db, loanId); // note.number === 'JJ20260115-00042'
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { contractDocument } from '../lines/offer-contract.js';
import { contractForApplication } from '../lines/credit-contracts.js';
import { accountView } from '../lines/settlement-accounts.js';
import { formatMoney } from '../money/format-money.js';
import { repaymentHistory } from '../servicing/repayment-history.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A label in both languages. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export interface PrintField {
  readonly label: Bilingual;
  readonly value: string;
}

/** One document, ready to print: its title and number, the figures, an optional table and text, and what authenticates it. */
export interface PrintDocument {
  readonly kind: 'contract' | 'loan-note' | 'receipt';
  readonly title: Bilingual;
  /** The contract number, the loan note number, or the receipt's number. */
  readonly number: string;
  readonly enterpriseId: string;
  readonly fields: readonly PrintField[];
  readonly table?: { readonly caption: Bilingual; readonly columns: readonly Bilingual[]; readonly rows: readonly (readonly string[])[] };
  /** The contract's words: Chinese binds, English is a courtesy translation. */
  readonly text?: Bilingual;
  /** Digests and signature: printed at the foot. */
  readonly footer: readonly PrintField[];
}

const AMORTIZATION: Readonly<Record<string, Bilingual>> = {
  bullet: { zh: '到期一次还本付息', en: 'bullet: principal and interest at maturity' },
  'equal-installments': { zh: '等额本息', en: 'equal installments' },
  'equal-principal': { zh: '等额本金', en: 'equal principal' },
  'interest-only': { zh: '按期付息、到期还本', en: 'interest only, principal at maturity' },
};

async function enterpriseOf(db: Db, id: string): Promise<{ name: string; creditCode: string }> {
  const row = await db.selectFrom('enterprise').select(['name', 'credit_code']).where('id', '=', id).executeTakeFirstOrThrow();
  return { name: row.name, creditCode: row.credit_code ?? '—' };
}

/** The signed credit contract of an application (NOT_FOUND before signing), with the digest recorded at signing. */
export async function contractPrintDocument(db: Db, applicationId: string): Promise<PrintDocument> {
  const document = await contractDocument(db, applicationId);
  const signed = await contractForApplication(db, applicationId);
  if (document.state !== 'signed' || signed === null || document.contract === null || document.signature === null) throw new NotFoundError(`signed contract of application ${applicationId}`);
  const borrower = await enterpriseOf(db, signed.terms.enterpriseId);
  const terms = signed.terms;
  return {
    kind: 'contract',
    title: document.contract.title,
    number: signed.contractNo,
    enterpriseId: terms.enterpriseId,
    fields: [
      { label: { zh: '合同编号', en: 'Contract no.' }, value: signed.contractNo },
      { label: { zh: '借款人', en: 'Borrower' }, value: borrower.name },
      { label: { zh: '统一社会信用代码', en: 'Credit code' }, value: borrower.creditCode },
      { label: { zh: '授信额度（元）', en: 'Credit limit (CNY)' }, value: terms.limit },
      { label: { zh: '年利率', en: 'Annual rate' }, value: `${terms.annualRate}%` },
      { label: { zh: '额度有效期', en: 'Valid' }, value: `${terms.startOn} — ${terms.endOn}` },
      { label: { zh: '产品', en: 'Product' }, value: terms.productName },
      { label: { zh: '文本版本', en: 'Text version' }, value: document.contract.version },
    ],
    text: { zh: document.contract.zh, en: document.contract.en },
    footer: [
      { label: { zh: '签署人', en: 'Signed by' }, value: document.signature.signedBy },
      { label: { zh: '签署时间', en: 'Signed at' }, value: document.signature.signedAt.toISOString() },
      { label: { zh: '合同摘要 SHA-256', en: 'Contract digest SHA-256' }, value: document.signature.digest },
      { label: { zh: '核对', en: 'Check' }, value: document.signature.verified ? '与存档一致 verified' : '与存档不符 DOES NOT VERIFY' },
    ],
  };
}

/** A loan's note (借据): the drawdown's amount, rate, dates and schedule, under its note number. */
export async function loanNoteDocument(db: Db, loanId: string): Promise<PrintDocument> {
  const loan = await db.selectFrom('loan').selectAll().where('id', '=', loanId).executeTakeFirst();
  if (loan === undefined) throw new NotFoundError(`loan ${loanId}`);
  const borrower = await enterpriseOf(db, loan.enterprise_id);
  const contract = loan.line_id === null ? undefined : await db.selectFrom('credit_contract').select(['contract_no']).where('line_id', '=', loan.line_id).executeTakeFirst();
  const product = await db.selectFrom('product').select(['name']).where('id', '=', loan.product_id).executeTakeFirstOrThrow();
  const installments = await db.selectFrom('loan_installment').select(['number', 'due_on', 'principal', 'interest']).where('loan_id', '=', loanId).orderBy('number').execute();
  const entry = await db.selectFrom('journal_entry').select(['account_id']).where('loan_id', '=', loanId).where('kind', 'in', ['drawdown', 'renewal']).orderBy('id').executeTakeFirst();
  const account = entry?.account_id == null ? undefined : await db.selectFrom('settlement_account').selectAll().where('id', '=', entry.account_id).executeTakeFirst();
  const method = AMORTIZATION[loan.amortization ?? ''];
  const shown = account === undefined ? undefined : accountView(account);
  return {
    kind: 'loan-note',
    title: { zh: '借款借据', en: 'Loan note' },
    number: loan.note_no,
    enterpriseId: loan.enterprise_id,
    fields: [
      { label: { zh: '借据号', en: 'Loan note no.' }, value: loan.note_no },
      { label: { zh: '合同编号', en: 'Contract no.' }, value: contract?.contract_no ?? '—' },
      { label: { zh: '借款人', en: 'Borrower' }, value: borrower.name },
      { label: { zh: '统一社会信用代码', en: 'Credit code' }, value: borrower.creditCode },
      { label: { zh: '产品', en: 'Product' }, value: product.name },
      { label: { zh: '借款金额（元）', en: 'Amount (CNY)' }, value: formatMoney(loan.principal) },
      { label: { zh: '年利率', en: 'Annual rate' }, value: `${loan.annual_rate}%${loan.rate_basis === 'floating' ? '（浮动 floating）' : ''}` },
      { label: { zh: '放款日', en: 'Disbursed on' }, value: loan.disbursed_on },
      { label: { zh: '到期日', en: 'Matures on' }, value: loan.maturity_on },
      { label: { zh: '还款方式', en: 'Repayment' }, value: method === undefined ? (loan.amortization ?? '—') : `${method.zh} ${method.en}` },
      { label: { zh: '放款账户', en: 'Paid to' }, value: shown === undefined ? '—' : `${shown.bankName} ${shown.accountNoMasked}` },
    ],
    table: {
      caption: { zh: '还款计划', en: 'Schedule' },
      columns: [{ zh: '期次', en: 'No.' }, { zh: '到期日', en: 'Due' }, { zh: '本金', en: 'Principal' }, { zh: '利息', en: 'Interest' }, { zh: '合计', en: 'Total' }],
      rows: installments.map((row) => [String(row.number), row.due_on, formatMoney(row.principal), formatMoney(row.interest), formatMoney(row.principal + row.interest)]),
    },
    footer: [{ label: { zh: '说明', en: 'Note' }, value: '本借据为授信合同项下的债权凭证，与合同具有同等效力。This note evidences a drawing under the credit contract and is part of it.' }],
  };
}

/** The receipt of one repayment (the journal entry `entryId` of loan `loanId`). */
export async function repaymentReceiptDocument(db: Db, loanId: string, entryId: string): Promise<PrintDocument> {
  const loan = await db.selectFrom('loan').select(['id', 'enterprise_id', 'note_no']).where('id', '=', loanId).executeTakeFirst();
  if (loan === undefined) throw new NotFoundError(`loan ${loanId}`);
  const repayment = (await repaymentHistory(db, loanId)).find((row) => row.entryId === entryId);
  if (repayment === undefined) throw new NotFoundError(`repayment ${entryId} of loan ${loanId}`);
  const borrower = await enterpriseOf(db, loan.enterprise_id);
  const number = `HK-${repayment.paidOn.replaceAll('-', '')}-${entryId.replaceAll('-', '').slice(-12)}`;
  return {
    kind: 'receipt',
    title: { zh: '还款回单', en: 'Repayment receipt' },
    number,
    enterpriseId: loan.enterprise_id,
    fields: [
      { label: { zh: '回单号', en: 'Receipt no.' }, value: number },
      { label: { zh: '借据号', en: 'Loan note no.' }, value: loan.note_no },
      { label: { zh: '借款人', en: 'Borrower' }, value: borrower.name },
      { label: { zh: '还款日', en: 'Paid on' }, value: repayment.paidOn },
      { label: { zh: '还款金额（元）', en: 'Amount (CNY)' }, value: formatMoney(repayment.amount) },
      { label: { zh: '其中本金', en: 'Principal' }, value: formatMoney(repayment.principal) },
      { label: { zh: '其中利息', en: 'Interest' }, value: formatMoney(repayment.interest) },
      { label: { zh: '其中罚息', en: 'Penalty interest' }, value: formatMoney(repayment.penalty) },
      { label: { zh: '溢缴款', en: 'Held in suspense' }, value: formatMoney(repayment.overpayment) },
      { label: { zh: '扣款账户', en: 'Debited from' }, value: repayment.account === null ? '—' : `${repayment.account.bankName} ${repayment.account.accountNoMasked}` },
    ],
    footer: [{ label: { zh: '记账凭证', en: 'Journal entry' }, value: entryId }],
  };
}
