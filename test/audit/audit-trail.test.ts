import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql, type QueryCreator } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { appendAudit, appendAuditEvents, appendAuditStreams, AUDIT_STREAMS, streamOf, verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { openDatabase } from '../../src/db/database.js';
import { inTransaction } from '../../src/db/transaction.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { repay } from '../../src/servicing/repayment.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { sprout } from '../support/cli.js';
import { freshDataDir, scratchDir, unpackMigratedCluster } from '../support/data-dir.js';
import { countAuditStatements } from '../support/audit-statements.js';

for (const backend of BACKENDS) {
  describe(`audit trail on ${backend}`, () => {
    it('records who did what with before and after, and verifies intact', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '1000.00', termDays: 30 }, 'owner-1'));
        await inTransaction(db, (trx) => repay(trx, { loanId, amount: '400.00' }, 'owner-1'));
        const events = await db.selectFrom('audit_event').select(['actor', 'action', 'entity_id', 'before', 'after']).orderBy('at').orderBy('id').execute();
        assert.deepEqual(events.map((event) => event.action), ['enterprise.create', 'line.open', 'loan.drawdown', 'loan.repayment']);
        const repayment = events[3]!;
        assert.equal(repayment.actor, 'owner-1');
        assert.equal(repayment.entity_id, loanId);
        assert.equal((repayment.before as { principalNotDue: string }).principalNotDue, '100000');
        assert.equal((repayment.after as { balances: { principalNotDue: string } }).balances.principalNotDue, '60000');
        assert.deepEqual(await verifyAuditTrail(db), { events: 4, findings: [] });
      });
    });

    it('keeps every stream one unbroken chain under concurrent writers and rollbacks', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        // 60 transactions on three entities (so at most three streams), eight at a time; every
        // fourth appends and then rolls back, which leaves this process's idea of the head stale.
        const rolledBack = new Error('rolled back on purpose');
        let committed = 0;
        const work = Array.from({ length: 60 }, (_, i) => async () => {
          try {
            await inTransaction(db, async (trx) => {
              await appendAuditEvents(trx, [
                { event: { actor: 'tester', action: 'test.first', entityType: 'thing', entityId: `thing-${i % 3}`, after: { i } } },
                { event: { actor: 'tester', action: 'test.second', entityType: 'other', entityId: `other-${i}`, after: { i } } },
              ]);
              // A second append in the same transaction chains after its own uncommitted events.
              await appendAudit(trx, { actor: 'tester', action: 'test.third', entityType: 'thing', entityId: `thing-${i % 3}` });
              if (i % 4 === 3) throw rolledBack;
            });
            committed++;
          } catch (error) {
            if (error !== rolledBack) throw error;
          }
        });
        let next = 0;
        await Promise.all(Array.from({ length: 8 }, async () => {
          while (next < work.length) await work[next++]!();
        }));
        assert.equal(committed, 45);
        assert.deepEqual(await verifyAuditTrail(db), { events: 45 * 3, findings: [] });
        // Events appended together share a stream, in the order given.
        const rows = await db.selectFrom('audit_event').select(['stream', 'position', 'action', 'after']).orderBy('stream').orderBy('position').execute();
        const streams = new Set(rows.map((row) => row.stream));
        assert.ok(streams.size >= 1 && streams.size <= 3, `${streams.size} streams`);
        for (const first of rows.filter((row) => row.action === 'test.first')) {
          const second = rows.find((row) => row.action === 'test.second' && (row.after as { i: number }).i === (first.after as { i: number }).i)!;
          assert.equal(second.stream, first.stream);
          assert.equal(second.position, first.position + 1n);
        }
      });
    });

    it('appends to many streams in two statements, creating heads it lacks, and keeps every chain whole under concurrent writers', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        // Entities in at least five streams, some new to the database (their heads do not exist yet).
        const byStream = new Map<number, string[]>();
        for (let i = 0; byStream.size < 5; i++) {
          const id = `many-${i}`;
          byStream.set(streamOf(id), [...(byStream.get(streamOf(id)) ?? []), id]);
        }
        const streams = [...byStream.keys()];
        const events = (round: number, of: readonly number[]) =>
          new Map(of.map((stream) => [stream, byStream.get(stream)!.map((entityId) => ({ event: { actor: 'tester', action: `test.many-${round}`, entityType: 'thing', entityId, after: { round } } }))]));
        const counted = countAuditStatements(db);
        // A fresh database lacks these streams' heads: the first append creates them (more statements, once).
        const lacking = await db.selectFrom('audit_stream').select('stream').where('stream', 'in', streams).execute();
        assert.ok(lacking.length < streams.length, 'some heads do not exist yet');
        await inTransaction(db, (trx) => appendAuditStreams(trx, new Map([...events(0, streams)].map(([stream, list]) => [stream, list.map(({ event }) => ({ event: { ...event, action: 'test.setup' } }))]))));
        // With every head there, two statements: the heads locked in order, then the events and the heads' moves.
        await inTransaction(counted.db, (trx) => appendAuditStreams(trx, events(0, streams)));
        assert.equal(counted.statements(), 2);
        // Concurrent transactions over overlapping streams (in different orders), and single-stream appends between: each waits its turn, none deadlocks.
        await Promise.all(
          Array.from({ length: 12 }, (_, round) =>
            inTransaction(db, async (trx) => {
              if (round % 3 === 2) await appendAudit(trx, { actor: 'tester', action: 'test.single', entityType: 'thing', entityId: byStream.get(streams[round % streams.length]!)![0]! });
              else await appendAuditStreams(trx, events(round + 1, round % 2 === 0 ? streams : [...streams].reverse().slice(0, 3)));
            }),
          ),
        );
        const perEntity = [...byStream.values()].flat().length;
        const written = await db.selectFrom('audit_event').select(db.fn.countAll<string>().as('n')).where('action', 'like', 'test.many-%').executeTakeFirstOrThrow();
        const partial = [...streams].reverse().slice(0, 3).reduce((sum, stream) => sum + byStream.get(stream)!.length, 0);
        assert.equal(Number(written.n), perEntity * 5 + partial * 4);
        assert.deepEqual((await verifyAuditTrail(db)).findings, []);
      });
    });

    it('outside a transaction writes a change and its events all or nothing, also when the head it expected has moved', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        // One entity per stream; append to each and roll back, so this process expects every head
        // one event further than it is.
        const perStream = new Map<number, string>();
        for (let i = 0; perStream.size < AUDIT_STREAMS; i++) if (!perStream.has(streamOf(`entity-${i}`))) perStream.set(streamOf(`entity-${i}`), `entity-${i}`);
        const rolledBack = new Error('rolled back on purpose');
        for (const entityId of perStream.values()) {
          await assert.rejects(inTransaction(db, async (trx) => {
            await appendAudit(trx, { actor: 'tester', action: 'test.setup', entityType: 'thing', entityId });
            throw rolledBack;
          }), rolledBack);
        }
        const rate = (effectiveFrom: string) => (qc: QueryCreator<Database>) =>
          qc.with('added_rate', (inner) => inner.insertInto('lpr_rate').values({ tenor: '1y', effective_from: parseBusinessDate(effectiveFrom, 'effectiveFrom'), rate: '2.90' }));
        const ratesOn = async (date: string) => (await db.selectFrom('lpr_rate').select('rate').where('effective_from', '=', parseBusinessDate(date, 'date')).execute()).length;

        // The stale head fails the one statement whole; done again the long way, once.
        await appendAuditEvents(db, [{ event: { actor: 'tester', action: 'rate.add', entityType: 'lpr_rate', entityId: 'entity-0', after: { rate: '2.90' } } }], { alongside: rate('2030-01-20') });
        assert.equal(await ratesOn('2030-01-20'), 1);
        assert.deepEqual(await verifyAuditTrail(db), { events: 1, findings: [] });
        // Now the head is known: one statement.
        await appendAuditEvents(db, [{ event: { actor: 'tester', action: 'rate.add', entityType: 'lpr_rate', entityId: 'entity-0', after: { rate: '2.90' } } }], { alongside: rate('2030-02-20') });
        assert.equal(await ratesOn('2030-02-20'), 1);
        assert.deepEqual(await verifyAuditTrail(db), { events: 2, findings: [] });

        // A change that fails leaves no event behind, and the chain goes on from where it was.
        await assert.rejects(
          appendAuditEvents(db, [{ event: { actor: 'tester', action: 'rate.add', entityType: 'lpr_rate', entityId: 'entity-0' } }], { alongside: rate('2030-02-20') }),
          (error: { code?: string }) => error.code === '23505',
        );
        assert.equal(await ratesOn('2030-02-20'), 1);
        assert.deepEqual(await verifyAuditTrail(db), { events: 2, findings: [] });
      });
    });

    it('detects an edited record, a deleted record and a deleted tail', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        for (let i = 0; i < 3; i++) await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '100.00', termDays: 10 }, 'owner'));
        const drawdowns = await db.selectFrom('audit_event').selectAll().where('action', '=', 'loan.drawdown').execute();
        // Every drawdown is its own loan; force them into one stream's view by editing and deleting across streams.
        const target = drawdowns[0]!;
        await sql`update audit_event set actor = 'mallory' where id = ${target.id}`.execute(db);
        let result = await verifyAuditTrail(db);
        assert.deepEqual(result.findings.map((finding) => finding.problem), ['content does not match its hash: edited']);
        await sql`update audit_event set actor = ${target.actor} where id = ${target.id}`.execute(db);
        assert.deepEqual((await verifyAuditTrail(db)).findings, []);

        // Delete the last record of a stream: the head still counts it.
        const last = await db.selectFrom('audit_event').selectAll().orderBy('at', 'desc').limit(1).executeTakeFirstOrThrow();
        await sql`delete from audit_event where id = ${last.id}`.execute(db);
        result = await verifyAuditTrail(db);
        assert.equal(result.findings.length, 1);
        assert.match(result.findings[0]!.problem, /records deleted at the end/);
      });
    });
  });
}

