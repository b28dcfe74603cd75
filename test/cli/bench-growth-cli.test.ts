import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GrowthBenchmarkResult } from '../../src/system/growth-benchmark.js';
import { BACKENDS } from '../support/backends.js';
import { newPlace } from '../support/cli-place.js';
import { sprout } from '../support/cli.js';

for (const backend of BACKENDS) {
  describe(`sprout bench growth on ${backend}`, () => {
    it('one row on a book of 200 loans: end of day, reports, three decisions and three repayments timed, with peak memory', async () => {
      const place = await newPlace(backend, 'sprout-bench-growth-');
      try {
        const run = await sprout(['bench', 'growth', '--loans', '200', '--decisions', '3', '--repayments', '3', '--warmup', '1', '--format', 'json', ...place.args], place.env);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stderr, /bench growth: 3 repayments \(/, 'a line per phase for the operator');
        const row = JSON.parse(run.stdout) as GrowthBenchmarkResult;
        assert.deepEqual(
          { backend: row.backend, loans: row.loans, seed: row.seed, balanced: row.balanced, decisions: row.decisions, repayments: row.repayments },
          { backend, loans: 200, seed: 20250630, balanced: true, decisions: 3, repayments: 3 },
        );
        for (const field of ['eodSeconds', 'firstNightSeconds', 'decisionP50Ms', 'decisionMeanMs', 'decisionNodeCpuMs', 'repaymentP50Ms', 'repaymentMeanMs', 'repaymentNodeCpuMs', 'reportsSeconds', 'totalSeconds'] as const) {
          assert.ok(row[field] > 0 && row[field] < 600_000, `${field} ${row[field]}`);
        }
        // Five reports, the migration one too: the bench closed two nights.
        assert.ok(row.slowestReport.seconds > 0 && row.slowestReport.seconds <= row.reportsSeconds, JSON.stringify(row.slowestReport));
        assert.ok(['inclusive', 'five-category', 'migration', 'renewals', 'foreign-trade'].includes(row.slowestReport.report));
        // Megabytes of this process (the test's own, here), never less than at the start.
        assert.ok(row.peakRssAtStartMb > 10 && row.peakRssMb >= row.peakRssAtStartMb && row.peakRssMb < 64 * 1024, `${row.peakRssAtStartMb} → ${row.peakRssMb}`);
        if (backend === 'pglite') assert.deepEqual([row.serverPeakRssMb, row.eodPhaseCpu.serverSeconds], [null, null]);
        else assert.ok(row.serverPeakRssMb === null || row.serverPeakRssMb > 0);
        assert.ok(row.eodPhaseCpu.nodeSeconds > 0, `eod node CPU ${row.eodPhaseCpu.nodeSeconds}`);
        assert.ok(row.loadAtStart >= 0 && row.loadAtEnd >= 0);
        // The end-of-day workers and the server settings the night's figures depend on.
        assert.equal(row.workers, 1);
        assert.deepEqual(Object.keys(row.server), ['sharedBuffers', 'maxWalSize', 'checkpointTimeout']);
        assert.match(row.server.sharedBuffers, /^\d+(kB|MB|GB)$/);

        const database = await place.open();
        try {
          // Warm-up and timed: one application per decision, one repayment entry per repayment, each of another loan.
          const applications = await database.db.selectFrom('application').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
          assert.equal(Number(applications.n), 1 + 3);
          const repaid = await database.db.selectFrom('journal_entry').select('loan_id').where('kind', '=', 'repayment').execute();
          assert.equal(repaid.length, 1 + 3);
          assert.equal(new Set(repaid.map((entry) => entry.loan_id)).size, 4);
          const stored = await database.db.selectFrom('idempotency_record').select((eb) => eb.fn.countAll<string>().as('n')).where('operation', '=', 'repayment').executeTakeFirstOrThrow();
          assert.equal(Number(stored.n), 4, 'through once(), as the route: a stored result per repayment');
        } finally {
          await database.close();
        }
      } finally {
        await place.drop();
      }
    });
  });
}

describe('sprout bench growth flags', () => {
  it('refuses a book smaller than the repayments, naming the flag', async () => {
    const small = await sprout(['bench', 'growth', '--loans', '10', '--repayments', '20', '--warmup', '0']);
    assert.equal(small.status, 2);
    assert.match(small.stderr, /loans/);
    const bad = await sprout(['bench', 'growth', '--loans', 'many']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /loans/);
  });
});
