/**
 * The audit trail, read-only, for auditors: the events about an entity, and the chain check.
 */
import { Type } from '@sinclair/typebox';
import { currentAuditKey } from '../../audit/audit-trail.js';
import { verifyAuditTrailWithCheckpoints } from '../../audit/audit-checkpoint.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { personalDataFor } from '../../auth/masking.js';

const AUDITORS = roles('auditor', 'admin');

export function auditRoutes(app: TypedApp, context: AppContext): void {
  app.get(
    '/v1/audit/events',
    {
      config: { access: AUDITORS },
      schema: {
        summary: 'Audit events, newest first; optionally about one entity',
        tags: ['audit'],
        querystring: Type.Object(
          { entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              at: Type.String(),
              actor: Type.String(),
              action: Type.String(),
              entityType: Type.String(),
              entityId: Type.String(),
              before: Type.Unknown(),
              after: Type.Unknown(),
              hash: Type.String(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const limit = Math.min(Number(request.query.limit ?? '100'), 1000);
      let query = context.db.selectFrom('audit_event').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit);
      if (request.query.entityId !== undefined) query = query.where('entity_id', '=', request.query.entityId);
      const rows = await query.execute();
      const { role } = caller(request);
      return rows.map((row) => ({
        id: row.id,
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        before: personalDataFor(role, row.before),
        after: personalDataFor(role, row.after),
        hash: row.hash,
      }));
    },
  );

  app.get(
    '/v1/audit/verification',
    {
      config: { access: AUDITORS },
      schema: {
        summary: 'Recompute every hash chain of the audit trail and compare it with the latest checkpoint kept outside the database',
        tags: ['audit'],
        response: {
          200: Type.Object({
            events: Type.Integer(),
            intact: Type.Boolean(),
            findings: Type.Array(Type.Object({ stream: Type.Integer({ description: '-1: the anchor itself' }), position: Type.String(), problem: Type.String() })),
            keyedEvents: Type.Integer({ description: 'records hashed with the audit key' }),
            checkpoint: Type.Union([Type.Object({ seq: Type.Integer(), at: Type.String(), streams: Type.Integer() }), Type.Null()], { description: 'the latest checkpoint compared; null when there is none' }),
          }),
        },
      },
    },
    async () => {
      const result = await verifyAuditTrailWithCheckpoints(context.db, context.audit ?? { key: currentAuditKey(), anchor: undefined });
      return { events: result.events, intact: result.findings.length === 0, findings: result.findings, keyedEvents: result.keyedEvents, checkpoint: result.checkpoint ?? null };
    },
  );
}
