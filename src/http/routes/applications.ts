/**
 * Origination over HTTP: the enterprise authorises data access, applies, gets the decision in the
 * same response, and accepts an approved offer. Staff see the full decision record; a borrower
 * sees its own outcome, reasons, limit and rate — never score internals.
 */
import { Type } from '@sinclair/typebox';
import { chinaDate, grantDataAuthorisation, DATA_PURPOSES, DATA_SOURCES, type DataProvider } from '../../data/index.js';
import { inTransaction } from '../../db/transaction.js';
import { acceptOffer, applyForCredit } from '../../decision/apply-for-credit.js';
import { contractForApplication, verifyContract, type CreditContract } from '../../lines/credit-contracts.js';
import { activeDecisionConfig } from '../../decision/policy-versions.js';
import type { Decision, DecisionConfig } from '../../decision/decide.js';
import { reviewApplication, REVIEWER_ROLES, type ReviewPolicy } from '../../decision/review-application.js';
import { NotFoundError } from '../../errors.js';
import { formatMoney } from '../../money/format-money.js';
import { unitsToRate } from '../../pricing/rate-units.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { AmountInput, assertCanSee, CreditLineSchema, creditLineJson, IdParams } from './servicing-schemas.js';
import { BusinessDateText } from './date-schemas.js';

const APPLICANTS = roles('borrower', 'account-manager');
const REVIEWERS = roles(...REVIEWER_ROLES);
const QUEUE_STATUSES = ['referred', 'approved', 'declined', 'accepted', 'pending-confirmation'] as const;

const Outcome = Type.Object({
  applicationId: Type.String(),
  outcome: Type.Union([Type.Literal('approved'), Type.Literal('declined'), Type.Literal('referred')]),
  reasonCodes: Type.Array(Type.String()),
  limit: Type.String(),
  annualRate: Type.Union([Type.String(), Type.Null()]),
});

function outcomeJson(applicationId: string, decision: Decision) {
  return {
    applicationId,
    outcome: decision.outcome,
    reasonCodes: [...decision.reasonCodes],
    limit: formatMoney(decision.limit.limit),
    annualRate: decision.price ? unitsToRate(decision.price.rateUnits) : null,
  };
}

/** The signed contract an accepted offer became: its number, the terms as accepted, signer, time and digest. */
const ContractSchema = Type.Object({
  contractNo: Type.String(),
  terms: Type.Unknown(),
  signedBy: Type.String(),
  signedAt: Type.String(),
  digest: Type.String({ description: 'SHA-256 over contract number, terms, signer and time' }),
  verified: Type.Boolean({ description: 'the digest still matches what is stored' }),
});

function contractJson(contract: CreditContract | null) {
  if (contract === null) return null;
  return { contractNo: contract.contractNo, terms: contract.terms, signedBy: contract.signedBy, signedAt: contract.signedAt.toISOString(), digest: contract.digest, verified: verifyContract(contract) };
}

