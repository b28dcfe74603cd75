/**
 * Products, credit lines, drawdowns, loans and repayments. Money-moving
 * routes require an `Idempotency-Key` header.
 */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import { inTransaction } from '../../db/transaction.js';
import { ValidationError } from '../../errors.js';
import { formatMoney } from '../../money/format-money.js';
import { getCreditLine, listCreditLines, openCreditLine, setCreditLineStatus, type CreditLine } from '../../lines/credit-lines.js';
import { listProducts } from '../../products/products.js';
import { drawdown } from '../../servicing/drawdown.js';
import { once } from '../../servicing/idempotency.js';
import { balancesOf, listLoans, loanById, type LoanRow } from '../../servicing/loans.js';
import { repay } from '../../servicing/repayment.js';
import { batchable, RepaymentBatcher } from '../../servicing/repayment-batch.js';
import { batchableDrawdown, DrawdownBatcher } from '../../servicing/drawdown-batch.js';
import { allowedLoanOptions, LOAN_OPTIONS } from '../../servicing/loan-term.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { anyUser, caller, roles } from '../access.js';
import { DPD_BUCKET_RANGES, DPD_BUCKETS } from '../../reporting/past-due.js';
import { LINE_STATUSES, LOAN_STATUSES, literals, PREPAYMENT_EFFECTS, PRODUCT_KINDS, PRODUCT_STATUSES } from '../api-codes.js';
import {
  AmountInput,
  assertCanSee,
  CreditLineSchema,
  creditLineJson,
  DrawdownSchema,
  drawdownJson,
  IdempotencyHeaders,
  enterprisesInView,
  IdParams,
  LoanOptionsInput,
  LoanSchema,
  loanJson,
  LoanSummarySchema,
  loanSummaryJson,
  RepaymentSchema,
  repaymentJson,
} from './servicing-schemas.js';

/** Staff who look at lines and loans, plus the borrower for their own. */
const VIEWERS: Role[] = ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];
/** Largest page of a listing; lists are for screens, reports aggregate in SQL. */
const MAX_LIST = 200;
/** Query strings are text and nothing is coerced, so the limit is digits, checked here. */
const ListLimit = Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: `1 to ${MAX_LIST}; 50 when absent` }));

function listLimit(text: string | undefined): number {
  const limit = text === undefined ? 50 : Number(text);
  if (limit < 1 || limit > MAX_LIST) throw new ValidationError('limit', `must be 1 to ${MAX_LIST}`, limit < 1 ? 'too-small' : 'too-large', { limit: limit < 1 ? 1 : MAX_LIST });
  return limit;
}

/** Who may move money on a loan: the borrower (own loans), and back-office staff acting for them. */
const MONEY_MOVERS: Role[] = ['borrower', 'account-manager', 'operator'];

