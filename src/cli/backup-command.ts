/**
 * `sprout backup --out FILE` and `sprout restore FILE --data-dir DIR`: backups of the embedded
 * database (src/system/backup.ts; docs/operations.md, "Backup and restore").
 *
 * `backup` opens the data directory itself when no process holds it. While a server holds it, the
 * server takes the copy: `sprout backup --server URL` asks it (`POST /v1/backups`, an
 * administrator's token in SPROUT_TOKEN, or SPROUT_USERNAME and SPROUT_PASSWORD to log in). The
 * database is never migrated nor written by a backup: a backup before an upgrade is the old schema.
 *
 * `restore` checks the file's checksum before writing anything, refuses a data directory that
 * holds anything, loads the database, compares its trial balance and audit heads with the
 * manifest, and verifies the audit trail when the audit key is at hand.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { Kysely } from 'kysely';
import { verifyAuditTrailWithCheckpoints } from '../audit/audit-checkpoint.js';
import { lockDataDir } from '../db/data-dir-lock.js';
import { openPglite } from '../db/pglite-backend.js';
import type { Database } from '../db/schema.js';
import { auditDirectory, CHECKPOINT_FILE, existingAudit } from '../audit/audit-files.js';
import { ConflictError, SproutError, ValidationError } from '../errors.js';
import { createBackup, readBackup, restoreBackup, type BackupManifest } from '../system/backup.js';
import { EXIT, runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface BackupFlags {
  out: string;
  dataDir?: string;
  server?: string;
  format: string;
}

interface RestoreFlags {
  dataDir: string;
  format: string;
}

export function backupCommand(): Command {
  return new Command('backup')
    .description('write a consistent backup of the embedded database (PGlite) to FILE, with a manifest and a checksum')
    .requiredOption('--out <FILE>', 'the backup file to write (refused if it exists)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data)')
    .option('--server <URL>', 'ask the running server that holds the data directory (POST /v1/backups; an admin token in SPROUT_TOKEN, or SPROUT_USERNAME and SPROUT_PASSWORD)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: BackupFlags) => {
        const env = cliIo().env;
        if (env.DATABASE_URL) throw new ValidationError('DATABASE_URL', 'is set: a PostgreSQL database is backed up with pg_basebackup and WAL archiving (docs/operations.md), not sprout backup');
        if (existsSync(flags.out)) throw new ConflictError(`${flags.out} exists; choose a new file name`, 'out');
        const { bytes, manifest } = flags.server === undefined ? await backupDirectory(flags.dataDir ?? './data', env) : await backupFromServer(flags.server, env);
        // Complete or absent: written beside, then renamed.
        const partial = `${flags.out}.partial`;
        try {
          writeFileSync(partial, bytes, { mode: 0o600 });
          renameSync(partial, flags.out);
        } catch (error) {
          rmSync(partial, { force: true });
          throw error;
        }
        if (flags.format === 'json') {
          cliIo().stdout.write(`${JSON.stringify({ file: flags.out, bytes: bytes.length, ...summaryOf(manifest) })}\n`);
        } else {
          cliIo().stdout.write(`backup ${flags.out} (${bytes.length} bytes, ${manifest.checksum})\n${describe(manifest)}`);
        }
      }),
    );
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('restore a backup written by sprout backup into a new, empty data directory; checks its checksum first')
    .argument('<FILE>', 'the backup file')
    .requiredOption('--data-dir <DIR>', 'the PGlite data directory to create (must not exist or be empty)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (file: string, flags: RestoreFlags) => {
        const env = cliIo().env;
        if (!existsSync(file)) throw new ValidationError('FILE', `${file} does not exist`);
        const auditDir = auditDirectory(flags.dataDir, env);
        // The audit trail verified on the restored database before it is closed, when the key is at hand.
        const { manifest, figures, checked } = await restoreBackup(readFileSync(file), { dataDir: flags.dataDir, auditDir }, (db) => verifyRestored(db, flags.dataDir, env));
        const verification = checked ?? null;
        if (flags.format === 'json') {
          cliIo().stdout.write(`${JSON.stringify({ restored: flags.dataDir, auditDir, ...summaryOf(manifest), restoredFigures: figures, auditVerification: verification })}\n`);
        } else {
          const lines = [`restored ${file} into ${flags.dataDir} (checksum ${manifest.checksum} verified)`, describe(manifest).trimEnd(), 'the restored database matches the manifest: trial balance totals, accounts, audit records and head hash'];
          if (verification === null) lines.push(`audit trail not verified: no audit key (set SPROUT_AUDIT_KEY, or copy the original audit.key into ${auditDir} with mode 600), then run sprout audit verify --data-dir ${flags.dataDir}`);
          else lines.push(`audit verification: ${verification.events} records (${verification.keyedEvents} keyed), ${verification.intact ? 'chains intact' : `${verification.findings.length} problems`}${verification.checkpoint === null ? ', no checkpoint' : `, checked against checkpoint ${verification.checkpoint.seq} of ${verification.checkpoint.at}`}`);
          cliIo().stdout.write(`${lines.join('\n')}\n`);
        }
        if (verification !== null && !verification.intact) cliIo().exitCode = EXIT.failed;
      }),
    );
}

/** The manifest without its parts, for output. */
function summaryOf(manifest: BackupManifest): Omit<BackupManifest, 'parts'> {
  const { parts: _parts, ...summary } = manifest;
  return summary;
}

