/**
 * Backups of the embedded database (PGlite): one file holding the data directory as PGlite dumps
 * it, the audit checkpoints kept beside it, a manifest and a checksum (docs/operations.md,
 * "Backup and restore").
 *
 * The file:
 *
 *     SPROUT-BACKUP 1\n
 *     {"format":1,"sproutVersion":…,"lastMigration":…,"createdAt":…,"trialBalance":{…},"audit":{…},"parts":[…],"checksum":"sha256:…"}\n
 *     <the parts' bytes, one after the other, in the manifest's order>
 *
 * `checksum` is the SHA-256 of the manifest line without it (the same JSON less that last key)
 * followed by every part's bytes, so a byte changed anywhere after the first line is found
 * before anything is written.
 *
 * Consistency: PGlite is one connection inside the process that owns the directory. The dump is
 * taken holding PGlite's transaction lock (no transaction is open; every committed one is in the
 * write-ahead log the dump carries), so it is the database as of the last commit. The manifest's
 * figures are then read from the dump itself, loaded into a scratch directory: a backup that does
 * not load is never written, and its figures are those of the copy, not of a moment later.
 *
 * @example
 * const { bytes, manifest } = await createBackup({ dumpDataDir: () => database.dumpDataDir!(), checkpointsFile });
 * const restored = await restoreBackup(bytes, { dataDir: './restored', auditDir: './restored-audit' });
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { CHECKPOINT_ACTION, walkAuditTrail } from '../audit/audit-trail.js';
import { CHECKPOINT_FILE } from '../audit/audit-files.js';
import { lockDataDir } from '../db/data-dir-lock.js';
import { MIGRATIONS } from '../db/migrate.js';
import { kyselyOverPglite, openPglite } from '../db/pglite-backend.js';
import type { Database } from '../db/schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import { trialBalance } from '../ledger/trial-balance.js';
import { formatMoney } from '../money/format-money.js';
import { VERSION } from '../version.js';

const MAGIC = 'SPROUT-BACKUP 1\n';
const DATA_PART = 'pgdata.tar.gz';
const CHECKPOINTS_PART = 'audit-checkpoints.jsonl';
/** A manifest line is a few hundred bytes; anything near this is not a manifest. */
const MAX_MANIFEST_BYTES = 64 * 1024;

/** What a database holds, in figures a person can compare: the same before backup and after restore. */
export interface BookFigures {
  /** The newest migration applied (`schema_migration`). */
  readonly lastMigration: string;
  readonly trialBalance: { readonly totalDebit: string; readonly totalCredit: string; readonly balanced: boolean; readonly accounts: number };
  readonly audit: {
    /** Audit records in the trail. */
    readonly records: number;
    /** SHA-256 over every stream's head (stream, position, hash), in stream order. */
    readonly headHash: string;
    /** The last checkpoint `seq` the trail records (0: none). */
    readonly lastCheckpoint: number;
  };
}

/** One part of the file. */
export interface BackupPart {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** The manifest line of a backup file. */
export interface BackupManifest extends BookFigures {
  readonly format: 1;
  readonly sproutVersion: string;
  readonly createdAt: string;
  readonly backend: 'pglite';
  readonly parts: readonly BackupPart[];
  readonly checksum: string;
}

/**
 * The figures of a database: newest migration, trial balance totals, audit trail size and heads.
 *
 * @example
 * const figures = await bookFigures(db); // { lastMigration: '0057-scheduled-interest', … }
 */
export async function bookFigures(db: Kysely<Database>): Promise<BookFigures> {
  const migration = await db.selectFrom('schema_migration').select('name').orderBy('name', 'desc').limit(1).executeTakeFirst();
  const tb = await trialBalance(db, null);
  const heads = await db.selectFrom('audit_stream').select(['stream', 'position', 'head_hash']).orderBy('stream').execute();
  const headHash = createHash('sha256');
  for (const head of heads) headHash.update(`${head.stream}:${head.position}:${head.head_hash}\n`);
  // Without the key: only the counts and the checkpoint seq are read here, not the verdict.
  const walk = await walkAuditTrail(db, undefined);
  return {
    lastMigration: migration?.name ?? '',
    trialBalance: { totalDebit: formatMoney(tb.totalDebit), totalCredit: formatMoney(tb.totalCredit), balanced: tb.balanced, accounts: tb.rows.length },
    audit: { records: walk.events, headHash: headHash.digest('hex'), lastCheckpoint: walk.lastCheckpointRecorded },
  };
}

/** Where a backup comes from: the owner of the data directory, and the checkpoint file beside it. */
export interface BackupSource {
  /** A consistent gzipped tarball of the data directory (OpenDatabase.dumpDataDir). */
  readonly dumpDataDir: () => Promise<Blob>;
  /** The audit anchor's checkpoint file, if any (`<data dir>-audit/checkpoints.jsonl`). */
  readonly checkpointsFile?: string | undefined;
}

/**
 * Dumps the database, loads the dump into a scratch directory to read its figures, and returns
 * the backup file's bytes and manifest. The checkpoint file is read after the dump and cut at the
 * last checkpoint the dumped trail records: a checkpoint written after the dump would name records
 * the copy does not have.
 */
export async function createBackup(source: BackupSource, now: Date = new Date()): Promise<{ bytes: Buffer; manifest: BackupManifest }> {
  const data = Buffer.from(await (await source.dumpDataDir()).arrayBuffer());
  const scratch = mkdtempSync(join(tmpdir(), 'sprout-backup-'));
  let figures: BookFigures;
  try {
    figures = await withLoaded(scratch, data, bookFigures);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const checkpoints = checkpointsUpTo(source.checkpointsFile, figures.audit.lastCheckpoint);
  const parts: [string, Buffer][] = [[DATA_PART, data], [CHECKPOINTS_PART, checkpoints]];
  const unsigned = {
    format: 1 as const,
    sproutVersion: VERSION,
    lastMigration: figures.lastMigration,
    createdAt: now.toISOString(),
    backend: 'pglite' as const,
    trialBalance: figures.trialBalance,
    audit: figures.audit,
    parts: parts.map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: sha256(bytes) })),
  };
  const line = JSON.stringify(unsigned);
  const manifest: BackupManifest = { ...unsigned, checksum: `sha256:${checksumOf(line, parts.map(([, bytes]) => bytes))}` };
  return { bytes: Buffer.concat([Buffer.from(MAGIC), Buffer.from(`${JSON.stringify(manifest)}\n`), ...parts.map(([, bytes]) => bytes)]), manifest };
}

