import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { benchmarkDecisions } from '../../src/decision/decision-benchmark.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

for (const backend of BACKENDS) {
  describe(`the decision benchmark on ${backend}`, () => {
    it('runs decisions concurrently: every one recorded once, the audit chains intact', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const result = await benchmarkDecisions(db, { n: 24, concurrency: 6, warmup: 4 });
        // 24 timed after 4 untimed: 28 decided and recorded, 24 counted.
        assert.equal(result.decisions, 24);
        assert.equal(Object.values(result.outcomes).reduce((a, b) => a + b, 0), 24);
        assert.ok(result.p50Ms > 0 && result.p99Ms >= result.p50Ms);
        assert.ok(result.nodeCpuMsPerDecision > 0);
        assert.equal((await db.selectFrom('application').select('id').execute()).length, 28);
        assert.equal((await db.selectFrom('data_pull').select('id').execute()).length, 28);
        const verified = await verifyAuditTrail(db);
        assert.deepEqual(verified.findings, []);
        // Per decision: the pull and the decision; per enterprise: its creation and its authorisation.
        assert.equal(verified.events, 28 * 4);
      });
    });
  });
}
