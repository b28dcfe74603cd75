/**
 * Audit anchors: where checkpoints of the audit trail's stream heads are kept OUTSIDE the
 * database, so that someone with SQL access alone cannot delete the tail of a stream, drop a
 * stream, or rewrite and rehash it without the next `sprout audit verify` noticing.
 *
 * A checkpoint is `{ seq, at, heads }`: the position and hash of every stream's head. Each is
 * signed with HMAC-SHA-256 under the audit key and chained to the one before (`prev`), so a
 * checkpoint edited, inserted or removed from the middle is reported by `read()`. Removing the
 * last checkpoints is shown by the trail itself, which records each checkpoint's `seq` as an
 * `audit.checkpoint` event (audit-checkpoint.ts).
 *
 * Two implementations: a JSON-lines file (`fileAuditAnchor`, the default, beside the data
 * directory) and one in memory (`memoryAuditAnchor`, for tests). A bank that has an append-only
 * store (WORM storage, a syslog host, a transparency log) implements this interface and passes
 * test/audit/anchor-conformance.ts.
 *
 * @example
 * const anchor = fileAuditAnchor('/var/lib/sprout/data-audit/checkpoints.jsonl', key);
 * await anchor.append({ at: new Date().toISOString(), heads: { '3': { position: '12', hash: 'hmac:…' } } });
 * const { checkpoints, problems } = await anchor.read();
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { invariant } from '../errors.js';

/** One stream's head as a checkpoint saw it. */
export interface AnchoredHead {
  /** The position of the stream's last record, as a decimal string (bigint in the database). */
  readonly position: string;
  readonly hash: string;
}

/** The heads of every stream at one moment. */
export interface AuditCheckpoint {
  /** 1, 2, 3… in the order written. */
  readonly seq: number;
  /** When it was written, ISO 8601. */
  readonly at: string;
  /** By stream number. */
  readonly heads: Readonly<Record<string, AnchoredHead>>;
}

/** Where checkpoints are kept. Implementations must pass test/audit/anchor-conformance.ts. */
export interface AuditAnchor {
  /** Where it is, for messages (a path, a URL). */
  readonly location: string;
  /** Appends a checkpoint with the next `seq`, durably, and returns it. */
  append(checkpoint: Omit<AuditCheckpoint, 'seq'>): Promise<AuditCheckpoint>;
  /**
   * Every checkpoint whose signature and link hold, in order; `problems` describes the rest (a bad
   * signature, a broken link, a gap in `seq`). Empty when nothing was ever written.
   */
  read(): Promise<{ checkpoints: AuditCheckpoint[]; problems: string[] }>;
}

/** A checkpoint as stored: with the signature of the one before and its own. */
interface SignedCheckpoint extends AuditCheckpoint {
  readonly prev: string;
  readonly sig: string;
}

const FIRST_PREV = '0'.repeat(64);

/** Bound on checkpoints read back: one every 10 minutes for 20 years. */
const MAX_CHECKPOINTS = 20 * 366 * 24 * 6;

function signature(key: Buffer, checkpoint: AuditCheckpoint, prev: string): string {
  const heads = Object.fromEntries(Object.keys(checkpoint.heads).sort((a, b) => Number(a) - Number(b)).map((stream) => [stream, checkpoint.heads[stream]]));
  return createHmac('sha256', key).update(JSON.stringify({ seq: checkpoint.seq, at: checkpoint.at, heads, prev })).digest('hex');
}

function sign(key: Buffer, checkpoint: AuditCheckpoint, prev: string): SignedCheckpoint {
  return { seq: checkpoint.seq, at: checkpoint.at, heads: checkpoint.heads, prev, sig: signature(key, checkpoint, prev) };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Checks signatures, links and sequence of stored checkpoints (what `read()` returns). */
function checkChain(key: Buffer, stored: readonly unknown[]): { checkpoints: AuditCheckpoint[]; problems: string[] } {
  const checkpoints: AuditCheckpoint[] = [];
  const problems: string[] = [];
  let prev = FIRST_PREV;
  let expectedSeq = 1;
  for (const [index, item] of stored.entries()) {
    const entry = item as Partial<SignedCheckpoint> | null;
    if (entry === null || typeof entry !== 'object' || typeof entry.seq !== 'number' || typeof entry.at !== 'string' || typeof entry.sig !== 'string' || typeof entry.prev !== 'string' || entry.heads === null || typeof entry.heads !== 'object') {
      problems.push(`entry ${index + 1} is not a checkpoint`);
      continue;
    }
    const checkpoint: AuditCheckpoint = { seq: entry.seq, at: entry.at, heads: entry.heads };
    if (!sameHex(signature(key, checkpoint, entry.prev), entry.sig)) {
      problems.push(`checkpoint ${entry.seq}: signature does not match (edited, or signed with another key)`);
      continue;
    }
    if (entry.seq !== expectedSeq) problems.push(`checkpoint ${entry.seq}: expected ${expectedSeq}; checkpoints ${expectedSeq}..${entry.seq - 1} are missing`);
    else if (entry.prev !== prev) problems.push(`checkpoint ${entry.seq}: does not link to the checkpoint before it`);
    checkpoints.push(checkpoint);
    prev = entry.sig;
    expectedSeq = entry.seq + 1;
  }
  return { checkpoints, problems };
}

/**
 * Checkpoints as JSON lines in `path`, appended and fsynced; the directory is created 0700 and
 * the file 0600. Keep it where the database's administrators cannot write (docs/security.md).
 */
export function fileAuditAnchor(path: string, key: Buffer): AuditAnchor {
  invariant(key.length >= 32, 'an anchor key has at least 32 bytes');
  const readStored = (): unknown[] => {
    if (!existsSync(path)) return [];
    const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
    invariant(lines.length <= MAX_CHECKPOINTS, `more than ${MAX_CHECKPOINTS} checkpoints in ${path}; start a new file`);
    return lines.map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return null;
      }
    });
  };
  return {
    location: path,
    async append(checkpoint) {
      const stored = readStored();
      const last = stored.at(-1) as Partial<SignedCheckpoint> | undefined;
      const seq = typeof last?.seq === 'number' ? last.seq + 1 : 1;
      const signed = sign(key, { ...checkpoint, seq }, typeof last?.sig === 'string' ? last.sig : FIRST_PREV);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      appendFileSync(path, `${JSON.stringify(signed)}\n`, { mode: 0o600 });
      const fd = openSync(path, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return { seq, at: signed.at, heads: signed.heads };
    },
    async read() {
      return checkChain(key, readStored());
    },
  };
}

/**
 * Checkpoints in memory, for tests: in `stored` (exposed so a test can play the attacker; pass
 * another anchor's to open the same storage again).
 */
export function memoryAuditAnchor(key: Buffer, stored: unknown[] = []): AuditAnchor & { readonly stored: unknown[] } {
  invariant(key.length >= 32, 'an anchor key has at least 32 bytes');
  return {
    location: 'memory',
    stored,
    async append(checkpoint) {
      const last = stored.at(-1) as SignedCheckpoint | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const signed = sign(key, { ...checkpoint, seq }, last?.sig ?? FIRST_PREV);
      stored.push(JSON.parse(JSON.stringify(signed)) as unknown);
      return { seq, at: signed.at, heads: signed.heads };
    },
    async read() {
      return checkChain(key, stored);
    },
  };
}
