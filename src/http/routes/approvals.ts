/**
 * Maker-checker over HTTP: the queue of requests waiting for a second person, and the decision.
 */
import { Type } from '@sinclair/typebox';
import { CHECKED_ACTIONS } from '../../approvals/checked-actions.js';
import { decideRequest, pendingRequests } from '../../approvals/maker-checker.js';
import { inTransaction } from '../../db/transaction.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { IdParams } from './servicing-schemas.js';
import { APPROVAL_KINDS, APPROVAL_STATUSES, literals } from '../api-codes.js';

export const ApprovalRequestSchema = Type.Object({
  id: Type.String(),
  kind: literals(APPROVAL_KINDS),
  subjectId: Type.String(),
  payload: Type.Unknown(),
  maker: Type.String(),
  madeAt: Type.String(),
  status: literals(APPROVAL_STATUSES),
  checker: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  result: Type.Unknown(),
});

/** Everyone who checks some kind of request. */
const CHECKERS = roles(...new Set([...CHECKED_ACTIONS.values()].flatMap((action) => action.checkers)));

export function approvalRoutes(app: TypedApp, context: AppContext): void {
  app.get(
    '/v1/approvals',
    {
      config: { access: CHECKERS },
      schema: { summary: 'Requests waiting for a checker that the caller may decide', tags: ['approvals'], response: { 200: Type.Array(ApprovalRequestSchema) } },
    },
    async (request) => pendingRequests(context.db, CHECKED_ACTIONS, caller(request).role),
  );

  app.post(
    '/v1/approvals/:id/decision',
    {
      config: { access: CHECKERS },
      schema: {
        summary: 'Approve (the action runs now) or reject a request; the checker is never the maker',
        tags: ['approvals'],
        params: IdParams,
        body: Type.Object({ decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) }, { additionalProperties: false }),
        response: { 200: ApprovalRequestSchema },
      },
    },
    async (request) => inTransaction(context.db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.params.id, request.body.decision, caller(request))),
  );
}
