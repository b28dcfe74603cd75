/**
 * Logging in and out: a username and password buy a bearer token for `Authorization: Bearer …`
 * (API clients), or a session cookie and its CSRF token (the web app).
 */
import { Type } from '@sinclair/typebox';
import { login, revokeToken, unlockUser, type User } from '../../auth/users.js';
import { ROLES, type Role } from '../../auth/roles.js';
import { literals } from '../api-codes.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { csrfTokenFor } from '../../auth/csrf.js';
import { SproutError } from '../../errors.js';
import type { FastifyRequest } from 'fastify';
import { anyUser, caller, publicAccess, roles } from '../access.js';
import { clearedSessionCookie, sessionCookie } from '../session-cookie.js';

const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Union(ROLES.map((role) => Type.Literal(role))),
  enterpriseIds: Type.Array(Type.String(), { description: 'the enterprises a borrower is bound to; empty for staff' }),
  enterpriseId: Type.Union([Type.String(), Type.Null()], { description: 'the first of enterpriseIds, or null' }),
});

const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

const SessionSchema = Type.Object({
  user: UserSchema,
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  csrfToken: Type.String({ description: 'send as X-CSRF-Token on every request but GET while using the session cookie' }),
});

/** The demo roles the login page offers in demo mode, in the order a newcomer would try them. */
const DEMO_LOGIN_ROLES: readonly Role[] = ['management', 'risk-officer', 'credit-approver', 'account-manager', 'collector', 'borrower', 'core-enterprise', 'operator', 'auditor', 'admin'];

export function authRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/v1/auth/token',
    {
      config: { access: publicAccess, rateLimit: 'login' },
      schema: {
        summary: 'Log in: exchange a username and password for a bearer token',
        tags: ['auth'],
        body: Credentials,
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }), user: UserSchema }),
        },
      },
    },
    async (request) => {
      const issued = await login(context.db, request.body.username, request.body.password, context.now(), request.ip);
      return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), user: userJson(issued.user) };
    },
  );

  app.delete(
    '/v1/auth/token',
    {
      config: { access: anyUser },
      schema: { summary: 'Log out: revoke the token this request carries', tags: ['auth'], response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await revokeToken(context.db, credentialToken(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/auth/session',
    {
      config: { access: publicAccess, rateLimit: 'login' },
      schema: {
        summary: 'Log in to the web app: sets an HttpOnly session cookie and returns the CSRF token to send as X-CSRF-Token',
        tags: ['auth'],
        body: Credentials,
        response: { 200: SessionSchema },
      },
    },
    async (request, reply) => {
      const issued = await login(context.db, request.body.username, request.body.password, context.now(), request.ip);
      reply.header('set-cookie', sessionCookie(issued.token, { secure: request.protocol === 'https' }));
      return { user: userJson(issued.user), expiresAt: issued.expiresAt.toISOString(), csrfToken: csrfTokenFor(issued.token) };
    },
  );

  app.get(
    '/v1/auth/session',
    {
      config: { access: anyUser },
      schema: {
        summary: 'The current session: the user and the CSRF token (the web app calls it after a page reload)',
        tags: ['auth'],
        response: { 200: SessionSchema },
      },
    },
    // Another site's page cannot read this response (no CORS), so handing the CSRF token to a GET is safe.
    async (request) => ({ user: userJson(caller(request)), expiresAt: null, csrfToken: csrfTokenFor(credentialToken(request)) }),
  );

  app.get(
    '/v1/auth/welcome',
    {
      config: { access: publicAccess },
      schema: {
        summary: "What the login page needs: the caller's session if the cookie carries one (else null, never a 401), and in demo mode the demo roles",
        description: 'The web app probes with this rather than GET /v1/auth/session, so a visitor who is not logged in sees no failed request in the console.',
        tags: ['auth'],
        response: {
          200: Type.Object({
            session: Type.Union([SessionSchema, Type.Null()]),
            demo: Type.Union(
              [
                Type.Object({
                  roles: Type.Array(literals(ROLES)),
                  filling: Type.Union([Type.Object({ phase: literals(['register', 'history', 'logins']), done: Type.Integer(), total: Type.Integer() }), Type.Null()], {
                    description: 'while the demo book fills after the server started: the phase and how far through it (the logins exist only after it); null once ready',
                  }),
                }),
                Type.Null(),
              ],
              { description: 'null unless the server runs in demo mode; each role logs in as its demo user, password "<role>-demo"' },
            ),
          }),
        },
      },
    },
    async (request) => ({
      session: request.user && request.credential?.via === 'cookie' ? { user: userJson(request.user), expiresAt: null, csrfToken: csrfTokenFor(request.credential.token) } : null,
      demo: context.demo === true ? { roles: [...DEMO_LOGIN_ROLES], filling: context.demoFilling?.() ?? null } : null,
    }),
  );

  app.delete(
    '/v1/auth/session',
    {
      config: { access: anyUser },
      schema: { summary: 'Log out of the web app: revokes the session and clears its cookie', tags: ['auth'], response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await revokeToken(context.db, credentialToken(request));
      reply.header('set-cookie', clearedSessionCookie({ secure: request.protocol === 'https' }));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/users/:username/unlock',
    {
      config: { access: roles('admin') },
      schema: {
        summary: 'Unlock a login: forget its failed logins on every address (the owner locked out on a shared address, say)',
        description: 'Audited as `user.unlock`. Lock-outs are per username and client address, so an owner is rarely locked out from their own address; this is for when they are. The same as `sprout user unlock`.',
        tags: ['auth'],
        params: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ username: Type.String(), addressesCleared: Type.Integer({ minimum: 0 }) }) },
      },
    },
    async (request) => ({ username: request.params.username, addressesCleared: await unlockUser(context.db, request.params.username, caller(request).username, context.now()) }),
  );

  app.get(
    '/v1/me',
    {
      config: { access: anyUser },
      schema: { summary: 'The caller: who the token belongs to', tags: ['auth'], response: { 200: UserSchema } },
    },
    async (request) => userJson(caller(request)),
  );
}

/** A user as the API shows one. */
function userJson(user: User) {
  return { ...user, enterpriseIds: [...user.enterpriseIds] };
}

/** The token that authenticated this request (bearer or cookie). */
function credentialToken(request: FastifyRequest): string {
  if (!request.credential) throw new SproutError('INTERNAL', 'credentialToken() used on a route without authentication');
  return request.credential.token;
}
