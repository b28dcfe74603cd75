/**
 * An insider with SQL access (and no access to the audit key or the checkpoint anchor) tampers
 * with the trail; `verifyAuditTrailWithCheckpoints` (what `sprout audit verify` and
 * GET /v1/audit/verification run) must notice each time, where the plain chain did not.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { memoryAuditAnchor } from '../../src/audit/audit-anchor.js';
import { verifyAuditTrailWithCheckpoints, writeAuditCheckpoint } from '../../src/audit/audit-checkpoint.js';
import { appendAudit, canonicalJson, GENESIS_HASH, useAuditKey, verifyAuditTrail } from '../../src/audit/audit-trail.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { buildApp } from '../../src/http/app.js';
import { seedDemoUsers, demoPassword } from '../../src/auth/demo-users.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const KEY = Buffer.alloc(32, 42);

/** Twelve events on three entities, so some streams hold several. */
async function someEvents(db: Kysely<Database>, from = 0): Promise<void> {
  for (let i = from; i < from + 12; i++) {
    await inTransaction(db, (trx) => appendAudit(trx, { actor: 'clerk', action: 'thing.change', entityType: 'thing', entityId: `thing-${i % 3}`, before: { n: i }, after: { n: i + 1 } }));
  }
}

/** The stream holding the most records, and how many. */
async function busiestStream(db: Kysely<Database>): Promise<{ stream: number; count: number }> {
  const rows = await db.selectFrom('audit_event').select(['stream', sql<bigint>`count(*)`.as('n')]).groupBy('stream').orderBy(sql`count(*)`, 'desc').orderBy('stream').execute();
  return { stream: rows[0]!.stream, count: Number(rows[0]!.n) };
}

/** What an insider without the key can do: recompute a stream's chain from `from` with plain SHA-256 and move its head. */
async function rehashUnkeyed(db: Kysely<Database>, stream: number, from: bigint): Promise<void> {
  const rows = await db.selectFrom('audit_event').selectAll().where('stream', '=', stream).orderBy('position').execute();
  let prev = from === 1n ? GENESIS_HASH : rows.find((row) => row.position === from - 1n)!.hash;
  for (const row of rows.filter((candidate) => candidate.position >= from)) {
    const record = { stream, position: row.position.toString(), id: row.id, at: new Date(row.at).toISOString(), actor: row.actor, action: row.action, entityType: row.entity_type, entityId: row.entity_id, before: row.before === null ? null : canonicalJson(row.before), after: row.after === null ? null : canonicalJson(row.after) };
    const hash = createHash('sha256').update(prev).update(JSON.stringify(record)).digest('hex');
    await sql`update audit_event set prev_hash = ${prev}, hash = ${hash} where stream = ${stream} and position = ${row.position}`.execute(db);
    prev = hash;
  }
  await sql`update audit_stream set head_hash = ${prev} where stream = ${stream}`.execute(db);
}

const problems = (findings: { problem: string }[]) => findings.map((finding) => finding.problem);