function describe(manifest: BackupManifest): string {
  return (
    `  Sprout ${manifest.sproutVersion}, migration ${manifest.lastMigration}, taken ${manifest.createdAt}\n` +
    `  trial balance: debits ${manifest.trialBalance.totalDebit} = credits ${manifest.trialBalance.totalCredit} over ${manifest.trialBalance.accounts} accounts${manifest.trialBalance.balanced ? '' : ' (NOT BALANCED)'}\n` +
    `  audit: ${manifest.audit.records} records, head hash ${manifest.audit.headHash}, last checkpoint ${manifest.audit.lastCheckpoint}\n`
  );
}

/** The copy taken by this process: the directory must hold a database and no process may hold it. */
async function backupDirectory(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ bytes: Buffer; manifest: BackupManifest }> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new ValidationError('dataDir', `${dataDir} holds no database`);
  let release: () => void;
  try {
    release = lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof SproutError && error.code === 'CONFLICT') {
      throw new ConflictError(`${error.message.replace(/; stop it first.*$/, '')}; ask it for the backup instead: sprout backup --server http://HOST:PORT --out FILE (an administrator's token in SPROUT_TOKEN)`, 'dataDir');
    }
    throw error;
  }
  try {
    // Opened as it is: no migration, no reference data — a backup changes nothing.
    const pglite = await openPglite(dataDir);
    try {
      return await createBackup({ dumpDataDir: () => pglite.dumpDataDir('gzip'), checkpointsFile: join(auditDirectory(dataDir, env), CHECKPOINT_FILE) });
    } finally {
      await pglite.close();
    }
  } finally {
    release();
  }
}

/** The copy taken by the server that holds the directory, checked here before it is written. */
async function backupFromServer(server: string, env: NodeJS.ProcessEnv): Promise<{ bytes: Buffer; manifest: BackupManifest }> {
  if (!/^https?:\/\/[^\s]+$/.test(server)) throw new ValidationError('server', `must be an http:// or https:// URL, got "${server}"`);
  const base = server.replace(/\/+$/, '');
  let token = env.SPROUT_TOKEN;
  if (token === undefined || token === '') {
    if (!env.SPROUT_USERNAME || !env.SPROUT_PASSWORD) throw new ValidationError('SPROUT_TOKEN', 'is needed with --server: an administrator\'s token (or SPROUT_USERNAME and SPROUT_PASSWORD to log in)');
    const login = await fetch(`${base}/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: env.SPROUT_USERNAME, password: env.SPROUT_PASSWORD }) });
    if (!login.ok) throw new ConflictError(`logging in to ${base} as ${env.SPROUT_USERNAME} failed: HTTP ${login.status} ${await login.text()}`, 'server');
    token = ((await login.json()) as { token: string }).token;
  }
  const response = await fetch(`${base}/v1/backups`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new ConflictError(`${base} refused the backup: HTTP ${response.status} ${await response.text()}`, 'server');
  const bytes = Buffer.from(await response.arrayBuffer());
  // Damaged on the way: found here, and nothing is written.
  return { bytes, manifest: readBackup(bytes, 'server').manifest };
}

/** `sprout audit verify` on the restored database when the audit key is at hand; null without it. */
async function verifyRestored(db: Kysely<Database>, dataDir: string, env: NodeJS.ProcessEnv): Promise<{ events: number; keyedEvents: number; intact: boolean; findings: unknown[]; checkpoint: { seq: number; at: string; streams: number } | null } | null> {
  const { key, anchor } = existingAudit(dataDir, env);
  if (key === undefined) return null;
  const result = await verifyAuditTrailWithCheckpoints(db, { key, anchor });
  return { events: result.events, keyedEvents: result.keyedEvents, intact: result.findings.length === 0, findings: result.findings, checkpoint: result.checkpoint ?? null };
}
