/**
 * The web app's only door to the server: same-origin fetch with the session cookie (HttpOnly, so
 * this code never sees it) and the CSRF token the server handed over at login, sent as
 * X-CSRF-Token on every request that changes something (docs/security.md).
 */

export type Role =
  | 'borrower'
  | 'account-manager'
  | 'credit-approver'
  | 'risk-officer'
  | 'core-enterprise'
  | 'management'
  | 'operator'
  | 'auditor'
  | 'admin';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly enterpriseId: string | null;
}

export interface Session {
  readonly user: User;
  readonly csrfToken: string;
}

/** An error answer from the API: `{ error: { code, message, field? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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

export async function request<T>(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!response.ok) {
    if (response.status === 401 && !url.startsWith('/v1/auth/')) onSessionLost();
    throw new ApiError(response.status, json.error?.code ?? 'INTERNAL', json.error?.message ?? response.statusText);
  }
  return json as T;
}

/** Logs in; the server sets the session cookie. */
export async function logIn(username: string, password: string): Promise<Session> {
  const session = await request<Session>('POST', '/v1/auth/session', { username, password });
  csrfToken = session.csrfToken;
  return session;
}

/** The session the cookie carries, after a page reload; null when there is none. */
export async function currentSession(): Promise<Session | null> {
  try {
    const session = await request<Session>('GET', '/v1/auth/session');
    csrfToken = session.csrfToken;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function logOut(): Promise<void> {
  try {
    await request<void>('DELETE', '/v1/auth/session');
  } finally {
    csrfToken = null;
  }
}

export interface PortfolioFigures {
  readonly loans: number;
  readonly balance: string;
  readonly overdueBalance: string;
  readonly nplBalance: string;
  readonly provision: string;
  readonly overdueRatio: string;
  readonly nplRatio: string;
  readonly averageRate: string;
}

export interface Portfolio {
  readonly asOf: string;
  readonly totals: PortfolioFigures & { readonly borrowers: number };
  readonly classification: readonly { readonly category: Classification; readonly loans: number; readonly balance: string; readonly share: string }[];
  readonly products: readonly (PortfolioFigures & { readonly code: string; readonly name: string; readonly share: string })[];
}

export type Classification = 'normal' | 'special-mention' | 'substandard' | 'doubtful' | 'loss';

export const portfolio = () => request<Portfolio>('GET', '/v1/reports/portfolio');

/** One business date closed by end of day. */
export interface HistoryPoint {
  readonly date: string;
  readonly balance: string;
  readonly loans: number;
  readonly borrowers: number;
  readonly overdueBalance: string;
  readonly nplBalance: string;
  readonly overdueRatio: string;
  readonly nplRatio: string;
  readonly averageRate: string;
  readonly newLoans: number;
  readonly newLending: string;
}

export type Breakdown = 'region' | 'industry' | 'size';

export interface BreakdownGroup extends PortfolioFigures {
  readonly key: string;
  readonly name: string;
  readonly nameZh: string;
  readonly borrowers: number;
  readonly share: string;
}

export const portfolioHistory = () => request<{ from: string; to: string; points: HistoryPoint[] }>('GET', '/v1/reports/portfolio/history');
export const portfolioBreakdown = (by: Breakdown) =>
  request<Portfolio & { breakdown: { by: Breakdown; groups: BreakdownGroup[] } }>('GET', `/v1/reports/portfolio?by=${by}`).then((report) => report.breakdown);
/** Same-origin CSV downloads (the session cookie goes with them). */
export const HISTORY_CSV_URL = '/v1/reports/portfolio/history.csv';
export const breakdownCsvUrl = (by: Breakdown) => `/v1/reports/portfolio.csv?by=${by}`;

export interface CreditLine {
  readonly id: string;
  readonly enterpriseId: string;
  readonly productId: string;
  readonly limit: string;
  readonly available: string;
  readonly annualRate: string;
  readonly startOn: string;
  readonly endOn: string;
  readonly status: string;
}

export interface LoanSummary {
  readonly id: string;
  readonly enterpriseId: string;
  readonly lineId: string | null;
  readonly status: string;
  readonly principal: string;
  readonly outstanding: string;
  readonly annualRate: string;
  readonly disbursedOn: string;
  readonly maturityOn: string;
  readonly daysPastDue: number;
  readonly classification: Classification;
}

export const lines = () => request<CreditLine[]>('GET', '/v1/lines?limit=100');
export const loans = () => request<LoanSummary[]>('GET', '/v1/loans?limit=100');
