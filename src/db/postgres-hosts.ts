/**
 * Several PostgreSQL hosts in one URL, the way libpq takes them, and a pool that follows the
 * writable one across a failover.
 *
 * `pg` (node-postgres 8) reads only the first host of a URL and ignores `target_session_attrs`, so
 * Sprout does libpq's part itself: `postgres://u@h1:5451,h2:5452/db?target_session_attrs=read-write`
 * tries each host in order and keeps the first whose `pg_is_in_recovery()` is false. When the
 * server under the pool goes away (a connection error, an admin shutdown) or turns out to be a
 * standby (a write refused with 25006), the pool is dropped and the next connection finds the
 * writable host again: a primary killed and its standby promoted is followed without a restart.
 * While no host is writable, a connection is refused with `UNAVAILABLE` (HTTP 503, Retry-After).
 */
import pg from 'pg';
import { SproutError } from '../errors.js';
import { isDatabaseUnavailable } from './sqlstate.js';

/** libpq's `target_session_attrs`; `read-write` and `primary` are the same test here. */
export type TargetSessionAttrs = 'any' | 'read-write' | 'read-only' | 'primary' | 'standby' | 'prefer-standby';

const TARGETS: readonly TargetSessionAttrs[] = ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'];

/** A URL of several hosts, as one single-host URL per host (the rest of the URL the same), and what to look for. */
export interface HostList {
  readonly urls: readonly string[];
  readonly target: TargetSessionAttrs;
}

/**
 * Splits a libpq-style multi-host URL into single-host URLs `pg` understands, without
 * `target_session_attrs` (which `pg` would send the server as a startup parameter it refuses).
 * A URL of one host and no `target_session_attrs` comes back as it was, target `any`.
 *
 * @example
 * parseHostList('postgres://u@a:5451,b:5452/db?target_session_attrs=read-write');
 * // { urls: ['postgres://u@a:5451/db', 'postgres://u@b:5452/db'], target: 'read-write' }
 */
