/**
 * `sprout serve`: open the database, migrate it, serve the API and the web app (`web/dist`, built
 * by `npm run build:web`).
 *
 * Two modes. `--mode demo` (what `npm start` runs): on an empty database fill the deterministic
 * demo book (src/demo/, progress on stderr) and create the demo logins, whose passwords are
 * published. `--mode production` (the default, or `SPROUT_MODE=production`): never creates a
 * demo login nor a demo book, whatever the database holds — a bank creates its administrator with
 * `sprout user create`.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { setUpAudit } from '../audit/audit-files.js';
import { connectorsForMode } from '../data/index.js';
import { openDatabase } from '../db/database.js';
import { DEFAULT_DECISION_CONFIG } from '../decision/decide.js';
import { DEFAULT_DEMO_ENTERPRISES, DEFAULT_DEMO_MONTHS } from '../demo/demo-defaults.js';
import { ValidationError } from '../errors.js';
import { parseTrustProxy } from '../http/transport-security.js';
import { loadChampion } from '../scoring/model-store.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';
import { assertPortFree, ownSockets, whenListening } from './worker-socket.js';

/** How the server starts: with the demo book and published logins, or as a bank runs it. */
export type ServeMode = 'demo' | 'production';

/**
 * Reads `--mode` / `SPROUT_MODE`; absent is production, so forgetting it never creates logins
 * whose passwords are on the internet.
 *
 * @example
 * parseServeMode(undefined); // 'production'
 */
export function parseServeMode(text: string | undefined): ServeMode {
  const mode = text === undefined || text === '' ? 'production' : text;
  if (mode !== 'demo' && mode !== 'production') throw new ValidationError('mode', `must be demo or production, got "${mode}"`);
  return mode;
}

export interface ServeFlags {
  mode?: string;
  trustProxy?: string;
  port?: string;
  host: string;
  dataDir?: string;
  confirmAbove?: string;
  demo: boolean;
  demoEnterprises: string;
  demoMonths: string;
  eodAt?: string;
  eodTimezone?: string;
  workers?: string;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the Sprout server (embedded PGlite in ./data unless DATABASE_URL is set; DATABASE_URL may list several hosts with ?target_session_attrs=read-write, and DATABASE_READ_URL names a standby for reports)')
    .option('--mode <MODE>', 'demo (the demo book and published demo logins on an empty database; what npm start runs) or production (never any demo login); default $SPROUT_MODE or production')
    .option('--trust-proxy <VALUE>', 'believe X-Forwarded-Proto/-For from these reverse proxies: true, a hop count, or addresses/CIDRs separated by commas (default $SPROUT_TRUST_PROXY or off)')
    .option('--port <N>', 'port to listen on (default $PORT or 3000)')
    .option('--eod-at <HH:MM>', 'run end of day at this cut-off time every day, catching up missed dates; one server runs it however many share the database (default $SPROUT_EOD_AT; off when unset)')
    .option('--eod-timezone <ZONE>', 'the time zone of --eod-at (default $SPROUT_EOD_TIMEZONE or Asia/Shanghai)')
    .option('--workers <N>', 'server processes sharing the port and the database (PostgreSQL only; the embedded PGlite is one process); default $SPROUT_WORKERS or the number of cores with DATABASE_URL, else 1')
    .option('--host <HOST>', 'address to listen on', cliIo().env.HOST ?? '127.0.0.1')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .option('--confirm-above <YUAN>', 'approvals of referred applications above this need a second approver (default $SPROUT_CONFIRM_ABOVE or 500000.00)')
    .option('--no-demo', 'in demo mode, do not fill the demo book nor create demo logins on an empty database')
    .option('--demo-enterprises <N>', 'enterprises in the demo book on an empty database (0: logins only)', String(DEFAULT_DEMO_ENTERPRISES))
    .option('--demo-months <M>', 'months of history in the demo book', String(DEFAULT_DEMO_MONTHS))
    .action(
      runCommand(async (flags: ServeFlags) => {
        const mode = parseServeMode(flags.mode ?? cliIo().env.SPROUT_MODE);
        const trustProxy = parseTrustProxy(flags.trustProxy ?? cliIo().env.SPROUT_TRUST_PROXY);
        const port = parsePort(flags.port ?? cliIo().env.PORT ?? '3000');
        const workers = serveWorkers(flags.workers ?? cliIo().env.SPROUT_WORKERS, cliIo().env.DATABASE_URL);
        // Worker 1 (or the only process) runs the timers and the demo; the others only answer requests.
        const lead = !cluster.isWorker || cliIo().env.SPROUT_WORKER_INDEX === '1';
        // Before the database opens: production refuses the simulator or a missing source, naming them.
        const connectors = await connectorsForMode(cliIo().env, mode);
        // The champion of the model registry decides when one is configured; else the shipped scorecard.
        const registry = cliIo().env.SPROUT_MODEL_REGISTRY;
        const decisionConfig = registry === undefined || registry === '' ? undefined : DEFAULT_DECISION_CONFIG(loadChampion(registry));
        // What the workers would refuse is refused above, once, by the primary.
        if (workers > 1 && cluster.isPrimary) {
          await runPrimary(workers, port, flags.host, flags);
          return;
        }
        // The HTTP app, the demo and the schedules load here, in a process that serves: a cluster's
        // primary only forks, and `eod`, `monitor` and `prospects` read parseServeMode from this file.
        const { serveProcess } = await import('./serve-process.js');
        await serveProcess(flags, { mode, trustProxy, port, lead, connectors, registry, decisionConfig });
      }),
    );
}

