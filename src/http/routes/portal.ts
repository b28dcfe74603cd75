/**
 * What the borrower portal reads and checks before money moves, so every device shows the same
 * state and nothing is confirmed that the server would refuse: the enterprise's authorisations
 * (and their withdrawal), its applications, the contract before and after signing, a repayment's
 * and a drawdown's preview, a loan's current schedule and its repayment history. Nothing here
 * moves money; previews run the same checks the money-moving routes run.
 */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import { DATA_PURPOSES, DATA_SOURCES, listDataAuthorisations, revokeDataAuthorisation } from '../../data/index.js';
import { chinaDate } from '../../data/authorisations.js';
import { inTransaction } from '../../db/transaction.js';
import { DECISION_REASON_CODES, OUTCOMES } from '../../decision/decide.js';
import { recordedMainFactors } from '../../decision/main-factors.js';
import { FEATURE_NAMES } from '../../features/index.js';
import { NotFoundError } from '../../errors.js';
import { authorisationText } from '../../lines/contract-text.js';
import { contractDocument, signedContractHtml, type ContractDocument } from '../../lines/offer-contract.js';
import { getCreditLine } from '../../lines/credit-lines.js';
import { formatMoney } from '../../money/format-money.js';
import { parseMoney } from '../../money/parse-money.js';
import { unitsToRate } from '../../pricing/rate-units.js';
import { scheduleToJson } from '../../schedule/index.js';
import { currentSchedule, nextPayment } from '../../servicing/current-schedule.js';
import { planDrawdown } from '../../servicing/drawdown.js';
import { balancesOf, loanById } from '../../servicing/loans.js';
import { planRepayment } from '../../servicing/repayment.js';
import { loanAmortization, prepaymentChoice, type PrepaymentOutcome } from '../../servicing/prepayment-options.js';
import { accountView, currentAccount } from '../../lines/settlement-accounts.js';
import { productById } from '../../products/products.js';
import { repaymentHistory } from '../../servicing/repayment-history.js';
import { getBusinessDate } from '../../system/business-date.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { APPLICATION_STATUSES, LOAN_STATUSES, literals, PREPAYMENT_EFFECTS } from '../api-codes.js';
import { AccountSchema, AmountInput, assertCanSee, BalancesSchema, balancesJson, IdParams, LoanOptionsInput, Money, ScheduleSchema } from './servicing-schemas.js';
import { BusinessDateText } from './date-schemas.js';

const VIEWERS: Role[] = ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];
/** Who may withdraw an authorisation: the enterprise itself, or its account manager on its written word. */
const WITHDRAWERS: Role[] = ['borrower', 'account-manager', 'admin'];

export const INSTALLMENT_STATES = ['billed', 'upcoming', 'prepaid'] as const;
export const CONTRACT_STATES = ['offer', 'signed', 'none'] as const;

const PrepaymentOptionSchema = Type.Object({
  effect: literals(PREPAYMENT_EFFECTS),
  installmentsLeft: Type.Integer({ description: 'installments still to pay after the repayment' }),
  installment: Money,
  lastDueOn: Type.Union([Type.String(), Type.Null()]),
  interestSaved: Money,
});
const optionJson = (option: PrepaymentOutcome) => ({
  effect: option.effect,
  installmentsLeft: option.installmentsLeft,
  installment: formatMoney(option.installment),
  lastDueOn: option.lastDueOn,
  interestSaved: formatMoney(option.interestSaved),
});

const AllocationSchema = Type.Object({ penalty: Money, interestDue: Money, principalDue: Money, interestAccrued: Money, principalNotDue: Money, overpayment: Money });
const moneyRecord = <K extends string>(record: Record<K, bigint>) => Object.fromEntries(Object.entries(record).map(([key, value]) => [key, formatMoney(value as bigint)])) as Record<K, string>;

const AuthorisationSchema = Type.Object({
  id: Type.String(),
  sources: Type.Array(literals(DATA_SOURCES)),
  purpose: literals(DATA_PURPOSES),
  grantedOn: Type.String(),
  expiresOn: Type.String(),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
  grantedBy: Type.String(),
  inForce: Type.Boolean({ description: 'granted, not expired and not withdrawn today (China date)' }),
});

