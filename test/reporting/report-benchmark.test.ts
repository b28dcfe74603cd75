import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmarkReports } from '../../src/reporting/report-benchmark.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { createRegulatoryBook } from './regulatory-book.js';

for (const backend of BACKENDS) {
  describe(`sprout bench reports on ${backend}`, () => {
    it('times every report as of the last closed date, the migration from the date before, with the CPU it cost', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createRegulatoryBook(db);
        const result = await benchmarkReports(db, backend);
        assert.equal(result.asOf, '2025-02-28');
        assert.ok(result.loans > 0);
        assert.deepEqual(result.timings.map((t) => t.report), ['inclusive', 'five-category', 'migration', 'renewals', 'foreign-trade']);
        for (const timing of result.timings) {
          assert.ok(timing.seconds !== null && timing.seconds >= 0, timing.report);
          assert.ok(timing.cpuSeconds !== undefined && timing.cpuSeconds >= 0, timing.report);
          // The server's CPU is read from /proc for a PostgreSQL server on this host (the test server is), never for PGlite.
          if (backend === 'pglite') assert.deepEqual([timing.serverCpuSeconds, timing.workerCpuSeconds], [undefined, undefined], timing.report);
          else assert.ok(timing.serverCpuSeconds! >= 0 && timing.workerCpuSeconds! >= 0, timing.report);
        }
      });
    });
  });
}
