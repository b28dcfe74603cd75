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
