/**
 * TypeBox shapes shared by the servicing routes, and the functions that turn domain values
 * (bigint fen) into them (decimal strings).
 */
import { Type } from '@sinclair/typebox';
import type { CreditLine } from '../../lines/credit-lines.js';
import { formatMoney } from '../../money/format-money.js';
import type { Drawdown } from '../../servicing/drawdown.js';
import type { LoanBalances, LoanRow } from '../../servicing/loans.js';
import type { Repayment } from '../../servicing/repayment.js';
import { scheduleToJson } from '../../schedule/index.js';
import type { User } from '../../auth/users.js';
import { NotFoundError } from '../../errors.js';
import { ACCOUNT_PURPOSES, CLASSIFICATIONS, LINE_STATUSES, LOAN_STATUSES, literals, PREPAYMENT_EFFECTS } from '../api-codes.js';

export const Money = Type.String({ description: 'yuan, two decimals, e.g. "305.00"' });
/** A positive amount: digits, at most two decimals, not zero (the lookahead wants a digit 1–9). */
export const AmountInput = Type.String({ pattern: '^(?=[0-9.]*[1-9])[0-9]{1,13}(\\.[0-9]{1,2})?$', description: 'yuan as a positive decimal string with at most two decimals, e.g. "305.00"' });
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 128, description: 'a client-chosen unique key (a UUID); a retry with the same key returns the first result and moves no money' }),
});

/** An enterprise's settlement account as every face shows it: the number masked to its last four digits. */
export const AccountSchema = Type.Object({
  id: Type.String(),
  purpose: literals(ACCOUNT_PURPOSES),
  bankCode: Type.String({ description: '12-digit CNAPS bank code (支付系统行号)' }),
  bankName: Type.String(),
  accountName: Type.String({ description: "the enterprise's registered name: the account must be its own" }),
  accountNoMasked: Type.String({ description: 'the last four digits, e.g. "****0123"' }),
  recordedBy: Type.String(),
  recordedAt: Type.String(),
});

/** An account as typed at signing or on a change. */
export const AccountInput = Type.Object(
  {
    bankCode: Type.String({ minLength: 1, maxLength: 20, description: '12-digit CNAPS bank code (支付系统行号), e.g. "102100099996"' }),
    bankName: Type.String({ minLength: 1, maxLength: 60, description: 'bank and branch, e.g. "中国工商银行杭州分行"' }),
    accountNo: Type.String({ minLength: 1, maxLength: 40, description: '8 to 32 digits; spaces and dashes as printed are ignored' }),
  },
  { additionalProperties: false },
);

export const CreditLineSchema = Type.Object({
  id: Type.String(),
  enterpriseId: Type.String(),
  productId: Type.String(),
  limit: Money,
  available: Money,
  revolving: Type.Boolean(),
  annualRate: Type.String(),
  startOn: Type.String(),
  endOn: Type.String(),
  status: literals(LINE_STATUSES),
});

export function creditLineJson(line: CreditLine) {
  return { ...line, limit: formatMoney(line.limit), available: formatMoney(line.available) };
}

export const InstallmentSchema = Type.Object({
  number: Type.Integer(),
  dueDate: Type.String(),
  days: Type.Integer(),
  principal: Money,
  interest: Money,
  total: Money,
  balance: Money,
});

/** A repayment schedule as the API shows it (`scheduleToJson`). */
export const ScheduleSchema = Type.Object({ installments: Type.Array(InstallmentSchema), totalPrincipal: Money, totalInterest: Money, totalRepayment: Money });

export const BalancesSchema = Type.Object({
  principalNotDue: Money,
  principalDue: Money,
  interestAccrued: Money,
  interestDue: Money,
  penaltyDue: Money,
  totalDue: Money,
  payoff: Money,
});

export function balancesJson(balances: LoanBalances) {
  return Object.fromEntries(Object.entries(balances).map(([key, value]) => [key, formatMoney(value)])) as Record<keyof LoanBalances, string>;
}

export const DrawdownSchema = Type.Object({
  loanId: Type.String(),
  noteNo: Type.Optional(Type.String({ description: 'the new loan\'s note number (借据号), "JJ20260115-00042"; absent only on a replay of a drawdown made before note numbers' })),
  lineId: Type.String(),
  amount: Money,
  annualRate: Type.String(),
  disbursedOn: Type.String(),
  maturityOn: Type.String(),
  lineAvailable: Money,
  schedule: ScheduleSchema,
  account: Type.Union([AccountSchema, Type.Null()], { description: 'the account the principal was paid to; null on a line opened without one' }),
  floating: Type.Optional(
    Type.Union(
      [
        Type.Object({
          lprTenor: Type.Union([Type.Literal('1y'), Type.Literal('5y')]),
          spread: Type.String({ description: 'percent over the LPR, fixed at signing ("0.35", "-0.10")' }),
          repricing: Type.Union([Type.Literal('anniversary'), Type.Literal('january-first')]),
          nextRepricingOn: Type.String({ format: 'date' }),
        }),
        Type.Null(),
      ],
      { description: 'a floating-rate loan\'s terms; null for a fixed rate (absent on a replay of a drawdown made before floating rates)' },
    ),
  ),
});

/**
 * The drawdown options of the schedule engine a product may allow (src/servicing/loan-term.ts),
 * in the body of a drawdown and its preview.
 */
