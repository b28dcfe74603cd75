/**
 * `GET /health`: is the server up and can it reach its database. Public: load balancers call it.
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext, TypedApp } from '../app-context.js';
import { publicAccess } from '../access.js';

export function healthRoutes(app: TypedApp, context: AppContext): void {
  app.get(
    '/health',
    {
      config: { access: publicAccess },
      schema: {
        summary: 'Liveness and database reachability',
        tags: ['operations'],
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            backend: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
            version: Type.String(),
          }),
        },
      },
    },
    async () => {
      await sql`select 1`.execute(context.db);
      return { status: 'ok' as const, backend: context.backend, version: context.version };
    },
  );
}