describe('sprout audit verify', () => {
  it('exits 0 on an intact trail and 1 after a record is edited', async () => {
    const dataDir = freshDataDir('sprout-audit-');
    try {
      const database = await openDatabase({ dataDir });
      await borrowerWithLine(database.db);
      await database.close();
      const run = () => sprout(['audit', 'verify', '--data-dir', dataDir, '--format', 'json'], { ...process.env, DATABASE_URL: '', SPROUT_AUDIT_DIR: join(dataDir, 'no-audit-here') });
      const ok = await run();
      assert.equal(ok.status, 0, ok.stderr);
      // Written unkeyed in this process, and no checkpoint yet: the chain alone.
      assert.deepEqual(JSON.parse(ok.stdout), { events: 2, intact: true, findings: [], keyedEvents: 0, checkpoint: null });
      const again = await openDatabase({ dataDir });
      await sql`update audit_event set after = '{"limit":"999999999"}' where action = 'line.open'`.execute(again.db);
      await again.close();
      const tampered = await run();
      assert.equal(tampered.status, 1);
      assert.equal((JSON.parse(tampered.stdout) as { intact: boolean }).intact, false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keys the trail with a 0600 key file beside the data, checkpoints it outside the database, and finds a dropped stream', async () => {
    const root = scratchDir('sprout-audit-');
    const dataDir = join(root, 'data');
    unpackMigratedCluster(dataDir);
    const env = { ...process.env, DATABASE_URL: '', SPROUT_AUDIT_DIR: '', SPROUT_AUDIT_KEY: '', SPROUT_PASSWORD: 'a long enough secret' };
    const run = (...args: string[]) => sprout([...args, '--data-dir', dataDir], env);
    try {
      const created = await run('user', 'create', '--username', 'keyed.clerk', '--role', 'operator');
      assert.equal(created.status, 0, created.stderr);
      // The key was generated on first use, beside ./data and not in it, readable by its owner only.
      assert.equal(statSync(join(root, 'data-audit', 'audit.key')).mode & 0o777, 0o600);
      const checkpoint = await run('audit', 'checkpoint', '--format', 'json');
      assert.equal(checkpoint.status, 0, checkpoint.stderr);
      assert.equal((JSON.parse(checkpoint.stdout) as { seq: number }).seq, 1);
      const ok = await run('audit', 'verify', '--format', 'json');
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      const report = JSON.parse(ok.stdout) as { events: number; keyedEvents: number; checkpoint: { seq: number } };
      // The user's creation and the checkpoint's own record, both keyed.
      assert.deepEqual([report.events, report.keyedEvents, report.checkpoint.seq], [2, 2, 1]);

      const database = await openDatabase({ dataDir });
      const { stream } = await database.db.selectFrom('audit_event').select('stream').where('action', '=', 'user.create').executeTakeFirstOrThrow();
      await sql`delete from audit_event where stream = ${stream}`.execute(database.db);
      await sql`delete from audit_stream where stream = ${stream}`.execute(database.db);
      await database.close();
      const dropped = await run('audit', 'verify');
      assert.equal(dropped.status, 1, dropped.stdout);
      assert.match(dropped.stdout, new RegExp(`stream ${stream} position [0-9]+: stream missing: checkpoint 1 saw it`));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
