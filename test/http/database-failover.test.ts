/**
 * What the API answers while its database fails over, and where reports read: HTTP 503 with
 * Retry-After for a database lost or read-only under a request (never a 500, never a wrong
 * answer), and DATABASE_READ_URL's second Kysely under the portfolio reports, with the lag shown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { FAILOVER_RETRY_AFTER_SECONDS, installErrorHandler } from '../../src/http/error-handler.js';
import { NoSuitableHostError } from '../../src/db/postgres-hosts.js';
import { buildApp } from '../../src/http/app.js';
import { kyselyOverPostgres, kyselyOverPool, postgresPool } from '../../src/db/postgres-backend.js';
import { openDatabase } from '../../src/db/database.js';
import { seedDemoUsers, demoPassword } from '../../src/auth/demo-users.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

/** An app whose one route throws `error`, behind the API's error handler. */
async function throwing(error: unknown) {
  const app = Fastify();
  installErrorHandler(app);
  app.get('/v1/probe', async () => {
    throw error;
  });
  await app.ready();
  return app;
}

describe('a database lost under a request', () => {
  const lost: Array<[string, unknown]> = [
    ['the server shut down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a write reached a standby (25006)', Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' })],
    ['the connection failed (08006)', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['the socket died (no SQLSTATE)', new Error('Connection terminated unexpectedly')],
    ['nothing to connect to', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5451'), { code: 'ECONNREFUSED' })],
    ['no writable host yet (a promotion under way)', new NoSuitableHostError('read-write', ['127.0.0.1:5451 unreachable', '127.0.0.1:5452 is a standby'])],
  ];
  for (const [what, error] of lost) {
    it(`${what}: 503 UNAVAILABLE with Retry-After, reason database-switching, naming no host`, async () => {
      const app = await throwing(error);
      const response = await app.inject({ method: 'GET', url: '/v1/probe' });
      assert.equal(response.statusCode, 503);
      assert.equal(response.headers['retry-after'], String(FAILOVER_RETRY_AFTER_SECONDS));
      const body = response.json() as { error: { code: string; reason?: string; message: string } };
      assert.equal(body.error.code, 'UNAVAILABLE');
      assert.equal(body.error.reason, 'database-switching');
      assert.doesNotMatch(body.error.message, /5451|5452|127\.0\.0\.1/);
      await app.close();
    });
  }

  it('any other database error stays a 500 without Retry-After (a unique violation is not a failover)', async () => {
    const app = await throwing(Object.assign(new Error('duplicate key'), { code: '23505' }));
    const response = await app.inject({ method: 'GET', url: '/v1/probe' });
    assert.equal(response.statusCode, 500);
    assert.equal(response.headers['retry-after'], undefined);
    await app.close();
  });

  it('the whole app on a host list none of whose hosts answers: /health and a login are 503 with Retry-After', async () => {
    const db = kyselyOverPostgres('postgres://sprout@127.0.0.1:1,127.0.0.1:2/sprout?target_session_attrs=read-write');
    const app = await buildApp({ db, backend: 'postgres', version: 'test', now: () => new Date(), rateLimits: 'off' });
    try {
      for (const request of [{ method: 'GET' as const, url: '/health' }, { method: 'POST' as const, url: '/v1/auth/token', payload: { username: 'operator', password: 'whatever-it-is' } }]) {
        const response = await app.inject(request);
        assert.equal(response.statusCode, 503, `${request.url}: ${response.body}`);
        assert.equal(response.headers['retry-after'], String(FAILOVER_RETRY_AFTER_SECONDS));
      }
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});

/** Counts the statements run through a Kysely, to see which one a route read from. */
class Counting implements KyselyPlugin {
  statements = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.statements++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe('DATABASE_READ_URL', () => {
  it('is refused without DATABASE_URL: the embedded database has no standby', async () => {
    await assert.rejects(openDatabase({ readUrl: 'postgres://u@127.0.0.1:5452/sprout', dataDir: '/nonexistent' }), (error: Error & { field?: string }) => error.field === 'DATABASE_READ_URL');
  });

  for (const backend of BACKENDS) {
    it(`on ${backend}: the portfolio reports read from the read database and say where and how far behind (the same server: primary, lag 0)`, async () => {
      await withTestDatabase(backend, async ({ db, schema }) => {
        await seedDemoUsers(db);
        // The same server through a second pool (on PGlite, the same database): what DATABASE_READ_URL gives.
        const readBase = backend === 'postgres' ? kyselyOverPool(postgresPool(process.env.TEST_DATABASE_URL!, { schema, maxConnections: 2 })) : db;
        const counting = new Counting();
        const readDb = readBase.withPlugin(counting);
        const app = await buildApp({ db, readDb, backend, version: 'test', now: () => new Date(), rateLimits: 'off' });
        try {
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'management', password: demoPassword('management') } });
          const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
          const portfolio = await app.inject({ method: 'GET', url: '/v1/reports/portfolio?by=region', headers });
          assert.equal(portfolio.statusCode, 200, portfolio.body);
          // The dashboard's answer also says how old its shared read is (src/reporting/portfolio-dashboard.ts): just made.
          const readFrom = (portfolio.json() as { readFrom: { ageSeconds: number } }).readFrom;
          assert.deepEqual({ ...readFrom, ageSeconds: 0 }, { standby: false, lagSeconds: 0, ageSeconds: 0 });
          assert.ok(readFrom.ageSeconds >= 0 && readFrom.ageSeconds < 60, `age ${readFrom.ageSeconds}`);
          const afterPortfolio = counting.statements;
          // All three of the page's statements went to the read database: the report and its past-due
          // buckets in one (src/reporting/portfolio-dashboard.ts), the breakdown by region, the business date.
          assert.equal(afterPortfolio, 3, `the report's queries went to the read database (${afterPortfolio})`);
          const history = await app.inject({ method: 'GET', url: '/v1/reports/portfolio/history', headers });
          assert.equal(history.statusCode, 200, history.body);
          assert.deepEqual((history.json() as { readFrom: unknown }).readFrom, { standby: false, lagSeconds: 0 });
          assert.ok(counting.statements > afterPortfolio);
          // The CSVs have no room for readFrom: two headers say it.
          for (const url of ['/v1/reports/portfolio.csv', '/v1/reports/portfolio.csv?by=industry', '/v1/reports/portfolio/history.csv']) {
            const csv = await app.inject({ method: 'GET', url, headers });
            assert.equal(csv.statusCode, 200, csv.body);
            assert.equal(csv.headers['x-sprout-read-from'], 'primary', url);
            assert.equal(csv.headers['x-sprout-read-lag-seconds'], '0', url);
          }
          // Money never moves through the read database: a login or a business date reads the primary.
          const before = counting.statements;
          await app.inject({ method: 'GET', url: '/v1/business-date', headers });
          assert.equal(counting.statements, before);
        } finally {
          await app.close();
          if (readBase !== db) await readBase.destroy();
        }
      });
    });
  }
});