for (const backend of BACKENDS) {
  describe(`audit trail against insiders on ${backend}`, () => {
    before(() => useAuditKey(KEY));
    after(() => useAuditKey(undefined));

    it('an untouched keyed trail verifies, against its checkpoint', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const anchor = memoryAuditAnchor(KEY);
        await someEvents(db);
        const checkpoint = await writeAuditCheckpoint(db, anchor, 'test');
        assert.equal(checkpoint.seq, 1);
        await someEvents(db, 12);
        const result = await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor });
        assert.deepEqual(result.findings, []);
        // 24 events and the checkpoint's own record, all keyed.
        assert.deepEqual([result.events, result.keyedEvents, result.checkpoint?.seq], [25, 25, 1]);
        const hashes = await db.selectFrom('audit_event').select('hash').execute();
        assert.ok(hashes.every((row) => row.hash.startsWith('hmac:')));
      });
    });

    it('a deleted tail with the head moved back is found', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const anchor = memoryAuditAnchor(KEY);
        await someEvents(db);
        const checkpoint = await writeAuditCheckpoint(db, anchor, 'test');
        const { stream, count } = await busiestStream(db);
        // What the checkpoint saw (its own record may have gone to this stream after it).
        const seen = checkpoint.heads[String(stream)]!.position;
        const newTail = await db.selectFrom('audit_event').select(['position', 'hash']).where('stream', '=', stream).where('position', '=', BigInt(count - 2)).executeTakeFirstOrThrow();
        await sql`delete from audit_event where stream = ${stream} and position > ${newTail.position}`.execute(db);
        await sql`update audit_stream set position = ${newTail.position}, head_hash = ${newTail.hash} where stream = ${stream}`.execute(db);
        // The chain alone cannot tell: what remains is a valid chain.
        assert.deepEqual((await verifyAuditTrail(db, KEY)).findings, []);
        const result = await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor });
        assert.deepEqual(result.findings.map((finding) => finding.stream), [stream]);
        assert.match(problems(result.findings)[0]!, new RegExp(`checkpoint 1 saw position ${seen} but the stream ends at ${count - 2}: records deleted at the end`));
      });
    });

    it('an edited record with every later hash recomputed is found, partly by the key and wholly by the checkpoint', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const anchor = memoryAuditAnchor(KEY);
        await someEvents(db);
        await writeAuditCheckpoint(db, anchor, 'test');
        const { stream } = await busiestStream(db);
        await sql`update audit_event set actor = 'mallory' where stream = ${stream} and position = 2`.execute(db);
        await rehashUnkeyed(db, stream, 2n);
        // After keyed records, unkeyed ones are the mark of someone without the key.
        let result = await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor });
        assert.ok(problems(result.findings).includes('hashed without the key after keyed records: rewritten by someone without the key'), problems(result.findings).join('; '));
        // Rehashed from the very first record, the chain alone looks like an old unkeyed trail…
        await rehashUnkeyed(db, stream, 1n);
        assert.deepEqual((await verifyAuditTrail(db, KEY)).findings, []);
        // …but the checkpoint saw another hash at its position.
        result = await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor });
        assert.deepEqual(problems(result.findings), ["the record at checkpoint 1's position has another hash than the checkpoint saw: the stream was rewritten and rehashed"]);
      });
    });

    it('a whole stream dropped is found', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await seedDemoUsers(db);
        const anchor = memoryAuditAnchor(KEY);
        await someEvents(db);
        await writeAuditCheckpoint(db, anchor, 'test');
        const { stream } = await busiestStream(db);
        await sql`delete from audit_event where stream = ${stream}`.execute(db);
        await sql`delete from audit_stream where stream = ${stream}`.execute(db);
        assert.deepEqual((await verifyAuditTrail(db, KEY)).findings, []);
        const result = await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor });
        assert.deepEqual(result.findings.map((finding) => [finding.stream, /the stream was deleted/.test(finding.problem)]), [[stream, true]]);

        // The API reports it too, with the anchor it was given.
        const app = await buildApp({ db, backend, version: 'test', now: () => new Date(), rateLimits: 'off', audit: { key: KEY, anchor } });
        try {
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'auditor', password: demoPassword('auditor') } });
          const response = await app.inject({ method: 'GET', url: '/v1/audit/verification', headers: { authorization: `Bearer ${(login.json() as { token: string }).token}` } });
          const body = response.json() as { intact: boolean; findings: { stream: number }[]; checkpoint: { seq: number } | null };
          assert.deepEqual([response.statusCode, body.intact, body.findings.map((finding) => finding.stream), body.checkpoint?.seq], [200, false, [stream], 1]);
        } finally {
          await app.close();
        }
      });
    });

    it('deleted checkpoints are found: the trail records each one it was given', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const anchor = memoryAuditAnchor(KEY);
        await someEvents(db);
        await writeAuditCheckpoint(db, anchor, 'test');
        await writeAuditCheckpoint(db, anchor, 'test');
        assert.deepEqual((await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor })).findings, []);
        // The last checkpoint removed: the anchor is behind the trail.
        anchor.stored.pop();
        let result = await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor });
        assert.deepEqual(problems(result.findings), ["the trail records checkpoint 2 but the anchor's last is 1: checkpoints deleted, or the wrong anchor"]);
        // All removed (the file deleted).
        anchor.stored.length = 0;
        result = await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor });
        assert.deepEqual(problems(result.findings), ["the trail records checkpoint 2 but the anchor's last is none: checkpoints deleted, or the wrong anchor"]);
        // And the key missing: keyed records cannot be checked, which is reported, not passed.
        result = await verifyAuditTrailWithCheckpoints(db, { key: undefined, anchor: undefined });
        assert.equal(result.findings.length, result.keyedEvents);
        assert.ok(result.keyedEvents > 12);
      });
    });

    it('a trail written before keying still verifies, and goes on keyed', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        useAuditKey(undefined);
        await someEvents(db);
        useAuditKey(KEY);
        const anchor = memoryAuditAnchor(KEY);
        await writeAuditCheckpoint(db, anchor, 'test');
        await someEvents(db, 12);
        const result = await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor });
        assert.deepEqual(result.findings, []);
        assert.deepEqual([result.events, result.keyedEvents], [25, 13]);
        // An old record edited is still found (scheme 1).
        await sql`update audit_event set actor = 'mallory' where position = 1 and hash not like 'hmac:%'`.execute(db);
        assert.ok(problems((await verifyAuditTrailWithCheckpoints(db, { key: KEY, anchor })).findings).includes('content does not match its hash: edited'));
      });
    });
  });
}
