import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { createEnterprise } from '../support/loan-fixtures.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

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
  });
}
