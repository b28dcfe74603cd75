import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { BENCH_REPAYMENT, draws, retries } from '../../src/servicing/servicing-benchmark.js';
import { LOAD_NICE } from '../../src/servicing/load-clients.js';
import type { BurstCpu } from '../../src/servicing/burst-cpu.js';
import { availableParallelism } from 'node:os';
import { parseMoney } from '../../src/money/index.js';
import { BACKENDS } from '../support/backends.js';
import { newPlace } from '../support/cli-place.js';
import { sprout } from '../support/cli.js';
import { withTestCosts } from '../support/child-env.js';

const KEY = 'ab'.repeat(32);

for (const backend of BACKENDS) {
  describe(`sprout bench servicing on ${backend}`, () => {
    it('twelve borrowers repay once each through the started server, one retried, two also draw, after six borrowers warmed it up: the numbers, and money moved once per key', async () => {
      const place = await newPlace(backend, 'sprout-bench-servicing-');
      const auditDir = mkdtempSync(join(tmpdir(), 'sprout-bench-audit-'));
      try {
        // The server processes the command starts hash at the test cost: the seed's hash is at it
        // (this process's), so the five real logins neither pay a production scrypt nor store one.
        const env = withTestCosts({ ...place.env, SPROUT_AUDIT_DIR: auditDir, SPROUT_AUDIT_KEY: KEY });
        // Two server processes on PostgreSQL; PGlite is one process, whatever --workers says.
        const run = await sprout(['bench', 'servicing', '--borrowers', '12', '--concurrency', '4', '--workers', '2', '--warmup', '6', '--format', 'json', ...place.args], env);
        assert.equal(run.status, 0, run.stderr);
        const result = JSON.parse(run.stdout) as Record<string, unknown>;
        const indexes = Array.from({ length: 12 }, (_, i) => i);
        const retried = indexes.filter(retries).length;
        const drawn = indexes.filter(draws).length;
        assert.deepEqual([retried, drawn], [1, 2], 'borrower 3 retries; borrowers 0 and 10 draw');
        assert.equal(result.requests, 12 + retried + drawn);
        assert.deepEqual(
          { repayments: result.repayments, retried: result.retried, drawdowns: result.drawdowns, errors: result.errors, readErrors: result.readErrors, balanced: result.balanced, reconciled: result.reconciled, movedOnce: result.movedOnce, workers: result.workers, backend: result.backend, logins: result.logins },
          { repayments: 12, retried: 1, drawdowns: 2, errors: 0, readErrors: 0, balanced: true, reconciled: true, movedOnce: true, workers: backend === 'postgres' ? 2 : 1, backend, logins: 5 },
        );
        // The warm-up's six (the seed's last enterprises, 12–17: none draws) repaid before the clock, the fourth retried.
        assert.deepEqual(result.warmup, { borrowers: 6, requests: 7, errors: 0, seconds: (result.warmup as { seconds: number }).seconds });
        assert.ok((result.warmup as { seconds: number }).seconds > 0);
        // Where the burst's CPU went: the server the command started and its workers, PostgreSQL's processes (PGlite's are the server's), the clients, the bench.
        const cpu = result.cpu as BurstCpu;
        assert.equal(cpu.cores, availableParallelism());
        assert.ok(cpu.serverSeconds !== null && cpu.serverSeconds >= 0, `server ${cpu.serverSeconds}`);
        if (backend === 'postgres') assert.ok(cpu.databaseSeconds !== null && cpu.databaseSeconds >= 0, `database ${cpu.databaseSeconds}`);
        else assert.equal(cpu.databaseSeconds, null);
        assert.ok(cpu.clientsSeconds! > 0 && cpu.benchSeconds >= 0 && cpu.busy > 0, JSON.stringify(cpu));
        const requests = result.requests as number;
        assert.equal(cpu.perRequestMs.clients, Math.round((cpu.clientsSeconds! * 1000 * 1000) / requests) / 1000);
        assert.equal(cpu.perRequestMs.server, Math.round((cpu.serverSeconds! * 1000 * 1000) / requests) / 1000);
        // The money clients ran in their own process with every thread at the lowest priority (src/servicing/load-clients.ts).
        assert.equal(result.loadNice, LOAD_NICE);
        assert.equal(LOAD_NICE, 19);
        for (const field of ['perSecond', 'p50Ms', 'p99Ms', 'repaymentsP99Ms', 'drawdownsP99Ms', 'reads', 'readsP99Ms', 'loginP50Ms']) assert.ok(typeof result[field] === 'number' && result[field] > 0, `${field} ${String(result[field])}`);
        // Each page its own figures; every reader loads its page at least once, and the pages' counts are the reads.
        const byPage = result.readsByPage as Record<string, { count: number; p50Ms: number; p99Ms: number }>;
        assert.deepEqual(Object.keys(byPage), ['loans', 'queue', 'dashboard']);
        for (const [page, reads] of Object.entries(byPage)) {
          assert.deepEqual(Object.keys(reads), ['count', 'p50Ms', 'p99Ms'], page);
          assert.ok(Number.isInteger(reads.count) && reads.count >= 1, `${page} count ${reads.count}`);
          assert.ok(reads.p50Ms > 0 && reads.p99Ms >= reads.p50Ms, `${page} p50 ${reads.p50Ms} p99 ${reads.p99Ms}`);
        }
        assert.equal(Object.values(byPage).reduce((sum, reads) => sum + reads.count, 0), result.reads);
        // Nearest rank: some page's p99 is at least the p99 of all reads together.
        assert.ok(Math.max(...Object.values(byPage).map((reads) => reads.p99Ms)) >= (result.readsP99Ms as number), 'the slowest page is at least the whole');

        // Checked again here, from the database the server wrote.
        const database = await place.open();
        try {
          const entries = await database.db.selectFrom('journal_entry').select(['loan_id', 'kind']).where('kind', 'in', ['repayment', 'drawdown']).where('loan_id', 'is not', null).execute();
          const repaid = entries.filter((e) => e.kind === 'repayment');
          assert.equal(repaid.length, 18, 'one repayment entry per borrower (twelve timed, six warming up), the retries none');
          assert.equal(new Set(repaid.map((e) => e.loan_id)).size, 18);
          assert.equal(entries.filter((e) => e.kind === 'drawdown').length, 2);
          const audited = await database.db.selectFrom('audit_event').select('after').where('action', '=', 'loan.repayment').execute();
          assert.equal(audited.length, 18);
          for (const row of audited) assert.equal(BigInt((row.after as { amount: string }).amount), parseMoney(BENCH_REPAYMENT, 'amount'));
          const verified = await verifyAuditTrail(database.db, Buffer.from(KEY, 'hex'));
          assert.deepEqual(verified.findings, []);
        } finally {
          await database.close();
        }
      } finally {
        await place.drop();
        rmSync(auditDir, { recursive: true, force: true });
      }
    });
  });
}

describe('sprout bench servicing flags', () => {
  it('refuses --url without DATABASE_URL and a bad count, naming the flag', async () => {
    const url = await sprout(['bench', 'servicing', '--borrowers', '5', '--url', 'http://127.0.0.1:3000']);
    assert.equal(url.status, 2);
    assert.match(url.stderr, /url.*DATABASE_URL|DATABASE_URL/);
    const bad = await sprout(['bench', 'servicing', '--borrowers', 'many']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /borrowers/);
    const nice = await sprout(['bench', 'servicing', '--borrowers', '5', '--load-nice', '20']);
    assert.equal(nice.status, 2);
    assert.match(nice.stderr, /load-nice: must be 0 to 19/);
    const warmup = await sprout(['bench', 'servicing', '--borrowers', '5', '--warmup', '-1']);
    assert.equal(warmup.status, 2);
    assert.match(warmup.stderr, /warmup: must be a whole number/);
    const tooMany = await sprout(['bench', 'servicing', '--borrowers', '999999', '--warmup', '2']);
    assert.equal(tooMany.status, 2);
    assert.match(tooMany.stderr, /warmup: must be 0 to 1/);
  });
});
