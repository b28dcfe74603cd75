/**
 * Self-registration: a business owner creates a borrower login, then records their enterprise
 * (`POST /v1/enterprises`, bound to them) and applies. Public, so rate-limited strictly per address.
 */
import { Type } from '@sinclair/typebox';
import { createUser } from '../../auth/users.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { publicAccess } from '../access.js';

export function registrationRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/v1/registrations',
    {
      config: { access: publicAccess, rateLimit: 'registration' },
      schema: {
        summary: 'Register as a borrower: a login with no enterprise yet; log in with POST /v1/auth/session or /v1/auth/token',
        tags: ['auth'],
        body: Type.Object(
          {
            username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: 8, maxLength: 256 }),
            phone: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$', description: 'a mainland mobile number' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), username: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { username, displayName, password, phone } = request.body;
      const user = await createUser(context.db, { username, displayName, password, phone, role: 'borrower' }, `registration:${username}`);
      return reply.status(201).send({ id: user.id, username: user.username });
    },
  );
}
