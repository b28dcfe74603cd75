import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditDirectory, CHECKPOINT_FILE } from '../../src/audit/audit-files.js';
import { fileAuditAnchor } from '../../src/audit/audit-anchor.js';
import { currentAuditKey, useAuditKey } from '../../src/audit/audit-trail.js';
import { demoPassword, seedDemoUsers } from '../../src/auth/demo-users.js';
import { openDatabase } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { createBackup } from '../../src/system/backup.js';
import { BACKENDS } from '../support/backends.js';
import { holdDatabase, sprout, type HeldDatabase } from '../support/cli.js';
import { scratchDir, unpackMigratedCluster } from '../support/data-dir.js';
import { withTestApp } from '../support/test-app.js';

// Backups of the embedded database (src/system/backup.ts, src/cli/backup-command.ts). A PGlite data
// directory exists only on the embedded backend; on PostgreSQL the test checks that Sprout sends
// the operator to pg_basebackup (scripts/backup/pitr-drill.sh is PostgreSQL's restore drill).

/** One audit key for every command, so the restored trail is checked with the key it was written with. */
const KEY = 'a1'.repeat(32);
const ENV: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', SPROUT_AUDIT_DIR: '', SPROUT_AUDIT_KEY: KEY };

interface TrialBalanceJson {
  rows: { code: string; balance: string }[];
  totalDebit: string;
  totalCredit: string;
  balanced: boolean;
}

interface VerifyJson {
  events: number;
  intact: boolean;
  findings: unknown[];
  keyedEvents: number;
  checkpoint: { seq: number; at: string; streams: number } | null;
}