/**
 * Reads and checks a backup file: its format, its checksum and every part's. Throws a
 * ValidationError on `field` naming what is wrong; nothing is written.
 */
export function readBackup(bytes: Buffer, field = 'file'): { manifest: BackupManifest; parts: Map<string, Buffer> } {
  if (bytes.length < MAGIC.length || bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) {
    throw new ValidationError(field, 'is not a Sprout backup (it does not start with "SPROUT-BACKUP 1")');
  }
  const end = bytes.indexOf(0x0a, MAGIC.length);
  if (end < 0 || end - MAGIC.length > MAX_MANIFEST_BYTES) throw new ValidationError(field, 'is damaged: its manifest line is missing or too long');
  const line = bytes.subarray(MAGIC.length, end).toString('utf8');
  let parsed: Partial<BackupManifest>;
  try {
    parsed = JSON.parse(line) as Partial<BackupManifest>;
  } catch {
    throw new ValidationError(field, 'is damaged: its manifest is not valid JSON');
  }
  const { checksum, ...unsigned } = parsed;
  if (parsed.format !== 1 || typeof checksum !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(checksum) || !Array.isArray(parsed.parts)) {
    throw new ValidationError(field, 'is damaged: its manifest lacks the format, parts or checksum');
  }
  const parts = new Map<string, Buffer>();
  let offset = end + 1;
  for (const part of parsed.parts) {
    if (typeof part?.name !== 'string' || !Number.isSafeInteger(part.bytes) || part.bytes < 0 || offset + part.bytes > bytes.length) {
      throw new ValidationError(field, `is damaged or cut short: part ${String(part?.name)} does not fit in the file`);
    }
    parts.set(part.name, bytes.subarray(offset, offset + part.bytes));
    offset += part.bytes;
  }
  if (offset !== bytes.length) throw new ValidationError(field, `is damaged: ${bytes.length - offset} bytes more than its parts`);
  const expected = checksumOf(JSON.stringify(unsigned), [...parts.values()]);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(checksum.slice('sha256:'.length)))) {
    throw new ValidationError(field, `is damaged: checksum mismatch (the manifest says ${checksum}, the content is sha256:${expected}); nothing was restored`);
  }
  for (const part of parsed.parts) {
    if (sha256(parts.get(part.name)!) !== part.sha256) throw new ValidationError(field, `is damaged: part ${part.name} does not match its checksum`);
  }
  if (!parts.has(DATA_PART)) throw new ValidationError(field, `holds no ${DATA_PART}`);
  return { manifest: parsed as BackupManifest, parts };
}

/** Where a restore writes: a new (or empty) data directory and its audit directory. */
export interface RestoreTarget {
  readonly dataDir: string;
  readonly auditDir: string;
}

