/**
 * The web app's only door to the server: same-origin fetch with the session cookie (HttpOnly, so
 * this code never sees it) and the CSRF token the server handed over at login, sent as
 * X-CSRF-Token on every request that changes something (docs/security.md).
 *
 * Every request and answer is typed by `api-schema.d.ts`, which `npm run generate:api` generates
 * from the server's own OpenAPI document (test/http/api-schema.test.ts fails when it is stale):
 * a path, a parameter or a field the server does not have is a type error here.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './api-schema';

/** The JSON answer of `method path` with `status`, as the server's schema declares it. */
export type Answer<Path extends keyof paths, Method extends 'get' | 'post' | 'put' | 'delete', Status extends number = 200> = paths[Path][Method] extends {
  readonly responses: { readonly [S in Status]: { content: { readonly 'application/json': infer Body } } };
}
  ? Body
  : never;

/** The JSON body `method path` takes. */
export type Body<Path extends keyof paths, Method extends 'post' | 'put'> = paths[Path][Method] extends { readonly requestBody?: { content: { readonly 'application/json': infer B } } } ? B : never;

export type Session = Answer<'/v1/auth/session', 'post'>;
export type User = Session['user'];
export type Role = User['role'];
/** The one error shape: `{ error: { code, message, field? } }`. */
export type ErrorBody = components['schemas']['Error'];
export type ErrorCode = ErrorBody['error']['code'];
export type ErrorReason = NonNullable<ErrorBody['error']['reason']>;

/**
 * An error answer from the API, with its stable code (a closed list: `ErrorCode`), the field at
 * fault, and why (`reason`, with the values it names in `params`). A person is shown
 * `errorMessage()` (error-message.ts), never `message`, which is the server's English.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly reason?: ErrorReason,
    readonly params?: Readonly<Record<string, string | number>>,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onSessionLost: () => void = () => {};

/** Called when the server answers 401: the session expired or was revoked elsewhere. */
export function whenSessionLost(handler: () => void): void {
  onSessionLost = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept', 'application/json');
    if (request.method !== 'GET' && csrfToken !== null) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/v1/auth/')) onSessionLost();
    return response;
  },
};

/** The typed client; `baseUrl` is the page's origin, so every call is same-origin. */
export const api = createClient<paths>({ baseUrl: typeof location === 'undefined' ? '' : location.origin, credentials: 'same-origin' });
api.use(session);

/**
 * The data of a successful answer, or an {@link ApiError} with the server's code and message.
 *
 * @example
 * const loans = await ok(api.GET('/v1/loans', { params: { query: { limit: '100' } } }));
 */
export async function ok<Data>(pending: Promise<{ data?: Data; error?: unknown; response: Response }>): Promise<Data> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const body = (typeof error === 'object' && error !== null ? error : {}) as Partial<ErrorBody>;
    throw new ApiError(response.status, body.error?.code ?? 'INTERNAL', body.error?.message ?? response.statusText, body.error?.field, body.error?.reason, body.error?.params);
  }
  return data as Data;
}

/** Logs in; the server sets the session cookie. */
export async function logIn(username: string, password: string): Promise<Session> {
  const answer = await ok(api.POST('/v1/auth/session', { body: { username, password } }));
  csrfToken = answer.csrfToken;
  return answer;
}

export type Welcome = Answer<'/v1/auth/welcome', 'get'>;

/**
 * The session the cookie carries, after a page reload (null when there is none), and the demo
 * roles when the server runs the demo. Asked of `/v1/auth/welcome`, which answers 200 either way,
 * so a visitor who is not logged in sees no failed request in the browser's console.
 */
export async function welcome(): Promise<Welcome> {
  const answer = await ok(api.GET('/v1/auth/welcome'));
  csrfToken = answer.session?.csrfToken ?? null;
  return answer;
}

/** The session the cookie carries, after a page reload; null when there is none. */
export async function currentSession(): Promise<Session | null> {
  return (await welcome()).session;
}

export async function logOut(): Promise<void> {
  try {
    await ok(api.DELETE('/v1/auth/session'));
  } finally {
    csrfToken = null;
  }
}

export type Portfolio = Answer<'/v1/reports/portfolio', 'get'>;
export type Classification = Portfolio['classification'][number]['category'];
export type HistoryPoint = Answer<'/v1/reports/portfolio/history', 'get'>['points'][number];
export type Breakdown = NonNullable<Portfolio['breakdown']>['by'];
export type BreakdownGroup = NonNullable<Portfolio['breakdown']>['groups'][number];

export const portfolio = () => ok(api.GET('/v1/reports/portfolio'));
/** The end-of-day history, `from`/`to` inclusive (default: the year up to the business date). */
export const portfolioHistory = (range: { from?: string; to?: string } = {}) =>
  ok(api.GET('/v1/reports/portfolio/history', { params: { query: { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) } } }));
export type PastDueBucket = Portfolio['pastDue'][number]['bucket'];
export const portfolioBreakdown = async (by: Breakdown) => {
  const report = await ok(api.GET('/v1/reports/portfolio', { params: { query: { by } } }));
  // Asked with `by`, the report always carries its breakdown.
  return report.breakdown!;
};
/** Same-origin CSV downloads (the session cookie goes with them). */
export const HISTORY_CSV_URL = '/v1/reports/portfolio/history.csv' satisfies keyof paths;
export const breakdownCsvUrl = (by: Breakdown) => `${'/v1/reports/portfolio.csv' satisfies keyof paths}?by=${by}`;

export type CreditLine = Answer<'/v1/lines', 'get'>[number];
export type LoanSummary = Answer<'/v1/loans', 'get'>[number];

export const lines = () => ok(api.GET('/v1/lines', { params: { query: { limit: '100' } } }));
export const loans = () => ok(api.GET('/v1/loans', { params: { query: { limit: '100' } } }));
