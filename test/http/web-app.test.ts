import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { seedDemoUsers } from '../../src/auth/demo-users.js';
import { buildApp } from '../../src/http/app.js';
import { withTestDatabase } from '../support/backends.js';

/** A stand-in for `web/dist`: an index page and one hashed asset. */
function fakeDist(): string {
  const root = mkdtempSync(join(tmpdir(), 'sprout-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log("sprout")');
  return root;
}

describe('the web app served by the API server', () => {
  it('serves index.html for client routes, assets with long caching, and leaves the API alone', async () => {
    const root = fakeDist();
    try {
      await withTestDatabase('pglite', async ({ db }) => {
        await seedDemoUsers(db);
        const app = await buildApp({ db, backend: 'pglite', version: 'test', now: () => new Date(), webRoot: root });
        try {
          for (const url of ['/', '/login', '/dashboard', '/loans?status=active']) {
            const page = await app.inject({ method: 'GET', url });
            assert.equal(page.statusCode, 200, url);
            assert.match(String(page.headers['content-type']), /^text\/html/, url);
            assert.match(page.body, /<div id="root">/, url);
            assert.equal(page.headers['cache-control'], 'no-cache');
            assert.match(String(page.headers['content-security-policy']), /default-src 'self'.*frame-ancestors 'none'/);
            assert.equal(page.headers['x-content-type-options'], 'nosniff');
          }
          const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
          assert.equal(asset.statusCode, 200);
          assert.match(String(asset.headers['content-type']), /javascript/);
          assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
          assert.equal((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode, 404);
          assert.ok([403, 404].includes((await app.inject({ method: 'GET', url: '/assets/..%2f..%2fpackage.json' })).statusCode), 'no path traversal');

          const health = await app.inject({ method: 'GET', url: '/health' });
          assert.equal((health.json() as { status: string }).status, 'ok');
          assert.equal((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode, 200);
          assert.match((await app.inject({ method: 'GET', url: '/docs/' })).body, /swagger-ui/i);
          const unknownApi = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
          assert.equal(unknownApi.statusCode, 404);
          assert.deepEqual(unknownApi.json(), { error: { code: 'NOT_FOUND', message: 'no route GET /v1/nothing-here' } });
          assert.equal((await app.inject({ method: 'GET', url: '/v1/me' })).statusCode, 401);
          const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
          assert.equal(openapi.paths['/*'], undefined, 'the web app is not part of the API description');
        } finally {
          await app.close();
        }
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says how to build the app when web/dist is missing', async () => {
    await withTestDatabase('pglite', async ({ db }) => {
      const app = await buildApp({ db, backend: 'pglite', version: 'test', now: () => new Date(), webRoot: join(tmpdir(), 'sprout-no-such-dist') });
      try {
        const page = await app.inject({ method: 'GET', url: '/' });
        assert.equal(page.statusCode, 503);
        assert.match(page.body, /npm run build:web/);
      } finally {
        await app.close();
      }
    });
  });
});
