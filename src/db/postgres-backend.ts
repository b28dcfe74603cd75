/**
 * The server backend: PostgreSQL (or a wire-compatible distributed engine) through `pg`.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { invariant } from '../errors.js';
import type { Database } from './schema.js';
import { FailoverPool, parseHostList, type KyselyPool } from './postgres-hosts.js';

const INT8_OID = 20;
const DATE_OID = 1082;

/**
 * int8 as BigInt and dates as 'YYYY-MM-DD' strings, for this pool only (not pg's global parsers,
 * so two pools in one process never disagree).
 */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => BigInt(value);
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/**
 * A Kysely over a `pg` pool for `url`. With `schema`, every pooled connection starts with that
 * search path (tests give each case its own schema). A URL of several hosts, or with
 * `target_session_attrs`, gets a pool that finds the host that suits and follows it across a
 * failover (src/db/postgres-hosts.ts).
 *
 * @example
 * const db = kyselyOverPostgres('postgres://postgres@127.0.0.1:5432/test');
 * @example
 * const db = kyselyOverPostgres('postgres://sprout@127.0.0.1:5451,127.0.0.1:5452/sprout?target_session_attrs=read-write');
 */
export function kyselyOverPostgres(url: string, options: { schema?: string; maxConnections?: number } = {}): Kysely<Database> {
  return kyselyOverPool(poolFor(url, options));
}

/** One host and no target: a plain pool; else a {@link FailoverPool} over the hosts. */
export function poolFor(url: string, options: { schema?: string; maxConnections?: number } = {}): KyselyPool {
  const list = parseHostList(url);
  if (list.urls.length === 1 && list.target === 'any' && !/target_session_attrs/.test(url)) return postgresPool(url, options);
  // A failover pool waits at most this long for a connection: a dead host answers a 503, not a hang.
  return new FailoverPool(list, (hostUrl) => postgresPool(hostUrl, { ...options, connectionTimeoutMillis: 5000 }));
}

/**
 * The `pg` pool {@link kyselyOverPostgres} uses: int8 as BigInt, repeated statements prepared, and
 * with `schema` that search path on every connection. The test harness keeps one per template schema
 * and gives each test a Kysely of its own over it ({@link kyselyOverPool}).
 */
export function postgresPool(url: string, options: { schema?: string; maxConnections?: number; connectionTimeoutMillis?: number } = {}): pg.Pool {
  const { schema, maxConnections = 10 } = options;
  invariant(schema === undefined || /^[a-z_][a-z0-9_]{0,62}$/.test(schema), 'schema must be a plain identifier');
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    types: TYPES,
    ...(options.connectionTimeoutMillis === undefined ? {} : { connectionTimeoutMillis: options.connectionTimeoutMillis }),
    ...(schema === undefined ? {} : { options: withSearchPath(process.env.PGOPTIONS, schema) }),
  });
  const statements = new RepeatedStatements();
  pool.on('connect', (client) => {
    statements.prepareOn(client);
    // A connection whose server dies while a request holds it (between a transaction's statements)
    // emits 'error' with no pool listener attached; unheard, Node would end the process. The error
    // reaches the request through its next statement ("not queryable"), which answers 503.
    client.on('error', () => {});
  });
  // An idle connection whose server went away (a restart, a failover) is an 'error' event on the
  // pool; without a listener Node would end the process. The pool discards that connection and the
  // next query opens a new one.
  pool.on('error', () => {});
  return pool;
}

/**
 * The connection's `options` with `schema` as its search path, after the environment's PGOPTIONS:
 * given `options`, node-postgres no longer reads PGOPTIONS, so without them an operator's (or the
 * test runner's `synchronous_commit=off`) would be dropped on every connection with a schema.
 */
export function withSearchPath(environment: string | undefined, schema: string): string {
  const own = `-c search_path=${schema}`;
  return environment === undefined || environment.trim() === '' ? own : `${environment.trim()} ${own}`;
}

/** A Kysely over `pool`; destroying it ends the pool. */
export function kyselyOverPool(pool: KyselyPool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Distinct statement texts remembered per pool; past this the memory starts afresh. */
const MAX_REMEMBERED_TEXTS = 10_000;
/** Prepared statements kept per connection: the hot paths use a few dozen. */
const MAX_PREPARED_PER_CONNECTION = 256;

/**
 * Server-side prepared statements for the statements a pool runs again and again. A statement
 * whose text has been seen before is sent with a name: the first time on a connection it is
 * parsed and planned, after that only bound and executed, which saves the server its parse and
 * plan and both sides a message round of Parse/Describe (measured on a decision: PostgreSQL CPU
 * 4.7 → 3.4 ms, docs/decisions.md). One-off texts (a bulk insert of an unusual row count) stay
 * unnamed, so they never fill a connection's statement cache.
 */
class RepeatedStatements {
  readonly #seen = new Map<string, string | null>();

  /** Patches `client.query` so that repeated texts with parameters go out as named statements. */
  prepareOn(client: pg.PoolClient): void {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const prepared = new Set<string>();
    const named = (text: string): string | undefined => {
      if (!this.#seen.has(text)) {
        if (this.#seen.size >= MAX_REMEMBERED_TEXTS) this.#seen.clear();
        this.#seen.set(text, null);
        return undefined;
      }
      let name = this.#seen.get(text) ?? null;
      if (name === null) {
        name = `s${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
        this.#seen.set(text, name);
      }
      if (prepared.has(name)) return name;
      if (prepared.size >= MAX_PREPARED_PER_CONNECTION) return undefined;
      prepared.add(name);
      return name;
    };
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const [text, values, callback] = args;
      if (typeof text !== 'string' || !Array.isArray(values)) return query(...args);
      const name = named(text);
      return name === undefined ? query(text, values, callback) : query({ name, text, values }, callback);
    };
  }
}
