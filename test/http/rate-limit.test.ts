import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedDemoUsers } from '../../src/auth/demo-users.js';
import { buildApp } from '../../src/http/app.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, rateLimitsFromEnv, type RateLimits } from '../../src/http/rate-limit.js';
import { BACKENDS } from '../support/backends.js';
import { withTestDatabase } from '../support/backends.js';

describe('rate limiter', () => {
  it('allows the limit per address and window, then says how long to wait; other addresses and buckets are separate', () => {
    const limiter = new RateLimiter({ windowMs: 60_000, global: 3, login: 2, registration: 1 });
    const t0 = 1_000_000;
    assert.deepEqual([0, 1, 2].map(() => limiter.take('login', '203.0.113.9', t0)), [0, 0, 60]);
    assert.equal(limiter.take('login', '203.0.113.9', t0 + 45_500), 15);
    assert.equal(limiter.take('login', '198.51.100.7', t0), 0, 'another address has its own count');
    assert.equal(limiter.take('global', '203.0.113.9', t0), 0, 'another bucket has its own count');
    assert.equal(limiter.take('login', '203.0.113.9', t0 + 60_000), 0, 'a new window starts afresh');
    assert.equal(limiter.take('registration', '203.0.113.9', t0), 0);
    assert.equal(limiter.take('registration', '203.0.113.9', t0 + 59_999), 1);
  });

  it('reads its limits from the environment, naming a bad variable', () => {
    assert.deepEqual(rateLimitsFromEnv({}), DEFAULT_RATE_LIMITS);
    assert.deepEqual(rateLimitsFromEnv({ SPROUT_RATE_LIMIT_LOGIN: '10', SPROUT_RATE_LIMIT_WINDOW_SECONDS: '300' }), { ...DEFAULT_RATE_LIMITS, login: 10, windowMs: 300_000 });
    assert.equal(rateLimitsFromEnv({ SPROUT_RATE_LIMIT: 'off' }), 'off');
    assert.throws(() => rateLimitsFromEnv({ SPROUT_RATE_LIMIT_GLOBAL: '0' }), /SPROUT_RATE_LIMIT_GLOBAL/);
  });

  it('refuses limits that are not positive integers', () => {
    assert.throws(() => new RateLimiter({ ...DEFAULT_RATE_LIMITS, login: 0 }), /login/);
    assert.throws(() => new RateLimiter({ ...DEFAULT_RATE_LIMITS, global: 1.5 }), /global/);
  });
});

