/**
 * The SQLSTATE codes Sprout expects and handles by name. Everything else a database raises is a
 * failure to propagate, never to translate: a `catch` that turns any error into "a race" would
 * hide a dropped connection, a full disk or a bug as a user-facing CONFLICT.
 *
 * @example
 * try { await insert(); } catch (error) { if (!isUniqueViolation(error)) throw error; … }
 */

/** The SQLSTATE of a database error, when it has one (both node-postgres and PGlite set `code`). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True for 23505 (unique_violation): a row with the same key exists, typically because a
 * concurrent transaction took it first.
 *
 * @example
 * isUniqueViolation({ code: '23505' }); // true
 * isUniqueViolation(new Error('connection reset')); // false
 */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/**
 * SQLSTATEs that mean "this server cannot take the request now", not "the request is wrong":
 * 25006 (read_only_sql_transaction: a write reached a standby), 57P01–57P03 (admin or crash
 * shutdown, cannot connect now) and class 08 (connection exceptions).
 */
const UNAVAILABLE_STATES = /^(25006|57P0[123]|08[0-9A-Z]{3})$/;

/** Errors of the driver or the socket, not the server: the connection is gone or never came. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = /^(Connection terminated|Connection terminated unexpectedly|Connection terminated due to connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|terminating connection due to administrator command)$/;

/**
 * True when the database was lost or is read-only under the request: the primary died, is
 * shutting down, or the pool still points at a standby. Retrying later (after a failover) is the
 * remedy, so the API answers 503 with Retry-After rather than 500. Looks through `cause`.
 *
 * @example
 * isDatabaseUnavailable({ code: '57P01' }); // true
 * isDatabaseUnavailable(new Error('Connection terminated unexpectedly')); // true
 * isDatabaseUnavailable({ code: '23505' }); // false
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let depth = 0, e = error; depth < 4 && e !== null && typeof e === 'object'; depth++, e = (e as { cause?: unknown }).cause) {
    const code = sqlState(e);
    if (code !== undefined && (UNAVAILABLE_STATES.test(code) || CONNECTION_CODES.has(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
  }
  return false;
}
