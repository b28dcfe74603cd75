/**
 * The web app's API types are generated from the server's OpenAPI document; this fails when a
 * route's schema changed and `npm run generate:api` was not run, so the web app cannot drift from
 * the server it talks to.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_SCHEMA_FILE, currentApiTypes, generateApiTypes, openApiDocument } from '../../scripts/generate-api-types.js';
import { ERROR_CODES, ERROR_REASONS } from '../../src/errors.js';
import { Ajv } from 'ajv';
import { compileEverySchema, compileRouteSchemas, MONTH_END_ROUTES, SCHEMA_COMPILERS } from '../../src/http/schema-compilers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('the generated API types', () => {
  it('web/src/api-schema.d.ts is current with the routes\' schemas', async () => {
    const expected = await generateApiTypes();
    const actual = currentApiTypes();
    assert.ok(actual !== null, `${API_SCHEMA_FILE} is missing: run npm run generate:api`);
    assert.ok(actual === expected, `${API_SCHEMA_FILE} is stale: run npm run generate:api and commit the result`);
  });

  it('every API operation declares its success answer and the one error shape', async () => {
    const document = (await openApiDocument()) as { paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, responses: operation.responses ?? {} })));
    assert.ok(operations.length >= 58, `only ${operations.length} operations`);
    const undeclared = operations.filter(({ responses }) => !Object.entries(responses).some(([status, response]) => status.startsWith('2') && (status === '204' || response.content !== undefined)));
    // CSV downloads answer text/csv, which the web app links to rather than parses.
    assert.deepEqual(undeclared.map(({ method, path }) => `${method} ${path}`).filter((name) => !name.endsWith('.csv')), []);
    const withoutError = operations.filter(({ responses }) => JSON.stringify((responses['4XX']?.content as Json)?.['application/json']?.schema) !== JSON.stringify({ $ref: '#/components/schemas/Error' }));
    assert.deepEqual(withoutError.map(({ method, path }) => `${method} ${path}`), []);
  });

  it('every API operation documents its error responses with examples in the one error shape', async () => {
    const document = (await openApiDocument()) as { paths: Record<string, Record<string, { responses?: Record<string, { description?: string; content?: unknown }> }>> };
    const problems: string[] = [];
    let examples = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const status of ['4XX', '5XX']) {
          const response = operation.responses?.[status];
          const media = (response?.content as Json)?.['application/json'];
          const named = Object.entries((media?.examples ?? {}) as Record<string, { value?: { error?: { code?: string; reason?: string } } }>);
          if (named.length === 0) problems.push(`${method} ${path} ${status}: no example`);
          if (!response?.description || response.description === 'Default Response') problems.push(`${method} ${path} ${status}: no description`);
          for (const [name, example] of named) {
            examples++;
            const error = example.value?.error;
            if (!error || !(ERROR_CODES as readonly string[]).includes(error.code ?? '')) problems.push(`${method} ${path} ${status} ${name}: not the error shape`);
            if (error?.reason !== undefined && !(ERROR_REASONS as readonly string[]).includes(error.reason)) problems.push(`${method} ${path} ${status} ${name}: unknown reason ${error.reason}`);
            if (status === '5XX' && error?.code !== 'INTERNAL') problems.push(`${method} ${path} 5XX ${name}: not INTERNAL`);
          }
          // A path that names something can answer "not found"; say so with an example.
          if (status === '4XX' && path.includes('{') && !named.some(([, example]) => example.value?.error?.code === 'NOT_FOUND')) problems.push(`${method} ${path}: no NOT_FOUND example`);
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(examples >= 200, `only ${examples} examples`);
  });

  it('every route\'s request validators and response serializers compile (a server compiles each on its first use)', async () => {
    const document = (await openApiDocument()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(document.paths).reduce((sum, methods) => sum + Object.keys(methods).length, 0);
    // At least a serializer per operation's success answer; compiling throws if a schema does not compile.
    const compiled = compileEverySchema();
    assert.ok(compiled >= operations, `${compiled} compiled for ${operations} operations`);
  });

  it('month end\'s routes are compiled by name before a server listens, and a name no route has is refused', async () => {
    await openApiDocument();
    // Each route has its success answer's serializer; the repayment also its body's validator and its errors' serializers.
    for (const route of MONTH_END_ROUTES) assert.ok(compileRouteSchemas([route]) >= 1, route);
    assert.ok(compileRouteSchemas(['POST /v1/loans/:id/repayments']) >= 3);
    assert.throws(() => compileRouteSchemas(['POST /v1/loans/:id/repayment']), /no schema of route POST \/v1\/loans\/:id\/repayment /);
  });

  it('a serializer compiled before a server listens has compiled its unions\' validators: its first answers compile nothing', () => {
    // fast-json-stringify picks a union's branch with an Ajv validator, by default compiled on the first answer that reaches it.
    const schema = (description: string) => ({
      type: 'object',
      properties: { closedOn: { anyOf: [{ type: 'string' }, { type: 'null' }] }, amount: { oneOf: [{ type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' }, { type: 'integer' }] } },
      description,
    });
    type SerializedRoute = Parameters<ReturnType<typeof SCHEMA_COMPILERS.buildSerializer>>[0];
    const ahead = SCHEMA_COMPILERS.buildSerializer({}, {})({ schema: schema('compiled ahead, only this test'), method: 'GET', url: '/test/ahead', httpStatus: '200' } as SerializedRoute);
    const onFirstUse = SCHEMA_COMPILERS.buildSerializer({}, {})({ schema: schema('compiled on first use, only this test'), method: 'GET', url: '/test/first-use', httpStatus: '200' } as SerializedRoute);
    assert.equal(compileRouteSchemas(['GET /test/ahead']), 1);
    let proto: object = Ajv.prototype;
    while (!Object.hasOwn(proto, '_compileSchemaEnv')) proto = Object.getPrototypeOf(proto) as object;
    const owner = proto as { _compileSchemaEnv: (...args: unknown[]) => unknown };
    const original = owner._compileSchemaEnv;
    let compiles = 0;
    owner._compileSchemaEnv = function (this: unknown, ...args: unknown[]) {
      compiles++;
      return original.apply(this, args);
    };
    const answers = (serialize: (data: unknown) => string) => {
      compiles = 0;
      assert.equal(serialize({ closedOn: null, amount: '12.50' }), '{"closedOn":null,"amount":"12.50"}');
      assert.equal(serialize({ closedOn: '2026-12-04', amount: 7 }), '{"closedOn":"2026-12-04","amount":7}');
      return compiles;
    };
    try {
      assert.equal(answers(ahead), 0);
      // Compiled on its first use (every route not compiled ahead), its unions' validators come with the answers, as before.
      assert.ok(answers(onFirstUse) >= 1);
    } finally {
      owner._compileSchemaEnv = original;
    }
  });
});
