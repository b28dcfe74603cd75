/**
 * Origination over HTTP: the enterprise authorises data access, applies, gets the decision in the
 * same response, and accepts an approved offer. Staff see the full decision record; a borrower
 * sees its own outcome, reasons, limit and rate — never score internals.
 */
import { Type } from '@sinclair/typebox';
import { chinaDate, grantDataAuthorisation, DATA_PURPOSES, DATA_SOURCES, type DataProvider } from '../../data/index.js';
import { inTransaction } from '../../db/transaction.js';
import { acceptOffer, applyForCredit } from '../../decision/apply-for-credit.js';
import type { Decision, DecisionConfig } from '../../decision/decide.js';
import { NotFoundError } from '../../errors.js';
import { formatMoney } from '../../money/format-money.js';
import { unitsToRate } from '../../pricing/rate-units.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { assertCanSee, CreditLineSchema, creditLineJson, IdParams } from './servicing-schemas.js';

const APPLICANTS = roles('borrower', 'account-manager');
const REVIEWERS = roles('credit-approver', 'risk-officer', 'admin');

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

export function applicationRoutes(app: TypedApp, context: AppContext, deps: { readonly provider: DataProvider; readonly config: DecisionConfig }): void {
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
            expiresOn: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
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
      const result = await inTransaction(db, (trx) => applyForCredit(trx, request.body, { provider: deps.provider, config: deps.config, now: context.now() }, user.username));
      return reply.status(201).send(outcomeJson(result.applicationId, result.decision));
    },
  );

  app.get(
    '/v1/applications',
    {
      config: { access: REVIEWERS },
      schema: {
        summary: 'The review queue: applications by status (default: referred), oldest first',
        tags: ['origination'],
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('referred'), Type.Literal('approved'), Type.Literal('declined'), Type.Literal('accepted')])) }, { additionalProperties: false }),
        response: { 200: Type.Array(Type.Object({ id: Type.String(), enterpriseId: Type.String(), status: Type.String(), limit: Type.String(), businessDate: Type.String(), reasonCodes: Type.Array(Type.String()) })) },
      },
    },
    async (request) => {
      const rows = await db.selectFrom('application').select(['id', 'enterprise_id', 'status', 'limit_amount', 'business_date', 'decision']).where('status', '=', request.query.status ?? 'referred').orderBy('created_at').limit(500).execute();
      return rows.map((row) => ({
        id: row.id,
        enterpriseId: row.enterprise_id,
        status: row.status,
        limit: formatMoney(row.limit_amount),
        businessDate: row.business_date,
        reasonCodes: (row.decision as { reasonCodes: string[] }).reasonCodes,
      }));
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
        response: { 200: Type.Object({ ...Outcome.properties, enterpriseId: Type.String(), status: Type.String(), lineId: Type.Union([Type.String(), Type.Null()]), record: Type.Optional(Type.Object({ inputs: Type.Unknown(), decision: Type.Unknown() })) }) },
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
        ...(user.role === 'borrower' ? {} : { record: { inputs: row.inputs, decision: row.decision } }),
      };
    },
  );

  app.post(
    '/v1/applications/:id/accept',
    {
      config: { access: roles('borrower', 'account-manager') },
      schema: { summary: 'Accept an approved offer: it becomes an active credit line', tags: ['origination'], params: IdParams, response: { 201: CreditLineSchema } },
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
