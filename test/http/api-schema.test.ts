/**
 * The web app's API types are generated from the server's OpenAPI document; this fails when a
 * route's schema changed and `npm run generate:api` was not run, so the web app cannot drift from
 * the server it talks to.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_SCHEMA_FILE, currentApiTypes, generateApiTypes, openApiDocument } from '../../scripts/generate-api-types.js';

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
    const withoutError = operations.filter(({ responses }) => JSON.stringify(responses['4XX']) !== JSON.stringify({ description: 'Default Response', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }));
    assert.deepEqual(withoutError.map(({ method, path }) => `${method} ${path}`), []);
  });
});
