/**
 * Where the audit key and the checkpoint file live: outside the database, by default in a
 * directory beside the PGlite data directory (`./data` → `./data-audit/`), never inside it.
 *
 * - `SPROUT_AUDIT_KEY`: the key itself, 64 or more hex characters (a secret manager's value);
 *   when set, no key file is read or written.
 * - `SPROUT_AUDIT_DIR`: the directory for `audit.key` (0600, generated on first start) and
 *   `checkpoints.jsonl` (the file anchor); default `<data dir>-audit`, and `./data-audit` with
 *   `DATABASE_URL`.
 *
 * @example
 * const audit = setUpAudit('./data'); // generates ./data-audit/audit.key the first time
 * await writeAuditCheckpoint(db, audit.anchor);
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { fileAuditAnchor, type AuditAnchor } from './audit-anchor.js';
import { useAuditKey } from './audit-trail.js';

export const AUDIT_KEY_FILE = 'audit.key';
export const CHECKPOINT_FILE = 'checkpoints.jsonl';

/** The audit directory for a data directory (see the file's header). */
export function auditDirectory(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPROUT_AUDIT_DIR) return resolve(env.SPROUT_AUDIT_DIR);
  const data = resolve(dataDir ?? './data');
  return join(dirname(data), `${basename(data)}-audit`);
}

/**
 * The audit key: from `SPROUT_AUDIT_KEY`, else `<dir>/audit.key`, generated (32 random bytes,
 * hex, mode 0600) when absent. `created` tells the caller to write a first checkpoint.
 */
export function loadOrCreateAuditKey(dir: string, env: NodeJS.ProcessEnv = process.env): { key: Buffer; created: boolean; source: string } {
  const fromEnv = env.SPROUT_AUDIT_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return { key: parseKey(fromEnv, 'SPROUT_AUDIT_KEY'), created: false, source: 'SPROUT_AUDIT_KEY' };
  const path = join(dir, AUDIT_KEY_FILE);
  if (existsSync(path)) {
    // Readable by others, it protects nothing: refuse to run on it rather than warn.
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) throw new ValidationError('SPROUT_AUDIT_DIR', `${path} must be readable by its owner only (chmod 600)`);
    return { key: parseKey(readFileSync(path, 'utf8').trim(), path), created: false, source: path };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it a moment ago: use theirs.
    if ((error as { code?: string }).code === 'EEXIST') return loadOrCreateAuditKey(dir, env);
    throw error;
  }
  chmodSync(path, 0o600);
  return { key, created: true, source: path };
}

function parseKey(text: string, field: string): Buffer {
  if (!/^[0-9a-fA-F]{64,256}$/.test(text) || text.length % 2 !== 0) throw new ValidationError(field, 'must be 64 to 256 hex characters (32 to 128 bytes)');
  return Buffer.from(text, 'hex');
}

/** The process's audit set-up: its key (in use for appends from now on) and its anchor. */
export interface AuditSetUp {
  readonly key: Buffer;
  readonly anchor: AuditAnchor;
  readonly dir: string;
  /** True when the key was generated just now. */
  readonly created: boolean;
}

/**
 * Loads (or creates) the key, makes it the key of every append in this process, and opens the
 * file anchor. Every CLI command that opens the database calls this (src/cli/main.ts).
 */
export function setUpAudit(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): AuditSetUp {
  const dir = auditDirectory(dataDir, env);
  const { key, created } = loadOrCreateAuditKey(dir, env);
  useAuditKey(key);
  return { key, anchor: fileAuditAnchor(join(dir, CHECKPOINT_FILE), key), dir, created };
}

/**
 * For checking only (`sprout audit verify`): the key and anchor if they exist, never creating a
 * key. Without a key, keyed records are reported as unverifiable and no checkpoint can be read.
 */
export function existingAudit(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): { key: Buffer | undefined; anchor: AuditAnchor | undefined; dir: string } {
  const dir = auditDirectory(dataDir, env);
  const hasKey = (env.SPROUT_AUDIT_KEY !== undefined && env.SPROUT_AUDIT_KEY !== '') || existsSync(join(dir, AUDIT_KEY_FILE));
  if (!hasKey) return { key: undefined, anchor: undefined, dir };
  const { key } = loadOrCreateAuditKey(dir, env);
  return { key, anchor: fileAuditAnchor(join(dir, CHECKPOINT_FILE), key), dir };
}