const VersionedTextSchema = Type.Object({
  version: Type.String(),
  title: Type.Object({ zh: Type.String(), en: Type.String() }),
  zh: Type.String({ description: 'the binding text' }),
  en: Type.String({ description: 'a courtesy translation' }),
  digest: Type.String({ description: 'SHA-256 of the Chinese text' }),
});

const ContractDocumentSchema = Type.Object({
  applicationId: Type.String(),
  state: literals(CONTRACT_STATES),
  contract: Type.Union([VersionedTextSchema, Type.Null()]),
  authorisation: VersionedTextSchema,
  contractNo: Type.Union([Type.String(), Type.Null()]),
  signature: Type.Union([Type.Object({ signedBy: Type.String(), signedAt: Type.String(), digest: Type.String(), verified: Type.Boolean() }), Type.Null()]),
});

function contractDocumentJson(document: ContractDocument) {
  return { ...document, signature: document.signature === null ? null : { ...document.signature, signedAt: document.signature.signedAt.toISOString() } };
}

async function applicationEnterprise(context: AppContext, applicationId: string): Promise<string> {
  const row = await context.db.selectFrom('application').select('enterprise_id').where('id', '=', applicationId).executeTakeFirst();
  if (!row) throw new NotFoundError(`application ${applicationId}`);
  return row.enterprise_id;
}

