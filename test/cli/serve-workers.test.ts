import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { currentAuditKey, useAuditKey, verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { serveWorkers } from '../../src/cli/serve-command.js';
import { ownSockets } from '../../src/cli/worker-socket.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { seedServicingBook } from '../../src/servicing/servicing-benchmark.js';
import { BACKENDS } from '../support/backends.js';
import { newPlace } from '../support/cli-place.js';
import { sprout } from '../support/cli.js';
import { withTestCosts } from '../support/child-env.js';
import { freshDataDir, removeDataDir } from '../support/data-dir.js';

const SPROUT = fileURLToPath(new URL('../../bin/sprout.js', import.meta.url));
const KEY = 'cd'.repeat(32);

/** One request on a connection of its own: on Linux the kernel picks a worker's socket for each (src/cli/worker-socket.ts), elsewhere the cluster the next worker in turn. */
function send(port: number, method: string, path: string, token: string | null, body?: unknown, key?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { connection: 'close' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (key !== undefined) headers['idempotency-key'] = key;
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * A port free on 127.0.0.1 now, as the kernel hands one out: the served workers need a number before
 * they start (each binds its own socket), and a fixed one (this file took 20000 + pid × 13 mod 20000,
 * half of it in the ephemeral range) can be some other process's outgoing connection.
 */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The sockets listening on `port` on any IPv4 address, from the kernel's table (Linux). */
function listeningSockets(port: number): number {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  // Field 2 is the local address, field 4 the state (0A: LISTEN).
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(suffix) === true && fields[3] === '0A').length;
}

describe('sprout serve --workers', () => {
  it('defaults to the cores on PostgreSQL and 1 on PGlite; refuses more than one on PGlite and a bad count, naming the flag', async () => {
    assert.equal(serveWorkers(undefined, ''), 1);
    assert.ok(serveWorkers(undefined, 'postgres://db/x') >= 1);
    assert.equal(serveWorkers('3', 'postgres://db/x'), 3);
    assert.equal(serveWorkers('1', undefined), 1);
    assert.throws(() => serveWorkers('2', undefined), /workers.*PGlite.*DATABASE_URL|PGlite/);
    assert.throws(() => serveWorkers('0', 'postgres://db/x'), /workers/);
    assert.throws(() => serveWorkers('two', 'postgres://db/x'), /workers/);
    const dir = freshDataDir('sprout-workers-');
    try {
      const refused = await sprout(['serve', '--workers', '2', '--data-dir', dir]);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /embedded PGlite database belongs to one process: 2 workers need PostgreSQL \(set DATABASE_URL\)/);
    } finally {
      removeDataDir(dir);
    }
  });

  it('refuses a port another server listens on, before it opens the database', { skip: !ownSockets(process.platform) }, async () => {
    // Workers on SO_REUSEPORT sockets would otherwise share the port with it (src/cli/worker-socket.ts).
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      // No database answers at this address: the refusal comes first.
      const refused = await sprout(['serve', '--mode', 'demo', '--no-demo', '--workers', '2', '--port', String(port)], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, new RegExp(`port ${port} on 127.0.0.1 is in use`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

// Several processes share only a server database.
if (BACKENDS.includes('postgres')) {
  describe('sprout serve --workers 2 on postgres', () => {
    it('both workers take repayments at once: the audit chain verifies, money moved once per key, the ledger reconciles; the login limit holds across the two', async () => {
      const place = await newPlace('postgres', 'sprout-workers-');
      const auditDir = mkdtempSync(join(tmpdir(), 'sprout-workers-audit-'));
      const port = await freePort();
      const database = await place.open();
      // The seed appends (credit lines opened) with the servers' key, as one bank's processes all do.
      const previousKey = currentAuditKey();
      useAuditKey(Buffer.from(KEY, 'hex'));
      const book = await seedServicingBook(database.db, { borrowers: 24 }).finally(() => useAuditKey(previousKey));
      // Info level: every request's log line names the process (pid) that answered it.
      // At the test's scrypt cost, as in this process (test/support/child-env.ts): a refused login costs the workers ≈ 2 ms, not ≈ 0.3 s.
      const env = withTestCosts({ ...place.env, SPROUT_AUDIT_DIR: auditDir, SPROUT_AUDIT_KEY: KEY, SPROUT_RATE_LIMIT_LOGIN: '3', SPROUT_RATE_LIMIT_WINDOW_SECONDS: '3600', LOG_LEVEL: 'info', SPROUT_NOTIFY_INTERVAL_SECONDS: '0' });
      const child = spawn(process.execPath, [SPROUT, 'serve', '--mode', 'demo', '--no-demo', '--workers', '2', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
      try {
        let errors = '';
        await new Promise<void>((resolve, reject) => {
          // A guard against a hang, not a timing: the shared machine is slow to start two processes.
          const timer = setTimeout(() => reject(new Error(`workers did not start: ${errors}`)), 600_000);
          child.stderr.on('data', (chunk: Buffer) => {
            errors += chunk.toString();
            if (/2 workers listening on port/.test(errors)) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.on('exit', (code) => reject(new Error(`server exited ${code}: ${errors}`)));
        });

        // On Linux each worker listens on its own socket: two on the port, none the primary's.
        if (ownSockets(process.platform)) assert.equal(listeningSockets(port), 2);

        // Every borrower repays at once, each on a new connection; every third sends its request twice with one key.
        const answers = await Promise.all(
          book.borrowers.map(async (borrower, i) => {
            const key = `workers-test-${i}-0001`;
            const path = `/v1/loans/${borrower.loanId}/repayments`;
            const twice = i % 3 === 0;
            const sent = await Promise.all([send(port, 'POST', path, borrower.token, { amount: '50.00' }, key), ...(twice ? [send(port, 'POST', path, borrower.token, { amount: '50.00' }, key)] : [])]);
            return sent;
          }),
        );
        for (const sent of answers) {
          for (const answer of sent) assert.equal(answer.status, 201, answer.body);
          if (sent.length === 2) assert.deepEqual(JSON.parse(sent[1]!.body), JSON.parse(sent[0]!.body), 'the retry answers with the first result');
        }

        // Sixteen wrong logins from one address, spread over the two processes: three allowed in all,
        // not three each (counted by process, six would be allowed). Sixteen, not six: the kernel
        // spreads connections by a hash, which sends six to one process once in 32 runs, sixteen once
        // in 32,768. Each allowed one costs the server a scrypt (the test's cost here; six of ten
        // before, at the production cost: docs/benchmarks.md, s12n); a refused one does not.
        // (An hour's window: at load 45 ten production-cost password hashes took more than a minute.)
        const logins = [];
        for (let i = 0; i < 16; i++) logins.push(await send(port, 'POST', '/v1/auth/token', null, { username: 'nobody-here', password: 'wrong-password' }));
        assert.deepEqual(logins.map((answer) => answer.status), [401, 401, 401, ...Array.from({ length: 13 }, () => 429)]);
        const counted = await database.db.selectFrom('rate_limit_window').select('count').where('bucket', '=', 'login').where('address', '=', '127.0.0.1').executeTakeFirstOrThrow();
        assert.equal(counted.count, 16, 'both processes counted in the one row');

        // Both processes answered repayments and logins.
        const lines = log.split('\n').filter((line) => line.startsWith('{'));
        const byRequest = new Map<string, { url?: string; pid: number }>();
        for (const line of lines) {
          const entry = JSON.parse(line) as { reqId?: string; pid: number; req?: { url?: string } };
          if (entry.reqId !== undefined && entry.req?.url !== undefined) byRequest.set(`${entry.pid}/${entry.reqId}`, { url: entry.req.url, pid: entry.pid });
        }
        const answeredBy = (fragment: string) => new Set([...byRequest.values()].filter((r) => r.url?.includes(fragment)).map((r) => r.pid));
        assert.equal(answeredBy('/repayments').size, 2, 'repayments answered by two processes');
        assert.equal(answeredBy('/v1/auth/token').size, 2, 'logins answered by two processes');

        const repaid = await database.db.selectFrom('journal_entry').select('loan_id').where('kind', '=', 'repayment').execute();
        assert.equal(repaid.length, 24, 'one entry per borrower: the doubled requests moved money once');
        assert.equal(new Set(repaid.map((row) => row.loan_id)).size, 24);
        assert.equal((await reconcile(database.db)).balanced, true);
        const audit = await verifyAuditTrail(database.db, Buffer.from(KEY, 'hex'));
        assert.deepEqual(audit.findings, []);
        const audited = await database.db.selectFrom('audit_event').select('id').where('action', '=', 'loan.repayment').execute();
        assert.equal(audited.length, 24);
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
        await database.close();
        await place.drop();
        rmSync(auditDir, { recursive: true, force: true });
      }
    });
  });
}
