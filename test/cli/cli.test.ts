import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { csvFileName, DATA_SOURCES, sourceCsv } from '../../src/data/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { currentAuditKey, useAuditKey } from '../../src/audit/audit-trail.js';
import { sprout as runSprout, runningSprout } from '../support/cli.js';
import { freshDataDir, removeDataDir } from '../support/data-dir.js';
import { wasmFlags } from '../../src/cli/wasm-flags.js';

const SPROUT = join(import.meta.dirname, '..', '..', 'bin', 'sprout.js');

/** `sprout` run in this process (test/support/cli.ts). */
const sprout = (...args: string[]) => runSprout(args);

const EXAMPLE = ['--principal', '5000.00', '--rate', '12', '--periods', '18', '--disbursed', '2022-11-01', '--installment-multiple', '1.00'];

describe('sprout schedule', () => {
  it('--format json prints one object with the installments and totals', async () => {
    const result = await sprout('schedule', ...EXAMPLE, '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    const schedule = JSON.parse(result.stdout) as { installments: Record<string, unknown>[]; totalPrincipal: string; totalInterest: string; totalRepayment: string };
    assert.deepEqual(schedule.installments[0], { number: 1, dueDate: '2022-12-01', days: 30, principal: '255.00', interest: '50.00', total: '305.00', balance: '4745.00' });
    assert.equal(schedule.installments.length, 18);
    assert.equal(schedule.installments[17]?.balance, '0.00');
    assert.equal(schedule.totalPrincipal, '5000.00');
    // 17 installments of 305.00 and a last one that settles the rest: totals are consistent.
    assert.equal(Number(schedule.totalRepayment) * 100, Number(schedule.totalPrincipal) * 100 + Number(schedule.totalInterest) * 100);
  });

  it('every option reaches the engine: a weekly, daily-interest, actual/360 loan with both graces', async () => {
    const result = await sprout('schedule', '--principal', '10000', '--rate', '7.2', '--periods', '6', '--every', '2', '--unit', 'weeks', '--method', 'equal-principal',
      '--interest', 'declining-balance', '--interest-period', 'daily', '--days-in-year', '360', '--days-in-month', 'actual', '--disbursed', '2024-01-01',
      '--first-due', '2024-01-10', '--grace-principal', '2', '--grace-interest', '1', '--rounding', 'half-up', '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    const { installments } = JSON.parse(result.stdout) as { installments: { dueDate: string; days: number; principal: string; interest: string; total: string }[] };
    assert.deepEqual(installments.map((row) => row.dueDate), ['2024-01-10', '2024-01-24', '2024-02-07', '2024-02-21', '2024-03-06', '2024-03-20']);
    // Interest grace: nothing due first; 9 days of interest (10000 × 7.2% × 9/360 = 18.00) carried into the second.
    assert.deepEqual([installments[0]?.total, installments[0]?.interest], ['0.00', '0.00']);
    // Second: its own 14 days (28.00) + the deferred 18.00, and no principal (principal grace of 2).
    assert.deepEqual([installments[1]?.principal, installments[1]?.interest], ['0.00', '46.00']);
    // Then 10000 in four equal parts of 2500.00, interest on the declining balance for 14 days.
    assert.deepEqual(installments.slice(2).map((row) => row.principal), ['2500.00', '2500.00', '2500.00', '2500.00']);
    assert.equal(installments[2]?.interest, '28.00');
    assert.equal(installments[3]?.interest, '21.00');
  });

  it('--format csv is an export: a byte-order mark, a header and one CRLF line per installment', async () => {
    const result = await sprout('schedule', ...EXAMPLE, '--format', 'csv');
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.startsWith('\uFEFF'), 'UTF-8 byte-order mark first');
    const lines = result.stdout.slice(1).trimEnd().split('\r\n');
    assert.equal(lines[0], 'number,dueDate,days,principal,interest,total,balance');
    assert.equal(lines[1], '1,2022-12-01,30,255.00,50.00,305.00,4745.00');
    assert.equal(lines.filter((line) => /^\d+,/.test(line)).length, 18);
  });

  it('the default table shows the first installment', async () => {
    const result = await sprout('schedule', ...EXAMPLE);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /2022-12-01\s+30\s+255\.00\s+50\.00\s+305\.00\s+4745\.00/);
  });

  it('bad input exits 2 with a message naming the field, and JSON errors with --format json', async () => {
    const result = await sprout('schedule', '--principal', '5000.001', '--rate', '12', '--periods', '18', '--disbursed', '2022-11-01');
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /principal/);
    const json = await sprout('schedule', '--principal', '5000', '--rate', '12', '--periods', 'x', '--disbursed', '2022-11-01', '--format', 'json');
    assert.equal(json.status, 2);
    const error = JSON.parse(json.stderr) as { error: { code: string; field: string } };
    assert.deepEqual([error.error.code, error.error.field], ['VALIDATION', 'periods']);
    const missing = await sprout('schedule', '--rate', '12', '--periods', '3', '--disbursed', '2022-11-01');
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--principal/);
  });

  it('exits 1 naming the option on a usage error', async () => {
    const usage = await sprout('schedule', '--rate', '12');
    assert.equal(usage.status, 1);
    assert.match(usage.stderr, /required option '--principal <D>' not specified/);
  });
});