/**
 * `--workers` / `SPROUT_WORKERS`: 1 to 64. Default: the machine's cores on PostgreSQL, 1 on PGlite.
 * More than one on PGlite is refused: an embedded database belongs to one process.
 *
 * @example
 * serveWorkers('4', 'postgres://db/sprout'); // 4
 */
export function serveWorkers(text: string | undefined, databaseUrl: string | undefined): number {
  const server = databaseUrl !== undefined && databaseUrl !== '';
  if (text === undefined || text === '') return server ? availableParallelism() : 1;
  if (!/^[0-9]{1,2}$/.test(text) || Number(text) < 1 || Number(text) > 64) throw new ValidationError('workers', `must be 1 to 64, got "${text}"`);
  const workers = Number(text);
  if (workers > 1 && !server) throw new ValidationError('workers', `the embedded PGlite database belongs to one process: ${workers} workers need PostgreSQL (set DATABASE_URL), or use --workers 1`);
  return workers;
}

/**
 * The cluster's primary: migrates the database and makes the audit key once (so the workers do
 * not race to), then forks the workers, which share the port and nothing but the database. On
 * Linux each worker listens on a socket of its own and the kernel spreads the connections;
 * elsewhere node's cluster module accepts them here and hands each to a worker in turn
 * (worker-socket.ts). A worker that dies is replaced; SIGINT/SIGTERM stop them all.
 */
async function runPrimary(workers: number, port: number, host: string, flags: ServeFlags): Promise<void> {
  // Before anything else: workers on SO_REUSEPORT sockets would share a port taken by a server left running.
  if (ownSockets(process.platform)) await assertPortFree(port, host);
  const database = await openDatabase({ url: cliIo().env.DATABASE_URL, dataDir: flags.dataDir });
  setUpAudit(flags.dataDir, cliIo().env);
  await database.close();
  let stopping = false;
  let listening = 0;
  const fork = (index: number) => {
    const worker = cluster.fork({ SPROUT_WORKER_INDEX: String(index), SPROUT_WORKERS_STARTED: String(workers) });
    let listened = false;
    whenListening(worker, () => {
      listened = true;
      listening++;
      if (listening === workers) cliIo().stderr.write(`sprout: ${workers} workers listening on port ${port} (pids ${Object.values(cluster.workers ?? {}).map((w) => w?.process.pid).join(', ')}; primary ${process.pid})\n`);
    });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      if (!listened) {
        // It could not start (the database, the port): another would fail the same way.
        cliIo().stderr.write(`sprout: worker ${index} (pid ${worker.process.pid}) ended before it listened (${signal ?? `exit ${code}`}); stopping\n`);
        process.exitCode = 1;
        stop();
        return;
      }
      cliIo().stderr.write(`sprout: worker ${index} (pid ${worker.process.pid}) ended (${signal ?? `exit ${code}`}); starting another\n`);
      setTimeout(() => {
        if (!stopping) fork(index);
      }, 1000).unref();
    });
  };
  const stop = () => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    if (alive.length === 0) process.exit();
    let left = alive.length;
    for (const worker of alive) {
      worker.once('exit', () => {
        left--;
        if (left === 0) process.exit();
      });
      worker.process.kill('SIGTERM');
    }
  };
  for (let index = 1; index <= workers; index++) fork(index);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || port < 1 || port > 65535) throw new ValidationError('port', `must be 1 to 65535, got "${text}"`);
  return port;
}