export function portalRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.get(
    '/v1/enterprises/:id/authorisations',
    {
      config: { access: roles(...VIEWERS) },
      schema: { summary: "The enterprise's data authorisations, newest first, with whether each is in force today", tags: ['origination'], params: IdParams, response: { 200: Type.Array(AuthorisationSchema) } },
    },
    async (request) => {
      assertCanSee(caller(request), request.params.id, `enterprise ${request.params.id}`);
      const now = context.now();
      const today = chinaDate(now);
      return (await listDataAuthorisations(db, request.params.id)).map((grant) => ({
        id: grant.id,
        sources: [...grant.sources],
        purpose: grant.purpose,
        grantedOn: grant.grantedOn,
        expiresOn: grant.expiresOn,
        withdrawnAt: grant.revokedAt === null ? null : grant.revokedAt.toISOString(),
        grantedBy: grant.grantedBy,
        inForce: grant.revokedAt === null && grant.grantedOn <= today && today <= grant.expiresOn,
      }));
    },
  );

  app.get(
    '/v1/enterprises/:id/authorisation-text',
    {
      config: { access: roles(...VIEWERS) },
      schema: { summary: 'The data and credit-report authorisation in full, filled in for the enterprise, as it is read before signing', tags: ['origination'], params: IdParams, response: { 200: VersionedTextSchema } },
    },
    async (request) => {
      assertCanSee(caller(request), request.params.id, `enterprise ${request.params.id}`);
      const firm = await db.selectFrom('enterprise').select(['name', 'credit_code']).where('id', '=', request.params.id).executeTakeFirst();
      if (!firm) throw new NotFoundError(`enterprise ${request.params.id}`);
      return authorisationText({ enterpriseName: firm.name, creditCode: firm.credit_code, contractNo: null });
    },
  );

  app.post(
    '/v1/authorisations/:id/withdrawal',
    {
      config: { access: roles(...WITHDRAWERS) },
      schema: {
        summary: 'Withdraw a data authorisation (撤回授权), from now on',
        description: 'Audited. From this moment no pull rests on it: a new application or a monitoring pull for its sources is refused (NOT_AUTHORISED, field `sources`) unless another authorisation in force covers them. Data already pulled and decisions already made stay as recorded; existing loans are serviced under their contracts. Withdrawing twice is a CONFLICT.',
        tags: ['origination'],
        params: IdParams,
        response: { 200: AuthorisationSchema },
      },
    },
    async (request) => {
      const user = caller(request);
      const row = await db.selectFrom('data_authorisation').select('enterprise_id').where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw new NotFoundError(`data authorisation ${request.params.id}`);
      assertCanSee(user, row.enterprise_id, `data authorisation ${request.params.id}`);
      const now = context.now();
      const grant = await inTransaction(db, (trx) => revokeDataAuthorisation(trx, request.params.id, user.username, now));
      return { id: grant.id, sources: [...grant.sources], purpose: grant.purpose, grantedOn: grant.grantedOn, expiresOn: grant.expiresOn, withdrawnAt: now.toISOString(), grantedBy: grant.grantedBy, inForce: false };
    },
  );

  app.get(
    '/v1/enterprises/:id/applications',
    {
      config: { access: roles(...VIEWERS) },
      schema: {
        summary: "The enterprise's applications, newest first: what the portal shows on any device",
        tags: ['origination'],
        params: IdParams,
        response: {
          200: Type.Array(
            Type.Object({
              applicationId: Type.String(),
              productCode: Type.String(),
              productName: Type.String({ description: "the product's Chinese name" }),
              productNameEn: Type.String({ description: "the product's English name" }),
              status: literals(APPLICATION_STATUSES),
              outcome: literals(OUTCOMES),
              reasonCodes: Type.Array(literals(DECISION_REASON_CODES)),
              mainFactors: Type.Array(literals(FEATURE_NAMES), { description: "the scorecard's main factors behind a decline or referral, largest first (src/decision/main-factors.ts)" }),
              limit: Money,
              annualRate: Type.Union([Type.String(), Type.Null()]),
              businessDate: BusinessDateText,
              lineId: Type.Union([Type.String(), Type.Null()]),
              securityNeeded: Type.Union([Money, Type.Null()], {
                description: "when security bound the limit: the more collateral capacity or counted guarantee it would take to lend the scorecard's limit (src/collateral/security-limit.ts); null otherwise",
              }),
            }),
          ),
        },
      },
    },
    async (request) => {
      assertCanSee(caller(request), request.params.id, `enterprise ${request.params.id}`);
      const rows = await db
        .selectFrom('application')
        .innerJoin('product', 'product.id', 'application.product_id')
        .select(['application.id', 'product.code', 'product.name', 'product.name_en', 'application.status', 'application.decision', 'application.limit_amount', 'application.rate_units', 'application.business_date', 'application.line_id'])
        .where('application.enterprise_id', '=', request.params.id)
        .orderBy('application.id', 'desc')
        .limit(100)
        .execute();
      return rows.map((row) => {
        const decision = row.decision as { outcome: (typeof OUTCOMES)[number]; reasonCodes: (typeof DECISION_REASON_CODES)[number][]; mainFactors?: string[]; scoreReasons?: { variable: string; pointsLost: number }[]; security?: { boundBy: string; securityNeeded: string } };
        const needed = decision.security !== undefined && decision.security.boundBy !== 'scorecard' ? BigInt(decision.security.securityNeeded) : 0n;
        return {
          applicationId: row.id,
          productCode: row.code,
          productName: row.name,
          productNameEn: row.name_en,
          status: row.status,
          outcome: decision.outcome,
          reasonCodes: decision.reasonCodes,
          mainFactors: recordedMainFactors(decision),
          limit: formatMoney(row.limit_amount),
          annualRate: row.rate_units === null ? null : unitsToRate(row.rate_units),
          businessDate: row.business_date,
          lineId: row.line_id,
          securityNeeded: needed > 0n ? formatMoney(needed) : null,
        };
      });
    },
  );

  app.get(
    '/v1/applications/:id/contract',
    {
      config: { access: roles('borrower', 'account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin') },
      schema: {
        summary: 'The credit contract and the data and credit-report authorisation, in full: the draft of an approved offer before signing, the signed copy after',
        tags: ['origination'],
        params: IdParams,
        response: { 200: ContractDocumentSchema },
      },
    },
    async (request) => {
      assertCanSee(caller(request), await applicationEnterprise(context, request.params.id), `application ${request.params.id}`);
      return contractDocumentJson(await contractDocument(db, request.params.id));
    },
  );

  app.get(
    '/v1/applications/:id/contract.html',
    {
      config: { access: roles('borrower', 'account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin') },
      schema: { summary: 'The signed contract as a standalone HTML file to keep or print (NOT_FOUND before signing)', tags: ['origination'], params: IdParams, response: { 200: Type.String() } },
    },
    async (request, reply) => {
      assertCanSee(caller(request), await applicationEnterprise(context, request.params.id), `application ${request.params.id}`);
      const document = await contractDocument(db, request.params.id);
      if (document.state !== 'signed') throw new NotFoundError(`signed contract of application ${request.params.id}`);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-disposition', `attachment; filename="${document.contractNo}.html"`)
        .send(signedContractHtml(document));
    },
  );

  app.get(
    '/v1/loans/:id/repayment-preview',
    {
      config: { access: roles(...VIEWERS) },
      schema: {
        summary: 'What a repayment of `amount` today would do, before it is confirmed: its allocation (penalty, interest, principal), the balances after and whether the loan closes; moves no money',
        description: 'The same checks as the repayment: a closed loan is a CONFLICT; for a borrower, more than the payoff is LIMIT_EXCEEDED on `amount` (self-service cannot return a surplus).',
        tags: ['loans'],
        params: IdParams,
        querystring: Type.Object({ amount: AmountInput }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            loanId: Type.String(),
            asOf: Type.String(),
            amount: Money,
            allocation: AllocationSchema,
            before: BalancesSchema,
            after: BalancesSchema,
            loanStatusAfter: literals(LOAN_STATUSES),
            lineAvailableAfter: Type.Union([Money, Type.Null()]),
            prepayment: Type.Union([Type.Object({ shortenTerm: PrepaymentOptionSchema, lowerInstallments: Type.Union([PrepaymentOptionSchema, Type.Null()], { description: 'null for a loan with flat interest or an interest grace period: only shorten-term keeps them' }) }), Type.Null()], {
              description:
                'When the repayment prepays principal and at least two installments are left: both choices — shorten the term, or keep it and lower the installments — each with a regular installment after it, the last due date and the interest saved. Confirm with `prepaymentEffect` on POST /v1/loans/{id}/repayments. Null when there is nothing to choose.',
            }),
            account: Type.Union([AccountSchema, Type.Null()], { description: 'the account the repayment will be debited from; null when none is registered' }),
          }),
        },
      },
    },
    async (request) => {
      const user = caller(request);
      const loan = await loanById(db, request.params.id);
      assertCanSee(user, loan.enterprise_id, `loan ${loan.id}`);
      const amount = parseMoney(request.query.amount, 'amount');
      const plan = planRepayment(loan, amount, user.role === 'borrower' ? 'refuse' : 'suspense');
      const line = loan.line_id === null ? null : await getCreditLine(db, loan.line_id);
      const today = await getBusinessDate(db);
      const product = await productById(db, loan.product_id);
      const stored = await db.selectFrom('loan_installment').select(['number', 'due_on', 'principal', 'interest']).where('loan_id', '=', loan.id).orderBy('number').execute();
      const choice = prepaymentChoice(loan, plan.loanAfter, stored, loanAmortization(loan, product.schedule), product.schedule, today);
      const account = loan.line_id === null ? undefined : await currentAccount(db, loan.line_id, 'repayment');
      return {
        loanId: loan.id,
        asOf: today,
        amount: formatMoney(amount),
        allocation: moneyRecord(plan.allocation),
        before: balancesJson(balancesOf(loan)),
        after: balancesJson(plan.balancesAfter),
        loanStatusAfter: plan.loanStatusAfter,
        lineAvailableAfter: line === null ? null : formatMoney(line.revolving ? line.available + plan.principalRepaid : line.available),
        prepayment: choice === null ? null : { shortenTerm: optionJson(choice.shortenTerm), lowerInstallments: choice.lowerInstallments === null ? null : optionJson(choice.lowerInstallments) },
        account: account === undefined ? null : accountView(account),
      };
    },
  );

  app.get(
    '/v1/loans/:id/repayments',
    {
      config: { access: roles(...VIEWERS) },
      schema: {
        summary: "The loan's repayments, newest first, each with what it paid: penalty, interest, principal, and any overpayment held in suspense",
        tags: ['loans'],
        params: IdParams,
        response: {
          200: Type.Array(Type.Object({ entryId: Type.String(), paidOn: Type.String(), amount: Money, penalty: Money, interest: Money, principal: Money, overpayment: Money, recordedBy: Type.String(), account: Type.Union([AccountSchema, Type.Null()]) })),
        },
      },
    },
    async (request) => {
      const loan = await loanById(db, request.params.id);
      assertCanSee(caller(request), loan.enterprise_id, `loan ${loan.id}`);
      return (await repaymentHistory(db, loan.id)).map((row) => ({ ...row, amount: formatMoney(row.amount), penalty: formatMoney(row.penalty), interest: formatMoney(row.interest), principal: formatMoney(row.principal), overpayment: formatMoney(row.overpayment) }));
    },
  );

  app.get(
    '/v1/loans/:id/current-schedule',
    {
      config: { access: roles(...VIEWERS) },
      schema: {
        summary: 'The schedule as it stands today: after a prepayment the term is shortened (the last installments shrink or fall away) or the installments lowered, as the borrower chose; upcoming interest is estimated on what is left',
        tags: ['loans'],
        params: IdParams,
        response: {
          200: Type.Object({
            loanId: Type.String(),
            asOf: Type.String(),
            installments: Type.Array(Type.Object({ number: Type.Integer(), dueOn: Type.String(), principal: Money, interest: Money, total: Money, state: literals(INSTALLMENT_STATES) })),
            remainingPrincipal: Money,
            next: Type.Union([Type.Object({ dueOn: Type.String(), principal: Money, interest: Money, dueNow: Money, total: Money }), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const loan = await loanById(db, request.params.id);
      assertCanSee(caller(request), loan.enterprise_id, `loan ${loan.id}`);
      const today = await getBusinessDate(db);
      const stored = await db.selectFrom('loan_installment').select(['number', 'due_on', 'principal', 'interest']).where('loan_id', '=', loan.id).orderBy('number').execute();
      const schedule = currentSchedule(loan, stored, today);
      const next = nextPayment(loan, schedule);
      return {
        loanId: loan.id,
        asOf: today,
        installments: schedule.map((row) => ({ number: row.number, dueOn: row.dueOn, principal: formatMoney(row.principal), interest: formatMoney(row.interest), total: formatMoney(row.principal + row.interest), state: row.state })),
        remainingPrincipal: formatMoney(loan.status === 'active' ? loan.principal_not_due + loan.principal_due : 0n),
        next: next === null ? null : { dueOn: next.dueOn, principal: formatMoney(next.principal), interest: formatMoney(next.interest), dueNow: formatMoney(next.dueNow), total: formatMoney(next.principal + next.interest + next.dueNow) },
      };
    },
  );

  app.post(
    '/v1/lines/:id/drawdown-preview',
    {
      config: { access: roles('borrower', 'account-manager', 'operator') },
      schema: {
        summary: 'Check and price a drawdown before it is confirmed: the amount against what is available now, the term against the product, the line active; its schedule. Moves no money',
        description: 'The same checks as POST /v1/lines/{id}/drawdowns, so a preview that passes is what the confirmation books (unless the line changed in between: the drawdown checks again).',
        tags: ['loans'],
        params: IdParams,
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
        response: { 200: Type.Object({ lineId: Type.String(), amount: Money, annualRate: Type.String(), disbursedOn: Type.String(), maturityOn: Type.String(), lineAvailable: Money, lineAvailableAfter: Money, schedule: ScheduleSchema }) },
      },
    },
    async (request) => {
      const line = await getCreditLine(db, request.params.id);
      assertCanSee(caller(request), line.enterpriseId, `credit line ${line.id}`);
      const plan = await planDrawdown(db, { ...request.body, lineId: line.id });
      return {
        lineId: line.id,
        amount: formatMoney(plan.amount),
        annualRate: line.annualRate,
        disbursedOn: plan.today,
        maturityOn: plan.maturityOn,
        lineAvailable: formatMoney(plan.line.available),
        lineAvailableAfter: formatMoney(plan.lineAvailableAfter),
        schedule: scheduleToJson(plan.schedule),
      };
    },
  );
}
