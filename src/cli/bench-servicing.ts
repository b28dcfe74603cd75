/**
 * `sprout bench servicing --borrowers N --concurrency C [--workers W] [--url URL]`: month end
 * through the real HTTP server (src/servicing/servicing-benchmark.ts). The command fills the
 * database (DATABASE_URL, or PGlite in --data-dir; it must have no loans), starts `sprout serve
 * --workers W` on a free port (or drives the server at --url, which must use the same database),
 * drives it with C clients (in a process of their own at --load-nice, src/servicing/load-clients.ts),
 * stops it and checks the money from the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { freePort } from '../system/free-port.js';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { ValidationError } from '../errors.js';
import { setUpAudit } from '../audit/audit-files.js';
import { checkMoney, driveServicing, seedServicingBook } from '../servicing/servicing-benchmark.js';
import { READ_PAGES } from '../servicing/page-readers.js';
import type { BurstCpu } from '../servicing/burst-cpu.js';
import { DEFAULT_WARMUP, LOAD_NICE, MAX_NICE } from '../servicing/load-clients.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';
import { wholeNumber } from './whole-number.js';
import { wasmFlags } from './wasm-flags.js';

const SPROUT = fileURLToPath(new URL('../../bin/sprout.js', import.meta.url));

interface ServicingFlags {
  borrowers: string;
  concurrency: string;
  workers?: string;
  url?: string;
  seed?: string;
  warmup: string;
  loadNice: string;
  dataDir?: string;
  format: string;
}

export function benchServicing(): Command {
  return new Command('servicing')
    .description('month end: N borrowers each repay once (some retried with the same Idempotency-Key, some also draw) through the HTTP server, C at once, while readers load pages; then the ledger is reconciled and money checked to have moved once per key')
    .requiredOption('--borrowers <N>', 'borrowers, each with a login, a loan and (every tenth) a credit line, e.g. 2800')
    .option('--concurrency <C>', 'clients at once, each a borrower at a time', '100')
    .option('--workers <W>', 'server processes the command starts (default: the cores with DATABASE_URL; PGlite always 1)')
    .option('--url <URL>', 'drive this server instead of starting one; it must use the database in DATABASE_URL')
    .option('--seed <N>', 'PRNG seed of the book (default 20250630)')
    .option('--warmup <W>', 'more borrowers, who repay (some retried, some drawing) before the clock starts, so the timed ones meet a server that has been serving; 0 times a fresh server\'s first requests', String(DEFAULT_WARMUP))
    .option('--load-nice <N>', `the money clients' process's nice value, 0 (the bench's own priority) to ${MAX_NICE}: below the server's, as clients on other machines would be; the page readers keep the bench's`, String(LOAD_NICE))
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: ServicingFlags) => {
        const borrowers = wholeNumber(flags.borrowers, 'borrowers');
        if (borrowers < 1 || borrowers > 1_000_000) throw new ValidationError('borrowers', 'must be 1 to 1000000');
        const concurrency = wholeNumber(flags.concurrency, 'concurrency');
        if (concurrency < 1 || concurrency > 10_000) throw new ValidationError('concurrency', 'must be 1 to 10000');
        const url = cliIo().env.DATABASE_URL;
        const server = url !== undefined && url !== '';
        let workers = flags.workers === undefined ? (server ? availableParallelism() : 1) : wholeNumber(flags.workers, 'workers');
        if (workers < 1 || workers > 64) throw new ValidationError('workers', 'must be 1 to 64');
        if (!server) workers = 1;
        if (flags.url !== undefined && !server) throw new ValidationError('url', 'needs DATABASE_URL: the bench fills and checks the database the server at --url uses, and PGlite belongs to one process');
        if (flags.url !== undefined && !/^http:\/\/[^/]+\/?$/.test(flags.url)) throw new ValidationError('url', `must be http://host:port, got "${flags.url}"`);
        const seed = flags.seed === undefined ? undefined : wholeNumber(flags.seed, 'seed');
        const loadNice = wholeNumber(flags.loadNice, 'load-nice', 0, MAX_NICE);
        const warmup = wholeNumber(flags.warmup, 'warmup', 0, 1_000_000 - borrowers);

        // Not the throwaway key of the other benches: the server it starts appends to the same
        // chains with the real key (SPROUT_AUDIT_KEY or the audit directory's), so the seed does too.
        setUpAudit(flags.dataDir, cliIo().env);
        let database: OpenDatabase = await openDatabase({ url, dataDir: flags.dataDir });
        const backend = database.backend;
        let child: ChildProcess | undefined;
        try {
          cliIo().stderr.write(`bench servicing: filling ${borrowers} borrowers (and ${warmup} for the warm-up) on ${backend}…\n`);
          const book = await seedServicingBook(database.db, { borrowers, warmup, seed });
          let base = flags.url?.replace(/\/$/, '');
          if (base === undefined) {
            // The server opens the data directory itself: PGlite lets one process in at a time.
            if (backend === 'pglite') await database.close();
            const port = await freePort();
            child = startServer(port, workers, flags.dataDir);
            base = `http://127.0.0.1:${port}`;
            await waitForServer(child, base, workers);
          }
          cliIo().stderr.write(`bench servicing: ${borrowers} borrowers ready in ${book.seedSeconds} s; ${concurrency} clients against ${base} (${workers} worker${workers === 1 ? '' : 's'})…\n`);
          // The CPU of each side over the burst, where /proc shows it: the server the command started, PostgreSQL's processes (PGlite's run in the server).
          const load = await driveServicing(base, book, { concurrency, loadNice, serverPid: child?.pid, database: backend === 'postgres' ? database.db : undefined });
          if (child !== undefined) {
            await stopServer(child);
            child = undefined;
            if (backend === 'pglite') database = await openDatabase({ url, dataDir: flags.dataDir });
          }
          const money = await checkMoney(database.db, book, load);
          const movedOnce = money.repaidOnce && money.drawnOnce;
          const balanced = money.reconciled && movedOnce;
          for (const sample of load.errorSamples) cliIo().stderr.write(`bench servicing: ${sample}\n`);
          const result = {
            requests: load.requests,
            perSecond: load.perSecond,
            p50Ms: load.p50Ms,
            p99Ms: load.p99Ms,
            errors: load.errors,
            balanced,
            backend,
            borrowers,
            concurrency,
            workers: flags.url === undefined ? workers : null,
            repayments: load.repayments,
            retried: load.retried,
            drawdowns: load.drawdowns,
            repaymentsPerSecond: Math.round(load.repayments / load.seconds),
            repaymentsP99Ms: load.repaymentsP99Ms,
            drawdownsP99Ms: load.drawdownsP99Ms,
            seconds: load.seconds,
            reconciled: money.reconciled,
            movedOnce,
            reads: load.reads,
            readsP50Ms: load.readsP50Ms,
            readsP99Ms: load.readsP99Ms,
            readErrors: load.readErrors,
            readsByPage: load.readsByPage,
            logins: load.logins,
            loginP50Ms: load.loginP50Ms,
            loadNice: load.loadNice,
            warmup: load.warmup,
            cpu: load.cpu,
            seedSeconds: book.seedSeconds,
          };
          cliIo().stdout.write(
            flags.format === 'json'
              ? `${JSON.stringify(result)}\n`
              : `${result.requests} money requests (${result.repayments} repayments, ${result.retried} retried, ${result.drawdowns} drawdowns) on ${backend}, ${concurrency} clients, ${result.workers ?? '?'} workers: ` +
                  `${result.perSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.errors} errors; reads p99 ${result.readsP99Ms} ms (${result.reads}: ${READ_PAGES.map((page) => `${page} ${result.readsByPage[page].p99Ms} ms`).join(', ')}); ` +
                  `login p50 ${result.loginP50Ms} ms; clients at nice ${result.loadNice}; after a warm-up of ${result.warmup.requests} money requests by ${result.warmup.borrowers} borrowers in ${result.warmup.seconds.toFixed(1)} s; CPU a money request: ${cpuText(result.cpu)}; ${money.reconciled ? 'reconciled' : 'NOT RECONCILED'}, ${movedOnce ? 'money moved once per key' : 'MONEY MOVED MORE THAN ONCE OR NOT AT ALL'}\n`,
          );
          if (!balanced || load.errors > 0 || load.readErrors > 0) cliIo().exitCode = 1;
        } finally {
          if (child !== undefined) await stopServer(child);
          await database.close().catch(() => undefined);
        }
      }),
    );
}

/** Each side's CPU a money request and how busy the cores were, e.g. "server 0.62 ms, PostgreSQL 0.49 ms, clients 0.34 ms, bench 0.03 ms; 2 cores 86 % busy". */
function cpuText(cpu: BurstCpu): string {
  const ms = (value: number | null) => (value === null ? 'not seen' : `${value.toFixed(2)} ms`);
  const { server, database, clients, bench } = cpu.perRequestMs;
  return `server ${ms(server)}, PostgreSQL ${ms(database)}, clients ${ms(clients)}, bench ${ms(bench)}; ${cpu.cores} cores ${Math.round(cpu.busy * 100)} % busy`;
}

