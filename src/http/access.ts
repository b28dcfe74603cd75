/**
 * Who may call a route. Every route states it in `config.access`; a route that does not is
 * refused when the server is built, so no endpoint can be published open by accident.
 *
 * @example
 * app.post('/v1/schedules', { config: { access: anyUser } , schema }, handler);
 * app.get('/v1/admin/users', { config: { access: roles('admin') } }, handler);
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { User } from '../auth/users.js';
import { MAX_TOKENS_AT_ONCE, usersForTokens } from '../auth/users.js';
import { ROLES, type Role } from '../auth/roles.js';
import { csrfTokenMatches } from '../auth/csrf.js';
import type { Database } from '../db/schema.js';
import { NotAuthenticatedError, NotAuthorisedError, SproutError } from '../errors.js';
import { CSRF_HEADER, SAFE_METHODS, sessionTokenFromCookies } from './session-cookie.js';

/** A route's access rule: open to anyone, or to authenticated users of the listed roles. */
export type Access = { readonly kind: 'public' } | { readonly kind: 'roles'; readonly roles: readonly Role[] };

/** Anyone, authenticated or not. Only for health, login, the API description and the web app's files. */
export const publicAccess: Access = { kind: 'public' };

/** Any authenticated user, whatever the role. */
export const anyUser: Access = { kind: 'roles', roles: ROLES };

/** Authenticated users of these roles only. */
export function roles(...allowed: Role[]): Access {
  return { kind: 'roles', roles: allowed };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The authenticated caller; `undefined` only on public routes called without a token. */
    user: User | undefined;
    /** The token that authenticated the request and how it came: a bearer header or the web app's cookie. */
    credential: Credential | undefined;
  }
}

/** A token presented with a request. */
export interface Credential {
  readonly token: string;
  readonly via: 'bearer' | 'cookie';
}

/** Routes added by plugins that serve the API description's web page: public by nature. */
const DOCS_PREFIX = '/docs';

/**
 * Installs the access rule: the build-time check that every route declares one, the OpenAPI
 * annotations, and the request-time check (401 without a valid token, 403 for a wrong role).
 */
export function installAccessControl(app: FastifyInstance, db: Kysely<Database>, now: () => Date): void {
  const userForToken = tokenChecker(db);
  app.decorateRequest('user', undefined);
  app.decorateRequest('credential', undefined);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(DOCS_PREFIX)) {
      route.config = { ...route.config, access: publicAccess };
      route.schema = { ...route.schema, hide: true };
      return;
    }
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} does not declare who may call it (config.access)`);
    if (access.kind === 'roles') {
      const who = access.roles.length === ROLES.length ? 'any authenticated user' : access.roles.join(', ');
      route.schema = {
        ...route.schema,
        security: [{ bearer: [] }],
        description: `${route.schema?.description ?? ''}\n\nWho may call: ${who}.`.trim(),
      };
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    const credential = credentialOf(request);
    if (!access || access.kind === 'public') {
      if (credential !== undefined) {
        request.user = await userForToken(credential.token, now(), tokenLane(request.method));
        if (request.user) request.credential = credential;
      }
      return;
    }
    if (credential === undefined) throw new NotAuthenticatedError('send Authorization: Bearer <token> (POST /v1/auth/token), or log in to the web app');
    const user = await userForToken(credential.token, now(), tokenLane(request.method));
    if (!user) throw new NotAuthenticatedError(credential.via === 'cookie' ? 'the session is unknown or expired; log in again' : 'the token is unknown or expired', 'session-expired');
    // The cookie rides along on any request the browser makes to us, including ones another
    // site's page starts; only our own page knows the CSRF token (docs/security.md).
    if (credential.via === 'cookie' && !SAFE_METHODS.has(request.method) && !csrfTokenMatches(credential.token, request.headers[CSRF_HEADER])) {
      throw new NotAuthorisedError('a request authenticated by the session cookie must send the X-CSRF-Token header given at login');
    }
    if (!access.roles.includes(user.role)) throw new NotAuthorisedError(`role ${user.role} may not call ${request.method} ${request.routeOptions.url}`);
    request.user = user;
    request.credential = credential;
  });
}

/**
 * Which batch of token lookups a request joins: pages (GET, HEAD, OPTIONS) or everything else.
 * At month end thousands of money requests arrive at once and their tokens are looked up 500 at a
 * time, one lookup after another; a page read in their midst waited for every lookup ahead of it
 * (measured, 45–280 ms of a read's p99 during the servicing bench, docs/benchmarks.md, s21y). In a
 * lane of their own, reads wait at most for one lookup of other reads.
 */
export type TokenLane = 'read' | 'write';

/** The lane of a request's method. */
export function tokenLane(method: string): TokenLane {
  return SAFE_METHODS.has(method) ? 'read' : 'write';
}

/**
 * The user of a token unexpired at `now`, or undefined. One lookup at a time per lane: the tokens
 * of the requests that arrive while one is in flight are looked up together next, one statement
 * for all of them, two on Citus (`usersForTokens`; at month end thousands of borrowers call at once). Nothing is cached: a revoked
 * or expired token fails on the next request, as when each was read alone.
 */
export function tokenChecker(db: Kysely<Database>): (token: string, now: Date, lane: TokenLane) => Promise<User | undefined> {
  const lanes = { read: tokenBatches(db), write: tokenBatches(db) };
  return (token, at, lane) => lanes[lane](token, at);
}

/** One lane of {@link tokenChecker}: lookups one at a time, each of the tokens that waited. */
function tokenBatches(db: Kysely<Database>): (token: string, now: Date) => Promise<User | undefined> {
  const waiting: { token: string; now: Date; resolve: (user: User | undefined) => void; reject: (error: unknown) => void }[] = [];
  let busy = false;
  const lookUp = async () => {
    const batch = waiting.splice(0, MAX_TOKENS_AT_ONCE);
    try {
      const found = await usersForTokens(db, batch.map((item) => item.token));
      for (const item of batch) {
        const row = found.get(item.token);
        item.resolve(row !== undefined && row.expiresAt.getTime() > item.now.getTime() ? row.user : undefined);
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
    } finally {
      busy = false;
      schedule();
    }
  };
  // On the next turn of the event loop, so that requests read from the sockets together go together.
  const schedule = () => {
    if (busy || waiting.length === 0) return;
    busy = true;
    setImmediate(lookUp);
  };
  return (token, at) =>
    new Promise((resolve, reject) => {
      waiting.push({ token, now: at, resolve, reject });
      schedule();
    });
}

/**
 * The token a request presents: the Authorization header when there is one (API clients), else
 * the session cookie (the web app). A malformed Authorization header is an error, never ignored.
 */
function credentialOf(request: FastifyRequest): Credential | undefined {
  const bearer = bearerToken(request);
  if (bearer !== undefined) return { token: bearer, via: 'bearer' };
  const cookie = sessionTokenFromCookies(request.headers.cookie);
  return cookie === undefined ? undefined : { token: cookie, via: 'cookie' };
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
  if (!match) throw new NotAuthenticatedError('the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** The authenticated caller of a route that requires one. */
export function caller(request: FastifyRequest): User {
  if (!request.user) throw new SproutError('INTERNAL', 'caller() used on a route without authentication');
  return request.user;
}
