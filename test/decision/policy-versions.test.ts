import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUniqueViolation, sqlState } from '../../src/db/sqlstate.js';
import { inTransaction } from '../../src/db/transaction.js';
import { DEFAULT_DECISION_CONFIG } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { activatePolicy, listPolicyVersions, policyDocument } from '../../src/decision/policy-versions.js';
import { ConflictError } from '../../src/errors.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const DOCUMENT = policyDocument(DEFAULT_DECISION_CONFIG(defaultScorecard()));

describe('SQLSTATE helpers', () => {
  it('only 23505 is a unique violation', () => {
    assert.equal(isUniqueViolation({ code: '23505' }), true);
    assert.equal(isUniqueViolation({ code: '23514' }), false);
    assert.equal(isUniqueViolation(new Error('connection reset')), false);
    assert.equal(isUniqueViolation(null), false);
    assert.equal(sqlState({ code: 40001 }), undefined);
  });
});

for (const backend of BACKENDS) {
  describe(`policy activation on ${backend}`, () => {
    it('activates versions 1 then 2', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        assert.deepEqual(await inTransaction(db, (trx) => activatePolicy(trx, { ...DOCUMENT, note: 'first' }, 'risk-1', 'admin-1')), { version: 1 });
        assert.deepEqual(await inTransaction(db, (trx) => activatePolicy(trx, { ...DOCUMENT, note: 'second' }, 'risk-1', 'admin-1')), { version: 2 });
        assert.deepEqual((await listPolicyVersions(db)).map((v) => v.version), [2, 1]);
      });
    });

    it('a failure other than a unique violation propagates as itself, not as a version race', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        // The table's check constraint refuses a maker who checks their own change: SQLSTATE 23514.
        const failure = await inTransaction(db, (trx) => activatePolicy(trx, { ...DOCUMENT, note: 'self-checked' }, 'risk-1', 'risk-1')).then(
          () => assert.fail('the insert should fail'),
          (error: unknown) => error,
        );
        assert.ok(!(failure instanceof ConflictError), `expected the database error, got ${String(failure)}`);
        assert.equal(sqlState(failure), '23514');
        assert.deepEqual(await listPolicyVersions(db), []);
      });
    });
  });
}