export function parseHostList(url: string): HostList {
  const match = /^(postgres(?:ql)?:\/\/)([^/?#]*)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/.exec(url);
  if (!match) throw new SproutError('VALIDATION', 'must be postgres://[user[:password]@]host[:port][,host[:port]…]/database', 'DATABASE_URL');
  const [, scheme = '', authority = '', path = '', query = ''] = match;
  const at = authority.lastIndexOf('@');
  const userInfo = at < 0 ? '' : authority.slice(0, at + 1);
  const hosts = (at < 0 ? authority : authority.slice(at + 1)).split(',');
  if (hosts.some((host) => host === '')) throw new SproutError('VALIDATION', 'a host in the list is empty', 'DATABASE_URL');
  const params = new URLSearchParams(query.slice(1));
  const target = (params.get('target_session_attrs') ?? 'any') as TargetSessionAttrs;
  if (!TARGETS.includes(target)) throw new SproutError('VALIDATION', `target_session_attrs must be one of ${TARGETS.join(', ')}; got "${target}"`, 'DATABASE_URL');
  params.delete('target_session_attrs');
  const rest = `${path}${params.size > 0 ? `?${params.toString()}` : ''}`;
  return { urls: hosts.map((host) => `${scheme}${userInfo}${host}${rest}`), target };
}

/** What a probe of one host found: reachable, and a standby or not. */
export interface HostState {
  readonly inRecovery: boolean;
}

/** Asks one host whether it is a standby; rejects when it cannot be reached. */
export type HostProbe = (url: string) => Promise<HostState>;

/** The host chosen: its position in the list and its URL. */
export interface ChosenHost {
  readonly index: number;
  readonly url: string;
  readonly inRecovery: boolean;
}

/**
 * The first host, in the list's order, that suits `target` (libpq's rule: `read-write`/`primary`
 * want `pg_is_in_recovery()` false, `read-only`/`standby` want it true, `prefer-standby` takes a
 * standby if any is up and else any host). None suits: UNAVAILABLE, naming what each host was.
 *
 * @example
 * await chooseHost(parseHostList(url), probeHost); // { index: 1, url: 'postgres://…:5452/db', inRecovery: false }
 */
export async function chooseHost(list: HostList, probe: HostProbe): Promise<ChosenHost> {
  const found: string[] = [];
  let anyUp: ChosenHost | undefined;
  for (const [index, url] of list.urls.entries()) {
    let state: HostState;
    try {
      state = await probe(url);
    } catch (error) {
      found.push(`${hostOf(url)} unreachable (${(error as Error).message})`);
      continue;
    }
    const chosen = { index, url, inRecovery: state.inRecovery };
    anyUp ??= chosen;
    if (suits(list.target, state.inRecovery)) return chosen;
    found.push(`${hostOf(url)} is ${state.inRecovery ? 'a standby' : 'a primary'}`);
  }
  if (list.target === 'prefer-standby' && anyUp) return anyUp;
  throw new NoSuitableHostError(list.target, found);
}

/**
 * No host suits (all down, or only standbys while one is being promoted). The API's answer names
 * no host (503, retry shortly); `hosts` says what each was, for the server's log and the CLI.
 */
export class NoSuitableHostError extends SproutError {
  readonly hosts: readonly string[];
  constructor(target: TargetSessionAttrs, hosts: readonly string[]) {
    super('UNAVAILABLE', `no ${target} database host among ${hosts.length}; retry shortly (a standby may be being promoted)`, undefined, 'database-switching');
    this.hosts = hosts;
  }
}

function suits(target: TargetSessionAttrs, inRecovery: boolean): boolean {
  switch (target) {
    case 'any':
      return true;
    case 'read-write':
    case 'primary':
      return !inRecovery;
    case 'read-only':
    case 'standby':
    case 'prefer-standby':
      return inRecovery;
  }
}

/** `host:port` of a URL, for messages (never the password). */
export function hostOf(url: string): string {
  const authority = /^[a-z]+:\/\/([^/?#]*)/.exec(url)?.[1] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

/** How long a probe waits for a host to answer before trying the next. */
const PROBE_TIMEOUT_MS = 3000;

/** The real probe: connect, ask `pg_is_in_recovery()`, disconnect. */
export const probeHost: HostProbe = async (url) => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  // A probe's connection dying after its answer must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ standby: boolean }>('select pg_is_in_recovery() as standby');
    return { inRecovery: result.rows[0]?.standby === true };
  } finally {
    await client.end().catch(() => {});
  }
};

/** The subset of `pg.Pool` Kysely's PostgresDialect uses. */
export interface KyselyPool {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
  readonly options: object;
}

/**
 * A pool over whichever host of `list` suits its target, found on first use and found again after
 * the host fails. `makePool` builds the `pg.Pool` for one host's URL.
 */
export class FailoverPool implements KyselyPool {
  readonly options = {};
  readonly #list: HostList;
  readonly #probe: HostProbe;
  readonly #makePool: (url: string) => pg.Pool;
  #current: { pool: pg.Pool; chosen: ChosenHost } | null = null;
  #choosing: Promise<{ pool: pg.Pool; chosen: ChosenHost }> | null = null;
  readonly #watched = new WeakSet<pg.PoolClient>();
  #ended = false;
  /** How many times a host was chosen (1 after the first connection; each failover adds one). */
  resolutions = 0;

  constructor(list: HostList, makePool: (url: string) => pg.Pool, probe: HostProbe = probeHost) {
    this.#list = list;
    this.#makePool = makePool;
    this.#probe = probe;
  }

  /** The host in use, or null before the first connection and after a failure. */
  get current(): ChosenHost | null {
    return this.#current?.chosen ?? null;
  }

  async connect(): Promise<pg.PoolClient> {
    if (this.#ended) throw new Error('the pool has ended');
    const current = await this.#use();
    let client: pg.PoolClient;
    try {
      client = await current.pool.connect();
    } catch (error) {
      if (isDatabaseUnavailable(error)) this.#drop(current.pool);
      throw error;
    }
    this.#watch(client, current.pool);
    return client;
  }

  async end(): Promise<void> {
    this.#ended = true;
    const current = this.#current;
    this.#current = null;
    if (current) await current.pool.end();
  }

  async #use(): Promise<{ pool: pg.Pool; chosen: ChosenHost }> {
    if (this.#current) return this.#current;
    // Concurrent requests share one search.
    this.#choosing ??= (async () => {
      try {
        const chosen = await chooseHost(this.#list, this.#probe);
        const pool = this.#makePool(chosen.url);
        // An idle connection whose server died: drop the pool (the next request finds the host again).
        pool.on('error', () => this.#drop(pool));
        this.#current = { pool, chosen };
        this.resolutions++;
        return this.#current;
      } finally {
        this.#choosing = null;
      }
    })();
    return this.#choosing;
  }

  /** A statement on `client` failing with a lost connection or a read-only refusal drops the pool. */
  #watch(client: pg.PoolClient, pool: pg.Pool): void {
    if (this.#watched.has(client)) return;
    this.#watched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          if (isDatabaseUnavailable(error)) this.#drop(pool);
        });
      }
      return result;
    };
  }

  #drop(pool: pg.Pool): void {
    if (this.#current?.pool !== pool) return;
    this.#current = null;
    // Connections still checked out are released (and discarded) by their requests' errors.
    void pool.end().catch(() => {});
  }
}
