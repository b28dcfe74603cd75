/**
 * The money clients of `sprout bench servicing` (src/servicing/servicing-benchmark.ts) in a process
 * of their own, at a lower CPU priority than the server: C clients, each a borrower at a time,
 * repaying with an Idempotency-Key (every tenth from the fourth again with the same key, every
 * tenth from the first also drawing from a line), each request timed from its sending to its whole
 * answer.
 *
 * At month end 2,800 borrowers repay from 2,800 phones, none of which runs on the bank's cores. The
 * bench runs them on the server's machine, and in the burst's first half second, when 2,800
 * connections are opened and their requests written, the clients took a quarter of the two cores
 * (their main thread and V8's threads, 170–230 ms of CPU in 400 ms), and the server's loop waited
 * for a core 130–160 ms of those 400 ms while the readers' slowest reads fell there
 * (docs/benchmarks.md, session 24, s24b). Lowered to {@link LOAD_NICE} (every thread of the
 * process: its main thread, V8's and libuv's), the clients take the cores the server, PostgreSQL and
 * the readers leave. The load is the same (every client starts at once, every request is sent); the
 * server is what the cores serve first, as it would be with the clients elsewhere. A money
 * request's time still includes any wait of the clients' own for a core, so the money figures are
 * not flattered by it; the readers (src/servicing/page-readers.ts) stay at the priority the bench
 * was started with, as the people reading pages do.
 *
 * The clients are `undici`'s: a `Client` (one connection) per client, as each borrower's phone has
 * its own, opened by its first request (whose time includes the connect, as it did) and kept for its
 * retry and drawdown. Over node's `http` (one keep-alive `Agent` of C + 8 sockets) the process took
 * 0.17–0.20 ms of CPU a money request in the burst; over `undici` 0.14–0.17, the server less too, and
 * the burst made 1,305–1,868 repayments a second (median 1,633) against 1,174–1,673 (median 1,394)
 * (docs/benchmarks.md, session 25, s25a).
 *
 * This module is both sides: {@link startLoadClients} in the bench forks it, and the child runs
 * {@link runLoadClients} when it finds {@link CHILD_ARG} in its arguments. The child imports
 * nothing of Sprout's at run time (a fork does not inherit the TypeScript loader: it is given it).
 */
import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Client } from 'undici';

/**
 * The clients' priority by default: the lowest (Unix nice 19). 0 runs them as the bench itself runs
 * (what every run before session 24 measured).
 */
export const LOAD_NICE = 19;

/** The highest nice value (the lowest priority) on Unix. */
export const MAX_NICE = 19;

/**
 * Borrowers who repay before the clock starts, by default: a month end's burst meets a server that
 * has been serving all day, not one started a second before (as `bench decide` times decisions after
 * its warm-up). Measured in docs/benchmarks.md, session 26 (lead).
 */
export const DEFAULT_WARMUP = 500;

/** Real logins through the API before the timed phase. */
export const LOGIN_SAMPLE = 5;

/** Borrower i (0-based) retries its repayment / draws from a line. */
export const retries = (i: number): boolean => i % 10 === 3;
export const draws = (i: number): boolean => i % 10 === 0;

/** What each borrower repays, and what a drawer draws. */
export const BENCH_REPAYMENT = '100.00';
export const BENCH_DRAWDOWN = '1000.00';
/** The password of every bench login (a benchmark's own book; never a real one). */
export const BENCH_PASSWORD = 'bench-servicing-password-2026';

/** One borrower as the clients need it. */
export interface LoadBorrower {
  readonly username: string;
  readonly token: string;
  readonly loanId: string;
  readonly lineId: string | null;
}

/** What the clients do. */
export interface LoadClientsJob {
  readonly url: string;
  readonly borrowers: readonly LoadBorrower[];
  readonly concurrency: number;
  /** The nice value the clients' process runs at, 0 to {@link MAX_NICE}. */
  readonly nice: number;
  /** Makes the Idempotency-Keys of this run its own. */
  readonly runId: string;
  /**
   * Borrowers who repay (and retry, draw) before the clock starts, `warmupConcurrency` at once on
   * connections of their own, so the timed borrowers meet a server that has been serving: its code
   * compiled, its pooled connections open (see {@link DEFAULT_WARMUP}). Empty: a server's first requests are timed.
   */
  readonly warmup: readonly LoadBorrower[];
  readonly warmupConcurrency: number;
}

/** What the warm-up did, untimed. */
export interface WarmupFigures {
  readonly borrowers: number;
  /** Money requests: repayments, their retries, drawdowns. */
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
}

/** Every money request's time (ms), the counts, and the first few errors. */
export interface LoadClientsResult {
  readonly repaymentMs: readonly number[];
  readonly drawdownMs: readonly number[];
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly repayments: number;
  readonly retried: number;
  readonly drawdowns: number;
  /** Retries answered with the first attempt's answer (the stored result, replayed). */
  readonly retriesReplayed: number;
  /** From the clients' start to the last answer. */
  readonly seconds: number;
  /** The CPU the clients' process (every thread of it) used meanwhile. */
  readonly cpuSeconds: number;
}

