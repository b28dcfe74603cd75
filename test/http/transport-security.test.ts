/**
 * Behind a TLS-terminating proxy: with `trustProxy` set, the session cookie is Secure when the
 * proxy says the client came over HTTPS, HSTS is sent, and rate limits count the real client
 * address; without it, the same forwarded headers (which any client can forge) change nothing.
 * Every response carries `X-Content-Type-Options: nosniff`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoPassword, seedDemoUsers } from '../../src/auth/demo-users.js';
import { buildApp } from '../../src/http/app.js';
import { parseTrustProxy } from '../../src/http/transport-security.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const PROXY_HEADERS = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };

describe('trustProxy setting', () => {
  it('reads off, on, a hop count or a list of proxy addresses, naming a bad value', () => {
    assert.equal(parseTrustProxy(undefined), false);
    assert.equal(parseTrustProxy('false'), false);
    assert.equal(parseTrustProxy('true'), true);
    assert.equal(parseTrustProxy('1'), 1);
    assert.deepEqual(parseTrustProxy('10.0.0.1, 10.0.0.0/8'), ['10.0.0.1', '10.0.0.0/8']);
    assert.throws(() => parseTrustProxy('the proxy'), { code: 'VALIDATION', field: 'trustProxy' });
  });
});

for (const backend of BACKENDS) {
  describe(`transport security on ${backend}`, () => {
    it('behind a trusted proxy: Secure cookie and HSTS over HTTPS; nosniff everywhere', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await seedDemoUsers(db);
        const app = await buildApp({ db, backend, version: 'test', now: () => new Date(), rateLimits: 'off', trustProxy: true });
        try {
          const login = await app.inject({ method: 'POST', url: '/v1/auth/session', headers: PROXY_HEADERS, payload: { username: 'borrower', password: demoPassword('borrower') } });
          assert.equal(login.statusCode, 200);
          assert.match(String(login.headers['set-cookie']), /; Secure/);
          assert.match(String(login.headers['strict-transport-security']), /^max-age=31536000; includeSubDomains$/);
          assert.equal(login.headers['x-content-type-options'], 'nosniff');
          const health = await app.inject({ method: 'GET', url: '/health' });
          assert.equal(health.headers['x-content-type-options'], 'nosniff');
          assert.equal(health.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
          const missing = await app.inject({ method: 'GET', url: '/v1/no-such-route' });
          assert.equal(missing.headers['x-content-type-options'], 'nosniff');
        } finally {
          await app.close();
        }
      });
    });

    it('without trustProxy, forged forwarded headers neither make the cookie Secure nor send HSTS', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await seedDemoUsers(db);
        const app = await buildApp({ db, backend, version: 'test', now: () => new Date(), rateLimits: 'off' });
        try {
          const login = await app.inject({ method: 'POST', url: '/v1/auth/session', headers: PROXY_HEADERS, payload: { username: 'borrower', password: demoPassword('borrower') } });
          assert.equal(login.statusCode, 200);
          assert.doesNotMatch(String(login.headers['set-cookie']), /Secure/);
          assert.equal(login.headers['strict-transport-security'], undefined);
        } finally {
          await app.close();
        }
      });
    });

    it('rate limits count the client address a trusted proxy forwards, and ignore it from an untrusted one', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const limits = { windowMs: 60_000, global: 3, login: 3, registration: 3 };
        const health = (app: Awaited<ReturnType<typeof buildApp>>, client: string) => app.inject({ method: 'GET', url: '/health', headers: { 'x-forwarded-for': client } });
        const trusted = await buildApp({ db, backend, version: 'test', now: () => new Date(), rateLimits: limits, trustProxy: true });
        try {
          const statuses = [];
          for (let i = 0; i < 4; i++) statuses.push((await health(trusted, `198.51.100.${i}`)).statusCode);
          assert.deepEqual(statuses, [200, 200, 200, 200], 'four clients behind one proxy each have their own count');
          for (let i = 0; i < 3; i++) assert.equal((await health(trusted, '203.0.113.77')).statusCode, 200);
          assert.equal((await health(trusted, '203.0.113.77')).statusCode, 429, 'one client over its limit');
        } finally {
          await trusted.close();
        }
        const untrusted = await buildApp({ db, backend, version: 'test', now: () => new Date(), rateLimits: limits });
        try {
          const statuses = [];
          for (let i = 0; i < 4; i++) statuses.push((await health(untrusted, `198.51.100.${i}`)).statusCode);
          assert.deepEqual(statuses, [200, 200, 200, 429], 'a forged X-Forwarded-For does not buy a fresh count');
        } finally {
          await untrusted.close();
        }
      });
    });
  });
}
