import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { chooseHost, FailoverPool, hostOf, NoSuitableHostError, parseHostList, type HostState } from '../../src/db/postgres-hosts.js';
import { kyselyOverPool, postgresPool } from '../../src/db/postgres-backend.js';
import { isDatabaseUnavailable } from '../../src/db/sqlstate.js';

const URL3 = 'postgres://sprout:s3cret@10.0.0.1:5451,10.0.0.2:5452,[::1]/sprout?sslmode=disable&target_session_attrs=read-write';

/** A probe that answers from a table: a host absent from it is unreachable. */
function fakeProbe(states: Record<string, HostState>, asked: string[] = []) {
  return async (url: string): Promise<HostState> => {
    asked.push(hostOf(url));
    const state = states[hostOf(url)];
    if (state === undefined) throw Object.assign(new Error(`connect ECONNREFUSED ${hostOf(url)}`), { code: 'ECONNREFUSED' });
    return state;
  };
}

describe('several database hosts in one URL', () => {
  it('splits a libpq-style host list into one URL per host, keeping user, database and other parameters, dropping target_session_attrs', () => {
    const list = parseHostList(URL3);
    assert.equal(list.target, 'read-write');
    assert.deepEqual(list.urls, [
      'postgres://sprout:s3cret@10.0.0.1:5451/sprout?sslmode=disable',
      'postgres://sprout:s3cret@10.0.0.2:5452/sprout?sslmode=disable',
      'postgres://sprout:s3cret@[::1]/sprout?sslmode=disable',
    ]);
    assert.deepEqual(parseHostList('postgres://root@127.0.0.1:5432/test'), { urls: ['postgres://root@127.0.0.1:5432/test'], target: 'any' });
    assert.equal(hostOf(list.urls[0]!), '10.0.0.1:5451');
  });

  it('refuses an empty host and an unknown target_session_attrs, naming DATABASE_URL', () => {
    assert.throws(() => parseHostList('postgres://u@a:1,,b:2/db'), (error: Error & { field?: string }) => error.field === 'DATABASE_URL');
    assert.throws(() => parseHostList('postgres://u@a:1/db?target_session_attrs=writable'), (error: Error & { field?: string }) => error.field === 'DATABASE_URL' && /read-write/.test(error.message));
  });

  it('read-write takes the first host, in order, that is up and not in recovery', async () => {
    const asked: string[] = [];
    const chosen = await chooseHost(parseHostList(URL3), fakeProbe({ '10.0.0.2:5452': { inRecovery: true }, '[::1]': { inRecovery: false } }, asked));
    assert.deepEqual({ index: chosen.index, inRecovery: chosen.inRecovery }, { index: 2, inRecovery: false });
    assert.deepEqual(asked, ['10.0.0.1:5451', '10.0.0.2:5452', '[::1]']);
    // After a failover the old standby is the primary: it is found first.
    const after = await chooseHost(parseHostList(URL3), fakeProbe({ '10.0.0.2:5452': { inRecovery: false } }));
    assert.equal(after.index, 1);
  });

  it('with only standbys (a promotion under way) or no host up: UNAVAILABLE, a retryable 503, naming no host to the client', async () => {
    const error = await chooseHost(parseHostList(URL3), fakeProbe({ '10.0.0.2:5452': { inRecovery: true } })).catch((caught: unknown) => caught);
    assert.ok(error instanceof NoSuitableHostError);
    assert.equal(error.code, 'UNAVAILABLE');
    assert.equal(error.reason, 'database-switching');
    assert.doesNotMatch(error.message, /10\.0\.0|s3cret/);
    assert.equal(error.hosts.length, 3);
    assert.match(error.hosts[1]!, /10\.0\.0\.2:5452 is a standby/);
    await assert.rejects(chooseHost(parseHostList(URL3), fakeProbe({})), NoSuitableHostError);
  });

  it('prefer-standby takes a standby when one is up, else any host; any takes the first that answers', async () => {
    const states = { '10.0.0.1:5451': { inRecovery: false }, '10.0.0.2:5452': { inRecovery: true } };
    const url = (target: string) => URL3.replace('read-write', target);
    assert.equal((await chooseHost(parseHostList(url('prefer-standby')), fakeProbe(states))).index, 1);
    assert.equal((await chooseHost(parseHostList(url('prefer-standby')), fakeProbe({ '10.0.0.1:5451': { inRecovery: false } }))).index, 0);
    assert.equal((await chooseHost(parseHostList(url('any')), fakeProbe({ '10.0.0.2:5452': { inRecovery: true } }))).index, 1);
    assert.equal((await chooseHost(parseHostList(url('read-only')), fakeProbe(states))).index, 1);
  });

  it('knows the errors of a database going away or turning read-only, and no others', () => {
    for (const error of [{ code: '57P01' }, { code: '57P02' }, { code: '25006' }, { code: '08006' }, { code: '08001' }, { code: 'ECONNREFUSED' }, new Error('Connection terminated unexpectedly'), new Error('timeout exceeded when trying to connect'), new Error('wrapped', { cause: { code: '57P01' } })]) {
      assert.equal(isDatabaseUnavailable(error), true, JSON.stringify(error));
    }
    for (const error of [{ code: '23505' }, { code: '40001' }, { code: '22012' }, new Error('boom'), null, undefined, 'text']) {
      assert.equal(isDatabaseUnavailable(error), false, JSON.stringify(error));
    }
  });
});

