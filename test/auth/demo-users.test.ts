import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_LOGINS, seedDemoUsers } from '../../src/auth/demo-users.js';
import { borrowersOf } from '../../src/auth/users.js';
import { simulatedEnterpriseInput, simulatedPopulation } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

for (const backend of BACKENDS) {
  describe(`demo logins on ${backend}`, () => {
    it('the demo borrower is bound to its firm as the verified legal representative (the simulated registry check)', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const [firm] = simulatedPopulation({ seed: 2025, size: 1 });
        const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(firm!), 'demo'));
        assert.deepEqual(await seedDemoUsers(db, { borrowerEnterpriseId: enterprise.id }), DEMO_LOGINS);
        const [bound, ...others] = await borrowersOf(db, enterprise.id);
        assert.equal(others.length, 0);
        assert.equal(bound!.username, 'borrower');
        assert.equal(bound!.verification!.method, 'identity-check');
        assert.match(bound!.verification!.reference, /^registry:simulated:2025:[0-9]{4}-[0-9]{2}-[0-9]{2}:[0-9a-f]{16}$/);
        assert.deepEqual(await seedDemoUsers(db, { borrowerEnterpriseId: enterprise.id }), [], 'only on a database without users');
      });
    });
  });
}