/** The clients' process, logged in and waiting for the start. */
export interface LoadClients {
  /** The sample logins' times (ms), before the clock starts. */
  readonly loginMs: readonly number[];
  /** The lowest nice value among the process's threads once lowered: every one of its threads runs at this priority or below. */
  readonly nice: number;
  readonly warmup: WarmupFigures;
  /** Starts the clients; their figures when every borrower has repaid (and retried, drawn). */
  run(): Promise<LoadClientsResult>;
}

/** The argument that makes this module, run as a program, the clients' process. */
export const CHILD_ARG = '--sprout-load-clients';

type ChildMessage =
  | { readonly kind: 'ready'; readonly loginMs: number[]; readonly nice: number; readonly warmup: WarmupFigures }
  | { readonly kind: 'result'; readonly result: LoadClientsResult }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Forks the clients' process, which lowers its priority, logs in {@link LOGIN_SAMPLE} times and
 * drives the warm-up's borrowers; resolves once it waits for the start.
 *
 * @example
 * const clients = await startLoadClients({ url, borrowers, concurrency: 2800, nice: LOAD_NICE, runId, warmup, warmupConcurrency: 500 });
 * readers.start(); const result = await clients.run();
 */
export async function startLoadClients(job: LoadClientsJob): Promise<LoadClients> {
  if (!Number.isInteger(job.nice) || job.nice < 0 || job.nice > MAX_NICE) throw new RangeError(`nice must be 0 to ${MAX_NICE}, got ${job.nice}`);
  const loader = fileURLToPath(new URL('../../bin/typescript.js', import.meta.url));
  const child = fork(fileURLToPath(import.meta.url), [CHILD_ARG], { execArgv: ['--import', loader], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const next = (): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) => reject(new Error(`the bench's load clients ended (${signal ?? `exit code ${code}`}) before answering: ${stderr.trim()}`));
      child.once('message', (message: ChildMessage) => {
        child.off('exit', onExit).off('error', reject);
        if (message.kind === 'failed') reject(new Error(`the bench's load clients failed: ${message.message}`));
        else resolve(message);
      });
      child.once('exit', onExit).once('error', reject);
    });
  const ready = next();
  child.send(job);
  let message: ChildMessage;
  try {
    message = await ready;
  } catch (error) {
    child.kill();
    throw error;
  }
  if (message.kind !== 'ready') throw new Error(`the bench's load clients said ${message.kind} before they were ready`);
  return {
    loginMs: message.loginMs,
    nice: message.nice,
    warmup: message.warmup,
    run: async () => {
      const answer = next();
      child.send('start');
      try {
        const result = await answer;
        if (result.kind !== 'result') throw new Error(`the bench's load clients said ${result.kind}, not their result`);
        return result.result;
      } finally {
        // With the channel closed and its sockets destroyed the child has nothing left and exits; one that failed is ended.
        if (child.connected) child.disconnect();
        if (child.exitCode === null) child.kill();
      }
    },
  };
}

/**
 * Lowers every thread of this process to `nice` (a thread started later inherits it) and returns the
 * lowest nice value found among them afterwards ({@link ownPriority}). On Linux a priority is a thread's own, so each thread
 * is set; elsewhere it is the process's.
 *
 * @example
 * lowerOwnPriority(19); // 19
 */
export function lowerOwnPriority(nice: number): number {
  if (process.platform !== 'linux') setPriority(0, nice);
  else for (const thread of readdirSync('/proc/self/task')) setPriority(Number(thread), nice);
  return ownPriority();
}

/** The lowest nice value among this process's threads: every one of them runs at this priority or below it. */
export function ownPriority(): number {
  if (process.platform !== 'linux') return getPriority(0);
  return Math.min(...readdirSync('/proc/self/task').map((thread) => getPriority(Number(thread))));
}

/**
 * The child's side: lowers its priority, logs in, drives the warm-up's borrowers (untimed, failing
 * on any error), says it is ready, waits for 'start', drives
 * `job.url` with `job.concurrency` clients until every borrower has repaid, and posts the figures.
 */
