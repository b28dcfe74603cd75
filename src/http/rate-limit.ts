/**
 * Per-address rate limits: a fixed window per client IP and bucket. Logging in and registering
 * get strict buckets (password guessing, mass sign-up); everything else shares a generous one
 * that only a runaway script reaches. A refused request is a 429 with `Retry-After` and the usual
 * error body, checked before authentication so floods cost no password hash (the strict buckets
 * cost one small upsert, the global one nothing).
 *
 * Where the counts live. The strict buckets (`login`, `registration`: {@link SHARED_BUCKETS}) are
 * counted in the database, one upsert per request, so every server process (`sprout serve
 * --workers N`) and every machine on the database shares one count per address: 20 logins a
 * minute means 20 however many processes answer. The `global` bucket is counted in each process's
 * memory (a database write on every request would cost more than the runaway scripts it stops):
 * with N processes an address gets up to N × the global limit, and a keep-alive connection stays
 * on one process, which then allows it the limit. Put a limit at the load balancer too
 * (docs/security.md).
 *
 * @example
 * const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, login: 5 });
 * limiter.take('login', '203.0.113.9', Date.now()); // 0 while allowed, else seconds to wait
 */
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { RateLimitedError, ValidationError } from '../errors.js';

/** The buckets a route can draw from; `global` is every route's unless it names another. */
export type RateBucket = 'global' | 'login' | 'registration';

/** Requests allowed per address per window, by bucket. */
export interface RateLimits {
  readonly windowMs: number;
  readonly global: number;
  readonly login: number;
  readonly registration: number;
}

/**
 * A person logs in a few times a day and registers once; the web app makes a few requests per
 * screen. These leave honest use far from the limit and cut a guesser to 20 passwords a minute
 * per address, before the per-user lock-out (`auth/users.ts`) even starts.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = { windowMs: 60_000, global: 1200, login: 20, registration: 5 };

/**
 * The limits from the environment: `SPROUT_RATE_LIMIT_GLOBAL`, `_LOGIN`, `_REGISTRATION`
 * (requests per window) and `SPROUT_RATE_LIMIT_WINDOW_SECONDS`, each defaulting to
 * `DEFAULT_RATE_LIMITS`; `SPROUT_RATE_LIMIT=off` turns limiting off (a load balancer does it).
 *
 * @example
 * rateLimitsFromEnv({ SPROUT_RATE_LIMIT_LOGIN: '10' }); // { ...DEFAULT_RATE_LIMITS, login: 10 }
 */
export function rateLimitsFromEnv(env: Readonly<Record<string, string | undefined>>): RateLimits | 'off' {
  if (env.SPROUT_RATE_LIMIT === 'off') return 'off';
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined) return fallback;
    if (!/^[0-9]{1,9}$/.test(text) || Number(text) < 1) throw new ValidationError(name, `must be a positive whole number, got "${text}"`);
    return Number(text);
  };
  return {
    windowMs: read('SPROUT_RATE_LIMIT_WINDOW_SECONDS', DEFAULT_RATE_LIMITS.windowMs / 1000) * 1000,
    global: read('SPROUT_RATE_LIMIT_GLOBAL', DEFAULT_RATE_LIMITS.global),
    login: read('SPROUT_RATE_LIMIT_LOGIN', DEFAULT_RATE_LIMITS.login),
    registration: read('SPROUT_RATE_LIMIT_REGISTRATION', DEFAULT_RATE_LIMITS.registration),
  };
}

/** Addresses tracked at once; beyond it, the oldest windows are forgotten (bounded memory). */
const MAX_TRACKED = 50_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate-limit bucket the route draws from (default `global`). */
    rateLimit?: RateBucket;
  }
}

interface Window {
  readonly startedAt: number;
  count: number;
}

export class RateLimiter {
  readonly #limits: RateLimits;
  readonly #windows = new Map<string, Window>();

