import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS } from '../support/backends.js';
import { newPlace } from '../support/cli-place.js';
import { sprout } from '../support/cli.js';

for (const backend of BACKENDS) {
  describe(`sprout bench decide --workers on ${backend}`, () => {
    it('two processes share the decisions, each warmed up, and their timings are merged into one result', async () => {
      const place = await newPlace(backend, 'sprout-bench-decide-');
      try {
        const run = await sprout(['bench', 'decide', '--n', '7', '--warmup', '2', '--concurrency', '2', '--workers', '2', '--format', 'json', ...place.args], place.env);
        assert.equal(run.status, 0, run.stderr);
        const result = JSON.parse(run.stdout) as Record<string, unknown>;
        // PGlite is one process, whatever --workers says.
        const workers = backend === 'postgres' ? 2 : 1;
        assert.equal(result.decisions, 7);
        assert.equal(result.workers, workers);
        for (const field of ['p50Ms', 'p99Ms', 'perSecond', 'nodeCpuMsPerDecision']) assert.ok(typeof result[field] === 'number' && result[field] > 0, `${field} ${String(result[field])}`);
        const database = await place.open();
        try {
          // Every process decided its warm-up and its share: 4 + 7 on two processes, 2 + 7 on one.
          const applications = await database.db.selectFrom('application').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
          assert.equal(Number(applications.n), 2 * workers + 7);
        } finally {
          await database.close();
        }
      } finally {
        await place.drop();
      }
    });
  });
}
