/**
 * One error shape for the whole API: `{ "error": { "code", "message", "field"? } }`.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, HTTP_STATUS, SproutError, type ErrorCode } from '../errors.js';
import { literals } from './api-codes.js';

/** The one error shape, published once in OpenAPI (`#/components/schemas/Error`) for every route's 4xx and 5xx. */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: literals(ERROR_CODES),
      message: Type.String({ description: 'for the developer, in English; a person is shown the text for `code`' }),
      field: Type.Optional(Type.String({ description: 'the input field at fault: `principal`, `body.rate`, `installments.0.amount`' })),
    }),
  },
  { $id: 'Error' },
);
import { errorForLog } from './log-redaction.js';

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
    schema.response = { ...schema.response, '4xx': Type.Ref('Error'), '5xx': Type.Ref('Error') };
  });
  app.setErrorHandler((error: FastifyError | SproutError, request, reply) => {
    if (error instanceof SproutError) {
      if (error.code === 'INTERNAL') request.log.error({ err: errorForLog(error) }, 'internal error');
      return reply.status(HTTP_STATUS[error.code]).send(error.toJSON());
    }
    if (error.validation) {
      const issue = error.validation[0] as AjvIssue | undefined;
      const field = issue ? fieldOf(issue) : (error.validationContext ?? 'body');
      const message = issue ? describe(issue) : error.message;
      return reply.status(400).send(body('VALIDATION', `${field}: ${message}`, field));
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

function body(code: ErrorCode, message: string, field?: string) {
  return { error: { code, message, ...(field === undefined ? {} : { field }) } };
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