  constructor(limits: RateLimits) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`rate limit ${name} must be a positive integer, got ${value}`);
    }
    this.#limits = limits;
  }

  /** Counts one request; returns 0 when it is allowed, else the whole seconds until it would be. */
  take(bucket: RateBucket, address: string, now: number): number {
    const key = `${bucket} ${address}`;
    let window = this.#windows.get(key);
    if (window === undefined || now - window.startedAt >= this.#limits.windowMs) {
      this.#windows.delete(key);
      if (this.#windows.size >= MAX_TRACKED) this.#forgetOldest(now);
      window = { startedAt: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.#limits[bucket]) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.#limits.windowMs - now) / 1000));
  }

  /** Drops expired windows, then (if still full) the oldest ones: the map's order is insertion order. */
  #forgetOldest(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now - window.startedAt >= this.#limits.windowMs) this.#windows.delete(key);
    }
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < MAX_TRACKED) break;
      this.#windows.delete(key);
    }
  }
}

/** Buckets counted in the database, shared by every process: the ones that stop password guessing and mass sign-up. */
export const SHARED_BUCKETS: readonly RateBucket[] = ['login', 'registration'];

/** Shared takes between two sweeps of expired windows, per process. */
const SWEEP_EVERY = 500;

/**
 * The database's count for the shared buckets: one statement per request that starts a new window
 * (the old one ended) or adds one to the current, and returns the count; concurrent requests from
 * any process each count, since the upsert takes the row's lock. Returns what
 * {@link RateLimiter.take} does.
 *
 * @example
 * await new SharedRateLimiter(db, limits).take('login', '203.0.113.9', Date.now()); // 0 while allowed
 */
export class SharedRateLimiter {
  readonly #db: Kysely<Database>;
  readonly #limits: RateLimits;
  #sinceSweep = 0;

  constructor(db: Kysely<Database>, limits: RateLimits) {
    this.#db = db;
    this.#limits = limits;
  }

  async take(bucket: RateBucket, address: string, now: number): Promise<number> {
    const at = new Date(now);
    const endedBefore = new Date(now - this.#limits.windowMs);
    const row = await this.#db
      .insertInto('rate_limit_window')
      .values({ bucket, address, started_at: at, count: 1 })
      .onConflict((oc) =>
        oc.columns(['bucket', 'address']).doUpdateSet((eb) => ({
          count: sql<number>`case when ${eb.ref('rate_limit_window.started_at')} <= ${endedBefore} then 1 else ${eb.ref('rate_limit_window.count')} + 1 end`,
          started_at: sql<Date>`case when ${eb.ref('rate_limit_window.started_at')} <= ${endedBefore} then ${eb.ref('excluded.started_at')} else ${eb.ref('rate_limit_window.started_at')} end`,
        })),
      )
      .returning(['count', 'started_at'])
      .executeTakeFirstOrThrow();
    // Bounded table: windows that ended say nothing any more.
    if (++this.#sinceSweep >= SWEEP_EVERY) {
      this.#sinceSweep = 0;
      await this.#db.deleteFrom('rate_limit_window').where('started_at', '<=', endedBefore).execute();
    }
    if (row.count <= this.#limits[bucket]) return 0;
    return Math.max(1, Math.ceil((new Date(row.started_at).getTime() + this.#limits.windowMs - now) / 1000));
  }
}

/**
 * Installs the limiter as the first check of every request: the shared buckets in `db` when
 * given (every server does), else in memory like the rest.
 */
export function installRateLimit(app: FastifyInstance, limits: RateLimits, now: () => Date, db?: Kysely<Database>): void {
  const limiter = new RateLimiter(limits);
  const shared = db === undefined ? undefined : new SharedRateLimiter(db, limits);
  app.addHook('onRequest', async (request, reply) => {
    const bucket = request.routeOptions.config.rateLimit ?? 'global';
    const at = now().getTime();
    const wait = shared !== undefined && SHARED_BUCKETS.includes(bucket) ? await shared.take(bucket, request.ip, at) : limiter.take(bucket, request.ip, at);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new RateLimitedError(`too many requests from this address (${bucket}); try again in ${wait} s`, wait);
    }
  });
}