export const LoanOptionsInput = {
  frequency: Type.Optional(Type.Union([Type.Literal('monthly'), Type.Literal('weekly'), Type.Literal('biweekly'), Type.Literal('quarterly')], { description: "installments' frequency (default monthly; others if the product allows)" })),
  gracePrincipal: Type.Optional(Type.Integer({ minimum: 0, maximum: 24, description: 'leading installments of interest only (if the product allows grace)' })),
  graceInterest: Type.Optional(Type.Integer({ minimum: 0, maximum: 24, description: 'leading installments paying nothing (if the product allows grace)' })),
  interest: Type.Optional(Type.Union([Type.Literal('declining-balance'), Type.Literal('flat')], { description: 'flat: on the original principal (if the product allows it)' })),
  installmentMultiple: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}(\\.[0-9]{1,2})?$', description: 'round the level installment to a multiple of this, yuan (if the product allows it)' })),
  rateBasis: Type.Optional(Type.Union([Type.Literal('fixed'), Type.Literal('floating')], { description: 'floating: LPR plus a spread fixed today (if the product allows it)' })),
  repricing: Type.Optional(Type.Union([Type.Literal('anniversary'), Type.Literal('january-first')], { description: "a floating loan's repricing date (default anniversary)" })),
};

export function drawdownJson(result: Drawdown) {
  return { ...result, amount: formatMoney(result.amount), lineAvailable: formatMoney(result.lineAvailable), schedule: scheduleToJson(result.schedule) };
}

export const RepaymentSchema = Type.Object({
  loanId: Type.String(),
  noteNo: Type.Optional(Type.String({ description: 'the loan note number (借据号) the receipt names; absent only on a replay of a repayment made before note numbers' })),
  amount: Money,
  paidOn: Type.String(),
  loanStatus: literals(LOAN_STATUSES),
  allocation: Type.Object({
    penalty: Money,
    interestDue: Money,
    principalDue: Money,
    interestAccrued: Money,
    principalNotDue: Money,
    overpayment: Money,
  }),
  balances: BalancesSchema,
  prepaymentEffect: Type.Union([literals(PREPAYMENT_EFFECTS), Type.Null()], { description: 'what the prepayment did to the rest of the loan; null when no principal was prepaid or the loan closed' }),
  account: Type.Union([AccountSchema, Type.Null()], { description: 'the account debited; null when none is registered' }),
});

export function repaymentJson(result: Repayment) {
  return {
    ...result,
    amount: formatMoney(result.amount),
    allocation: Object.fromEntries(Object.entries(result.allocation).map(([key, value]) => [key, formatMoney(value)])) as Record<keyof Repayment['allocation'], string>,
    balances: balancesJson(result.balances),
  };
}

/** What every view of a loan shows, in the list and in detail. */
const LoanCoreFields = {
  id: Type.String(),
  noteNo: Type.String({ description: 'the loan note number (借据号) people read and quote, e.g. "JJ20260115-00042"' }),
  enterpriseId: Type.String(),
  lineId: Type.Union([Type.String(), Type.Null()]),
  status: literals(LOAN_STATUSES),
  principal: Money,
  annualRate: Type.String(),
  disbursedOn: Type.String(),
  maturityOn: Type.String(),
  daysPastDue: Type.Integer(),
  classification: literals(CLASSIFICATIONS),
};

function loanCoreJson(loan: LoanRow) {
  return {
    id: loan.id,
    noteNo: loan.note_no,
    enterpriseId: loan.enterprise_id,
    lineId: loan.line_id,
    status: loan.status,
    principal: formatMoney(loan.principal),
    annualRate: loan.annual_rate,
    disbursedOn: loan.disbursed_on,
    maturityOn: loan.maturity_on,
    daysPastDue: loan.dpd,
    classification: loan.classification,
  };
}

export const LoanSchema = Type.Object({
  ...LoanCoreFields,
  provision: Money,
  renewedFromId: Type.Union([Type.String(), Type.Null()]),
  balances: BalancesSchema,
  installments: Type.Array(Type.Object({ number: Type.Integer(), dueOn: Type.String(), principal: Money, interest: Money })),
});

export function loanJson(loan: LoanRow, balances: LoanBalances, installments: readonly { number: number; due_on: string; principal: bigint; interest: bigint }[]) {
  return {
    ...loanCoreJson(loan),
    provision: formatMoney(loan.provision),
    renewedFromId: loan.renewed_from_id,
    balances: balancesJson(balances),
    installments: installments.map((row) => ({ number: row.number, dueOn: row.due_on, principal: formatMoney(row.principal), interest: formatMoney(row.interest) })),
  };
}

/**
 * Borrowers see only the enterprises they are bound to. For anyone else's, the answer is the same
 * 404 as for something that does not exist, so ids cannot be probed.
 */
export function assertCanSee(user: User, enterpriseId: string, what: string): void {
  if (user.role === 'borrower' && !user.enterpriseIds.includes(enterpriseId)) throw new NotFoundError(what);
}

/**
 * The enterprises a listing may cover, as a filter: `undefined` (everyone's) or the one asked for,
 * for staff; for a borrower, the one asked for if bound to it (else the same 404 as for one that
 * does not exist), or all it is bound to — an empty list when it has none yet.
 */
export function enterprisesInView(user: User, requested: string | undefined): readonly string[] | undefined {
  if (requested !== undefined) {
    assertCanSee(user, requested, `enterprise ${requested}`);
    return [requested];
  }
  return user.role === 'borrower' ? user.enterpriseIds : undefined;
}

export const LoanSummarySchema = Type.Object({ ...LoanCoreFields, outstanding: Money });

export function loanSummaryJson(loan: LoanRow) {
  return { ...loanCoreJson(loan), outstanding: formatMoney(loan.principal_not_due + loan.principal_due) };
}