/**
 * `sprout serve` in demo mode without the demo book nor its logins (so the simulated data sources
 * stand in for the bureaus a production server must be configured with), its stdout and stderr passed to ours as stderr. The global
 * per-address limit is lifted: every bench client comes from 127.0.0.1, which a bank's load
 * balancer would see as thousands of addresses.
 */
function startServer(port: number, workers: number, dataDir: string | undefined): ChildProcess {
  const args = [...wasmFlags(), SPROUT, 'serve', '--mode', 'demo', '--no-demo', '--host', '127.0.0.1', '--port', String(port), '--workers', String(workers), ...(dataDir === undefined ? [] : ['--data-dir', dataDir])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...cliIo().env, SPROUT_RATE_LIMIT_GLOBAL: '999999999', SPROUT_WORKERS: String(workers) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => cliIo().stderr.write(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => cliIo().stderr.write(chunk.toString('utf8')));
  return child;
}

/** Until every worker listens: the primary says so on stderr; one process answers /health. */
async function waitForServer(child: ChildProcess, base: string, workers: number): Promise<void> {
  let all = workers === 1;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (chunk.toString('utf8').includes('workers listening')) all = true;
  });
  // A guard against a hang, not a timing: at load 40 on two cores the start took over 3 minutes.
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sprout serve ended (exit ${child.exitCode}) before it answered`);
    if (all) {
      try {
        const answer = await fetch(`${base}/health`);
        if (answer.status === 200) return;
      } catch {
        // Not listening yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('sprout serve did not answer /health within 600 s');
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await ended;
  clearTimeout(timer);
}