/**
 * Checks `bytes` (readBackup), refuses a data directory that holds anything or an audit directory
 * that already holds checkpoints, then loads the database into `dataDir` and the checkpoints into
 * `auditDir`, and compares the loaded database's figures with the manifest's. On any mismatch the
 * directories it wrote are removed again and a ConflictError says what differed. `check`, if
 * given, reads the restored database (the checkpoints in place) before it is closed: the same
 * PostgreSQL start as the load, not a second one (≈ 0.3 s of CPU; docs/benchmarks.md, s12r).
 */
export async function restoreBackup<T = undefined>(bytes: Buffer, target: RestoreTarget, check?: (db: Kysely<Database>) => Promise<T>): Promise<{ manifest: BackupManifest; figures: BookFigures; checked: T | undefined }> {
  const { manifest, parts } = readBackup(bytes);
  const latest = MIGRATIONS.at(-1)?.name ?? '';
  if (manifest.lastMigration > latest) {
    throw new ConflictError(`the backup was made by a newer Sprout (${manifest.sproutVersion}, migration ${manifest.lastMigration}); this one knows migrations up to ${latest}`, 'file');
  }
  if (existsSync(target.dataDir) && readdirSync(target.dataDir).length > 0) {
    throw new ConflictError(`the data directory ${target.dataDir} is not empty; restore into a new or empty directory`, 'dataDir');
  }
  const checkpointsPath = join(target.auditDir, CHECKPOINT_FILE);
  if (existsSync(checkpointsPath)) {
    throw new ConflictError(`${checkpointsPath} already exists: another database's audit checkpoints; restore into a data directory whose audit directory holds none (or set SPROUT_AUDIT_DIR)`, 'dataDir');
  }
  const createdDataDir = !existsSync(target.dataDir);
  const release = lockDataDir(target.dataDir);
  let kept = false;
  try {
    return await withLoaded(target.dataDir, parts.get(DATA_PART)!, async (db) => {
      const figures = await bookFigures(db);
      const differences = compareFigures(manifest, figures);
      if (differences.length > 0) {
        throw new ConflictError(`the restored database differs from the backup's manifest (${differences.join('; ')}); nothing was kept`, 'file');
      }
      kept = true;
      const checkpoints = parts.get(CHECKPOINTS_PART);
      if (checkpoints !== undefined && checkpoints.length > 0) {
        mkdirSync(target.auditDir, { recursive: true, mode: 0o700 });
        writeFileSync(checkpointsPath, checkpoints, { mode: 0o600, flag: 'wx' });
      }
      return { manifest, figures, checked: check === undefined ? undefined : await check(db) };
    });
  } finally {
    release();
    if (!kept) undo(target.dataDir, createdDataDir);
  }
}

/** What differs between a manifest and a database's figures, in words ([] when nothing). */
export function compareFigures(expected: BookFigures, actual: BookFigures): string[] {
  const differences: string[] = [];
  const check = (name: string, a: unknown, b: unknown) => {
    if (a !== b) differences.push(`${name}: backup ${String(a)}, restored ${String(b)}`);
  };
  check('last migration', expected.lastMigration, actual.lastMigration);
  check('total debit', expected.trialBalance.totalDebit, actual.trialBalance.totalDebit);
  check('total credit', expected.trialBalance.totalCredit, actual.trialBalance.totalCredit);
  check('accounts', expected.trialBalance.accounts, actual.trialBalance.accounts);
  check('audit records', expected.audit.records, actual.audit.records);
  check('audit head hash', expected.audit.headHash, actual.audit.headHash);
  check('last audit checkpoint', expected.audit.lastCheckpoint, actual.audit.lastCheckpoint);
  return differences;
}

/** Opens a PGlite in `dir` from the tarball `data`, runs `work` on it (its figures, a restore's checks) and closes it. */
async function withLoaded<T>(dir: string, data: Buffer, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const pglite = await openPglite(dir, { loadDataDir: new Blob([new Uint8Array(data)]) });
  const db = kyselyOverPglite(pglite);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** The checkpoint file's lines with `seq` up to `last`, as bytes (empty without a file). */
function checkpointsUpTo(path: string | undefined, last: number): Buffer {
  if (path === undefined || !existsSync(path) || last === 0) return Buffer.alloc(0);
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const seq = (JSON.parse(line) as { seq?: unknown }).seq;
        return typeof seq === 'number' && seq <= last;
      } catch {
        // A damaged line is kept: `sprout audit verify` reports it after the restore as it did before.
        return true;
      }
    });
  return Buffer.from(kept.map((line) => `${line}\n`).join(''));
}

function undo(dataDir: string, created: boolean): void {
  if (created) rmSync(dataDir, { recursive: true, force: true });
  else for (const entry of readdirSync(dataDir)) rmSync(join(dataDir, entry), { recursive: true, force: true });
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checksumOf(manifestLine: string, parts: readonly Buffer[]): string {
  const hash = createHash('sha256').update(manifestLine).update('\n');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
