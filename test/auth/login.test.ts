/**
 * Authentication as banks run it: one answer for an unknown user, a wrong password and a locked
 * account; a lock-out per (account, client address) with back-off, so a guesser is slowed and the
 * owner, from their own address, is not locked out; an administrator's unlock; scrypt at OWASP's
 * cost, raised at the next login; a minimum length and a blocklist; registration that does not
 * say whether a username is taken.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemoUsers } from '../../src/auth/demo-users.js';
import { checkPasswordPolicy, MIN_PASSWORD_LENGTH } from '../../src/auth/password-policy.js';
import { hashPassword, needsRehash, SCRYPT_COST, useScryptCostForTests, verifyPassword } from '../../src/auth/password.js';
import { createUser, login, unlockUser } from '../../src/auth/users.js';
import { buildApp } from '../../src/http/app.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

const CHEAP = { N: 1024, r: 8, p: 1 };
const OWNER_PASSWORD = 'correct horse battery';

describe('password hashing and policy', () => {
  after(() => useScryptCostForTests(CHEAP));

  it("hashes at OWASP's scrypt cost, N=2^17, r=8, p=1, and verifies", async () => {
    assert.deepEqual(SCRYPT_COST, { N: 131072, r: 8, p: 1 });
    useScryptCostForTests();
    const stored = await hashPassword(OWNER_PASSWORD);
    assert.match(stored, /^scrypt\$131072\$8\$1\$/);
    assert.equal(await verifyPassword(OWNER_PASSWORD, stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.equal(needsRehash(stored), false);
    assert.equal(needsRehash('scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'), true, 'the old N=2^14 hashes are raised');
  });

  it(`refuses passwords shorter than ${MIN_PASSWORD_LENGTH}, common ones, and ones made of the username`, () => {
    assert.equal(MIN_PASSWORD_LENGTH, 12);
    assert.throws(() => checkPasswordPolicy('short-pass1', 'li.lei'), { code: 'VALIDATION', field: 'password', message: /at least 12/ });
    assert.throws(() => checkPasswordPolicy('Password1234', 'li.lei'), { code: 'VALIDATION', field: 'password', message: /common/ });
    assert.throws(() => checkPasswordPolicy('woaini1314520', 'li.lei'), { code: 'VALIDATION', field: 'password', message: /common/ });
    assert.throws(() => checkPasswordPolicy('li.lei-li.lei', 'li.lei'), { code: 'VALIDATION', field: 'password', message: /username/ });
    assert.throws(() => checkPasswordPolicy('aaaaaaaaaaaaaaaaaa', 'li.lei'), { code: 'VALIDATION', field: 'password' });
    assert.throws(() => checkPasswordPolicy('x'.repeat(8) + 'y'.repeat(121), 'li.lei'), { code: 'VALIDATION', field: 'password', message: /at most 128/ });
    assert.doesNotThrow(() => checkPasswordPolicy(OWNER_PASSWORD, 'li.lei'));
  });
});

for (const backend of BACKENDS) {
  describe(`logins on ${backend}`, () => {
    before(() => useScryptCostForTests(CHEAP));

    it('unknown user, wrong password and locked account get the same status and message', async () => {
      await withTestApp(backend, async ({ app, db }) => {
        await createUser(db, { username: 'wang.wu', displayName: 'Wang Wu', role: 'account-manager', password: OWNER_PASSWORD });
        const attempt = (username: string, password: string) => app.inject({ method: 'POST', url: '/v1/auth/token', remoteAddress: '203.0.113.9', payload: { username, password } });
        const unknown = await attempt('nobody.here', 'whatever-it-is');
        const wrong = await attempt('wang.wu', 'not-the-password');
        for (let i = 0; i < 5; i++) await attempt('wang.wu', `guess-${i}-of-many`);
        const locked = await attempt('wang.wu', OWNER_PASSWORD);
        const answers = [unknown, wrong, locked].map((r) => ({ status: r.statusCode, body: r.json() as unknown }));
        assert.deepEqual(answers[0], { status: 401, body: { error: { code: 'NOT_AUTHENTICATED', message: 'wrong username or password', reason: 'login-refused' } } });
        assert.deepEqual(answers[1], answers[0]);
        assert.deepEqual(answers[2], answers[0], 'a locked account answers exactly as a wrong password');
      });
    });

    it('five wrong passwords lock that account on that address only, for 15 minutes, doubling; the owner elsewhere logs in', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createUser(db, { username: 'wang.wu', displayName: 'Wang Wu', role: 'account-manager', password: OWNER_PASSWORD });
        const t0 = new Date('2025-06-30T02:00:00Z');
        const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
        for (let i = 0; i < 5; i++) await assert.rejects(login(db, 'wang.wu', `guess-${i}`, t0, '203.0.113.9'), { code: 'NOT_AUTHENTICATED' });
        await assert.rejects(login(db, 'wang.wu', OWNER_PASSWORD, at(1), '203.0.113.9'), { code: 'NOT_AUTHENTICATED', message: 'wrong username or password' });
        // The owner, from their own address, is not locked out by the guesser.
        assert.equal((await login(db, 'wang.wu', OWNER_PASSWORD, at(1), '198.51.100.7')).user.username, 'wang.wu');
        const row = await db.selectFrom('login_throttle').selectAll().where('username', '=', 'wang.wu').where('address', '=', '203.0.113.9').executeTakeFirstOrThrow();
        assert.equal(row.failures, 5);
        assert.equal(new Date(row.locked_until!).getTime() - t0.getTime(), 15 * 60_000);
        // The sixth guess after the lock-out doubles it: 30 minutes.
        await assert.rejects(login(db, 'wang.wu', 'guess-6', at(16), '203.0.113.9'), { code: 'NOT_AUTHENTICATED' });
        const doubled = await db.selectFrom('login_throttle').selectAll().where('username', '=', 'wang.wu').where('address', '=', '203.0.113.9').executeTakeFirstOrThrow();
        assert.equal(new Date(doubled.locked_until!).getTime() - at(16).getTime(), 30 * 60_000);
        await assert.rejects(login(db, 'wang.wu', OWNER_PASSWORD, at(45), '203.0.113.9'), { code: 'NOT_AUTHENTICATED' });
        // After it, the right password works from that address too and clears its count.
        assert.equal((await login(db, 'wang.wu', OWNER_PASSWORD, at(47), '203.0.113.9')).user.username, 'wang.wu');
        assert.equal(await db.selectFrom('login_throttle').select('failures').where('username', '=', 'wang.wu').where('address', '=', '203.0.113.9').executeTakeFirst(), undefined);
      });
    });

    it('an unknown username is throttled exactly like a known one (no enumeration by lock-out)', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const t0 = new Date('2025-06-30T02:00:00Z');
        for (let i = 0; i < 5; i++) await assert.rejects(login(db, 'ghost.user', `guess-${i}`, t0, '203.0.113.9'), { code: 'NOT_AUTHENTICATED' });
        const row = await db.selectFrom('login_throttle').selectAll().where('username', '=', 'ghost.user').executeTakeFirstOrThrow();
        assert.deepEqual([row.failures, new Date(row.locked_until!).getTime() - t0.getTime()], [5, 15 * 60_000]);
      });
    });

    it('an administrator unlocks an account over the API; other roles may not', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        await createUser(db, { username: 'wang.wu', displayName: 'Wang Wu', role: 'account-manager', password: OWNER_PASSWORD });
        const attempt = (password: string) => app.inject({ method: 'POST', url: '/v1/auth/token', remoteAddress: '203.0.113.9', payload: { username: 'wang.wu', password } });
        for (let i = 0; i < 5; i++) await attempt(`guess-${i}-of-many`);
        assert.equal((await attempt(OWNER_PASSWORD)).statusCode, 401);
        const refused = await app.inject({ method: 'POST', url: '/v1/users/wang.wu/unlock', headers: { authorization: `Bearer ${await tokenFor('operator')}` } });
        assert.equal(refused.statusCode, 403);
        const unlocked = await app.inject({ method: 'POST', url: '/v1/users/wang.wu/unlock', headers: { authorization: `Bearer ${await tokenFor('admin')}` } });
        assert.equal(unlocked.statusCode, 200);
        assert.deepEqual(unlocked.json(), { username: 'wang.wu', addressesCleared: 1 });
        assert.equal((await attempt(OWNER_PASSWORD)).statusCode, 200);
        const audit = await db.selectFrom('audit_event').select(['action', 'actor']).where('action', '=', 'user.unlock').execute();
        assert.deepEqual(audit, [{ action: 'user.unlock', actor: 'admin' }]);
        assert.equal(await unlockUser(db, 'nobody.here', 'admin'), 0, 'unlocking a name with no failures clears nothing');
      });
    });

    it('a hash made at a lower cost is raised at the next successful login', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createUser(db, { username: 'li.lei', displayName: 'Li Lei', role: 'operator', password: OWNER_PASSWORD });
        const before = await db.selectFrom('app_user').select('password_hash').where('username', '=', 'li.lei').executeTakeFirstOrThrow();
        assert.match(before.password_hash, /^scrypt\$1024\$8\$1\$/);
        useScryptCostForTests({ N: 2048, r: 8, p: 1 });
        try {
          await assert.rejects(login(db, 'li.lei', 'not-the-password', new Date(), '203.0.113.9'));
          const unchanged = await db.selectFrom('app_user').select('password_hash').where('username', '=', 'li.lei').executeTakeFirstOrThrow();
          assert.equal(unchanged.password_hash, before.password_hash, 'a failed login changes nothing');
          await login(db, 'li.lei', OWNER_PASSWORD, new Date(), '203.0.113.9');
          const raised = await db.selectFrom('app_user').select('password_hash').where('username', '=', 'li.lei').executeTakeFirstOrThrow();
          assert.match(raised.password_hash, /^scrypt\$2048\$8\$1\$/);
          assert.equal(await verifyPassword(OWNER_PASSWORD, raised.password_hash), true);
        } finally {
          useScryptCostForTests(CHEAP);
        }
      });
    });

    it('registration gives the same answer whether or not the username is taken, and never touches the existing login', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await seedDemoUsers(db);
        const app = await buildApp({ db, backend, version: 'test', now: () => new Date(), rateLimits: 'off' });
        try {
          const register = (username: string, password: string) => app.inject({ method: 'POST', url: '/v1/registrations', payload: { username, displayName: '李雷', password } });
          const fresh = await register('li.lei', OWNER_PASSWORD);
          const taken = await register('admin', 'an entirely new passphrase');
          assert.equal(fresh.statusCode, 202);
          assert.deepEqual([taken.statusCode, taken.json()], [fresh.statusCode, { ...(fresh.json() as object), username: 'admin' }]);
          assert.deepEqual(Object.keys(fresh.json() as object).sort(), ['message', 'username']);
          const admins = await db.selectFrom('app_user').select('role').where('username', '=', 'admin').execute();
          assert.deepEqual(admins, [{ role: 'admin' }]);
          const adminLogin = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'admin', password: 'an entirely new passphrase' } });
          assert.equal(adminLogin.statusCode, 401, "the registrant did not get the admin's login");
          const weak = await register('han.meimei', 'password1234');
          assert.deepEqual([weak.statusCode, (weak.json() as { error: { field: string } }).error.field], [400, 'password']);
          const lilei = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'li.lei', password: OWNER_PASSWORD } });
          assert.equal(lilei.statusCode, 200);
        } finally {
          await app.close();
        }
      });
    });
  });
}