export async function runLoadClients(job: LoadClientsJob, send: (message: ChildMessage) => void, started: Promise<void>): Promise<void> {
  const nice = job.nice === 0 ? ownPriority() : lowerOwnPriority(job.nice);
  const base = new URL(job.url).origin;
  // One connection per client, as each borrower's phone has its own: opened by its first request
  // (timed with it, as before), kept for its retry and drawdown. No timeouts, as node's `http` had none.
  const connection = () => new Client(base, { pipelining: 1, connectTimeout: 0, headersTimeout: 0, bodyTimeout: 0 });
  const post: Post = async (client, path, token, body, key) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (key !== undefined) headers['idempotency-key'] = key;
    const sent = performance.now();
    const answer = await client.request({ path, method: 'POST', headers, body: JSON.stringify(body) });
    const text = await answer.body.text();
    return { status: answer.statusCode, body: text, ms: performance.now() - sent };
  };

  // Real logins, before the clock starts.
  const loginMs: number[] = [];
  const clients = Array.from({ length: Math.min(job.concurrency, job.borrowers.length) }, connection);
  for (const borrower of job.borrowers.slice(0, LOGIN_SAMPLE)) {
    const answer = await post(clients[0]!, '/v1/auth/token', null, { username: borrower.username, password: BENCH_PASSWORD });
    if (answer.status !== 200) throw new Error(`bench login of ${borrower.username} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    loginMs.push(answer.ms);
  }
  // The warm-up's borrowers on connections of their own, closed before the timed borrowers open theirs.
  let warmup: WarmupFigures = { borrowers: 0, requests: 0, errors: 0, seconds: 0 };
  if (job.warmup.length > 0) {
    const warm = await driveBorrowers(job.warmup, Math.min(job.warmupConcurrency, job.warmup.length), connection, post, `bench-${job.runId}-warm`);
    warmup = { borrowers: job.warmup.length, requests: warm.repaymentMs.length + warm.drawdownMs.length, errors: warm.errors, seconds: warm.seconds };
    if (warm.errors > 0 || warm.retriesReplayed !== warm.retried) throw new Error(`the warm-up failed: ${warm.errors} errors, ${warm.retriesReplayed} of ${warm.retried} retries replayed; ${warm.errorSamples.join('; ')}`);
  }
  send({ kind: 'ready', loginMs, nice, warmup });
  await started;
  const result = await driveBorrowers(job.borrowers, clients.length, connection, post, `bench-${job.runId}`, clients);
  send({ kind: 'result', result });
}

type Post = (client: Client, path: string, token: string | null, body: unknown, key?: string) => Promise<{ status: number; body: string; ms: number }>;

/**
 * `borrowers` driven by `concurrency` clients, each a borrower at a time (its repayment, the retry,
 * the drawdown), until every one is done; the clients' connections (`clients`, or new ones) closed after.
 */
async function driveBorrowers(borrowers: readonly LoadBorrower[], concurrency: number, connection: () => Client, post: Post, keyPrefix: string, clients: Client[] = Array.from({ length: concurrency }, connection)): Promise<LoadClientsResult> {
  const repaymentMs: number[] = [];
  const drawdownMs: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let repayments = 0;
  let retried = 0;
  let drawdowns = 0;
  let retriesReplayed = 0;
  const fail = (what: string, answer: { status: number; body: string } | Error) => {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(`${what}: ${answer instanceof Error ? answer.message : `${answer.status} ${answer.body.slice(0, 200)}`}`);
  };
  const timed = async (client: Client, what: string, path: string, token: string, body: unknown, key: string): Promise<{ status: number; body: string } | undefined> => {
    try {
      const answer = await post(client, path, token, body, key);
      (what === 'drawdown' ? drawdownMs : repaymentMs).push(answer.ms);
      if (answer.status !== 201) {
        fail(what, answer);
        return undefined;
      }
      return answer;
    } catch (error) {
      fail(what, error as Error);
      return undefined;
    }
  };

  let next = 0;
  const run = async (client: Client) => {
    for (let i = next++; i < borrowers.length; i = next++) {
      const borrower = borrowers[i]!;
      const key = `${keyPrefix}-repay-${i}`;
      const path = `/v1/loans/${borrower.loanId}/repayments`;
      const body = { amount: BENCH_REPAYMENT };
      repayments++;
      const first = await timed(client, 'repayment', path, borrower.token, body, key);
      if (retries(i)) {
        retried++;
        const again = await timed(client, 'retried repayment', path, borrower.token, body, key);
        if (again !== undefined && first !== undefined && isDeepStrictEqual(JSON.parse(again.body), JSON.parse(first.body))) retriesReplayed++;
      }
      if (borrower.lineId !== null) {
        drawdowns++;
        await timed(client, 'drawdown', `/v1/lines/${borrower.lineId}/drawdowns`, borrower.token, { amount: BENCH_DRAWDOWN, termDays: 30 }, `${keyPrefix}-draw-${i}`);
      }
    }
  };
  const clock = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(clients.map(run));
  const seconds = (performance.now() - clock) / 1000;
  const used = process.cpuUsage(cpu);
  await Promise.all(clients.map((client) => client.destroy()));
  return { repaymentMs, drawdownMs, errors, errorSamples, repayments, retried, drawdowns, retriesReplayed, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

if (process.argv[2] === CHILD_ARG && process.send !== undefined) {
  const send = (message: ChildMessage) => process.send!(message);
  const job = await new Promise<LoadClientsJob>((resolve) => process.once('message', (message: LoadClientsJob) => resolve(message)));
  const started = new Promise<void>((resolve) => process.once('message', () => resolve()));
  try {
    await runLoadClients(job, send, started);
  } catch (error) {
    send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}
