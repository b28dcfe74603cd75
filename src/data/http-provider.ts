/**
 * The HTTP connector: one data source served as JSON over HTTP(S) by the source's own system (the
 * tax bureau's API, the grid company's gateway, a bank's data hub). What differs between two such
 * systems — the URL, the authentication, the shape of the JSON — is configuration, not code: the
 * response is turned into Sprout's records by a field mapping given as data.
 *
 * Resilience, each bounded:
 * - a timeout per attempt (`timeoutMs`);
 * - retries with exponential backoff for what may pass (network errors, timeouts, HTTP 5xx and
 *   429): `retries` more attempts, waiting `backoffMs`, 2×, 4× …;
 * - a circuit breaker: after `breakerFailures` failed requests in a row the source is not asked
 *   for `breakerOpenMs`, every request failing at once; then one trial request decides;
 * - a rate limit: at most `ratePerSecond` requests started per second, later ones wait their turn.
 *
 * A failure is a {@link SourceUnavailableError} (`UNAVAILABLE`, HTTP 503) naming the source:
 * nothing is stored, the decision is not made, and the same request can be made again. A
 * malformed answer (not JSON, records missing, a field that does not parse) is a failure too and
 * is not retried: the source would send the same again. HTTP 404 is "no records for this
 * enterprise" (an empty list), as a source that does not know a firm says.
 *
 * @example
 * const tax = httpProvider({
 *   source: 'tax',
 *   baseUrl: 'https://tax-gateway.bank.internal',
 *   path: '/v1/invoices/{creditCode}?from={from}&to={asOf}',
 *   auth: { header: 'Authorization', value: `Bearer ${token}` },
 *   mapping: { records: 'data.items', kind: 'tax-month', fields: { month: 'period', invoicedSales: 'sales', taxPaid: 'tax' } },
 * });
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceUnavailableError, ValidationError } from '../errors.js';
import { checkDataRequest, selectWindow, type DataProvider, type DataRequest } from './data-provider.js';
import type { DataRecord, DataSource, SourceRecordMap } from './data-records.js';
import { decodeRecord, RECORD_KINDS } from './record-fields.js';

/** How the JSON answer becomes records. Paths are dot-separated (`data.items`, `amount.value`). */
export interface FieldMapping {
  /** Where the list of records is in the answer; '' for an answer that is the list itself. */
  readonly records: string;
  /** The record kind when the source has one kind of record (tax: 'tax-month'). */
  readonly kind?: string;
  /** Where each item's kind is, when the source has several (courts: lawsuits and listings). */
  readonly kindField?: string;
  /** The source's words for the kinds → Sprout's kinds ({ "CASE": "lawsuit" }); absent: the same words. */
  readonly kinds?: Readonly<Record<string, string>>;
  /** Sprout's field → where it is in each item; fields not named are read under their own name. */
  readonly fields?: Readonly<Record<string, string>>;
  /** The source's words for enumerated values ({ "role": { "被告": "defendant" } }). */
  readonly values?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Mutual TLS: the client certificate and key Sprout presents, and the CA it trusts (PEM text). */
export interface MutualTls {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
}

export interface HttpProviderOptions {
  readonly source: DataSource;
  /** 'https://tax-gateway.bank.internal' (no trailing path needed). */
  readonly baseUrl: string;
  /**
   * The request path, with `{creditCode}`, `{asOf}`, `{from}` (first day of the window),
   * `{months}` and `{source}` filled in (URL-encoded). Default `/{source}/{creditCode}?asOf={asOf}&months={months}`.
   */
  readonly path?: string;
  /** An authentication header sent with every request (its value is a secret: from the environment). */
  readonly auth?: { readonly header: string; readonly value: string };
  readonly tls?: MutualTls;
  readonly mapping: FieldMapping;
  /** Per attempt; default 5,000 ms. */
  readonly timeoutMs?: number;
  /** More attempts after the first; default 2. */
  readonly retries?: number;
  /** Wait before the first retry, doubling each time; default 250 ms. */
  readonly backoffMs?: number;
  /** Failed requests in a row that open the circuit; default 5. */
  readonly breakerFailures?: number;
  /** How long an open circuit refuses before a trial request; default 30,000 ms. */
  readonly breakerOpenMs?: number;
  /** Requests started per second at most; default 10. */
  readonly ratePerSecond?: number;
  /** Recorded with every pull; default `http:<baseUrl>`. */
  readonly name?: string;
  /** The clock the breaker and rate limit read (tests); default `Date.now`. */
  readonly clock?: () => number;
  /** How the connector waits (backoff, rate limit); tests record the waits; default a timer. */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** Largest answer read from a source: far above a firm's five years of records. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Bounds on the knobs, so a typo in the configuration cannot make a request wait for an hour. */
const LIMITS = { timeoutMs: [100, 120_000], retries: [0, 10], backoffMs: [0, 60_000], breakerFailures: [1, 1000], breakerOpenMs: [0, 3_600_000], ratePerSecond: [0.01, 10_000] } as const;

/** The state of one source's circuit breaker, readable for the operations page and tests. */
export interface BreakerState {
  readonly state: 'closed' | 'open' | 'half-open';
  readonly consecutiveFailures: number;
  /** When an open circuit lets a trial request through (ms since the epoch); null when closed. */
  readonly openUntil: number | null;
}

/** A provider over HTTP, with its breaker visible. */
export interface HttpProvider extends DataProvider {
  breaker(): BreakerState;
}

/** A failure worth another attempt (the network, a timeout, 5xx, 429) or not (malformed, 4xx). */
class AttemptError extends Error {
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean) {
    super(message);
    this.retryable = retryable;
  }
}

/**
 * Makes the HTTP connector for one source; see the module comment.
 *
 * @example
 * const provider = httpProvider({ source: 'water', baseUrl: 'http://127.0.0.1:8080', mapping: { records: 'items', kind: 'water-month' } });
 */
export function httpProvider(options: HttpProviderOptions): HttpProvider {
  const { source, mapping } = options;
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new ValidationError(`${source}.baseUrl`, `is not a URL: "${options.baseUrl}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ValidationError(`${source}.baseUrl`, 'must be http: or https:');
  if (options.tls !== undefined && base.protocol !== 'https:') throw new ValidationError(`${source}.tls`, 'mutual TLS needs an https: base URL');
  checkMapping(source, mapping);
  const knob = (name: keyof typeof LIMITS, fallback: number): number => {
    const value = options[name] ?? fallback;
    const [min, max] = LIMITS[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw new ValidationError(`${source}.${name}`, `must be a number from ${min} to ${max}`);
    return value;
  };
  const timeoutMs = knob('timeoutMs', 5000);
  const retries = Math.trunc(knob('retries', 2));
  const backoffMs = knob('backoffMs', 250);
  const breakerFailures = Math.trunc(knob('breakerFailures', 5));
  const breakerOpenMs = knob('breakerOpenMs', 30_000);
  const intervalMs = 1000 / knob('ratePerSecond', 10);
  const clock = options.clock ?? Date.now;
  const wait = options.sleep ?? sleep;
  const pathTemplate = options.path ?? '/{source}/{creditCode}?asOf={asOf}&months={months}';
  const agent = options.tls === undefined ? undefined : new HttpsAgent({ cert: options.tls.cert, key: options.tls.key, ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }), keepAlive: true });
  const name = options.name ?? `http:${base.origin}${base.pathname === '/' ? '' : base.pathname}`;

  let consecutiveFailures = 0;
  let openUntil: number | null = null;
  let trialInFlight = false;
  let nextStart = 0;

  const breaker = (): BreakerState => ({
    state: openUntil === null ? 'closed' : clock() < openUntil || trialInFlight ? 'open' : 'half-open',
    consecutiveFailures,
    openUntil,
  });

  /** Waits for the request's turn under the rate limit (slots are handed out in order). */
  const takeTurn = async (): Promise<void> => {
    const now = clock();
    const start = Math.max(now, nextStart);
    nextStart = start + intervalMs;
    if (start > now) await wait(start - now);
  };

  const attempt = async (url: URL): Promise<unknown> => {
    await takeTurn();
    const response = await get(url, { timeoutMs, agent, headers: options.auth === undefined ? {} : { [options.auth.header]: options.auth.value } });
    if (response.status === 404) return null;
    if (response.status === 429 || response.status >= 500) throw new AttemptError(`HTTP ${response.status}`, true);
    if (response.status < 200 || response.status >= 300) throw new AttemptError(`HTTP ${response.status}`, false);
    try {
      return JSON.parse(response.body);
    } catch {
      throw new AttemptError('the answer is not JSON', false);
    }
  };

  return {
    name,
    sources: [source],
    breaker,
    async fetch<S extends DataSource>(request: DataRequest<S>): Promise<readonly SourceRecordMap[S][]> {
      const checked = checkDataRequest(request, [source]);
      if (openUntil !== null) {
        // Open: refuse at once until the wait is over; then one trial request at a time.
        if (clock() < openUntil || trialInFlight) throw new SourceUnavailableError(source, `${source} source: circuit open after ${consecutiveFailures} failed requests in a row; next try after ${new Date(openUntil).toISOString()}`);
        trialInFlight = true;
      }
      const url = new URL(fillPath(pathTemplate, { source, creditCode: checked.creditCode, asOf: checked.asOf, from: checked.from, months: String(checked.months) }), base);
      let lastError = '';
      try {
        for (let n = 0; n <= retries; n++) {
          if (n > 0) await wait(backoffMs * 2 ** (n - 1));
          try {
            const body = await attempt(url);
            const records = body === null ? [] : mapRecords(source, mapping, body);
            consecutiveFailures = 0;
            openUntil = null;
            return selectWindow(records, checked) as SourceRecordMap[S][];
          } catch (error) {
            if (error instanceof ValidationError) {
              lastError = `malformed answer: ${error.message}`;
              break;
            }
            lastError = error instanceof Error ? error.message : String(error);
            if (error instanceof AttemptError && !error.retryable) break;
          }
        }
      } finally {
        trialInFlight = false;
      }
      consecutiveFailures += 1;
      if (consecutiveFailures >= breakerFailures || openUntil !== null) openUntil = clock() + breakerOpenMs;
      throw new SourceUnavailableError(source, `${source} source (${name}) failed: ${lastError}`);
    },
  };
}

/** Fills `{name}` placeholders, URL-encoded. */
function fillPath(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => (values[key] === undefined ? whole : encodeURIComponent(values[key]!)));
}

/** Checks a mapping once, when the connector is made: a kind Sprout does not know is a configuration error. */
function checkMapping(source: DataSource, mapping: FieldMapping): void {
  const kinds = Object.keys(RECORD_KINDS[source]);
  if (typeof mapping.records !== 'string') throw new ValidationError(`${source}.mapping.records`, 'is required: the path of the list of records in the answer ("" for the answer itself)');
  if (mapping.kind === undefined && mapping.kindField === undefined && kinds.length > 1) throw new ValidationError(`${source}.mapping`, `needs kind or kindField: ${source} has the kinds ${kinds.join(', ')}`);
  if (mapping.kind !== undefined && !kinds.includes(mapping.kind)) throw new ValidationError(`${source}.mapping.kind`, `must be one of ${kinds.join(', ')}`);
  for (const kind of Object.values(mapping.kinds ?? {})) if (!kinds.includes(kind)) throw new ValidationError(`${source}.mapping.kinds`, `'${kind}' is not a kind of ${source} (use ${kinds.join(', ')})`);
  const fields = new Set(Object.values(RECORD_KINDS[source]).flatMap((types) => Object.keys(types)));
  for (const field of [...Object.keys(mapping.fields ?? {}), ...Object.keys(mapping.values ?? {})]) {
    if (!fields.has(field)) throw new ValidationError(`${source}.mapping.fields`, `'${field}' is not a field of ${source} records (use ${[...fields].join(', ')})`);
  }
}

/** The value at a dot path (`data.items`), or undefined. */
function at(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Turns a source's JSON answer into records by the mapping; a missing list or a field that does
 * not parse is a {@link ValidationError} naming the item and field.
 *
 * @example
 * mapRecords('water', { records: 'items', kind: 'water-month', fields: { cubicMetres: 'm3' } }, { items: [{ month: '2025-05', m3: 42 }] });
 */
export function mapRecords(source: DataSource, mapping: FieldMapping, body: unknown): DataRecord[] {
  const items = at(body, mapping.records);
  if (!Array.isArray(items)) throw new ValidationError(mapping.records === '' ? 'answer' : mapping.records, 'is not a list of records');
  const kinds = RECORD_KINDS[source];
  return items.map((item, i) => {
    const where = `${mapping.records === '' ? 'answer' : mapping.records}[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new ValidationError(where, 'is not an object');
    let kind = mapping.kind;
    if (kind === undefined && mapping.kindField !== undefined) {
      const said = at(item, mapping.kindField);
      kind = typeof said === 'string' ? (mapping.kinds?.[said] ?? said) : undefined;
    }
    kind ??= Object.keys(kinds)[0]!;
    const fields: Record<string, unknown> = {};
    for (const field of Object.keys(kinds[kind] ?? {})) {
      let value = at(item, mapping.fields?.[field] ?? field);
      const words = mapping.values?.[field];
      if (words !== undefined && typeof value === 'string' && words[value] !== undefined) value = words[value];
      fields[field] = value;
    }
    return decodeRecord(source, kind, fields, where);
  });
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One GET with a hard timeout and a bounded body; network trouble is a retryable AttemptError. */
function get(url: URL, options: { timeoutMs: number; agent: HttpsAgent | undefined; headers: Record<string, string> }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: 'GET', headers: { accept: 'application/json', ...options.headers }, ...(options.agent === undefined ? {} : { agent: options.agent }) }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          request.destroy();
          reject(new AttemptError(`the answer is larger than ${MAX_RESPONSE_BYTES} bytes`, false));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error) => reject(new AttemptError(`reading the answer: ${error.message}`, true)));
    });
    // The whole attempt, connection to last byte, within the timeout.
    const timer = setTimeout(() => {
      request.destroy();
      reject(new AttemptError(`no answer within ${options.timeoutMs} ms`, true));
    }, options.timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error) => reject(new AttemptError(`request failed: ${error.message}`, true)));
    request.end();
  });
}