export function servicingRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;
  const batcher = context.repaymentBatching === 'off' ? undefined : new RepaymentBatcher(db, repaymentJson);
  const drawdownBatcher = context.repaymentBatching === 'off' ? undefined : new DrawdownBatcher(db, drawdownJson);

  app.get(
    '/v1/products',
    {
      config: { access: anyUser },
      schema: {
        summary: 'The loan products',
        tags: ['products'],
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              code: Type.String(),
              name: Type.String({ description: 'the Chinese name' }),
              nameEn: Type.String({ description: 'the English name' }),
              kind: literals(PRODUCT_KINDS),
              workingCapital: Type.Boolean(),
              minAmount: Type.String(),
              maxAmount: Type.String(),
              minTermDays: Type.Integer(),
              maxTermDays: Type.Integer(),
              lprTenor: Type.String(),
              spread: Type.String(),
              penaltyMultiplier: Type.String(),
              compoundOverdueInterest: Type.Boolean(),
              allocationOrder: Type.Array(Type.String()),
              daysInYear: Type.Integer(),
              renewalWindowDays: Type.Integer({ description: 'days before maturity from which a renewal (续贷) may be asked for' }),
              status: literals(PRODUCT_STATUSES),
              allows: Type.Array(literals(LOAN_OPTIONS), { description: "the schedule engine's options its drawdowns may take (frequency, grace, flat-interest, installment-rounding, floating-rate); empty: monthly installments at a fixed rate" }),
            }),
          ),
        },
      },
    },
    async () =>
      (await listProducts(db)).map((product) => ({
        ...product,
        minAmount: formatMoney(product.minAmount),
        maxAmount: formatMoney(product.maxAmount),
        allocationOrder: [...product.allocationOrder],
        allows: [...allowedLoanOptions(product.schedule)],
      })),
  );

  app.post(
    '/v1/lines',
    {
      config: { access: roles('credit-approver', 'admin') },
      schema: {
        summary: 'Open a credit line (授信) for an enterprise',
        tags: ['lines'],
        body: Type.Object(
          {
            enterpriseId: Type.String({ format: 'uuid' }),
            productCode: Type.String({ minLength: 1, maxLength: 64 }),
            limit: AmountInput,
            termDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 1098 })),
            annualRate: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,4})?$' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreditLineSchema },
      },
    },
    async (request, reply) => reply.status(201).send(creditLineJson(await inTransaction(db, (trx) => openCreditLine(trx, request.body, caller(request).username)))),
  );

  app.get(
    '/v1/lines',
    {
      config: { access: roles(...VIEWERS) },
      schema: {
        summary: "Credit lines, newest first; a borrower's own only",
        tags: ['lines'],
        querystring: Type.Object({ enterpriseId: Type.Optional(Type.String({ format: 'uuid' })), limit: ListLimit }, { additionalProperties: false }),
        response: { 200: Type.Array(CreditLineSchema) },
      },
    },
    async (request) => {
      const enterpriseIds = enterprisesInView(caller(request), request.query.enterpriseId);
      return (await listCreditLines(db, { enterpriseIds, limit: listLimit(request.query.limit) })).map(creditLineJson);
    },
  );

  app.get(
    '/v1/lines/:id',
    { config: { access: roles(...VIEWERS) }, schema: { summary: 'A credit line', tags: ['lines'], params: IdParams, response: { 200: CreditLineSchema } } },
    async (request) => {
      const line = await getCreditLine(db, request.params.id);
      assertCanSee(caller(request), line.enterpriseId, `credit line ${line.id}`);
      return creditLineJson(line);
    },
  );

  app.post(
    '/v1/lines/:id/status',
    {
      config: { access: roles('risk-officer', 'credit-approver', 'admin') },
      schema: {
        summary: 'Freeze, unfreeze or close a credit line',
        tags: ['lines'],
        params: IdParams,
        body: Type.Object({ status: literals(LINE_STATUSES) }, { additionalProperties: false }),
        response: { 200: CreditLineSchema },
      },
    },
    async (request) => creditLineJson(await inTransaction(db, (trx) => setCreditLineStatus(trx, request.params.id, request.body.status, caller(request).username))),
  );

  app.post(
    '/v1/lines/:id/drawdowns',
    {
      config: { access: roles(...MONEY_MOVERS) },
      schema: {
        summary: 'Draw from a line (用信): a new loan, disbursed today',
        description: 'Give `termDays` (1–365, one repayment at maturity) or `installments` (monthly unless `frequency` says). Grace, flat interest, a rounded installment, another frequency and a floating rate only where the product allows them (its schedule\'s `allows`); a refusal names the field.',
        tags: ['loans'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            amount: AmountInput,
            termDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
            installments: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
            method: Type.Optional(Type.Union([Type.Literal('equal-installments'), Type.Literal('equal-principal'), Type.Literal('interest-only')])),
            ...LoanOptionsInput,
          },
          { additionalProperties: false },
        ),
        response: { 201: DrawdownSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      // Whether the caller may draw on the line is checked on the line the drawdown reads in its
      // transaction (before anything else): one read of the line, not two. A key already used
      // is this caller's own (keys are scoped to the caller), replayed as before.
      const body = { ...request.body, lineId: request.params.id.toLowerCase() };
      const check = (line: CreditLine) => assertCanSee(user, line.enterpriseId, `credit line ${line.id}`);
      const key = request.headers['idempotency-key'];
      // Drawdowns arriving together are booked together, each answered as it would be alone (drawdown-batch.ts).
      const result =
        drawdownBatcher !== undefined && batchableDrawdown(body)
          ? await drawdownBatcher.submit({ caller: user.id, key, request: body, actor: user.username, check })
          : await once(db, 'drawdown', user.id, key, body, async (trx) => drawdownJson(await drawdown(trx, body, user.username, check)));
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/v1/loans',
    {
      config: { access: roles(...VIEWERS) },
      schema: {
        summary: "Loans, newest disbursement first; a borrower's own only",
        tags: ['loans'],
        querystring: Type.Object(
          {
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
            status: Type.Optional(literals(LOAN_STATUSES)),
            dpdBucket: Type.Optional(literals(DPD_BUCKETS, { description: 'only loans this many days past due: 1-30, 31-60, 61-90, over-90 (the dashboard links here)' })),
            limit: ListLimit,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(LoanSummarySchema) },
      },
    },
    async (request) => {
      const enterpriseIds = enterprisesInView(caller(request), request.query.enterpriseId);
      return (await listLoans(db, { enterpriseIds, status: request.query.status, ...(request.query.dpdBucket === undefined ? {} : { dpd: DPD_BUCKET_RANGES[request.query.dpdBucket] }), limit: listLimit(request.query.limit) })).map(loanSummaryJson);
    },
  );

  app.get(
    '/v1/loans/:id',
    { config: { access: roles(...VIEWERS) }, schema: { summary: 'A loan: balances, schedule, classification', tags: ['loans'], params: IdParams, response: { 200: LoanSchema } } },
    async (request) => {
      const loan = await loanById(db, request.params.id);
      assertCanSee(caller(request), loan.enterprise_id, `loan ${loan.id}`);
      const installments = await db.selectFrom('loan_installment').selectAll().where('loan_id', '=', loan.id).orderBy('number').execute();
      return loanJson(loan, balancesOf(loan), installments);
    },
  );

  app.post(
    '/v1/loans/:id/repayments',
    {
      config: { access: roles(...MONEY_MOVERS) },
      schema: {
        summary: 'Repay any amount (还款): due amounts first, then prepayment; a borrower\'s amount above the payoff is refused (LIMIT_EXCEEDED on `amount`), staff hold a surplus as overpayment',
        tags: ['loans'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            amount: AmountInput,
            prepaymentEffect: Type.Optional(literals(PREPAYMENT_EFFECTS, { description: 'when principal is prepaid: shorten-term (the default; installments keep their planned principal) or lower-installments (the rest re-amortised over the same dates); see GET /v1/loans/{id}/repayment-preview' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: RepaymentSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      // Self-service cannot hand a surplus back, so a borrower's repayment above the payoff is refused;
      // staff taking money at the counter hold any surplus in suspense to return it. Whether the caller
      // may see the loan is checked on the row the repayment locks: one read of the loan, not two.
      const body = { loanId: request.params.id.toLowerCase(), amount: request.body.amount, prepaymentEffect: request.body.prepaymentEffect, aboveThePayoff: user.role === 'borrower' ? ('refuse' as const) : ('suspense' as const) };
      const key = request.headers['idempotency-key'];
      const check = (loan: LoanRow) => assertCanSee(user, loan.enterprise_id, `loan ${loan.id}`);
      // Repayments arriving together are committed together, each answered as it would be alone (repayment-batch.ts).
      const result =
        batcher !== undefined && batchable(body)
          ? await batcher.submit({ caller: user.id, key, request: body, actor: user.username, check })
          : await once(db, 'repayment', user.id, key, body, async (trx) => repaymentJson(await repay(trx, body, user.username, check)));
      return reply.status(201).send(result);
    },
  );
}
