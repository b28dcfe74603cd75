/**
 * The web app's session cookie: the same kind of token as a bearer token (the `api_token` table,
 * 12-hour life), carried in a cookie that script cannot read and that is never sent on a request
 * started by another site.
 *
 * @example
 * reply.header('set-cookie', sessionCookie(token, { secure: request.protocol === 'https' }));
 * const token = sessionTokenFromCookies(request.headers.cookie);
 */
import { TOKEN_LIFETIME_MS } from '../auth/users.js';

/** The cookie's name. */
export const SESSION_COOKIE = 'sprout_session';

/** The header a cookie-authenticated request must carry on every method but GET, HEAD, OPTIONS. */
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing and so need no CSRF token. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Set-Cookie` for a new session: HttpOnly (no script can read it), SameSite=Strict (no other
 * site's page can make the browser send it), Path=/, the token's own lifetime, and Secure when
 * the request came over HTTPS.
 */
export function sessionCookie(token: string, options: { readonly secure: boolean }): string {
  const attributes = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${TOKEN_LIFETIME_MS / 1000}`];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** `Set-Cookie` that removes the session cookie (logout). */
export function clearedSessionCookie(options: { readonly secure: boolean }): string {
  const attributes = [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/**
 * The session token in a `Cookie` header, if any. Only a well-formed token is returned (the
 * characters of a base64url token, 16–128 long); anything else is treated as no session.
 */
export function sessionTokenFromCookies(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  // A Cookie header holds a handful of pairs; bound the scan anyway.
  for (const pair of header.split(';', 64)) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}
