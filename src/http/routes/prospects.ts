/**
 * Batch acquisition over HTTP: import a prospect list, see the batches, and each batch's
 * pre-screened prospects with their indicative limits.
 */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import type { DataProvider } from '../../data/index.js';
import { formatMoney } from '../../money/format-money.js';
import { PROSPECT_SOURCES, type PrescreenPolicy } from '../../prospects/prescreen.js';
import { importProspectBatch, listProspectBatches, MAX_BATCH, PROSPECT_REASON_CODES, prospectsOf, type ProspectBatch } from '../../prospects/prospect-batches.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { IdParams } from './servicing-schemas.js';
import { literals, PROSPECT_STATUSES } from '../api-codes.js';

const STAFF: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

const BatchSchema = Type.Object({
  id: Type.String(),
  source: literals(PROSPECT_SOURCES),
  sourceName: Type.String(),
  total: Type.Integer(),
  preApproved: Type.Integer(),
  declined: Type.Integer(),
  invalid: Type.Integer(),
  existing: Type.Integer({ description: 'already customers (a line, a loan or an application in progress): flagged, not offered a pre-approval' }),
  createdAt: Type.String(),
});

function batchJson(batch: ProspectBatch) {
  return { ...batch, createdAt: batch.createdAt.toISOString() };
}

export function prospectRoutes(app: TypedApp, context: AppContext, deps: { readonly provider: DataProvider; readonly policy: PrescreenPolicy }): void {
  const { db } = context;

  app.post(
    '/v1/prospect-batches',
    {
      config: { access: roles('account-manager', 'admin') },
      schema: {
        summary: 'Import a prospect list (supply chain, business district, platform) and pre-screen it on public records; invalid rows are reported per row',
        tags: ['origination'],
        body: Type.Object(
          {
            source: literals(PROSPECT_SOURCES),
            sourceName: Type.String({ minLength: 1, maxLength: 200 }),
            // Codes and names are checked per row, so a bad row is reported rather than refusing the list.
            prospects: Type.Array(Type.Object({ creditCode: Type.String({ maxLength: 64 }), name: Type.String({ maxLength: 200 }) }, { additionalProperties: false }), { minItems: 1, maxItems: MAX_BATCH }),
          },
          { additionalProperties: false },
        ),
        response: { 201: BatchSchema },
      },
    },
    async (request, reply) => {
      const { batch } = await importProspectBatch(db, request.body, deps, caller(request).username);
      return reply.status(201).send(batchJson(batch));
    },
  );

  app.get(
    '/v1/prospect-batches',
    { config: { access: roles(...STAFF) }, schema: { summary: 'Prospect batches, newest first', tags: ['origination'], response: { 200: Type.Array(BatchSchema) } } },
    async () => (await listProspectBatches(db)).map(batchJson),
  );

  app.get(
    '/v1/prospect-batches/:id/prospects',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: "A batch's prospects in list order: pre-approved with an indicative limit (conditional on a full application), declined with reasons, or invalid",
        tags: ['origination'],
        params: IdParams,
        response: {
          200: Type.Array(
            Type.Object({
              creditCode: Type.String(),
              name: Type.String(),
              status: literals(PROSPECT_STATUSES),
              indicativeLimit: Type.Union([Type.String(), Type.Null()]),
              reasons: Type.Array(literals(PROSPECT_REASON_CODES)),
              detail: Type.Union([Type.String(), Type.Null()], { description: "for an invalid row, what exactly is wrong (\"character 18 '4' is wrong: …\")" }),
            }),
          ),
        },
      },
    },
    async (request) => (await prospectsOf(db, request.params.id)).map((prospect) => ({ ...prospect, indicativeLimit: prospect.indicativeLimit === null ? null : formatMoney(prospect.indicativeLimit), reasons: [...prospect.reasons] })),
  );
}