export function applicationRoutes(app: TypedApp, context: AppContext, deps: { readonly provider: DataProvider; readonly config: DecisionConfig; readonly review: ReviewPolicy }): void {
  const { db } = context;

  app.post(
    '/v1/enterprises/:id/authorisations',
    {
      config: { access: APPLICANTS },
      schema: {
        summary: "Record the enterprise's authorisation to pull its data (sources, purpose, until when)",
        tags: ['origination'],
        params: IdParams,
        body: Type.Object(
          {
            sources: Type.Array(Type.Union(DATA_SOURCES.map((source) => Type.Literal(source))), { minItems: 1, maxItems: DATA_SOURCES.length }),
            purpose: Type.Union(DATA_PURPOSES.map((purpose) => Type.Literal(purpose))),
            expiresOn: BusinessDateText,
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), sources: Type.Array(Type.String()), purpose: Type.String(), grantedOn: Type.String(), expiresOn: Type.String() }) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      assertCanSee(user, request.params.id, `enterprise ${request.params.id}`);
      const now = context.now();
      const granted = await inTransaction(db, (trx) =>
        grantDataAuthorisation(trx, { enterpriseId: request.params.id, sources: request.body.sources, purpose: request.body.purpose, grantedOn: chinaDate(now), expiresOn: request.body.expiresOn }, user.username, now),
      );
      return reply.status(201).send({ id: granted.id, sources: [...granted.sources], purpose: granted.purpose, grantedOn: granted.grantedOn, expiresOn: granted.expiresOn });
    },
  );

  app.post(
    '/v1/applications',
    {
      config: { access: APPLICANTS },
      schema: {
        summary: 'Apply for credit: the decision (approved with a limit and rate, declined with reasons, or referred to a person) in the same response',
        tags: ['origination'],
        body: Type.Object({ enterpriseId: Type.String({ format: 'uuid' }), productCode: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 201: Outcome },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      assertCanSee(user, request.body.enterpriseId, `enterprise ${request.body.enterpriseId}`);
      const config = await activeDecisionConfig(db, deps.config);
      const result = await applyForCredit(db, request.body, { provider: deps.provider, config, now: context.now() }, user.username);
      return reply.status(201).send(outcomeJson(result.applicationId, result.decision));
    },
  );

  app.get(
    '/v1/applications',
    {
      config: { access: REVIEWERS },
      schema: {
        summary: 'The review queue: applications by status (default: referred), oldest first, optionally of one enterprise',
        tags: ['origination'],
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union(QUEUE_STATUSES.map((status) => Type.Literal(status)))),
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              enterpriseId: Type.String(),
              enterpriseName: Type.String(),
              productCode: Type.String(),
              status: Type.String(),
              limit: Type.String(),
              annualRate: Type.Union([Type.String(), Type.Null()]),
              businessDate: Type.String(),
              createdAt: Type.String(),
              reasonCodes: Type.Array(Type.String()),
            }),
          ),
        },
      },
    },
    async (request) => {
      let query = db
        .selectFrom('application')
        .innerJoin('enterprise', 'enterprise.id', 'application.enterprise_id')
        .innerJoin('product', 'product.id', 'application.product_id')
        .select(['application.id', 'application.enterprise_id', 'enterprise.name as enterprise_name', 'product.code as product_code', 'application.status', 'application.limit_amount', 'application.rate_units', 'application.business_date', 'application.created_at', 'application.decision'])
        .where('application.status', '=', request.query.status ?? 'referred');
      if (request.query.enterpriseId !== undefined) query = query.where('application.enterprise_id', '=', request.query.enterpriseId);
      const rows = await query.orderBy('application.created_at').orderBy('application.id').limit(500).execute();
      return rows.map((row) => ({
        id: row.id,
        enterpriseId: row.enterprise_id,
        enterpriseName: row.enterprise_name,
        productCode: row.product_code,
        status: row.status,
        limit: formatMoney(row.limit_amount),
        annualRate: row.rate_units === null ? null : unitsToRate(row.rate_units),
        businessDate: row.business_date,
        createdAt: new Date(row.created_at).toISOString(),
        reasonCodes: (row.decision as { reasonCodes: string[] }).reasonCodes,
      }));
    },
  );

  app.post(
    '/v1/applications/:id/review',
    {
      config: { access: REVIEWERS },
      schema: {
        summary: 'Review a referred application: approve within your approval authority (above the threshold a second approver confirms) or decline, with a note',
        tags: ['origination'],
        params: IdParams,
        body: Type.Object(
          {
            decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]),
            limit: Type.Optional(AmountInput),
            note: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            applicationId: Type.String(),
            status: Type.Union([Type.Literal('approved'), Type.Literal('declined'), Type.Literal('pending-confirmation')]),
            approvalRequestId: Type.Union([Type.String(), Type.Null()]),
            limit: Type.String(),
          }),
        },
      },
    },
    async (request) => {
      const result = await inTransaction(db, (trx) => reviewApplication(trx, request.params.id, request.body, caller(request), deps.review));
      return { ...result, limit: formatMoney(result.limit) };
    },
  );

  app.get(
    '/v1/applications/:id',
    {
      config: { access: roles('borrower', 'account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin') },
      schema: {
        summary: 'An application: the outcome; for staff also the full decision record (inputs, features, rules, score, reasons, versions)',
        tags: ['origination'],
        params: IdParams,
        response: {
          200: Type.Object({
            ...Outcome.properties,
            enterpriseId: Type.String(),
            status: Type.String(),
            lineId: Type.Union([Type.String(), Type.Null()]),
            contract: Type.Union([ContractSchema, Type.Null()]),
            record: Type.Optional(Type.Object({ inputs: Type.Unknown(), decision: Type.Unknown() })),
          }),
        },
      },
    },
    async (request) => {
      const user = caller(request);
      const row = await db.selectFrom('application').selectAll().where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw new NotFoundError(`application ${request.params.id}`);
      assertCanSee(user, row.enterprise_id, `application ${row.id}`);
      const decision = row.decision as { outcome: Decision['outcome']; reasonCodes: string[] };
      return {
        applicationId: row.id,
        outcome: decision.outcome,
        reasonCodes: decision.reasonCodes,
        limit: formatMoney(row.limit_amount),
        annualRate: row.rate_units === null ? null : unitsToRate(row.rate_units),
        enterpriseId: row.enterprise_id,
        status: row.status,
        lineId: row.line_id,
        contract: contractJson(await contractForApplication(db, row.id)),
        ...(user.role === 'borrower' ? {} : { record: { inputs: row.inputs, decision: row.decision } }),
      };
    },
  );

  app.post(
    '/v1/applications/:id/accept',
    {
      config: { access: roles('borrower', 'account-manager') },
      schema: { summary: 'Accept an approved offer: it becomes a signed contract record (GET the application for it) and an active credit line', tags: ['origination'], params: IdParams, response: { 201: CreditLineSchema } },
    },
    async (request, reply) => {
      const user = caller(request);
      const row = await db.selectFrom('application').select('enterprise_id').where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw new NotFoundError(`application ${request.params.id}`);
      assertCanSee(user, row.enterprise_id, `application ${request.params.id}`);
      return reply.status(201).send(creditLineJson(await inTransaction(db, (trx) => acceptOffer(trx, request.params.id, user.username))));
    },
  );
}