const SERVER = process.env.TEST_DATABASE_URL;

describe('a failover pool on a real server', { skip: SERVER === undefined ? 'TEST_DATABASE_URL is not set' : false }, () => {
  it('skips a host that refuses, finds the writable one, and after its connection is terminated finds it again', async () => {
    const { urls } = parseHostList(SERVER!);
    const real = new URL(urls[0]!);
    // Port 1 on loopback refuses at once: the first host is "down".
    const url = `postgres://${real.username}${real.password ? `:${real.password}` : ''}@127.0.0.1:1,${real.host}${real.pathname}?target_session_attrs=read-write`;
    const pool = new FailoverPool(parseHostList(url), (hostUrl) => postgresPool(hostUrl, { maxConnections: 2 }));
    const db = kyselyOverPool(pool);
    try {
      const first = await sql<{ standby: boolean }>`select pg_is_in_recovery() as standby`.execute(db);
      assert.equal(first.rows[0]?.standby, false);
      assert.equal(pool.current?.index, 1);
      assert.equal(pool.resolutions, 1);
      // The server ends this connection (57P01, as at a shutdown): the statement fails with an error
      // the API answers 503, the pool is dropped, and the next statement finds the host again.
      const error = await sql`select pg_terminate_backend(pg_backend_pid())`.execute(db).catch((caught: unknown) => caught);
      assert.equal(isDatabaseUnavailable(error), true, String(error));
      assert.equal(pool.current, null);
      const again = await sql<{ one: number }>`select 1 as one`.execute(db);
      assert.equal(again.rows[0]?.one, 1);
      assert.equal(pool.resolutions, 2);
    } finally {
      await db.destroy();
    }
  });

  it('a connection killed while a transaction holds it between statements: the next statement fails retryably, the process lives on', async () => {
    const db = kyselyOverPool(postgresPool(SERVER!, { maxConnections: 2 }));
    const killer = kyselyOverPool(postgresPool(SERVER!, { maxConnections: 1 }));
    try {
      const error = await db
        .transaction()
        .execute(async (trx) => {
          const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          await sql`select pg_terminate_backend(cast(${pid} as integer))`.execute(killer); // integer: Citus adds a bigint overload (global pids)
          // The socket closes while no query runs: an 'error' event on the checked-out client,
          // which without a listener would end this process.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`select 1`.execute(trx);
        })
        .catch((caught: unknown) => caught);
      assert.equal(isDatabaseUnavailable(error), true, String(error));
      assert.equal((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]?.one, 1);
    } finally {
      await killer.destroy();
      await db.destroy();
    }
  });

  it('no host up: the first statement is refused UNAVAILABLE, not hung', async () => {
    const db = kyselyOverPool(new FailoverPool(parseHostList('postgres://nobody@127.0.0.1:1,127.0.0.1:2/x?target_session_attrs=read-write'), (hostUrl) => postgresPool(hostUrl)));
    try {
      await assert.rejects(sql`select 1`.execute(db), (error: Error & { code?: string }) => error.code === 'UNAVAILABLE');
    } finally {
      await db.destroy();
    }
  });
});
