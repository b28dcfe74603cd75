/**
 * One error shape for the whole API: `{ "error": { "code", "message", "field"? } }`.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, ERROR_REASONS, HTTP_STATUS, SproutError, type ErrorCode, type ErrorParams, type ErrorReason } from '../errors.js';
import { literals } from './api-codes.js';

/** The one error shape, published once in OpenAPI (`#/components/schemas/Error`) for every route's 4xx and 5xx. */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: literals(ERROR_CODES),
      message: Type.String({ description: 'for the developer, in English; a person is shown the text for `code`' }),
      field: Type.Optional(Type.String({ description: 'the input field at fault: `principal`, `body.rate`, `installments.0.amount`' })),
      reason: Type.Optional(literals(ERROR_REASONS, { description: 'why, finer than `code`: the web app shows a sentence for it, filled with `params`' })),
      params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'the values the reason names: a position, a character, a limit, an amount' })),
    }),
  },
  { $id: 'Error' },
);

/** Examples of the error shape, shown under every operation's 4xx and 5xx responses in `/openapi.json`. */
export const ERROR_EXAMPLES = {
  validation: {
    summary: 'Bad input: the field, and the reason with its values',
    value: body('VALIDATION', "creditCode: character 18 '0' is wrong: the check character (GB 32100-2015) should be 'Y'", 'creditCode', 'credit-code-check', { position: 18, character: '0', expected: 'Y' }),
  },
  notAuthenticated: { summary: 'No session or token, or an expired one', value: body('NOT_AUTHENTICATED', 'the session is unknown or expired; log in again', undefined, 'session-expired') },
  notAuthorised: { summary: "The caller's role may not do this", value: body('NOT_AUTHORISED', 'role borrower may not call this route') },
  notFound: { summary: 'What the path names does not exist, or is not yours', value: body('NOT_FOUND', 'loan not found') },
  limitExceeded: {
    summary: 'A business limit: more than is available',
    value: body('LIMIT_EXCEEDED', 'amount 90000.00 is more than the 24800.00 available on the line', 'amount', 'above-available', { amount: '90000.00', available: '24800.00' }),
  },
  lineFrozen: {
    summary: 'The line is frozen after an early warning: since when, by which rule and level',
    value: body('CONFLICT', 'the line is frozen since 2025-06-30 by the red dishonest-debtor warning; drawdowns need an active line', 'lineId', 'line-frozen', { since: '2025-06-30', rule: 'dishonest-debtor', level: 'red' }),
  },
  conflict: { summary: 'The request conflicts with the current state', value: body('CONFLICT', 'the warning is resolved; this needs it open or acknowledged', 'status') },
  renewalWindowNotOpen: {
    summary: 'A renewal asked for before its window opens',
    value: body('CONFLICT', 'a renewal of loan 0193… may be asked for from 2025-11-27, 30 days before it matures on 2025-12-27 (today is 2025-06-30)', 'loanId', 'renewal-window-not-open', { opensOn: '2025-11-27', maturityOn: '2025-12-27', days: 30 }),
  },
  accountNumber: {
    summary: 'A settlement account number that is not 8 to 32 digits',
    value: body('VALIDATION', 'accounts.disbursement.accountNo: must be 8 to 32 digits', 'accounts.disbursement.accountNo', 'account-number-format', { min: 8, max: 32 }),
  },
  internal: { summary: 'A fault of the server; it has been logged', value: body('INTERNAL', 'internal error; it has been logged') },
} as const;
import { errorForLog } from './log-redaction.js';
import { isDatabaseUnavailable } from '../db/sqlstate.js';

/** Seconds a client is asked to wait when the database is switching over: a promotion takes a few. */
export const FAILOVER_RETRY_AFTER_SECONDS = 2;

interface AjvIssue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

