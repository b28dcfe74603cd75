/**
 * Idempotency-Keys are scoped to the caller: one user's key never answers another user's request
 * (no 409 that reveals the key is in use, no replay of someone else's result), while the same
 * caller retrying the same request gets the first result and the operation runs once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { once } from '../../src/servicing/idempotency.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const ALICE = '0190a0a0-0000-7000-8000-00000000000a';
const BOB = '0190a0a0-0000-7000-8000-00000000000b';

for (const backend of BACKENDS) {
  describe(`idempotency scoped to the caller (${backend})`, () => {
    it("another caller's key is neither a conflict nor a replay: each runs its own operation once", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        let runs = 0;
        const operation = async () => ({ run: ++runs });
        const alice = await once(db, 'drawdown', ALICE, 'shared-key-0001', { amount: '100.00' }, operation);
        // Bob picks the same key for a different body: today a 409 that tells him Alice used it.
        const bob = await once(db, 'drawdown', BOB, 'shared-key-0001', { amount: '999.00' }, operation);
        // And for the same body: today a replay of Alice's result.
        const bobSame = await once(db, 'repayment', BOB, 'shared-key-0002', { amount: '1.00' }, operation);
        const aliceOther = await once(db, 'repayment', ALICE, 'shared-key-0002', { amount: '1.00' }, operation);
        assert.deepEqual([alice, bob, bobSame, aliceOther], [{ run: 1 }, { run: 2 }, { run: 3 }, { run: 4 }]);
        assert.equal(runs, 4);
      });
    });

    it('the same caller, key and body replays the first result; a different body is a conflict', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        let runs = 0;
        const operation = async () => ({ run: ++runs });
        const first = await once(db, 'drawdown', ALICE, 'retry-key-0001', { amount: '100.00' }, operation);
        const again = await once(db, 'drawdown', ALICE, 'retry-key-0001', { amount: '100.00' }, operation);
        assert.deepEqual(again, first);
        assert.equal(runs, 1);
        await assert.rejects(once(db, 'drawdown', ALICE, 'retry-key-0001', { amount: '200.00' }, operation), { code: 'CONFLICT', field: 'Idempotency-Key' });
        assert.equal(runs, 1);
      });
    });
  });
}
