import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import type { Role } from '../../src/auth/roles.js';
import { STAFF_ROLES } from '../../src/auth/roles.js';
import { checkText, jsonDepth, MAX_JSON_DEPTH } from '../../src/http/hostile-input.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

interface ErrorBody {
  error: { code: string; message: string; field?: string; reason?: string; params?: Record<string, string | number> };
}

/** True when `body` is exactly the documented error shape. */
function isErrorShape(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  const error = (parsed as Partial<ErrorBody> | null)?.error;
  if (parsed === null || typeof parsed !== 'object' || Object.keys(parsed).length !== 1 || error === undefined) return false;
  const keys = Object.keys(error);
  return (
    typeof error.code === 'string' &&
    typeof error.message === 'string' &&
    keys.every((key) => ['code', 'message', 'field', 'reason', 'params'].includes(key)) &&
    (error.field === undefined || typeof error.field === 'string') &&
    (error.reason === undefined || typeof error.reason === 'string') &&
    (error.params === undefined || (typeof error.params === 'object' && error.params !== null && Object.values(error.params).every((value) => typeof value === 'string' || typeof value === 'number')))
  );
}

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('hostile input, pure checks', () => {
  it('JSON depth is counted on the text, brackets inside strings ignored', () => {
    assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3);
    assert.equal(jsonDepth('{"a":"[[[[{{{{\\"]]"}'), 1);
    assert.equal(jsonDepth('"just text"'), 0);
    assert.equal(jsonDepth(deep(10_000)), 10_000);
    // Counting stops just past the limit: a 10 MB bracket bomb is not walked to its end.
    assert.equal(jsonDepth(deep(1_000_000), MAX_JSON_DEPTH), MAX_JSON_DEPTH + 1);
  });

  it('text is normalised to NFC and a lone surrogate or NUL names its field', () => {
    assert.deepEqual(checkText({ name: 'Cafe\u0301', tags: ['e\u0301'] }, 'body'), { name: 'Caf\u00e9', tags: ['\u00e9'] });
    assert.deepEqual(checkText({ ok: '😀 王芳 \u202etxt' }, 'body'), { ok: '😀 王芳 \u202etxt' });
    assert.throws(() => checkText({ owner: { name: 'x\ud800' } }, 'body'), { code: 'VALIDATION', field: 'owner.name' });
    assert.throws(() => checkText({ list: ['ok', '\udc00'] }, 'body'), { code: 'VALIDATION', field: 'list.1' });
    assert.throws(() => checkText({ 'key\u0000': 1 }, 'body'), { code: 'VALIDATION', field: 'key\u0000' });
    assert.throws(() => checkText('a\u0000', 'body'), { code: 'VALIDATION', field: 'body' });
  });
});

/** Strings an attacker sends: lone surrogates, NUL, bidi overrides, 10k characters, injections, impossible dates. */
const HOSTILE_STRINGS = [
  '\ud800',
  'a\udfffb',
  'nul\u0000byte',
  '\u202egnp.exe',
  '\u200f\u200e',
  'x'.repeat(10_000),
  "'; drop table enterprise; --",
  "' or '1'='1",
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  '../../etc/passwd',
  '2025-02-30',
  '0000-00-00',
  '-1',
  '1e309',
  '99999999999999999999999.99',
  'Cafe\u0301',
  '',
  ' ',
];

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

interface Operation {
  parameters?: { in: string; name: string; schema: JsonSchema; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  description?: string;
}

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const plausibleString = fc.constantFrom('019a5d0e-8c1b-7f3e-9a21-4c6b8e2d1f00', '2025-06-30', '100.00', 'MICRO-LINE', 'approve', 'micro', 'wang.fang', 'a long secret');

/** Values shaped by `schema`, with hostile strings and numbers mixed in at every level. */
function valueFor(schema: JsonSchema | undefined, depth: number): fc.Arbitrary<unknown> {
  if (schema === undefined || depth > 6) return fc.oneof(hostileString, fc.constant(null));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => valueFor(alternative, depth + 1)));
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), hostileString);
  if (schema.enum !== undefined) return fc.oneof(fc.constantFrom(...schema.enum), hostileString);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, valueFor(property, depth + 1)]));
      const shaped = fc.record(properties, { requiredKeys: schema.required?.filter((name) => name in properties) ?? [] });
      return fc.oneof({ weight: 4, arbitrary: shaped }, fc.tuple(shaped, hostileString).map(([value, unknown]) => ({ ...(value as object), [unknown.slice(0, 40) || 'extra']: unknown })));
    }
    case 'array':
      return fc.oneof({ weight: 3, arbitrary: fc.array(valueFor(schema.items, depth + 1), { maxLength: 3 }) }, fc.array(hostileString, { minLength: 200, maxLength: 400 }));
    case 'string':
      return fc.oneof(hostileString, plausibleString);
    case 'integer':
    case 'number':
      return fc.oneof(fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5), fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 1000) }));
    case 'boolean':
      return fc.oneof(fc.boolean(), hostileString);
    default:
      return fc.oneof(hostileString, fc.integer(), fc.constant(null));
  }
}