/**
 * Runs the real `sprout serve` binary on an empty database until `ready` appears on its stdout,
 * hands its port and output to `body`, then stops it and removes the directory. The directory holds
 * the run's migrated cluster (test/support/data-dir.ts): a new user's empty `./data`, initialised
 * by PGlite, is test/db/database.test.ts's.
 */
async function withServer(args: readonly string[], env: NodeJS.ProcessEnv, ready: string, body: (port: number, output: string) => Promise<void>): Promise<void> {
  const dataDir = freshDataDir('sprout-serve-');
  const port = 20000 + ((process.pid + args.length * 7) % 20000);
  const child = spawn(process.execPath, [...wasmFlags(), SPROUT, 'serve', ...args, '--port', String(port), '--data-dir', dataDir], { env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      // A guard against a hang, not a timing: on the shared 2-core machine at load 30–50 the start
      // (PGlite's initialisation and the small demo book) took 107 s.
      const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 300_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(ready)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
    });
    await body(port, output);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    removeDataDir(dataDir);
  }
}

describe('sprout serve', () => {
  it('starts on an empty database, fills a (small) demo book, prints the demo logins, and serves /health and /openapi.json', async () => {
    await withServer(['--mode', 'demo', '--demo-enterprises', '5', '--demo-months', '1'], {}, 'admin-demo', async (port, output) => {
      assert.match(output, new RegExp(`OpenAPI\\s+http://127\\.0\\.0\\.1:${port}/openapi\\.json`));
      assert.match(output, /borrower\s+borrower-demo/);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { backend: string }).backend, 'pglite');
      const openapi = await fetch(`http://127.0.0.1:${port}/openapi.json`);
      assert.equal(openapi.status, 200);
      assert.ok(((await openapi.json()) as { paths: Record<string, unknown> }).paths['/v1/schedules']);

      const login = async (username: string) => {
        const answer = await fetch(`http://127.0.0.1:${port}/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: `${username}-demo` }) });
        return { authorization: `Bearer ${((await answer.json()) as { token: string }).token}` };
      };
      const history = await fetch(`http://127.0.0.1:${port}/v1/reports/portfolio/history`, { headers: await login('management') });
      const points = ((await history.json()) as { points: unknown[] }).points.length;
      assert.ok(points >= 28 && points <= 31, `a month of end-of-day snapshots (${points})`);
      const me = await fetch(`http://127.0.0.1:${port}/v1/me`, { headers: await login('borrower') });
      assert.match(((await me.json()) as { enterpriseId: string | null }).enterpriseId ?? '', /^[0-9a-f-]{36}$/, 'the demo borrower has an enterprise');
    });
  });

  it('in production mode (the default) an empty database gets no demo login: admin/admin-demo is refused', async () => {
    // Production needs every source connected: here a bank's (empty) CSV extracts.
    const extract = mkdtempSync(join(tmpdir(), 'sprout-extract-'));
    for (const source of DATA_SOURCES) writeFileSync(join(extract, csvFileName(source)), sourceCsv(source, []));
    // `serve` run in this process (test/support/cli.ts): the real process is the demo test's above.
    const dataDir = freshDataDir('sprout-serve-');
    const port = 20000 + (process.pid % 20000);
    const previousKey = currentAuditKey();
    const server = runningSprout(['serve', '--port', String(port), '--data-dir', dataDir], { ...process.env, DATABASE_URL: '', SPROUT_MODE: '', SPROUT_DATA_PROVIDER: `csv:${extract}` });
    try {
      await server.printed('Docs');
      const output = server.stdout();
      assert.match(output, /production mode/);
      assert.match(output, /Data\s+csv \(all sources\)/);
      assert.doesNotMatch(output, /Demo logins|admin-demo/);
      const login = await fetch(`http://127.0.0.1:${port}/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }) });
      assert.equal(login.status, 401);
    } finally {
      const stopped = await server.stop();
      // `serve` keeps the audit key it set for its whole life (src/cli/program.ts): given back here.
      useAuditKey(previousKey);
      removeDataDir(dataDir);
      assert.equal(stopped.status, 0, stopped.stderr);
    }
  });

  it('production refuses to start on the simulated provider or with a source unconnected, and says which', async () => {
    const dataDir = join(tmpdir(), 'never-created');
    const bare = await runSprout(['serve', '--mode', 'production', '--data-dir', dataDir], { ...process.env, DATABASE_URL: '', SPROUT_DATA_PROVIDER: '', SPROUT_CONNECTORS: '' });
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /production mode refuses to start: no provider for tax, electricity, water, social-security, registration, courts, credit-bureau, which the decision policy needs/);
    const simulated = await runSprout(['serve', '--data-dir', dataDir], { ...process.env, DATABASE_URL: '', SPROUT_MODE: 'production', SPROUT_DATA_PROVIDER: 'simulated', SPROUT_SOURCE_COURTS: 'none' });
    assert.equal(simulated.status, 2);
    assert.match(simulated.stderr, /the simulated provider \(demo data\) serves tax, electricity, water, social-security, registration, credit-bureau; no provider for courts/);
  });

  it('refuses an unknown mode, naming it', async () => {
    const result = await sprout('serve', '--mode', 'staging', '--data-dir', join(tmpdir(), 'never-created'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /mode/);
  });

  it('refuses a bad setting in the environment, naming it, before it creates or migrates a database', async () => {
    const dataDir = join(tmpdir(), `sprout-bad-setting-${process.pid}`);
    for (const [name, value, message] of [
      ['SPROUT_DASHBOARD_SHARED_MS', 'soon', /SPROUT_DASHBOARD_SHARED_MS: must be a whole number of milliseconds, 0 to 60000, got "soon"/],
      ['SPROUT_RATE_LIMIT_LOGIN', '0', /SPROUT_RATE_LIMIT_LOGIN: must be a positive whole number, got "0"/],
    ] as const) {
      const result = await runSprout(['serve', '--mode', 'demo', '--no-demo', '--data-dir', dataDir], { ...process.env, DATABASE_URL: '', [name]: value });
      assert.equal(result.status, 2, name);
      assert.match(result.stderr, message);
      assert.equal(existsSync(dataDir), false, `${name}: no data directory made`);
    }
  });

  it('refuses a bad port with a message naming it', async () => {
    const result = await sprout('serve', '--port', '70000', '--data-dir', join(tmpdir(), 'never-created'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /port/);
  });
});

// The other CLI tests run the program in their own process (test/support/cli.ts); these run the
// binary, as a user does.
describe('the sprout binary', () => {
  it('runs on Node 22 or later: npm scripts put the node package from node_modules first on PATH', () => {
    assert.ok(Number(process.versions.node.split('.')[0]) >= 22, `tests run on ${process.version}`);
    const version = spawnSync(process.execPath, [SPROUT, '--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout, '0.1.0\n');
  });

  it('exits 2 with the JSON error on bad input', () => {
    const bad = spawnSync(process.execPath, [SPROUT, 'schedule', '--principal', '5000', '--rate', '12', '--periods', 'x', '--disbursed', '2022-11-01', '--format', 'json'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    assert.equal(bad.status, 2);
    assert.deepEqual((JSON.parse(bad.stderr) as { error: { code: string; field: string } }).error.field, 'periods');
  });
});
