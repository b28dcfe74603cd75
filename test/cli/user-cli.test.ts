import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdDatabase, sprout as runSprout, type HeldDatabase } from '../support/cli.js';
import { createUser, enterprisesOfUser, login } from '../../src/auth/users.js';
import { TEST_SCRYPT_COST, useScryptCostForTests } from '../../src/auth/password.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { freshDataDir, removeDataDir } from '../support/data-dir.js';


/** `sprout` run in this process (test/support/cli.ts), on the database the test holds open for its commands. */
const sprout = (held: HeldDatabase, env: Record<string, string>, ...args: string[]) => runSprout(args, { ...process.env, DATABASE_URL: '', ...env }, held);

// Passwords hashed at the token cost, also by the commands this process runs.
useScryptCostForTests(TEST_SCRYPT_COST);

describe('sprout user', () => {
  it('creates a borrower bound to an enterprise and binds it to another; staff cannot be bound', async () => {
    const dataDir = freshDataDir('sprout-user-');
    const held = await holdDatabase({ dataDir });
    const { db } = held.database;
    try {
      const [first, second] = await inTransaction(db, async (trx) => [
        await createEnterprise(trx, { name: '杭州绿芽茶叶有限公司', sizeClass: 'micro' }, 'test'),
        await createEnterprise(trx, { name: '杭州绿芽包装厂', sizeClass: 'micro' }, 'test'),
      ]);

      const created = await sprout(held, { SPROUT_PASSWORD: 'owner-password' }, 'user', 'create', '--username', 'owner', '--role', 'borrower', '--enterprise', first!.id, '--data-dir', dataDir);
      assert.equal(created.status, 0, created.stderr);
      const bound = await sprout(held, {}, 'user', 'bind', '--username', 'owner', '--enterprise', second!.id, '--data-dir', dataDir);
      assert.equal(bound.status, 0, bound.stderr);
      assert.match(bound.stdout, /owner may act for 2 enterprise\(s\)/);
      const unknown = await sprout(held, {}, 'user', 'bind', '--username', 'owner', '--enterprise', 'not-an-id', '--data-dir', dataDir);
      assert.notEqual(unknown.status, 0);
      assert.match(unknown.stderr, /enterprise not-an-id not found/);
      assert.equal((await sprout(held, { SPROUT_PASSWORD: 'admin-password' }, 'user', 'create', '--username', 'ops', '--role', 'operator', '--data-dir', dataDir)).status, 0);
      const staff = await sprout(held, {}, 'user', 'bind', '--username', 'ops', '--enterprise', second!.id, '--data-dir', dataDir);
      assert.notEqual(staff.status, 0);
      assert.match(staff.stderr, /only borrowers/);

      const owner = await db.selectFrom('app_user').select('id').where('username', '=', 'owner').executeTakeFirstOrThrow();
      assert.deepEqual(await enterprisesOfUser(db, owner.id), [first!.id, second!.id]);
    } finally {
      await held.close();
      removeDataDir(dataDir);
    }
  });

  it('unlock forgets the failed logins of a user on every address, so the owner gets in again', async () => {
    const dataDir = freshDataDir('sprout-unlock-');
    const held = await holdDatabase({ dataDir });
    const { db } = held.database;
    try {
      await createUser(db, { username: 'wang.wu', displayName: 'Wang Wu', role: 'operator', password: 'correct horse battery' });
      const now = new Date();
      for (const address of ['203.0.113.9', '198.51.100.7']) {
        for (let i = 0; i < 5; i++) await assert.rejects(login(db, 'wang.wu', `guess-${i}`, now, address));
      }
      await assert.rejects(login(db, 'wang.wu', 'correct horse battery', now, '203.0.113.9'), { code: 'NOT_AUTHENTICATED' });

      const unlocked = await sprout(held, {}, 'user', 'unlock', '--username', 'wang.wu', '--data-dir', dataDir);
      assert.equal(unlocked.status, 0, unlocked.stderr);
      assert.equal(unlocked.stdout, 'unlocked wang.wu: failed logins forgotten on 2 address(es)\n');

      assert.equal((await login(db, 'wang.wu', 'correct horse battery', now, '203.0.113.9')).user.username, 'wang.wu');
    } finally {
      await held.close();
      removeDataDir(dataDir);
    }
  });
});