/** JSON text for a body: shaped by the schema, or one of the hostile shapes (too deep, too big, not an object). */
function bodyFor(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: valueFor(schema, 0).map((value) => JSON.stringify(value) ?? 'null') },
    fc.constantFrom(deep(10_000), `{"a":${deep(MAX_JSON_DEPTH)}}`, '"\\ud800"', '{"name":"\\ud800"}', '{"name":"\\u0000"}', '[]', 'null', '{', `"${'x'.repeat(2 * 1024 * 1024)}"`),
  );
}

/** Percent-encodes text for a URL; lone surrogates become the bytes a hostile client would send. */
function urlEncode(text: string): string {
  let out = '';
  for (const char of text) out += /[\ud800-\udfff]/u.test(char) ? '%ED%A0%80' : encodeURIComponent(char);
  return out;
}

const hostilePathValue = fc.oneof(hostileString.map(urlEncode), fc.constantFrom('a'.repeat(500), '%E0%A4%A', '%', '..%2F..%2Fetc', '019a5d0e-8c1b-7f3e-9a21-4c6b8e2d1f00', 'MICRO-LINE'));
const hostileQueryValue = fc.oneof(hostileString.map(urlEncode), fc.constantFrom('%E0%A4%A', '%', '2024-02-29', '2025-06-30', '10'));

/** The role to call an operation as: the first staff role its description lists (any-user operations: admin). */
function roleFor(operation: Operation): Role | undefined {
  const who = /Who may call: (.*)\.$/m.exec(operation.description ?? '')?.[1];
  if (who === undefined) return undefined;
  if (who === 'any authenticated user') return 'admin';
  return who.split(', ').find((role): role is Role => (STAFF_ROLES as readonly string[]).includes(role)) ?? 'admin';
}

/** Runs per operation: enough to touch each schema with each kind of hostile input, few enough to stay fast. */
const RUNS_PER_OPERATION = 12;