async function json<T>(args: string[], held?: HeldDatabase): Promise<T> {
  const result = await sprout([...args, '--format', 'json'], ENV, held);
  assert.equal(result.status, 0, `sprout ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

describe('sprout backup and sprout restore on the embedded database', () => {
  const root = scratchDir('sprout-backup-test-');
  const original = join(root, 'data');
  let tb: TrialBalanceJson;
  let verify: VerifyJson;

  before(async () => {
    unpackMigratedCluster(original);
    // The four commands on the directory opened once (test/support/cli.ts), closed before `backup` opens it.
    const held = await holdDatabase({ dataDir: original });
    try {
      const demo = await sprout(['demo', '--data-dir', original, '--enterprises', '5', '--months', '1', '--seed', '7'], ENV, held);
      assert.equal(demo.status, 0, demo.stderr);
      // A checkpoint outside the database, so the verification compares the trail with one.
      assert.equal((await sprout(['audit', 'checkpoint', '--data-dir', original], ENV, held)).status, 0);
      tb = await json<TrialBalanceJson>(['ledger', 'trial-balance', '--data-dir', original], held);
      verify = await json<VerifyJson>(['audit', 'verify', '--data-dir', original], held);
    } finally {
      await held.close();
    }
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('restores a demo book into a new directory with the same trial balance and audit verification; refuses a damaged file and a used directory', async () => {
    assert.ok(tb.rows.length > 20 && tb.totalDebit !== '0.00', `a book with postings (${tb.totalDebit})`);
    assert.equal(verify.intact, true, JSON.stringify(verify.findings));
    assert.equal(verify.checkpoint?.seq, 1);

    const file = join(root, 'book.backup');
    const made = await json<{ file: string; bytes: number; lastMigration: string; trialBalance: { totalDebit: string; totalCredit: string; accounts: number }; audit: { records: number; lastCheckpoint: number }; checksum: string }>(['backup', '--data-dir', original, '--out', file]);
    assert.equal(made.bytes, readFileSync(file).length);
    assert.deepEqual([made.trialBalance.totalDebit, made.trialBalance.totalCredit, made.trialBalance.accounts], [tb.totalDebit, tb.totalCredit, tb.rows.length]);
    assert.deepEqual([made.audit.records, made.audit.lastCheckpoint], [verify.events, 1]);
    assert.match(made.checksum, /^sha256:[0-9a-f]{64}$/);
    const again = await sprout(['backup', '--data-dir', original, '--out', file], ENV);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists/);

    // One byte changed in the middle of the data: refused on the checksum, nothing written.
    const damaged = readFileSync(file);
    const middle = Math.floor(damaged.length / 2);
    damaged.writeUInt8(damaged.readUInt8(middle) ^ 0xff, middle);
    const damagedFile = join(root, 'damaged.backup');
    writeFileSync(damagedFile, damaged);
    const refusedDir = join(root, 'refused');
    const refused = await sprout(['restore', damagedFile, '--data-dir', refusedDir, '--format', 'json'], ENV);
    assert.equal(refused.status, 2, refused.stderr);
    const error = (JSON.parse(refused.stderr) as { error: { code: string; message: string; field: string } }).error;
    assert.equal(error.code, 'VALIDATION');
    assert.match(error.message, /checksum mismatch/);
    assert.equal(existsSync(refusedDir), false);
    assert.equal(existsSync(`${refusedDir}-audit`), false);
    // Cut short (a copy that stopped half way): refused too.
    writeFileSync(damagedFile, readFileSync(file).subarray(0, 100_000));
    const cut = await sprout(['restore', damagedFile, '--data-dir', refusedDir], ENV);
    assert.equal(cut.status, 2);
    assert.match(cut.stderr, /cut short/);
    assert.equal(existsSync(refusedDir), false);

    const restoredDir = join(root, 'restored');
    const restored = await json<{ restored: string; restoredFigures: { trialBalance: { totalDebit: string } }; auditVerification: VerifyJson }>(['restore', file, '--data-dir', restoredDir]);
    assert.equal(restored.restored, restoredDir);
    assert.equal(restored.restoredFigures.trialBalance.totalDebit, tb.totalDebit);
    assert.equal(restored.auditVerification.intact, true);
    // The restored directory, opened as sprout opens it (once for both commands): the very same figures.
    const held = await holdDatabase({ dataDir: restoredDir });
    try {
      assert.deepEqual(await json<TrialBalanceJson>(['ledger', 'trial-balance', '--data-dir', restoredDir], held), tb);
      assert.deepEqual(await json<VerifyJson>(['audit', 'verify', '--data-dir', restoredDir], held), verify);
    } finally {
      await held.close();
    }

    const overwrite = await sprout(['restore', file, '--data-dir', restoredDir], ENV);
    assert.equal(overwrite.status, 1);
    assert.match(overwrite.stderr, /is not empty/);
  });

  it('while a server holds the directory, the command sends the operator to it, and the server copies it during end of day', async () => {
    const serverDir = join(root, 'served');
    // Restored in text this time: what the operator reads.
    const text = await sprout(['restore', join(root, 'book.backup'), '--data-dir', serverDir], ENV);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`trial balance: debits ${tb.totalDebit.replace('.', '\\.')} = credits ${tb.totalCredit.replace('.', '\\.')} over ${tb.rows.length} accounts`));
    assert.match(text.stdout, /audit verification: \d+ records \(\d+ keyed\), chains intact, checked against checkpoint 1 /);
    const previousKey = currentAuditKey();
    useAuditKey(Buffer.from(KEY, 'hex'));
    const database = await openDatabase({ dataDir: serverDir });
    const checkpointsFile = join(auditDirectory(serverDir, ENV), CHECKPOINT_FILE);
    const app = await buildApp({
      db: database.db,
      backend: database.backend,
      version: 'test',
      now: () => new Date(),
      rateLimits: 'off',
      audit: { key: Buffer.from(KEY, 'hex'), anchor: fileAuditAnchor(checkpointsFile, Buffer.from(KEY, 'hex')) },
      backup: () => createBackup({ dumpDataDir: database.dumpDataDir!, checkpointsFile }),
    });
    try {
      await seedDemoUsers(database.db);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

      const offline = await sprout(['backup', '--data-dir', serverDir, '--out', join(root, 'offline.backup')], ENV);
      assert.equal(offline.status, 1);
      assert.match(offline.stderr, new RegExp(`in use by process ${process.pid}.*sprout backup --server`));
      assert.equal(existsSync(join(root, 'offline.backup')), false);

      const operator = (await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'operator', password: demoPassword('operator') } })).json<{ token: string }>().token;
      // The backup asked for while end of day writes: the copy is of a moment between transactions.
      const served = join(root, 'served.backup');
      const [eod, backup] = await Promise.all([
        app.inject({ method: 'POST', url: '/v1/eod/runs', headers: { authorization: `Bearer ${operator}` }, payload: {} }),
        sprout(['backup', '--server', url, '--out', served, '--format', 'json'], { ...ENV, SPROUT_USERNAME: 'admin', SPROUT_PASSWORD: demoPassword('admin') }),
      ]);
      assert.equal(eod.statusCode, 200, eod.body);
      assert.equal(backup.status, 0, backup.stderr);
      const manifest = JSON.parse(backup.stdout) as { trialBalance: { totalDebit: string; totalCredit: string; balanced: boolean }; createdAt: string };
      assert.equal(manifest.trialBalance.balanced, true);
      assert.equal(manifest.trialBalance.totalDebit, manifest.trialBalance.totalCredit);
      const record = await database.db.selectFrom('audit_event').select(['actor', 'entity_id']).where('action', '=', 'backup.create').executeTakeFirstOrThrow();
      assert.deepEqual([record.actor, record.entity_id], ['admin', manifest.createdAt]);
      const forbidden = await app.inject({ method: 'POST', url: '/v1/backups', headers: { authorization: `Bearer ${operator}` } });
      assert.equal(forbidden.statusCode, 403);

      // The server's copy restores, balances and its audit chain verifies with the key.
      const fromServer = join(root, 'from-server');
      const restored = await json<{ restoredFigures: { trialBalance: { totalDebit: string; balanced: boolean } }; auditVerification: VerifyJson }>(['restore', served, '--data-dir', fromServer]);
      assert.equal(restored.restoredFigures.trialBalance.totalDebit, manifest.trialBalance.totalDebit);
      assert.equal(restored.restoredFigures.trialBalance.balanced, true);
      assert.equal(restored.auditVerification.intact, true, JSON.stringify(restored.auditVerification.findings));
      const reconcile = await sprout(['ledger', 'reconcile', '--data-dir', fromServer], ENV);
      assert.equal(reconcile.status, 0, reconcile.stdout);
    } finally {
      await app.close();
      await database.close();
      useAuditKey(previousKey);
    }
  });
});

for (const backend of BACKENDS.filter((b) => b === 'postgres')) {
  describe(`backups on ${backend}`, () => {
    it('are not Sprout\'s: the command and the route name pg_basebackup', async () => {
      const cli = await sprout(['backup', '--out', join(tmpdir(), 'never.backup')], { ...ENV, DATABASE_URL: process.env.TEST_DATABASE_URL });
      assert.equal(cli.status, 2);
      assert.match(cli.stderr, /DATABASE_URL.*pg_basebackup/);
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const response = await app.inject({ method: 'POST', url: '/v1/backups', headers: { authorization: `Bearer ${await tokenFor('admin')}` } });
        assert.equal(response.statusCode, 409);
        assert.match(response.json<{ error: { message: string } }>().error.message, /pg_basebackup/);
      });
    });
  });
}
