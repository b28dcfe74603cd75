/**
 * The audit trail (审计日志): who changed what, when, from what to what — appended in the same
 * transaction as the change, hash-chained so that editing or deleting any record is detectable
 * (`sprout audit verify`).
 *
 * hash = SHA-256(prev_hash ‖ canonical JSON of the event). A stream's first event chains to the
 * genesis hash (64 zeros).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';

/** Number of independent chains; an event's stream is fixed by its entity id. */
export const AUDIT_STREAMS = 16;
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  readonly actor: string;
  /** What happened, e.g. `loan.drawdown`, `line.status`, `user.create`. */
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * Appends an event, in the caller's transaction. The stream's head row is locked until the
 * transaction ends, which orders the stream.
 *
 * @example
 * await appendAudit(trx, { actor: 'alice', action: 'line.status', entityType: 'credit_line', entityId: id, before: { status: 'active' }, after: { status: 'frozen' } });
 */
export async function appendAudit(trx: Transaction<Database>, event: AuditEvent, at: Date = new Date()): Promise<void> {
  await appendAuditEvents(trx, [{ event, at }]);
}

/** Bound on events appended at once: one business operation writes a handful. */
const MAX_EVENTS_AT_ONCE = 100;

/**
 * Appends several events in three statements whatever their number: lock the streams' heads (in
 * stream order, so two transactions never wait on each other in a cycle), insert the events, move
 * the heads. Events of one stream are chained in the order given. A transaction that appends its
 * events last, just before it commits, holds the heads' locks for the shortest time.
 *
 * @example
 * await appendAuditEvents(trx, [{ event: pulled, at: now }, { event: decided, at: now }]);
 */
export async function appendAuditEvents(trx: Transaction<Database>, events: readonly { readonly event: AuditEvent; readonly at?: Date }[]): Promise<void> {
  if (events.length === 0) return;
  invariant(events.length <= MAX_EVENTS_AT_ONCE, `at most ${MAX_EVENTS_AT_ONCE} audit events at once`);
  const streams = [...new Set(events.map(({ event }) => streamOf(event.entityId)))].sort((a, b) => a - b);
  const lockHeads = () => trx.selectFrom('audit_stream').selectAll().where('stream', 'in', streams).orderBy('stream').forUpdate().execute();
  let heads = await lockHeads();
  if (heads.length < streams.length) {
    // A stream's first event ever: create its head, then lock them all again in order.
    await trx.insertInto('audit_stream').values(streams.map((stream) => ({ stream, position: 0n, head_hash: GENESIS_HASH }))).onConflict((oc) => oc.column('stream').doNothing()).execute();
    heads = await lockHeads();
  }
  invariant(heads.length === streams.length, 'every audit stream has a head');
  const state = new Map(heads.map((head) => [head.stream, { position: head.position, hash: head.head_hash }]));
  const rows = events.map(({ event, at = new Date() }) => {
    const stream = streamOf(event.entityId);
    const head = state.get(stream)!;
    const position = head.position + 1n;
    const before = event.before === undefined ? null : canonicalJson(event.before);
    const after = event.after === undefined ? null : canonicalJson(event.after);
    const record = { stream, position: position.toString(), id: uuidv7(), at: at.toISOString(), actor: event.actor, action: event.action, entityType: event.entityType, entityId: event.entityId, before, after };
    const hash = chainHash(head.hash, record);
    const row = {
      stream,
      position,
      id: record.id,
      at,
      actor: record.actor,
      action: record.action,
      entity_type: record.entityType,
      entity_id: record.entityId,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
      prev_hash: head.hash,
      hash,
    };
    state.set(stream, { position, hash });
    return row;
  });
  await trx.insertInto('audit_event').values(rows).execute();
  if (streams.length === 1) {
    const head = state.get(streams[0]!)!;
    await trx.updateTable('audit_stream').set({ position: head.position, head_hash: head.hash }).where('stream', '=', streams[0]!).execute();
    return;
  }
  // Several heads in one portable statement: CASE over the stream number.
  const positionCase = sql.join(streams.map((stream) => sql`when ${stream} then cast(${state.get(stream)!.position.toString()} as bigint)`), sql` `);
  const hashCase = sql.join(streams.map((stream) => sql`when ${stream} then ${state.get(stream)!.hash}`), sql` `);
  await trx
    .updateTable('audit_stream')
    .set({ position: sql`case stream ${positionCase} end`, head_hash: sql`case stream ${hashCase} end` })
    .where('stream', 'in', streams)
    .execute();
}

/** One problem found by `verifyAuditTrail`. */
export interface AuditFinding {
  readonly stream: number;
  readonly position: string;
  readonly problem: string;
}

/**
 * Walks every stream and recomputes its chain. Finds edited records (hash mismatch), deleted ones
 * (a gap in positions, or a head ahead of the last record) and inserted ones (a broken link).
 */
export async function verifyAuditTrail(db: Kysely<Database>): Promise<{ events: number; findings: AuditFinding[] }> {
  const findings: AuditFinding[] = [];
  let events = 0;
  const heads = await db.selectFrom('audit_stream').selectAll().orderBy('stream').execute();
  for (const head of heads) {
    let expectedPrev = GENESIS_HASH;
    let expectedPosition = 1n;
    const rows = await db.selectFrom('audit_event').selectAll().where('stream', '=', head.stream).orderBy('position').execute();
    for (const row of rows) {
      events++;
      const at = row.position.toString();
      if (row.position !== expectedPosition) findings.push({ stream: head.stream, position: at, problem: `expected position ${expectedPosition}: records missing before it` });
      if (row.prev_hash !== expectedPrev) findings.push({ stream: head.stream, position: at, problem: 'does not chain to the record before it' });
      const record = {
        stream: row.stream,
        position: at,
        id: row.id,
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        before: row.before === null ? null : canonicalJson(row.before),
        after: row.after === null ? null : canonicalJson(row.after),
      };
      if (chainHash(row.prev_hash, record) !== row.hash) findings.push({ stream: head.stream, position: at, problem: 'content does not match its hash: edited' });
      expectedPrev = row.hash;
      expectedPosition = row.position + 1n;
    }
    if (head.position !== expectedPosition - 1n || head.head_hash !== expectedPrev) {
      findings.push({ stream: head.stream, position: head.position.toString(), problem: `stream head at ${head.position} but the records end at ${expectedPosition - 1n}: records deleted at the end` });
    }
  }
  return { events, findings };
}

function streamOf(entityId: string): number {
  return createHash('sha256').update(entityId).digest()[0]! % AUDIT_STREAMS;
}

function chainHash(prev: string, record: object): string {
  return createHash('sha256').update(prev).update(JSON.stringify(record)).digest('hex');
}

/** JSON with object keys sorted and bigints as strings, so the same value always hashes the same. */
export function canonicalJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonicalJson((value as Record<string, unknown>)[key])]));
  }
  return value;
}