for (const backend of BACKENDS) {
  describe(`hostile input on ${backend}`, () => {
    it('JSON nested 10,000 deep is a 400 on public and authenticated operations alike', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const json = { 'content-type': 'application/json' };
        for (const [url, headers] of [
          ['/v1/auth/token', json],
          ['/v1/registrations', json],
          ['/v1/enterprises', { ...json, authorization: `Bearer ${await tokenFor('account-manager')}` }],
        ] as const) {
          for (const payload of [deep(10_000), `{"name":${deep(10_000)}}`]) {
            const response = await app.inject({ method: 'POST', url, headers, payload });
            assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
            assert.deepEqual(response.json(), { error: { code: 'VALIDATION', message: `body: must not nest deeper than ${MAX_JSON_DEPTH} levels`, field: 'body' } });
          }
        }
      });
    });

    it('a lone surrogate is a 400 naming the field; text is stored in NFC', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const registration = await app.inject({
          method: 'POST',
          url: '/v1/registrations',
          headers: { 'content-type': 'application/json' },
          payload: '{"username":"lone.surrogate","displayName":"Wang \\ud800","password":"a long secret"}',
        });
        assert.equal(registration.statusCode, 400, registration.body);
        assert.equal((registration.json() as ErrorBody).error.field, 'displayName');

        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}`, 'content-type': 'application/json' };
        const firm = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: '{"name":"Firm \\udfff","sizeClass":"micro"}' });
        assert.deepEqual([firm.statusCode, (firm.json() as ErrorBody).error.field], [400, 'name']);

        // "é" as e + combining acute (2 code points) is stored as the one code point U+00E9.
        const composed = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: JSON.stringify({ name: 'Cafe\u0301 Ltd', sizeClass: 'micro' }) });
        assert.equal(composed.statusCode, 201, composed.body);
        assert.equal((composed.json() as { name: string }).name, 'Caf\u00e9 Ltd');
        const found = await app.inject({ method: 'GET', url: `/v1/enterprises?q=${encodeURIComponent('Cafe\u0301')}`, headers: manager });
        assert.deepEqual((found.json() as { name: string }[]).map((firm) => firm.name), ['Caf\u00e9 Ltd']);
      });
    });

    it('query strings are validated like bodies: impossible dates and NUL are 400s naming the field', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const risk = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        for (const url of ['/v1/ledger/trial-balance?date=2025-02-30', '/v1/ledger/trial-balance?date=2025-13-01', '/v1/ledger/trial-balance?date=2023-02-29', '/v1/reports/portfolio/history?from=2025-04-31', '/v1/reports/portfolio/history.csv?to=2025-00-10']) {
          const response = await app.inject({ method: 'GET', url, headers: risk });
          assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
          assert.ok(['date', 'from', 'to'].includes((response.json() as ErrorBody).error.field ?? ''), response.body);
        }
        const leap = await app.inject({ method: 'GET', url: '/v1/ledger/trial-balance?date=2024-02-29', headers: risk });
        assert.equal(leap.statusCode, 200, leap.body);
        const nul = await app.inject({ method: 'GET', url: '/v1/enterprises?q=a%00b', headers: risk });
        assert.deepEqual([nul.statusCode, (nul.json() as ErrorBody).error.field], [400, 'q']);
        const twice = await app.inject({ method: 'GET', url: '/v1/ledger/trial-balance?date=2024-02-29&date=2024-03-01', headers: risk });
        assert.deepEqual([twice.statusCode, (twice.json() as ErrorBody).error.field], [400, 'date']);
      });
    });

    it("Fastify's own errors answer in the one documented shape", async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const cases: [string, InjectOptions, number][] = [
          ['over-long path parameter', { method: 'GET', url: `/v1/enterprises/${'a'.repeat(500)}`, headers: manager }, 414],
          ['bad percent-encoding in the path', { method: 'GET', url: '/v1/enterprises/%E0%A4%A', headers: manager }, 400],
          ['no such route', { method: 'GET', url: '/v1/nothing-here' }, 404],
          ['unknown method', { method: 'PROPFIND', url: '/health' }, 404],
          ['unsupported content type', { method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'text/xml' }, payload: '<a/>' }, 415],
          ['malformed JSON', { method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/json' }, payload: '{"username":' }, 400],
          ['empty JSON body', { method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/json' }, payload: '' }, 400],
          ['prototype poisoning', { method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{"admin":true}}' }, 400],
          ['body over 1 MiB', { method: 'POST', url: '/v1/enterprises', headers: { ...manager, 'content-type': 'application/json' }, payload: `{"name":"${'x'.repeat(1024 * 1024)}"}` }, 413],
          ['not a UUID', { method: 'GET', url: '/v1/enterprises/not-a-uuid', headers: manager }, 400],
        ];
        for (const [label, request, status] of cases) {
          const response = await app.inject(request);
          assert.equal(response.statusCode, status, `${label}: ${response.body}`);
          assert.ok(isErrorShape(response.body), `${label}: ${response.body}`);
        }
      });
    });

    it('fuzz: every operation of the OpenAPI document, hostile bodies, query strings and path parameters: 4xx only, and the server healthy after', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
        const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })));
        assert.ok(operations.length >= 50, `only ${operations.length} operations in the document`);
        const tokens = new Map<Role, string>();
        for (const { path, method, operation } of operations) {
          const role = roleFor(operation);
          if (role !== undefined && !tokens.has(role)) tokens.set(role, await tokenFor(role));
          const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
          const queryParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
          const bodySchema = operation.requestBody?.content['application/json']?.schema;
          const request = fc.record({
            path: fc.tuple(...pathParameters.map(() => hostilePathValue), fc.constant('')),
            query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...queryParameters.map((parameter) => parameter.name), 'unknown'), hostileString.map(urlEncode)), hostileQueryValue), { maxLength: 3 }),
            body: bodySchema === undefined ? fc.constant(undefined) : bodyFor(bodySchema),
            idempotencyKey: fc.oneof(fc.constant('fuzz-key-0001'), fc.uuid(), hostileString.map(urlEncode).map((text) => text.slice(0, 200))),
          });
          await fc.assert(
            fc.asyncProperty(request, async (generated) => {
              let index = 0;
              const url = path.replace(/\{[^}]+\}/g, () => generated.path[index++] ?? '') + (generated.query.length ? `?${generated.query.map(([name, value]) => `${urlEncode(name)}=${value}`).join('&')}` : '');
              const headers: Record<string, string> = { 'idempotency-key': generated.idempotencyKey };
              if (role !== undefined) headers.authorization = `Bearer ${tokens.get(role)!}`;
              if (generated.body !== undefined) headers['content-type'] = 'application/json';
              const response = await app.inject({ method: method as 'GET', url, headers, ...(generated.body === undefined ? {} : { payload: generated.body }) });
              assert.ok(response.statusCode < 500, `${method} ${url.slice(0, 200)} body ${String(generated.body).slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`);
              if (response.statusCode >= 400) assert.ok(isErrorShape(response.body), `${method} ${url.slice(0, 200)} → ${response.statusCode} not in the error shape: ${response.body.slice(0, 300)}`);
            }),
            { numRuns: RUNS_PER_OPERATION, seed: 13, endOnFailure: true },
          );
        }
        // Healthy after: the health check and an ordinary authenticated request still answer.
        const health = await app.inject({ method: 'GET', url: '/health' });
        assert.equal(health.statusCode, 200, health.body);
        const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${await tokenFor('account-manager')}` } });
        assert.deepEqual([me.statusCode, (me.json() as { role: string }).role], [200, 'account-manager']);
        const firms = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: { authorization: `Bearer ${await tokenFor('account-manager')}` }, payload: { name: 'After the fuzz Ltd', sizeClass: 'micro' } });
        assert.equal(firms.statusCode, 201, firms.body);
      });
    });
  });
}
