/**
 * Logging in and out: a username and password buy a bearer token for `Authorization: Bearer …`.
 */
import { Type } from '@sinclair/typebox';
import { login, revokeToken } from '../../auth/users.js';
import { ROLES } from '../../auth/roles.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { anyUser, caller, publicAccess } from '../access.js';

const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Union(ROLES.map((role) => Type.Literal(role))),
  enterpriseId: Type.Union([Type.String(), Type.Null()]),
});

export function authRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/v1/auth/token',
    {
      config: { access: publicAccess },
      schema: {
        summary: 'Log in: exchange a username and password for a bearer token',
        tags: ['auth'],
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }), user: UserSchema }),
        },
      },
    },
    async (request) => {
      const issued = await login(context.db, request.body.username, request.body.password, context.now());
      return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), user: issued.user };
    },
  );

  app.delete(
    '/v1/auth/token',
    {
      config: { access: anyUser },
      schema: { summary: 'Log out: revoke the token this request carries', tags: ['auth'], response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const token = request.headers.authorization?.slice('Bearer '.length) ?? '';
      await revokeToken(context.db, token);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/me',
    {
      config: { access: anyUser },
      schema: { summary: 'The caller: who the token belongs to', tags: ['auth'], response: { 200: UserSchema } },
    },
    async (request) => caller(request),
  );
}
