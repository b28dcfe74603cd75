/**
 * CSRF tokens for cookie sessions (the web app). A browser sends the session cookie with every
 * request to our origin, including ones a hostile page triggers; it cannot send a header it
 * cannot read. So every state-changing request authenticated by the cookie must carry
 * `X-CSRF-Token`, and only our own page can know its value.
 *
 * The token is an HMAC of a fixed label keyed by the session token itself. The session token is
 * 256 random bits in an HttpOnly cookie, so script on another origin (and script on ours) never
 * sees it and cannot compute the CSRF token; the CSRF token, in turn, reveals nothing about the
 * session token. Nothing extra is stored, there is no server secret to share between servers or
 * to lose at a restart, and logging out (revoking the session) retires its CSRF token with it.
 *
 * @example
 * const csrf = csrfTokenFor(sessionToken);           // returned once at login, kept in memory
 * csrfTokenMatches(sessionToken, request.headers['x-csrf-token']); // true for our page only
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Domain separation: this key (the session token) is used for nothing else with this label. */
const LABEL = 'sprout csrf v1';

/** The CSRF token that belongs to a session token. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update(LABEL).digest('base64url');
}

/** True when `presented` is the CSRF token of `sessionToken`; compared in constant time. */
export function csrfTokenMatches(sessionToken: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
