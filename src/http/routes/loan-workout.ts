/**
 * Renewal (无还本续贷), restructuring, write-off (核销) and recovery: the loan's life after its
 * first schedule. Each moves or re-books money, so each takes an `Idempotency-Key`.
 */
import { Type } from '@sinclair/typebox';
import { formatMoney } from '../../money/format-money.js';
import { once } from '../../servicing/idempotency.js';
import { decideRenewal } from '../../servicing/renewal-requests.js';
import { restructure } from '../../servicing/restructure.js';
import { recover } from '../../servicing/write-off.js';
import { requestWriteOff } from '../../servicing/write-off-request.js';
import { WRITE_OFF } from '../../approvals/checked-actions.js';
import { ApprovalRequestSchema } from './approvals.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { AmountInput, IdempotencyHeaders, IdParams, Money } from './servicing-schemas.js';
import { CLASSIFICATIONS, literals } from '../api-codes.js';
import { RENEWAL_REFUSAL_CODES } from '../../servicing/renewal-policy.js';

const Term = {
  termDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  installments: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
};

export function loanWorkoutRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.post(
    '/v1/loans/:id/renewals',
    {
      config: { access: roles('credit-approver', 'admin') },
      schema: {
        summary: 'Renew a working-capital loan without repaying principal (无还本续贷)',
        description: 'Applied before maturity; checked against 金规〔2024〕13号. A refusal is a 200 with the reasons; a renewal is a 201 with the new loan.',
        tags: ['loans'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            ...Term,
            attestation: Type.Object(
              { lawfulOperation: Type.Boolean(), stableOperation: Type.Boolean(), goodCredit: Type.Boolean(), meetsLendingCriteria: Type.Boolean() },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ decision: Type.Literal('refused'), oldLoanId: Type.String(), refusals: Type.Array(Type.Object({ code: literals(RENEWAL_REFUSAL_CODES), message: Type.String() })) }),
          201: Type.Object({
            decision: Type.Literal('renewed'),
            oldLoanId: Type.String(),
            newLoanId: Type.String(),
            newNoteNo: Type.Optional(Type.String({ description: "the new loan's note number (借据号)" })),
            principal: Money,
            interestCollected: Money,
            maturityOn: Type.String(),
            classification: literals(CLASSIFICATIONS),
          }),
        },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const body = { ...request.body, loanId: request.params.id };
      const outcome = await once(db, 'renewal', user.id, request.headers['idempotency-key'], body, async (trx) => {
        const result = await decideRenewal(trx, body, user.username);
        return result.decision === 'renewed'
          ? { ...result, principal: formatMoney(result.principal), interestCollected: formatMoney(result.interestCollected) }
          : { ...result, refusals: [...result.refusals] };
      });
      return outcome.decision === 'renewed' ? reply.status(201).send(outcome) : reply.status(200).send(outcome);
    },
  );

  app.post(
    '/v1/loans/:id/restructure',
    {
      config: { access: roles('credit-approver', 'admin') },
      schema: {
        summary: 'Give a loan a new schedule from today (重组); at least special mention during observation',
        tags: ['loans'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(Term, { additionalProperties: false }),
        response: { 200: Type.Object({ loanId: Type.String(), principal: Money, maturityOn: Type.String(), classification: literals(CLASSIFICATIONS), observationUntil: Type.String() }) },
      },
    },
    async (request) => {
      const user = caller(request);
      const body = { ...request.body, loanId: request.params.id };
      return once(db, 'restructure', user.id, request.headers['idempotency-key'], body, async (trx) => {
        const result = await restructure(trx, body, user.username);
        return { ...result, principal: formatMoney(result.principal) };
      });
    },
  );

  app.post(
    '/v1/loans/:id/write-off',
    {
      config: { access: roles(...WRITE_OFF.makers) },
      schema: {
        summary: 'Request the write-off (核销) of a doubtful or loss loan; it takes effect when a second person approves it',
        tags: ['loans'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object({ reason: Type.String({ minLength: 5, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const body = { loanId: request.params.id, reason: request.body.reason };
      const made = await once(db, 'write-off', user.id, request.headers['idempotency-key'], body, async (trx) => {
        return requestWriteOff(trx, body, user);
      });
      return reply.status(202).send(made);
    },
  );

  app.post(
    '/v1/loans/:id/recoveries',
    {
      config: { access: roles('risk-officer', 'operator', 'admin') },
      schema: {
        summary: 'Record cash recovered on a written-off loan',
        tags: ['loans'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object({ amount: AmountInput }, { additionalProperties: false }),
        response: { 201: Type.Object({ loanId: Type.String(), amount: Money, recovered: Money, outstanding: Money }) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const body = { loanId: request.params.id, amount: request.body.amount };
      const result = await once(db, 'recovery', user.id, request.headers['idempotency-key'], body, async (trx) => {
        const recovery = await recover(trx, body, user.username);
        return { loanId: recovery.loanId, amount: formatMoney(recovery.amount), recovered: formatMoney(recovery.recovered), outstanding: formatMoney(recovery.outstanding) };
      });
      return reply.status(201).send(result);
    },
  );
}
