/**
 * Deployed scorecards (src/decision/deployed-models.ts): the list, a deployment proposed for a
 * second person (`scorecard.deploy`, confirmed at `POST /v1/approvals/{id}`), and end of day's
 * population-stability readings of the champion's live scores.
 */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import { inTransaction } from '../../db/transaction.js';
import { ValidationError } from '../../errors.js';
import { listDeployedModels, MODEL_ROLES, modelStabilityHistory, proposeDeployment } from '../../decision/deployed-models.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { literals } from '../api-codes.js';
import { ApprovalRequestSchema } from './approvals.js';

const READERS: Role[] = ['credit-approver', 'risk-officer', 'management', 'auditor', 'admin'];

const DistributionSchema = Type.Object(
  {
    cuts: Type.Array(Type.Number({ minimum: -100_000, maximum: 100_000 }), { maxItems: 100 }),
    counts: Type.Array(Type.Integer({ minimum: 0, maximum: 1_000_000_000 }), { maxItems: 101 }),
  },
  { additionalProperties: false, description: 'the training scores: decile cut points and the count of scores in each band' },
);

const ModelSchema = Type.Object({
  id: Type.String(),
  version: Type.String({ description: 'the content hash decisions record as versions.model' }),
  role: literals([...MODEL_ROLES, 'retired'] as const),
  trainingAuc: Type.Number(),
  hasTrainingScores: Type.Boolean({ description: 'false: no training distribution, so end of day computes no PSI for it' }),
  deployedBy: Type.String(),
  checkedBy: Type.String(),
  deployedAt: Type.String({ format: 'date-time' }),
  retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const StabilitySchema = Type.Object({
  businessDate: Type.String({ format: 'date' }),
  modelId: Type.String(),
  modelVersion: Type.String(),
  decisions: Type.Integer(),
  psi: Type.Number(),
  level: literals(['stable', 'watch', 'shifted'] as const),
  watchAt: Type.Number(),
  warnAt: Type.Number(),
  bins: Type.Array(Type.Object({ bin: Type.String(), expected: Type.Number(), actual: Type.Number(), contribution: Type.Number() })),
});

export function modelRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.get(
    '/v1/models',
    {
      config: { access: roles(...READERS) },
      schema: { summary: 'Deployed scorecards: the champion, the shadow challenger, the retired', tags: ['origination'], response: { 200: Type.Object({ models: Type.Array(ModelSchema) }) } },
    },
    async () => ({ models: await listDeployedModels(db) }),
  );

  app.post(
    '/v1/models/deployments',
    {
      config: { access: roles('risk-officer', 'admin') },
      schema: {
        summary: 'Propose a scorecard as champion or shadow challenger; deployed when a second person approves the scorecard.deploy request (202)',
        tags: ['origination'],
        body: Type.Object(
          {
            id: Type.String({ minLength: 1, maxLength: 64, description: 'the model\'s name, "pd-2026-12"' }),
            role: literals(MODEL_ROLES),
            // The file's text rather than an open JSON object: the request schema stays closed, and the
            // scorecard loader checks the model's own structure when it is proposed.
            model: Type.Optional(Type.String({ minLength: 2, maxLength: 1_000_000, description: 'the text of the model file written by `sprout scorecard train`; absent: a model already deployed under this id' })),
            trainingScores: Type.Optional(DistributionSchema),
          },
          { additionalProperties: false },
        ),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const { model, ...rest } = request.body;
      const deployment = model === undefined ? rest : { ...rest, model: parseModelText(model) };
      return reply.status(202).send(await inTransaction(db, (trx) => proposeDeployment(trx, deployment, caller(request))));
    },
  );

  app.get(
    '/v1/models/stability',
    {
      config: { access: roles(...READERS) },
      schema: {
        summary: "End of day's population stability of the champion's live scores, newest first (level shifted: a warning)",
        tags: ['origination'],
        response: { 200: Type.Object({ readings: Type.Array(StabilitySchema) }) },
      },
    },
    async () => ({ readings: (await modelStabilityHistory(db)).map((r) => ({ ...r, bins: [...r.bins] })) }),
  );
}

/** The model file's text as JSON, or a validation error naming the field. */
function parseModelText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('model', 'must be the text of a model file (JSON) written by sprout scorecard train');
  }
}
