import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';
import type { TypedApp } from '../../src/http/app-context.js';

const EXAMPLE = { principal: '5000.00', rate: '12', periods: 18, disbursed: '2022-11-01' };

/** Logs in to the web app as `role`; returns the `Cookie` header to send and the CSRF token. */
async function webLogin(app: TypedApp, role: string) {
  const response = await app.inject({ method: 'POST', url: '/v1/auth/session', payload: { username: role, password: `${role}-demo` } });
  assert.equal(response.statusCode, 200, response.body);
  const setCookie = String(response.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  const body = response.json() as { user: { role: string }; csrfToken: string; expiresAt: string };
  return { setCookie, cookie, body };
}

for (const backend of BACKENDS) {
  describe(`web app sessions on ${backend}`, () => {
    it('logging in sets an HttpOnly, SameSite=Strict, Path=/ session cookie and returns the user and a CSRF token', async () => {
      await withTestApp(backend, async ({ app }) => {
        const { setCookie, cookie, body } = await webLogin(app, 'management');
        assert.match(cookie, /^sprout_session=[A-Za-z0-9_-]{43}$/);
        const attributes = setCookie.split('; ').slice(1);
        assert.deepEqual(attributes.sort(), ['HttpOnly', 'Max-Age=43200', 'Path=/', 'SameSite=Strict']);
        assert.equal(body.user.role, 'management');
        assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
        assert.ok(!setCookie.includes(body.csrfToken), 'the CSRF token is not the cookie');
        assert.ok(Date.parse(body.expiresAt) > Date.now() + 11 * 3600_000);
      });
    });

    it('a wrong password sets no cookie', async () => {
      await withTestApp(backend, async ({ app }) => {
        const response = await app.inject({ method: 'POST', url: '/v1/auth/session', payload: { username: 'management', password: 'wrong-password' } });
        assert.equal(response.statusCode, 401);
        assert.equal(response.headers['set-cookie'], undefined);
      });
    });

    it('GET works with the cookie alone; GET /v1/auth/session gives the same CSRF token back after a reload', async () => {
      await withTestApp(backend, async ({ app }) => {
        const { cookie, body } = await webLogin(app, 'risk-officer');
        const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
        assert.equal(me.statusCode, 200);
        assert.equal((me.json() as { username: string }).username, 'risk-officer');
        const session = await app.inject({ method: 'GET', url: '/v1/auth/session', headers: { cookie: `other=1; ${cookie}` } });
        assert.equal(session.statusCode, 200);
        assert.equal((session.json() as { csrfToken: string }).csrfToken, body.csrfToken);
        const report = await app.inject({ method: 'GET', url: '/v1/reports/portfolio', headers: { cookie } });
        assert.equal(report.statusCode, 200);
        const none = await app.inject({ method: 'GET', url: '/v1/auth/session' });
        assert.equal(none.statusCode, 401);
      });
    });

    it('a POST with the cookie and no or a wrong X-CSRF-Token is 403; with the right one it goes through', async () => {
      await withTestApp(backend, async ({ app }) => {
        const { cookie, body } = await webLogin(app, 'management');
        const without = await app.inject({ method: 'POST', url: '/v1/schedules', headers: { cookie }, payload: EXAMPLE });
        assert.equal(without.statusCode, 403);
        assert.equal((without.json() as { error: { code: string } }).error.code, 'NOT_AUTHORISED');
        const other = await webLogin(app, 'operator');
        const wrong = await app.inject({ method: 'POST', url: '/v1/schedules', headers: { cookie, 'x-csrf-token': other.body.csrfToken }, payload: EXAMPLE });
        assert.equal(wrong.statusCode, 403, "another session's CSRF token");
        const right = await app.inject({ method: 'POST', url: '/v1/schedules', headers: { cookie, 'x-csrf-token': body.csrfToken }, payload: EXAMPLE });
        assert.equal(right.statusCode, 200, right.body);
        assert.equal((right.json() as { totalPrincipal: string }).totalPrincipal, '5000.00');
        const logoutWithout = await app.inject({ method: 'DELETE', url: '/v1/auth/session', headers: { cookie } });
        assert.equal(logoutWithout.statusCode, 403, 'logging out is a change too');
      });
    });

    it('logging out revokes the session and clears the cookie', async () => {
      await withTestApp(backend, async ({ app }) => {
        const { cookie, body } = await webLogin(app, 'auditor');
        const logout = await app.inject({ method: 'DELETE', url: '/v1/auth/session', headers: { cookie, 'x-csrf-token': body.csrfToken } });
        assert.equal(logout.statusCode, 204);
        assert.match(String(logout.headers['set-cookie']), /^sprout_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
        const after = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
        assert.equal(after.statusCode, 401);
      });
    });

    it('bearer tokens need no CSRF token, and a bearer header wins over a cookie', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const authorization = `Bearer ${await tokenFor('credit-approver')}`;
        const post = await app.inject({ method: 'POST', url: '/v1/schedules', headers: { authorization }, payload: EXAMPLE });
        assert.equal(post.statusCode, 200);
        const { cookie } = await webLogin(app, 'management');
        const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization, cookie } });
        assert.equal((me.json() as { role: string }).role, 'credit-approver');
        const malformed = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: 'sprout_session=not a token' } });
        assert.equal(malformed.statusCode, 401);
      });
    });
  });
}