/** Installs the error and not-found handlers on `app`, and documents the error shape on every API route. */
export function installErrorHandler(app: FastifyInstance): void {
  app.addSchema(ErrorSchema);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/') && route.url !== '/health') return;
    const schema = (route.schema ??= {}) as { response?: Record<string, unknown> };
    const clientErrors: Record<string, unknown> = { validation: ERROR_EXAMPLES.validation };
    const access = (route.config as { access?: { kind: string } } | undefined)?.access;
    if (access?.kind === 'roles') Object.assign(clientErrors, { notAuthenticated: ERROR_EXAMPLES.notAuthenticated, notAuthorised: ERROR_EXAMPLES.notAuthorised });
    if (route.url.includes(':')) clientErrors.notFound = ERROR_EXAMPLES.notFound;
    if (route.method === 'POST' && /draw|loan|repay/.test(route.url)) clientErrors.limitExceeded = ERROR_EXAMPLES.limitExceeded;
    if (route.method === 'POST' && /drawdown/.test(route.url)) clientErrors.lineFrozen = ERROR_EXAMPLES.lineFrozen;
    if (route.method === 'POST' && /warning|monitoring/.test(route.url)) clientErrors.conflict = ERROR_EXAMPLES.conflict;
    if (route.url.endsWith('/renewal-requests') && route.method === 'POST') clientErrors.renewalWindowNotOpen = ERROR_EXAMPLES.renewalWindowNotOpen;
    if (/\/accounts|\/accept$/.test(route.url)) clientErrors.accountNumber = ERROR_EXAMPLES.accountNumber;
    schema.response = {
      ...schema.response,
      '4xx': { description: 'The request was refused: `code` says how, `reason` and `params` why', content: { 'application/json': { schema: Type.Ref('Error'), examples: clientErrors } } },
      '5xx': { description: 'A fault of the server', content: { 'application/json': { schema: Type.Ref('Error'), examples: { internal: ERROR_EXAMPLES.internal } } } },
    };
  });
  app.setErrorHandler((error: FastifyError | SproutError, request, reply) => {
    if (error instanceof SproutError) {
      if (error.code === 'INTERNAL') request.log.error({ err: errorForLog(error) }, 'internal error');
      // No writable database host (a failover under way), or an outside source down: come back shortly.
      if (error.code === 'UNAVAILABLE') reply.header('retry-after', String(FAILOVER_RETRY_AFTER_SECONDS));
      return reply.status(HTTP_STATUS[error.code]).send(error.toJSON());
    }
    // The database went away or turned read-only under the request (its primary died, a standby is
    // being promoted): nothing was acknowledged, and a retry with the same Idempotency-Key is safe.
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: errorForLog(error) }, 'database unavailable');
      reply.header('retry-after', String(FAILOVER_RETRY_AFTER_SECONDS));
      return reply.status(503).send(body('UNAVAILABLE', 'the database is unavailable or switching over; retry shortly (the same Idempotency-Key is safe)', undefined, 'database-switching'));
    }
    if (error.validation) {
      const issue = error.validation[0] as AjvIssue | undefined;
      const field = issue ? fieldOf(issue) : (error.validationContext ?? 'body');
      const message = issue ? describe(issue) : error.message;
      const why = issue ? reasonOf(issue) : undefined;
      return reply.status(400).send(body('VALIDATION', `${field}: ${message}`, field, why?.reason, why?.params));
    }
    // Fastify's own client errors: malformed JSON, body too large, wrong content type…
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(body('VALIDATION', error.message, 'body'));
    }
    // Never the error itself: a database error carries its SQL parameters (names, ID numbers).
    request.log.error({ err: errorForLog(error) }, 'internal error');
    return reply.status(500).send(body('INTERNAL', 'internal error; it has been logged'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}

/**
 * Fastify's `frameworkErrors` option: errors raised while routing, before any handler or hook
 * (a URL that is not valid percent-encoding, a path parameter over the router's length limit),
 * in the same shape as every other error.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : error.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid percent-encoding' : 'the request could not be routed';
  void reply.status(status).send(body('VALIDATION', message, 'url'));
}

function body(code: ErrorCode, message: string, field?: string, reason?: ErrorReason, params?: ErrorParams) {
  return { error: { code, message, ...(field === undefined ? {} : { field }), ...(reason === undefined ? {} : { reason }), ...(params === undefined ? {} : { params }) } };
}

/** The reason a person is shown for a schema violation, with the limit it names. */
function reasonOf(issue: AjvIssue): { reason: ErrorReason; params?: ErrorParams } {
  const limit = typeof issue.params.limit === 'number' ? { limit: issue.params.limit } : undefined;
  switch (issue.keyword) {
    case 'required':
      return { reason: 'required' };
    case 'additionalProperties':
      return { reason: 'unknown-field' };
    case 'minLength':
    case 'minItems':
      return { reason: 'too-short', ...(limit ? { params: limit } : {}) };
    case 'maxLength':
    case 'maxItems':
      return { reason: 'too-long', ...(limit ? { params: limit } : {}) };
    case 'minimum':
    case 'exclusiveMinimum':
      return { reason: 'too-small', ...(limit ? { params: limit } : {}) };
    case 'maximum':
    case 'exclusiveMaximum':
      return { reason: 'too-large', ...(limit ? { params: limit } : {}) };
    case 'enum':
    case 'const':
    case 'anyOf':
      return { reason: 'not-a-choice' };
    case 'type':
      return { reason: 'wrong-type' };
    default:
      return { reason: 'invalid-format' };
  }
}

/** `/installments/0/amount` → `installments.0.amount`; a missing or unknown property names itself. */
function fieldOf(issue: AjvIssue): string {
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const property = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof property === 'string') return path ? `${path}.${property}` : property;
  return path || 'body';
}

function describe(issue: AjvIssue): string {
  if (issue.keyword === 'required') return 'is required';
  if (issue.keyword === 'additionalProperties') return 'is not a known field';
  return issue.message ?? 'is invalid';
}
