/**
 * The few error classes Sprout raises, each with a stable `code`.
 *
 * Expected business outcomes (a declined application, a schedule preview) are results, not
 * exceptions; these are for requests that cannot be carried out. The HTTP edge maps `code` to a
 * status and renders `{ "error": { "code", "message", "field"? } }`; the CLI prints the message on
 * stderr and exits non-zero.
 *
 * @example
 * throw new ValidationError('principal', 'must be a positive amount with at most two decimals');
 */

/**
 * Stable machine-readable error codes, a closed list: the API publishes it as an enum and the web
 * app has a text for each (test/web/code-texts.test.ts). Never rename one: clients switch on them.
 */
export const ERROR_CODES = ['VALIDATION', 'NOT_AUTHENTICATED', 'NOT_AUTHORISED', 'NOT_FOUND', 'CONFLICT', 'LIMIT_EXCEEDED', 'RATE_LIMITED', 'INTERNAL', 'UNAVAILABLE'] as const;

/**
 * Why a request was refused, finer than its code: the web app shows a sentence for each, filled
 * with the error's `params` and preceded by the field's label ("统一社会信用代码第 18 位 '0' 有误，
 * 校验位应为 'Y'"), so a person never reads the developer's English `message`. A closed list
 * (test/web/code-texts.test.ts checks each has a Chinese and an English text); an error without a
 * reason is shown by its code and field.
 */
export const ERROR_REASONS = [
  'required', 'unknown-field', 'invalid-format', 'too-short', 'too-long', 'too-small', 'too-large', 'not-a-choice', 'wrong-type',
  'credit-code-length', 'credit-code-character', 'credit-code-division', 'credit-code-organisation-check', 'credit-code-check',
  'invalid-date', 'invalid-amount', 'negative-amount',
  'id-number-format', 'id-number-birth-date', 'id-number-check', 'mobile-format',
  'password-too-short', 'password-too-long', 'password-common', 'password-like-username', 'password-repetitive',
  'division-code', 'province-code', 'above-available', 'login-refused', 'session-expired', 'line-frozen',
  'loan-not-defaulted', 'enforcement-not-exhausted', 'still-secures', 'guarantee-not-held', 'guarantor-not-authorised', 'no-person-connector',
  'bank-code-format', 'account-number-format', 'renewal-window-not-open', 'renewal-after-maturity',
  'split-not-whole', 'certificate-not-held', 'invoice-already-registered', 'receivable-disputed', 'certificate-due', 'programme-headroom',
  'supplier-limit', 'industry-limit', 'supplier-not-eligible', 'tenor-too-long', 'programme-not-in-force', 'core-enterprise-impaired',
  'advance-above-face', 'registry-pledged', 'dilution-warning', 'supplier-impaired',
  'schedule-not-reamortised', 'database-switching',
] as const;

/** One of `ERROR_REASONS`. */
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** The values a reason's sentence names: a position, a character, a limit, an amount ("305.00"). */
export type ErrorParams = Readonly<Record<string, string | number>>;

/** One of `ERROR_CODES`. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each code; the only place that mapping lives. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  NOT_AUTHENTICATED: 401,
  NOT_AUTHORISED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/** Base class: every error Sprout raises on purpose. */
export class SproutError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault, when there is one (`principal`, `body.rate`, `--periods`…). */
  readonly field: string | undefined;
  /** Why, as a closed code a person is shown a sentence for; with the values it names. */
  readonly reason: ErrorReason | undefined;
  readonly params: ErrorParams | undefined;

  constructor(code: ErrorCode, message: string, field?: string, reason?: ErrorReason, params?: ErrorParams) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.field = field;
    this.reason = reason;
    this.params = params;
  }

  /** The wire shape shared by the API and `--format json` output of the CLI. */
  toJSON(): { error: { code: ErrorCode; message: string; field?: string; reason?: ErrorReason; params?: ErrorParams } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...(this.reason === undefined ? {} : { reason: this.reason }),
        ...(this.params === undefined ? {} : { params: this.params }),
      },
    };
  }
}

/** Bad input. Always names the field; nothing has been changed when it is thrown. */
export class ValidationError extends SproutError {
  /**
   * @example
   * new ValidationError('creditCode', "character 18 '0' is wrong", 'credit-code-check', { position: 18, character: '0', expected: 'Y' });
   */
  constructor(field: string, message: string, reason?: ErrorReason, params?: ErrorParams) {
    super('VALIDATION', `${field}: ${message}`, field, reason, params);
  }
}

/** No credentials, or credentials that are wrong or expired. */
export class NotAuthenticatedError extends SproutError {
  constructor(message = 'authentication required', reason?: ErrorReason) {
    super('NOT_AUTHENTICATED', message, undefined, reason);
  }
}

/** Authenticated, but the caller's role may not do this. */
export class NotAuthorisedError extends SproutError {
  constructor(message = 'your role may not do this') {
    super('NOT_AUTHORISED', message);
  }
}

/** The thing asked for does not exist (or the caller may not know it exists). */
export class NotFoundError extends SproutError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

/** The request conflicts with the current state (a duplicate, a stale version). */
export class ConflictError extends SproutError {
  constructor(message: string, field?: string, reason?: ErrorReason, params?: ErrorParams) {
    super('CONFLICT', message, field, reason, params);
  }
}

/** A business limit would be exceeded (a drawdown above the available amount, say). */
export class LimitExceededError extends SproutError {
  constructor(message: string, field?: string, reason?: ErrorReason, params?: ErrorParams) {
    super('LIMIT_EXCEEDED', message, field, reason, params);
  }
}

/** Too many requests from one address in a window; the caller should wait `retryAfterSeconds`. */
export class RateLimitedError extends SproutError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * An outside system Sprout depends on (a data source: the tax bureau's API, the credit bureau) did
 * not answer usefully: down, too slow, malformed, or its circuit breaker is open. Nothing was
 * decided or stored; the same request may succeed later (HTTP 503).
 *
 * @example
 * throw new SourceUnavailableError('tax', 'tax source: 3 attempts failed (timeout after 5000 ms)');
 */
export class SourceUnavailableError extends SproutError {
  constructor(field: string, message: string) {
    super('UNAVAILABLE', message, field);
  }
}

/**
 * An invariant of Sprout's own state failed: a bug, never a user's mistake, so an `INTERNAL` error
 * (HTTP 500, logged), distinct from a `ValidationError` so that tests and logs can tell a refused
 * request from a broken promise. Input that could break an invariant is refused earlier, as a
 * ValidationError naming the field.
 *
 * @example
 * throw new InvariantError('repayment parts sum to the amount paid');
 */
export class InvariantError extends SproutError {
  constructor(message: string) {
    super('INTERNAL', `invariant violated: ${message}`);
  }
}

/**
 * Asserts an invariant in production code (TigerBeetle style): throws an {@link InvariantError}.
 *
 * @example
 * invariant(balance >= 0n, `loan ${id}: principal_not_due ${balance} is negative`);
 */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}
