/**
 * `sprout bench eod --loans N`: end of day over a synthetic book on the configured database
 * (DATABASE_URL, or PGlite in --data-dir), against the floor of one UPDATE of every loan row.
 * Use an empty database: it is filled with the book.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { benchmarkEod } from '../eod/eod-benchmark.js';
import { benchmarkDecisions, DEFAULT_BENCH_CONCURRENCY, DEFAULT_BENCH_WARMUP, summariseDecisions, type DecideBenchResult } from '../decision/decision-benchmark.js';
import { benchmarkMonitoring } from '../monitoring/monitoring-benchmark.js';
import { benchmarkReports } from '../reporting/report-benchmark.js';
import { runCommand } from './run-command.js';
import { benchServicing } from './bench-servicing.js';
import { benchGrowth } from './bench-growth.js';
import { cliIo } from './io.js';
import { wholeNumber } from './whole-number.js';

interface BenchFlags {
  loans: string;
  workers: string;
  seed?: string;
  dataDir?: string;
  format: string;
}

export function benchCommand(): Command {
  const bench = new Command('bench').description('benchmarks against a real database');
  bench
    .command('eod')
    .description('create N synthetic loans in an empty database, close their first night, then time the second against one bare UPDATE of every loan')
    .requiredOption('--loans <N>', 'number of loans, e.g. 1000000')
    .option('--workers <N>', 'end-of-day workers (PostgreSQL; PGlite always uses 1)', '1')
    .option('--seed <N>', 'PRNG seed of the book (default 20250630)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: BenchFlags) => {
        const loans = wholeNumber(flags.loans, 'loans');
        if (loans < 1 || loans > 10_000_000) throw new ValidationError('loans', 'must be 1 to 10000000');
        let workers = wholeNumber(flags.workers, 'workers');
        const seed = flags.seed === undefined ? undefined : wholeNumber(flags.seed, 'seed');
        const database = await openCommandDatabase(flags.dataDir);
        try {
          if (database.backend === 'pglite') workers = 1;
          const tty = cliIo().stderr.isTTY === true;
          const result = await benchmarkEod(database.db, {
            loans,
            seed,
            workers,
            onProgress: tty ? (done, total) => cliIo().stderr.write(`\rend of day: chunk ${done}/${total}`) : undefined,
          });
          if (tty) cliIo().stderr.write('\n');
          const { seconds, firstNightSeconds, floorSeconds, leanFloorSeconds, balanced, checkpointed, server } = result;
          if (flags.format === 'json') {
            cliIo().stdout.write(`${JSON.stringify({ loans: result.loans, seconds, firstNightSeconds, floorSeconds, leanFloorSeconds, balanced, checkpointed, server })}\n`);
          } else {
            cliIo().stdout.write(
              `end of day over ${result.loans} loans on ${database.backend}: ${seconds} s the second night (${result.chunks} chunks, ${workers} worker${workers === 1 ? '' : 's'}; the first ${firstNightSeconds} s); ` +
                `floor (one UPDATE of every loan) ${floorSeconds} s, ratio ${(seconds / floorSeconds).toFixed(2)}; ` +
                `lean floor (one UPDATE of a narrow table as long) ${leanFloorSeconds} s, ratio ${(seconds / leanFloorSeconds).toFixed(2)}; ` +
                `book created in ${result.loadSeconds} s; ${balanced ? 'reconciled' : 'NOT RECONCILED'}; ` +
                `server: shared_buffers ${server.sharedBuffers}, max_wal_size ${server.maxWalSize}, checkpoint_timeout ${server.checkpointTimeout}` +
                `${checkpointed ? '' : ' (no CHECKPOINT before the timed steps: the role may not run one)'}\n`,
            );
          }
          if (!balanced) cliIo().exitCode = 1;
        } finally {
          await database.close();
        }
      }),
    );
  bench
    .command('decide')
    .description('N complete decisions (data pull, features, rules, score, limit, price, record) through the service layer')
    .requiredOption('--n <N>', 'number of decisions, e.g. 1000')
    .option('--seed <N>', 'simulation seed (default 2025)')
    .option('--warmup <W>', `untimed decisions first, so the timed ones run compiled code (default ${DEFAULT_BENCH_WARMUP})`)
    .option('--concurrency <C>', `decisions in flight at once over the connection pool (default ${DEFAULT_BENCH_CONCURRENCY}; PGlite always 1)`)
    .option('--workers <W>', 'processes, each running N/W of the decisions (C at once each) with their timed phases started together (PostgreSQL; PGlite always 1)', '1')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--worker-process', 'one of --workers: say "ready" after the warm-up, start on a line on stdin, print every timing').hideHelp())
    .action(
      runCommand(async (flags: { n: string; seed?: string; concurrency?: string; warmup?: string; workers: string; workerProcess?: boolean; dataDir?: string; format: string }) => {
        const n = wholeNumber(flags.n, 'n');
        if (n < 1 || n > 1_000_000) throw new ValidationError('n', 'must be 1 to 1000000');
        let concurrency = flags.concurrency === undefined ? DEFAULT_BENCH_CONCURRENCY : wholeNumber(flags.concurrency, 'concurrency');
        if (concurrency < 1 || concurrency > 64) throw new ValidationError('concurrency', 'must be 1 to 64');
        const warmup = flags.warmup === undefined ? DEFAULT_BENCH_WARMUP : wholeNumber(flags.warmup, 'warmup');
        if (warmup > 100_000) throw new ValidationError('warmup', 'must be 0 to 100000');
        let workers = wholeNumber(flags.workers, 'workers');
        if (workers < 1 || workers > 64) throw new ValidationError('workers', 'must be 1 to 64');
        const seed = flags.seed === undefined ? undefined : wholeNumber(flags.seed, 'seed');
        const server = (cliIo().env.DATABASE_URL ?? '') !== '';
        if (!server) workers = 1;
        let result: DecideBenchResult;
        let backend: string;
        if (workers > 1 && flags.workerProcess !== true) {
          result = await decideInProcesses({ n, seed, concurrency, warmup, workers });
          backend = 'postgres';
        } else {
          const database = await openCommandDatabase(flags.dataDir);
          backend = database.backend;
          // PGlite is one connection: decisions in flight would only queue behind each other.
          if (database.backend === 'pglite') concurrency = 1;
          try {
            const tty = cliIo().stderr.isTTY === true && flags.workerProcess !== true;
            result = await benchmarkDecisions(database.db, {
              n,
              seed,
              concurrency,
              warmup,
              onProgress: tty ? (done) => cliIo().stderr.write(`\rdecisions: ${done}/${n}`) : undefined,
              beforeTimed: flags.workerProcess === true ? startSignal : undefined,
            });
            if (tty) cliIo().stderr.write('\n');
          } finally {
            await database.close();
          }
          if (flags.workerProcess === true) {
            cliIo().stdout.write(`${JSON.stringify(result)}\n`);
            return;
          }
        }
        const { decisions, p50Ms, p99Ms, perSecond } = result;
        cliIo().stdout.write(
          flags.format === 'json'
            ? `${JSON.stringify({ decisions, p50Ms, p99Ms, perSecond, workers, nodeCpuMsPerDecision: result.nodeCpuMsPerDecision })}\n`
            : `${decisions} decisions on ${backend}, ${workers} process${workers === 1 ? '' : 'es'} × ${concurrency} at once: p50 ${p50Ms} ms, p99 ${p99Ms} ms, ${perSecond}/s, node CPU ${result.nodeCpuMsPerDecision} ms each (${JSON.stringify(result.outcomes)})\n`,
        );
      }),
    );
  bench
    .command('monitor')
    .description('N borrowers with an open line and a monitoring authorisation, then one post-lending monitoring run over all of them (every source due)')
    .requiredOption('--enterprises <N>', 'number of borrowers, e.g. 100000')
    .option('--seed <N>', 'simulation seed (default 2025)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: { enterprises: string; seed?: string; dataDir?: string; format: string }) => {
        const enterprises = wholeNumber(flags.enterprises, 'enterprises');
        if (enterprises < 1 || enterprises > 10_000_000) throw new ValidationError('enterprises', 'must be 1 to 10000000');
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const tty = cliIo().stderr.isTTY === true;
          const result = await benchmarkMonitoring(database.db, {
            enterprises,
            seed: flags.seed === undefined ? undefined : wholeNumber(flags.seed, 'seed'),
            onBatch: tty ? (done) => cliIo().stderr.write(`\rmonitoring: ${done}/${enterprises}`) : undefined,
          });
          if (tty) cliIo().stderr.write('\n');
          cliIo().stdout.write(
            flags.format === 'json'
              ? `${JSON.stringify({ enterprises: result.enterprises, seconds: result.seconds, warnings: result.warnings, nodeCpuSeconds: result.nodeCpuSeconds })}\n`
              : `monitoring ${result.enterprises} borrowers on ${database.backend}: ${result.seconds} s, ${result.pulls} pulls, ${result.warnings} warnings, ${result.actions} actions, node CPU ${result.nodeCpuSeconds} s (loaded in ${result.loadSeconds} s)\n`,
          );
        } finally {
          await database.close();
        }
      }),
    );
  bench
    .command('reports')
    .description('time each regulatory report as of the last closed date, on the book in the database (the one `sprout bench eod` leaves)')
    .option('--recompute', 'judge every borrower again from the history instead of reading the verdicts end of day stored (the cost without them)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: { dataDir?: string; format: string; recompute?: boolean }) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const result = await benchmarkReports(database.db, database.backend, { recompute: flags.recompute === true });
          if (flags.format === 'json') {
            cliIo().stdout.write(`${JSON.stringify({ backend: database.backend, ...result })}\n`);
          } else {
            const cpu = (t: (typeof result.timings)[number]) => `; CPU here ${t.cpuSeconds} s${t.serverCpuSeconds === undefined ? '' : `, PostgreSQL backend ${t.serverCpuSeconds} s + parallel workers ${t.workerCpuSeconds ?? 0} s`}`;
            const lines = result.timings.map((t) => `  ${t.report}: ${t.seconds === null ? `not run (${t.note})` : `${t.seconds} s${cpu(t)}`}`);
            cliIo().stdout.write(`reports as of ${result.asOf} over ${result.loans} loans on ${database.backend}${flags.recompute === true ? ', verdicts recomputed' : ''}:\n${lines.join('\n')}\n`);
          }
        } finally {
          await database.close();
        }
      }),
    );
  bench.addCommand(benchServicing());
  bench.addCommand(benchGrowth());
  return bench;
}

const SPROUT = fileURLToPath(new URL('../../bin/sprout.js', import.meta.url));

/** In a `--worker-process`: "ready" on stdout, then wait for the parent's line on stdin. */
async function startSignal(): Promise<void> {
  cliIo().stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
}

