/**
 * What a borrower asks about its own loan without moving money: the early-payoff quote (what a
 * full repayment today would be, split as the repayment would split it), and a renewal request
 * before maturity, which staff then decide through `POST /v1/loans/:id/renewals`.
 */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import { inTransaction } from '../../db/transaction.js';
import { ValidationError } from '../../errors.js';
import { formatMoney } from '../../money/format-money.js';
import type { AllocationBucket } from '../../products/default-products.js';
import { allocateRepayment } from '../../servicing/allocate-repayment.js';
import { balancesOf, loanById } from '../../servicing/loans.js';
import { listRenewalRequests, requestRenewal, type RenewalRequestRow } from '../../servicing/renewal-requests.js';
import { getBusinessDate } from '../../system/business-date.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { assertCanSee, BalancesSchema, balancesJson, enterprisesInView, IdParams, Money } from './servicing-schemas.js';
import { LOAN_STATUSES, literals, RENEWAL_REQUEST_STATUSES } from '../api-codes.js';

const VIEWERS: Role[] = ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

const RenewalRequestSchema = Type.Object({
  id: Type.String(),
  loanId: Type.String(),
  loanNoteNo: Type.String({ description: "the loan's note number (借据号)" }),
  enterpriseId: Type.String(),
  termDays: Type.Union([Type.Integer(), Type.Null()]),
  installments: Type.Union([Type.Integer(), Type.Null()]),
  note: Type.String(),
  status: literals(RENEWAL_REQUEST_STATUSES),
  requestedBy: Type.String(),
  requestedAt: Type.String(),
  businessDate: Type.String(),
  newLoanId: Type.Union([Type.String(), Type.Null()]),
  newLoanNoteNo: Type.Union([Type.String(), Type.Null()], { description: "the renewed loan's note number" }),
});

/** Requests as JSON with their loans' note numbers, read in one query. */
async function renewalRequestsJson(db: AppContext['db'], rows: readonly RenewalRequestRow[]) {
  const ids = [...new Set(rows.flatMap((row) => (row.new_loan_id === null ? [row.loan_id] : [row.loan_id, row.new_loan_id])))];
  const notes = new Map(ids.length === 0 ? [] : (await db.selectFrom('loan').select(['id', 'note_no']).where('id', 'in', ids).execute()).map((loan) => [loan.id, loan.note_no]));
  return rows.map((row) => renewalRequestJson(row, notes));
}

function renewalRequestJson(row: RenewalRequestRow, notes: ReadonlyMap<string, string>) {
  return {
    id: row.id,
    loanId: row.loan_id,
    loanNoteNo: notes.get(row.loan_id) ?? row.loan_id,
    enterpriseId: row.enterprise_id,
    termDays: row.term_days,
    installments: row.installments,
    note: row.note,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: new Date(row.requested_at).toISOString(),
    businessDate: row.business_date,
    newLoanId: row.new_loan_id,
    newLoanNoteNo: row.new_loan_id === null ? null : (notes.get(row.new_loan_id) ?? row.new_loan_id),
  };
}

export function loanRequestRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.get(
    '/v1/loans/:id/payoff-quote',
    {
      config: { access: roles(...VIEWERS) },
      schema: {
        summary: 'Early payoff quote: what repaying the loan in full on the business date would take, split by component as the repayment would split it; moves no money',
        description: 'Interest is accrued to the last end of day. `allocation` is the servicing allocation of `amount` (due amounts in the product order, then accrued interest, then principal not yet due).',
        tags: ['loans'],
        params: IdParams,
        response: {
          200: Type.Object({
            loanId: Type.String(),
            asOf: Type.String(),
            loanStatus: literals(LOAN_STATUSES),
            amount: Money,
            allocation: Type.Object({ penalty: Money, interestDue: Money, principalDue: Money, interestAccrued: Money, principalNotDue: Money, overpayment: Money }),
            balances: BalancesSchema,
          }),
        },
      },
    },
    async (request) => {
      const loan = await loanById(db, request.params.id);
      assertCanSee(caller(request), loan.enterprise_id, `loan ${loan.id}`);
      const balances = balancesOf(loan);
      const asOf = await getBusinessDate(db);
      const zero = { penalty: 0n, interestDue: 0n, principalDue: 0n, interestAccrued: 0n, principalNotDue: 0n, overpayment: 0n };
      const allocation = loan.status === 'active' && balances.payoff > 0n ? allocateRepayment(balances.payoff, balances, loan.allocation_order.split(',') as AllocationBucket[]) : zero;
      return {
        loanId: loan.id,
        asOf,
        loanStatus: loan.status,
        amount: formatMoney(loan.status === 'active' ? balances.payoff : 0n),
        allocation: Object.fromEntries(Object.entries(allocation).map(([key, value]) => [key, formatMoney(value)])) as Record<keyof typeof zero, string>,
        balances: balancesJson(balances),
      };
    },
  );

  app.post(
    '/v1/loans/:id/renewal-requests',
    {
      config: { access: roles('borrower', 'account-manager') },
      schema: {
        summary: 'Ask for a renewal (续贷) of an active loan before it matures; staff decide with POST /v1/loans/:id/renewals',
        tags: ['loans'],
        params: IdParams,
        body: Type.Object(
          {
            termDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
            installments: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
            note: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: RenewalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const loan = await loanById(db, request.params.id);
      assertCanSee(user, loan.enterprise_id, `loan ${loan.id}`);
      const row = await inTransaction(db, (trx) => requestRenewal(trx, { ...request.body, loanId: loan.id }, user.username, context.now()));
      return reply.status(201).send((await renewalRequestsJson(db, [row]))[0]!);
    },
  );

  app.get(
    '/v1/renewal-requests',
    {
      config: { access: roles(...VIEWERS) },
      schema: {
        summary: "Renewal requests, newest first (default: pending); a borrower's own only",
        tags: ['loans'],
        querystring: Type.Object(
          {
            status: Type.Optional(literals(RENEWAL_REQUEST_STATUSES)),
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(RenewalRequestSchema) },
      },
    },
    async (request) => {
      const enterpriseIds = enterprisesInView(caller(request), request.query.enterpriseId);
      const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
      if (limit < 1 || limit > 200) throw new ValidationError('limit', 'must be 1 to 200');
      return renewalRequestsJson(db, await listRenewalRequests(db, { enterpriseIds, status: request.query.status ?? 'pending', limit }));
    },
  );
}
