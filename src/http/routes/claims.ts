/**
 * Acting for a firm over HTTP: a borrower claims an enterprise as its verified legal
 * representative, or contests someone else's claim; account managers resolve contests (upholding
 * one is maker-checker). The domain is `enterprises/bindings.ts`.
 */
import { Type } from '@sinclair/typebox';
import { CONTEST_UPHOLD } from '../../approvals/checked-actions.js';
import { makeRequest } from '../../approvals/maker-checker.js';
import { inTransaction } from '../../db/transaction.js';
import { assertOpenContest, claimEnterprise, dismissContest, fileContest, listContests, type Contest } from '../../enterprises/bindings.js';
import type { IdentityCheck } from '../../identity/identity-check.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { ApprovalRequestSchema } from './approvals.js';
import { IdParams } from './servicing-schemas.js';

const Identity = {
  creditCode: Type.String({ minLength: 18, maxLength: 18, description: "the enterprise's Unified Social Credit Code" }),
  name: Type.String({ minLength: 1, maxLength: 50, description: 'your name as on your ID card' }),
  idNumber: Type.String({ minLength: 18, maxLength: 18, description: 'your resident ID number; checked, never stored with the claim' }),
};

const EvidenceSchema = Type.Object({ method: Type.String(), reference: Type.String(), verifiedAt: Type.String({ format: 'date-time' }), verifiedBy: Type.String() });

const ContestSchema = Type.Object({
  id: Type.String(),
  enterpriseId: Type.String(),
  contestedBy: Type.String(),
  note: Type.String(),
  identityCheck: Type.Union([Type.Literal('verified'), Type.Literal('mismatch')]),
  status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('dismissed')]),
  createdAt: Type.String({ format: 'date-time' }),
  resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  resolvedBy: Type.Union([Type.String(), Type.Null()]),
  resolutionNote: Type.Union([Type.String(), Type.Null()]),
});

function contestJson(contest: Contest) {
  return { ...contest, createdAt: contest.createdAt.toISOString(), resolvedAt: contest.resolvedAt === null ? null : contest.resolvedAt.toISOString() };
}

export function claimRoutes(app: TypedApp, context: AppContext, deps: { readonly identityCheck: IdentityCheck }): void {
  const { db } = context;

  app.post(
    '/v1/claims',
    {
      // The login bucket: a claim is an identity guess, so it is limited like a password guess.
      config: { access: roles('borrower'), rateLimit: 'login' },
      schema: {
        summary: 'Claim an enterprise as its registered legal representative: your name and ID number must match the registry (identity check); then you may act for it',
        description: 'The enterprise must be on file (record it first) and claimed by nobody (else 409: contest it). A mismatch is 403 and binds nothing.',
        tags: ['enterprises'],
        body: Type.Object(Identity, { additionalProperties: false }),
        response: { 201: Type.Object({ enterpriseId: Type.String(), evidence: EvidenceSchema }) },
      },
    },
    async (request, reply) => {
      const now = context.now();
      const claim = await inTransaction(db, (trx) => claimEnterprise(trx, caller(request), request.body, deps.identityCheck, now));
      return reply.status(201).send({ enterpriseId: claim.enterpriseId, evidence: { ...claim.evidence, verifiedAt: claim.evidence.verifiedAt.toISOString() } });
    },
  );

  app.post(
    '/v1/claims/contests',
    {
      config: { access: roles('borrower'), rateLimit: 'login' },
      schema: {
        summary: 'Contest a claim: the enterprise is yours but someone else is bound to it; an account manager resolves it',
        description: 'Your identity check runs and its outcome is recorded for the account manager. Upholding the contest unbinds the holder (maker-checker).',
        tags: ['enterprises'],
        body: Type.Object({ ...Identity, note: Type.String({ minLength: 1, maxLength: 1000, description: 'why the firm is yours; how to reach you' }) }, { additionalProperties: false }),
        response: { 201: ContestSchema },
      },
    },
    async (request, reply) => {
      const now = context.now();
      const contest = await inTransaction(db, (trx) => fileContest(trx, caller(request), request.body, deps.identityCheck, now));
      return reply.status(201).send(contestJson(contest));
    },
  );

  app.get(
    '/v1/claims/contests',
    {
      config: { access: roles('account-manager', 'admin', 'auditor') },
      schema: {
        summary: 'Contests of claims by status (default open), oldest first',
        tags: ['enterprises'],
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('dismissed')])) }, { additionalProperties: false }),
        response: { 200: Type.Array(ContestSchema) },
      },
    },
    async (request) => (await listContests(db, request.query.status)).map(contestJson),
  );

  app.post(
    '/v1/claims/contests/:id/resolution',
    {
      config: { access: roles('account-manager', 'admin') },
      schema: {
        summary: 'Resolve a contest: dismiss it (200), or request to uphold it (202: a second person approves; the holder is then unbound and the contester bound)',
        tags: ['enterprises'],
        params: IdParams,
        body: Type.Object({ decision: Type.Union([Type.Literal('uphold'), Type.Literal('dismiss')]), note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: ContestSchema, 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const { id } = request.params;
      if (request.body.decision === 'dismiss') {
        const dismissed = await inTransaction(db, (trx) => dismissContest(trx, id, user.username, request.body.note, context.now()));
        return reply.status(200).send(contestJson(dismissed));
      }
      const made = await inTransaction(db, async (trx) => {
        await assertOpenContest(trx, id);
        return makeRequest(trx, CONTEST_UPHOLD, id, { contestId: id, note: request.body.note }, user);
      });
      return reply.status(202).send(made);
    },
  );
}