/**
 * `bench decide --workers W`: W processes of `bench decide --worker-process`, each N/W decisions
 * (different firms: seeds apart), each warmed up; their timed phases start together and the
 * timings are merged. The rate is every decision over the wall time from the start to the last one.
 */
async function decideInProcesses(options: { n: number; seed: number | undefined; concurrency: number; warmup: number; workers: number }): Promise<DecideBenchResult> {
  const { n, concurrency, warmup, workers } = options;
  const seed = options.seed ?? 2025;
  const children = Array.from({ length: workers }, (_, i) => {
    const share = Math.floor(n / workers) + (i < n % workers ? 1 : 0);
    const args = [SPROUT, 'bench', 'decide', '--worker-process', '--n', String(Math.max(1, share)), '--seed', String(seed + 7919 * i), '--concurrency', String(concurrency), '--warmup', String(warmup)];
    const child = spawn(process.execPath, args, { env: { ...process.env, ...cliIo().env }, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const ready = new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        if (line === 'ready') resolve();
      });
      child.once('exit', (code) => reject(new Error(`bench decide worker ${i + 1} ended (exit ${code}) before it was ready`)));
    });
    const done = new Promise<DecideBenchResult>((resolve, reject) => {
      let last = '';
      lines.on('line', (line) => {
        if (line.startsWith('{')) last = line;
      });
      child.once('exit', (code) => (code === 0 && last !== '' ? resolve(JSON.parse(last) as DecideBenchResult) : reject(new Error(`bench decide worker ${i + 1} failed (exit ${code})`))));
    });
    // Awaited below; a worker that fails before it is ready must not also be an unhandled rejection.
    done.catch(() => undefined);
    ready.catch(() => undefined);
    return { child, ready, done };
  });
  try {
    await Promise.all(children.map((c) => c.ready));
    const started = performance.now();
    for (const { child } of children) child.stdin!.end('go\n');
    const results = await Promise.all(children.map((c) => c.done));
    const seconds = (performance.now() - started) / 1000;
    const timings = results.flatMap((r) => r.timingsMs);
    const nodeCpuMs = results.reduce((sum, r) => sum + r.nodeCpuMs, 0);
    const outcomes: Record<string, number> = {};
    for (const r of results) for (const [outcome, count] of Object.entries(r.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
    return { ...summariseDecisions(timings, seconds, nodeCpuMs, outcomes), timingsMs: timings, seconds, nodeCpuMs };
  } finally {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  }
}