for (const backend of BACKENDS) {
  describe(`rate limits over HTTP on ${backend}`, () => {
    const limits: RateLimits = { windowMs: 60_000, global: 8, login: 3, registration: 2 };
    let clock = Date.parse('2025-06-30T02:00:00Z');

    it('a fourth login from one address in a minute is a 429 with Retry-After and the error shape; the window passes and it is allowed', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await seedDemoUsers(db);
        const app = await buildApp({ db, backend, version: 'test', now: () => new Date(clock), rateLimits: limits });
        try {
          const login = (remoteAddress: string) => app.inject({ method: 'POST', url: '/v1/auth/token', remoteAddress, payload: { username: 'operator', password: 'wrong-password' } });
          assert.deepEqual(await Promise.all([1, 2, 3].map(async () => (await login('203.0.113.9')).statusCode)), [401, 401, 401]);
          const refused = await login('203.0.113.9');
          assert.equal(refused.statusCode, 429);
          assert.equal(refused.headers['retry-after'], '60');
          assert.equal((refused.json() as { error: { code: string } }).error.code, 'RATE_LIMITED');
          // Refused before the password check: the failed-login count of the user on that address did not move.
          const row = await db.selectFrom('login_throttle').select('failures').where('username', '=', 'operator').where('address', '=', '203.0.113.9').executeTakeFirstOrThrow();
          assert.equal(row.failures, 3);
          assert.equal((await login('198.51.100.7')).statusCode, 401, 'another address is not affected');
          // Web-app logins share the bucket.
          assert.equal((await app.inject({ method: 'POST', url: '/v1/auth/session', remoteAddress: '203.0.113.9', payload: { username: 'operator', password: 'x' } })).statusCode, 429);
          clock += 60_000;
          const ok = await app.inject({ method: 'POST', url: '/v1/auth/token', remoteAddress: '203.0.113.9', payload: { username: 'admin', password: 'admin-demo' } });
          assert.equal(ok.statusCode, 200);

          // The global bucket: the ninth request in a window from one address.
          const health = await Promise.all(Array.from({ length: 9 }, () => app.inject({ method: 'GET', url: '/health', remoteAddress: '192.0.2.1' })));
          assert.deepEqual(health.map((response) => response.statusCode), [200, 200, 200, 200, 200, 200, 200, 200, 429]);
        } finally {
          await app.close();
        }
      });
    });

    it('registration creates a borrower with no enterprise who can log in; a third registration from one address is refused', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const app = await buildApp({ db, backend, version: 'test', now: () => new Date(clock), rateLimits: limits });
        try {
          const register = (username: string, extra: Record<string, unknown> = {}) =>
            app.inject({ method: 'POST', url: '/v1/registrations', remoteAddress: '203.0.113.50', payload: { username, displayName: '王芳', password: 'a long secret', ...extra } });
          const created = await register('wang.fang', { phone: '13812345678' });
          assert.equal(created.statusCode, 202, created.body);
          const body = created.json() as { username: string; message: string };
          assert.deepEqual(Object.keys(body).sort(), ['message', 'username']);
          assert.equal(body.username, 'wang.fang');
          const stored = await db.selectFrom('app_user').select(['id', 'role', 'phone']).where('username', '=', 'wang.fang').executeTakeFirstOrThrow();
          assert.deepEqual({ role: stored.role, phone: stored.phone }, { role: 'borrower', phone: '13812345678' });
          // The phone number is not in the audit trail.
          const events = await db.selectFrom('audit_event').select('after').where('entity_id', '=', stored.id).execute();
          assert.ok(events.length > 0);
          assert.equal(JSON.stringify(events).includes('13812345678'), false);

          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', remoteAddress: '203.0.113.50', payload: { username: 'wang.fang', password: 'a long secret' } });
          assert.equal(login.statusCode, 200);
          const user = (login.json() as { user: { role: string; enterpriseIds: string[]; enterpriseId: null } }).user;
          assert.deepEqual([user.role, user.enterpriseIds, user.enterpriseId], ['borrower', [], null]);

          // A role cannot be chosen; the taken name gets the same answer as a free one; the third registration a 429.
          const withRole = await app.inject({ method: 'POST', url: '/v1/registrations', remoteAddress: '203.0.113.51', payload: { username: 'sneaky', displayName: 'S', password: 'a long secret', role: 'admin' } });
          assert.deepEqual([withRole.statusCode, (withRole.json() as { error: { field: string } }).error.field], [400, 'role']);
          const taken = await register('wang.fang');
          assert.deepEqual([taken.statusCode, taken.json()], [202, body]);
          const third = await register('li.lei');
          assert.equal(third.statusCode, 429);
          assert.ok(Number(third.headers['retry-after']) > 0);
          assert.equal(await db.selectFrom('app_user').select('id').where('username', '=', 'li.lei').executeTakeFirst(), undefined);

          const badPhone = await app.inject({ method: 'POST', url: '/v1/registrations', remoteAddress: '203.0.113.52', payload: { username: 'zhao.lei', displayName: 'Z', password: 'a long secret', phone: '12345' } });
          assert.deepEqual([badPhone.statusCode, (badPhone.json() as { error: { field: string } }).error.field], [400, 'phone']);
          const shortPassword = await app.inject({ method: 'POST', url: '/v1/registrations', remoteAddress: '203.0.113.52', payload: { username: 'zhao.lei', displayName: 'Z', password: 'short' } });
          assert.deepEqual([shortPassword.statusCode, (shortPassword.json() as { error: { field: string } }).error.field], [400, 'password']);
        } finally {
          await app.close();
        }
      });
    });
  });
}
