/**
 * What of an unexpected error may be logged: never the SQL parameters, the statement, or values a
 * database message quotes, since those are names, ID numbers and phone numbers (docs/security.md,
 * "Logs"). PGlite's errors carry `params` and `query`; PostgreSQL's `detail` quotes the row
 * (`Key (name)=(王芳) already exists`) and its messages quote the value at fault.
 *
 * @example
 * request.log.error({ err: errorForLog(error) }, 'internal error');
 * errorForLog(Object.assign(new Error('invalid input syntax for type uuid: "王芳"'), { params: ['王芳'] }));
 * // { type: 'Error', message: 'invalid input syntax for type uuid: "[redacted]"', stack: '    at …' }
 */

/** Fields of a database error that name schema objects, never data. */
const SAFE_FIELDS = ['code', 'severity', 'table', 'column', 'constraint', 'routine', 'schema', 'dataType'] as const;

/** Quoted values and the `(…)=(…)` of a key violation: where a database message puts data. */
export function redactQuoted(text: string): string {
  return text.replace(/"[^"]*"/g, '"[redacted]"').replace(/'[^']*'/g, "'[redacted]'").replace(/\)=\([^)]*\)/g, ')=([redacted])');
}

/** A loggable copy of `error`: its type, a redacted message, the schema-naming fields and the stack frames. */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: '[not an Error; redacted]' };
  const source = error as unknown as Record<string, unknown>;
  const safe: Record<string, unknown> = { type: error.name, message: redactQuoted(error.message) };
  for (const field of SAFE_FIELDS) if (typeof source[field] === 'string' || typeof source[field] === 'number') safe[field] = source[field];
  // The frames only: the stack's first line repeats the unredacted message.
  safe.stack = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n');
  if (error.cause !== undefined) safe.cause = errorForLog(error.cause);
  return safe;
}
