/**
 * Checkpoints: every stream head of the audit trail, copied now and then to an anchor outside the
 * database (audit-anchor.ts), and the full check that compares the trail with them.
 *
 * What the comparison adds to the hash chain (docs/security.md, "What the audit trail detects"):
 * - a tail deleted and the head moved back: the checkpoint saw a later position;
 * - a record edited and every later hash recomputed: the checkpoint's hash at its position differs;
 * - a whole stream dropped (its events and its head row): the checkpoint names the stream;
 * - checkpoints deleted from the anchor: the trail records each checkpoint's `seq` as an
 *   `audit.checkpoint` event, so an anchor behind the trail is reported.
 * What happened after the last checkpoint is covered by the key alone: an edit is found (the
 * hashes need the key), a deleted tail after the last checkpoint is not.
 *
 * @example
 * const checkpoint = await writeAuditCheckpoint(db, anchor);
 * const report = await verifyAuditTrailWithCheckpoints(db, { key, anchor });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit, CHECKPOINT_ACTION, type AuditFinding, walkAuditTrail } from './audit-trail.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditAnchor, AuditCheckpoint } from './audit-anchor.js';

/** The entity checkpoint events are about: one stream holds them all. */
const CHECKPOINT_ENTITY = 'audit-checkpoints';

/**
 * Copies every stream's committed head to `anchor`, then records the checkpoint's `seq` in the
 * trail. Not on any request's path: `sprout serve` writes one at start and every few minutes, end
 * of day one per night, `sprout audit checkpoint` one on demand (e.g. from cron).
 */
export async function writeAuditCheckpoint(db: Kysely<Database>, anchor: AuditAnchor, actor = 'system', now: Date = new Date()): Promise<AuditCheckpoint> {
  const heads = await db.selectFrom('audit_stream').select(['stream', 'position', 'head_hash']).orderBy('stream').execute();
  const checkpoint = await anchor.append({
    at: now.toISOString(),
    heads: Object.fromEntries(heads.filter((head) => head.position > 0n).map((head) => [String(head.stream), { position: head.position.toString(), hash: head.head_hash }])),
  });
  await inTransaction(db, (trx) =>
    appendAudit(trx, { actor, action: CHECKPOINT_ACTION, entityType: 'audit_anchor', entityId: CHECKPOINT_ENTITY, after: { seq: checkpoint.seq, anchor: anchor.location, streams: Object.keys(checkpoint.heads).length } }, now),
  );
  return checkpoint;
}

/** The full verification: the chains, and the trail against the anchor's checkpoints. */
export interface AuditVerification {
  readonly events: number;
  readonly findings: AuditFinding[];
  /** Records hashed with the audit key (scheme 2). */
  readonly keyedEvents: number;
  /** The latest valid checkpoint compared, if any. */
  readonly checkpoint: { readonly seq: number; readonly at: string; readonly streams: number } | undefined;
}

/** Findings about the anchor itself, not one stream, carry stream -1. */
const ANCHOR = -1;

/**
 * Recomputes every chain (with `key`) and compares the trail with the latest valid checkpoint in
 * `anchor`: every stream it names must still exist and hold, at the checkpoint's position, the
 * very hash the checkpoint saw. Without an anchor, only the chain is checked.
 */
export async function verifyAuditTrailWithCheckpoints(db: Kysely<Database>, options: { key: Buffer | undefined; anchor: AuditAnchor | undefined }): Promise<AuditVerification> {
  const walk = await walkAuditTrail(db, options.key);
  const findings = [...walk.findings];
  if (options.anchor === undefined) return { events: walk.events, findings, keyedEvents: walk.keyedEvents, checkpoint: undefined };
  const { checkpoints, problems } = await options.anchor.read();
  for (const problem of problems) findings.push({ stream: ANCHOR, position: '0', problem: `anchor ${options.anchor.location}: ${problem}` });
  const latest = checkpoints.at(-1);
  if (walk.lastCheckpointRecorded > (latest?.seq ?? 0)) {
    findings.push({ stream: ANCHOR, position: '0', problem: `the trail records checkpoint ${walk.lastCheckpointRecorded} but the anchor's last is ${latest?.seq ?? 'none'}: checkpoints deleted, or the wrong anchor` });
  } else if (latest === undefined && walk.keyedEvents > 0) {
    findings.push({ stream: ANCHOR, position: '0', problem: `the trail has keyed records but anchor ${options.anchor.location} has no checkpoint: checkpoints deleted, or the wrong anchor` });
  }
  if (latest !== undefined) {
    for (const [streamText, anchored] of Object.entries(latest.heads)) {
      const stream = Number(streamText);
      const position = BigInt(anchored.position);
      const seen = walk.streams.get(stream);
      if (seen === undefined) {
        findings.push({ stream, position: anchored.position, problem: `stream missing: checkpoint ${latest.seq} saw it at position ${anchored.position}; the stream was deleted` });
        continue;
      }
      const hash = seen.hashes.get(position);
      if (seen.head.position < position || hash === undefined) {
        findings.push({ stream, position: anchored.position, problem: `checkpoint ${latest.seq} saw position ${anchored.position} but the stream ends at ${seen.head.position}: records deleted at the end` });
      } else if (hash !== anchored.hash) {
        findings.push({ stream, position: anchored.position, problem: `the record at checkpoint ${latest.seq}'s position has another hash than the checkpoint saw: the stream was rewritten and rehashed` });
      }
    }
  }
  return { events: walk.events, findings, keyedEvents: walk.keyedEvents, checkpoint: latest === undefined ? undefined : { seq: latest.seq, at: latest.at, streams: Object.keys(latest.heads).length } };
}

/** Minutes between the checkpoints `sprout serve` writes (`SPROUT_AUDIT_CHECKPOINT_MINUTES`). */
export const DEFAULT_CHECKPOINT_MINUTES = 10;

/**
 * Writes a checkpoint now and then every `minutes`, until the returned stop is called (which
 * writes a last one). A failed checkpoint is reported to `onError` and tried again next time:
 * the trail itself is unharmed, only the window the key alone covers grows.
 *
 * @example
 * const stop = await startAuditCheckpoints(db, anchor, 10, (error) => log.error(error));
 * await stop();
 */
export async function startAuditCheckpoints(db: Kysely<Database>, anchor: AuditAnchor, minutes: number, onError: (error: unknown) => void): Promise<() => Promise<void>> {
  const write = async () => {
    try {
      await writeAuditCheckpoint(db, anchor);
    } catch (error) {
      onError(error);
    }
  };
  await write();
  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(write);
  }, minutes * 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    await write();
  };
}
