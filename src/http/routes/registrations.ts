/**
 * Self-registration: a business owner creates a borrower login, then records their enterprise
 * (`POST /v1/enterprises`, bound to them) and applies. Public, so rate-limited strictly per address.
 */
import { Type } from '@sinclair/typebox';
import { registerBorrower, REGISTRATION_ANSWER } from '../../auth/users.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/password-policy.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { publicAccess } from '../access.js';

export function registrationRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/v1/registrations',
    {
      config: { access: publicAccess, rateLimit: 'registration' },
      schema: {
        summary: 'Register as a borrower: a login with no enterprise yet; log in with POST /v1/auth/session or /v1/auth/token',
        description: 'The answer is the same whether or not the username was free (so usernames cannot be enumerated here): log in to find out. A weak password is refused (400, field `password`): at least 12 characters, not a common one.',
        tags: ['auth'],
        body: Type.Object(
          {
            username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
            phone: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$', description: 'a mainland mobile number' })),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ username: Type.String(), message: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { username, displayName, password, phone } = request.body;
      await registerBorrower(context.db, { username, displayName, password, phone });
      return reply.status(202).send({ username, message: REGISTRATION_ANSWER });
    },
  );
}
