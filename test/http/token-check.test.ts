import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createUser, enterprisesOfUser, usersForTokens } from '../../src/auth/users.js';
import { tokenChecker, tokenLane } from '../../src/http/access.js';
import { createEnterprise } from '../support/loan-fixtures.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';
import type { KyselyPlugin } from 'kysely';

for (const backend of BACKENDS) {
  describe(`tokens checked together on ${backend}`, () => {
    it('requests arriving at once are each answered as their own token says: its user and enterprises, or 401 for one revoked, expired or unknown', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const roles = ['operator', 'credit-approver', 'management', 'auditor'] as const;
        const staff = await Promise.all(roles.map((role) => tokenFor(role)));
        const owners: { username: string; token: string; enterpriseId: string }[] = [];
        for (let i = 0; i < 6; i++) {
          const enterpriseId = await createEnterprise(db, `令牌企业 ${i}`);
          await createUser(db, { username: `token-owner-${i}`, displayName: `Owner ${i}`, role: 'borrower', password: `token-owner-${i}-password`, enterpriseId });
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: `token-owner-${i}`, password: `token-owner-${i}-password` } });
          owners.push({ username: `token-owner-${i}`, token: (login.json() as { token: string }).token, enterpriseId });
        }
        const revoked = await app.inject({ method: 'DELETE', url: '/v1/auth/token', headers: { authorization: `Bearer ${owners[5]!.token}` } });
        assert.equal(revoked.statusCode, 204);
        // A token that expired a second ago, of a user who is otherwise fine.
        const expired = randomBytes(32).toString('base64url');
        const user = await db.selectFrom('app_user').select('id').where('username', '=', 'token-owner-4').executeTakeFirstOrThrow();
        await db.insertInto('api_token').values({ token_hash: createHash('sha256').update(expired).digest('hex'), user_id: user.id, created_at: new Date(Date.now() - 3600_000), expires_at: new Date(Date.now() - 1000) }).execute();

        const tokens = [...staff, ...owners.map((owner) => owner.token), expired, randomBytes(32).toString('base64url'), staff[0]!, owners[0]!.token];
        const answers = await Promise.all(tokens.map((token) => app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } })));
        assert.deepEqual(
          answers.map((answer) => answer.statusCode),
          [200, 200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401, 200, 200],
        );
        const me = answers.map((answer) => (answer.statusCode === 200 ? (answer.json() as { username: string; role: string; enterpriseIds: string[] }) : undefined));
        assert.deepEqual(
          me.slice(0, 4).map((user) => user!.role),
          [...roles],
        );
        assert.deepEqual(
          me.slice(4, 9).map((user) => [user!.username, user!.enterpriseIds]),
          owners.slice(0, 5).map((owner) => [owner.username, [owner.enterpriseId]]),
        );
        assert.deepEqual([me[12]!.role, me[13]!.username], ['operator', 'token-owner-0']);
        const refusal = answers[10]!.json() as { error: { code: string } };
        assert.equal(refusal.error.code, 'NOT_AUTHENTICATED');
      });
    });

    it("a page read's token is looked up while a lookup of money requests' tokens is held: reads and writes are batched apart", async () => {
      await withTestApp(backend, async ({ db, tokenFor }) => {
        const manager = await tokenFor('management');
        const operator = await tokenFor('operator');
        // The writes' lookup's answer is held until released: it stays in flight.
        let release: () => void = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        let armed = false;
        const holdFirst: KyselyPlugin = {
          transformQuery: (args) => args.node,
          // The writes' lookup is the one that finds the operator.
          transformResult: async (args) => {
            if (armed && args.result.rows.some((row) => (row as { role?: string }).role === 'operator')) {
              armed = false;
              await held;
            }
            return args.result;
          },
        };
        const check = tokenChecker(db.withPlugin(holdFirst));
        const now = new Date();
        // Once unheld, so that what is asked once per database (is it Citus?) is answered.
        assert.equal((await check(operator, now, tokenLane('POST')))?.role, 'operator');
        armed = true;
        const write = check(operator, now, tokenLane('POST'));
        let writeDone = false;
        void write.then(() => (writeDone = true));
        await new Promise((resolve) => setImmediate(resolve));
        // Behind the held lookup it would never be answered: give up after 10 s rather than hang.
        let timer: NodeJS.Timeout | undefined;
        const read = await Promise.race([check(manager, now, tokenLane('GET')), new Promise<'held'>((resolve) => (timer = setTimeout(() => resolve('held'), 10_000)))]);
        clearTimeout(timer);
        release();
        assert.ok(read !== 'held', "the read waited for the writes' lookup");
        assert.equal(read?.role, 'management');
        assert.equal(writeDone, false, 'the write lookup is still held');
        assert.equal((await write)?.role, 'operator');
        assert.deepEqual([tokenLane('GET'), tokenLane('HEAD'), tokenLane('OPTIONS'), tokenLane('POST'), tokenLane('DELETE')], ['read', 'read', 'read', 'write', 'write']);
      });
    });

    it("a token's user comes with every enterprise bound to it, in the order enterprisesOfUser gives (when bound, then id), and a user bound to none with none", async () => {
      await withTestApp(backend, async ({ app, db }) => {
        const first = await createEnterprise(db, '多户企业 甲');
        await createUser(db, { username: 'many-owner', displayName: 'Many', role: 'borrower', password: 'many-owner-password-1', enterpriseId: first });
        await createUser(db, { username: 'no-owner', displayName: 'None', role: 'borrower', password: 'no-owner-password-1' });
        const user = await db.selectFrom('app_user').select('id').where('username', '=', 'many-owner').executeTakeFirstOrThrow();
        // Two bound in the same instant, ordered by id; the first binding is older than both.
        const later = new Date(Date.now() + 60_000);
        const others = [await createEnterprise(db, '多户企业 乙'), await createEnterprise(db, '多户企业 丙')];
        await db.insertInto('user_enterprise').values(others.map((id) => ({ user_id: user.id, enterprise_id: id, bound_at: later, bound_by: 'test' }))).execute();
        const tokens: string[] = [];
        for (const username of ['many-owner', 'no-owner']) {
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username, password: `${username}-password-1` } });
          assert.equal(login.statusCode, 200);
          tokens.push((login.json() as { token: string }).token);
        }
        const found = await usersForTokens(db, tokens);
        const expected = await enterprisesOfUser(db, user.id);
        assert.deepEqual(expected, [first, ...[...others].sort()]);
        assert.deepEqual(found.get(tokens[0]!)?.user.enterpriseIds, expected);
        assert.equal(found.get(tokens[0]!)?.user.enterpriseId, first);
        assert.deepEqual(found.get(tokens[1]!)?.user.enterpriseIds, []);
        assert.equal(found.get(tokens[1]!)?.user.enterpriseId, null);
      });
    });
  });
}
