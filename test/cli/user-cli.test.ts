import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sprout as runSprout } from '../support/cli.js';
import { enterprisesOfUser } from '../../src/auth/users.js';
import { openDatabase } from '../../src/db/database.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';


/** `sprout` run in this process (test/support/cli.ts). */
const sprout = (env: Record<string, string>, ...args: string[]) => runSprout(args, { ...process.env, DATABASE_URL: '', ...env });

describe('sprout user', () => {
  it('creates a borrower bound to an enterprise and binds it to another; staff cannot be bound', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sprout-user-'));
    try {
      let database = await openDatabase({ dataDir });
      const [first, second] = await inTransaction(database.db, async (trx) => [
        await createEnterprise(trx, { name: '杭州绿芽茶叶有限公司', sizeClass: 'micro' }, 'test'),
        await createEnterprise(trx, { name: '杭州绿芽包装厂', sizeClass: 'micro' }, 'test'),
      ]);
      await database.close();

      const created = await sprout({ SPROUT_PASSWORD: 'owner-password' }, 'user', 'create', '--username', 'owner', '--role', 'borrower', '--enterprise', first!.id, '--data-dir', dataDir);
      assert.equal(created.status, 0, created.stderr);
      const bound = await sprout({}, 'user', 'bind', '--username', 'owner', '--enterprise', second!.id, '--data-dir', dataDir);
      assert.equal(bound.status, 0, bound.stderr);
      assert.match(bound.stdout, /owner may act for 2 enterprise\(s\)/);
      const unknown = await sprout({}, 'user', 'bind', '--username', 'owner', '--enterprise', 'not-an-id', '--data-dir', dataDir);
      assert.notEqual(unknown.status, 0);
      assert.match(unknown.stderr, /enterprise not-an-id not found/);
      assert.equal((await sprout({ SPROUT_PASSWORD: 'admin-password' }, 'user', 'create', '--username', 'ops', '--role', 'operator', '--data-dir', dataDir)).status, 0);
      const staff = await sprout({}, 'user', 'bind', '--username', 'ops', '--enterprise', second!.id, '--data-dir', dataDir);
      assert.notEqual(staff.status, 0);
      assert.match(staff.stderr, /only borrowers/);

      database = await openDatabase({ dataDir });
      const owner = await database.db.selectFrom('app_user').select('id').where('username', '=', 'owner').executeTakeFirstOrThrow();
      assert.deepEqual(await enterprisesOfUser(database.db, owner.id), [first!.id, second!.id]);
      await database.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
