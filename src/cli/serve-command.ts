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
import { availableParallelism, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseCutOff, startEodSchedule } from '../eod/eod-scheduler.js';
import { startNoticeDelivery } from '../notifications/deliver-notices.js';
import { channelsFrom, deliveryIntervalFrom } from '../notifications/notification-config.js';
import { loggingGateway } from '../notifications/channels.js';
import { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { DemoLogin } from '../auth/demo-users.js';
import type { Database } from '../db/schema.js';
import { seedDemoUsers } from '../auth/demo-users.js';
import { DEFAULT_DEMO_ENTERPRISES, DEFAULT_DEMO_MONTHS, DEMO_SEED, generateDemo, performingBorrowers } from '../demo/generate-demo.js';
import { progressLine } from '../demo/demo-report.js';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { createBackup } from '../system/backup.js';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { buildApp } from '../http/app.js';
import type { AppContext, DemoFilling } from '../http/app-context.js';
import { DEFAULT_REVIEW_POLICY } from '../decision/review-application.js';
import { parseMoney } from '../money/index.js';
import { rateLimitsFromEnv } from '../http/rate-limit.js';
import { parseTrustProxy } from '../http/transport-security.js';
import { VERSION } from '../version.js';
import { runCommand } from './run-command.js';
import { CHECKPOINT_FILE, setUpAudit } from '../audit/audit-files.js';
import { DEFAULT_CHECKPOINT_MINUTES, startAuditCheckpoints } from '../audit/audit-checkpoint.js';
import { cliIo } from './io.js';
import { DEFAULT_DECISION_CONFIG } from '../decision/decide.js';
import { loadChampion } from '../scoring/model-store.js';
import { stabilityOptionsFromEnv } from '../decision/deployed-models.js';
import { connectorsForMode, DATA_SOURCES, type ConnectorKind, type DataSource } from '../data/index.js';

/** Where `npm run build:web` puts the web app. */
const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

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

interface ServeFlags {
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
          await runPrimary(workers, port, flags);
          return;
        }
        const database = await openDatabase({ url: cliIo().env.DATABASE_URL, dataDir: flags.dataDir, readUrl: cliIo().env.DATABASE_READ_URL });
        const confirmAbove = flags.confirmAbove ?? cliIo().env.SPROUT_CONFIRM_ABOVE;
        const reviewPolicy = confirmAbove === undefined ? DEFAULT_REVIEW_POLICY : { ...DEFAULT_REVIEW_POLICY, version: `${DEFAULT_REVIEW_POLICY.version}+confirm-above-${confirmAbove}`, confirmAbove: parseMoney(confirmAbove, 'confirm-above') };
        // The server answers at once; in demo mode the book fills after it listens, and the login page
        // shows how far (GET /v1/auth/welcome) until the logins exist.
        let filling: DemoFilling | null = null;
        // The key is in use since the CLI started (main.ts); checkpoints go outside the database from now on.
        const audit = setUpAudit(flags.dataDir, cliIo().env);
        const stopCheckpoints = lead ? await startAuditCheckpoints(database.db, audit.anchor, checkpointMinutes(cliIo().env), (error) => cliIo().stderr.write(`sprout: audit checkpoint failed: ${String(error)}\n`)) : async () => {};
        const app = await buildApp(
          { db: database.db, ...(database.readDb === undefined ? {} : { readDb: database.readDb }), backend: database.backend, version: VERSION, now: () => new Date(), webRoot: WEB_ROOT, demo: mode === 'demo', demoFilling: () => filling, reviewPolicy, rateLimits: rateLimitsFromEnv(cliIo().env), repaymentBatching: cliIo().env.SPROUT_REPAYMENT_BATCH === 'off' ? 'off' : 'on', trustProxy, audit, dataProvider: connectors.provider, ...backupOf(database, audit.dir), ...(decisionConfig === undefined ? {} : { decisionConfig }) },
          { logger: { level: cliIo().env.LOG_LEVEL ?? 'warn' } },
        );
        const stop = async () => {
          stopEod();
          stopNotices();
          await app.close();
          await stopCheckpoints();
          await database.close();
          process.exit(0);
        };
        const eodAt = flags.eodAt ?? cliIo().env.SPROUT_EOD_AT;
        // A malformed cut-off is refused now, not after the demo has filled.
        if (eodAt !== undefined && eodAt !== '') parseCutOff(eodAt);
        let stopEod = () => {};
        // Started only once the demo book (if any) has filled: a night closed by the schedule while the
        // demo is still living its history would close the demo's dates under it.
        const startEod = () => {
          if (eodAt === undefined || eodAt === '' || !lead) return;
          stopEod = startEodSchedule(database.db, {
            at: eodAt,
            timezone: flags.eodTimezone ?? cliIo().env.SPROUT_EOD_TIMEZONE ?? 'Asia/Shanghai',
            holder: `${hostname()}:${process.pid}`,
            eod: { modelStability: stabilityOptionsFromEnv(cliIo().env) },
            onRun: (run) => cliIo().stderr.write(run.ran ? `sprout: scheduled end of day ${run.outcome}: ${run.message}\n` : `sprout: scheduled end of day left to ${run.heldBy}\n`),
          });
        };
        // The notice worker: the logging adapters write to the server log (info level), not the console.
        const noticeChannels = channelsFrom(cliIo().env, (channel) => loggingGateway(channel, (line) => app.log.info({ notice: JSON.parse(line) as unknown }, `notice by ${channel}`)));
        const noticeInterval = deliveryIntervalFrom(cliIo().env);
        const stopNotices =
          noticeInterval === 0 || !lead
            ? () => {}
            : startNoticeDelivery(database.db, noticeChannels, { intervalSeconds: noticeInterval, onError: (error) => cliIo().stderr.write(`sprout: notice delivery failed: ${String(error)}\n`) });
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await app.listen({ port, host: flags.host });
        // The action lasts as long as the server: the CLI gives the audit key back when a command's
        // action returns (runSprout), and every record this server appends must be hashed with it.
        const closed = new Promise<void>((resolve) => app.server.once('close', () => resolve()));
        // The primary says once that the workers listen; they keep quiet.
        if (!lead) {
          await closed;
          return;
        }
        const base = `http://${flags.host === '0.0.0.0' ? 'localhost' : flags.host}:${port}`;
        const lines = [
          `Sprout ${VERSION} on ${database.backend} (${database.location}), ${mode} mode`,
          `  Data     ${connectorSummary(connectors.kinds)}`,
          `  Model    ${registry === undefined || registry === '' ? 'the shipped scorecard (models/default-scorecard.json)' : `champion of ${registry}`}`,
          `  Notices  ${noticeChannels.length === 0 ? 'no channel (SPROUT_NOTIFY_CHANNELS=none): notices wait in the outbox' : `${noticeChannels.map((c) => c.name).join(', ')}${noticeInterval === 0 ? ', not delivered by this server (SPROUT_NOTIFY_INTERVAL_SECONDS=0)' : ` every ${noticeInterval} s`}`}`,
          `  Workers  ${cluster.isWorker ? `${cliIo().env.SPROUT_WORKERS_STARTED ?? '?'} processes on one port (this one runs the schedules)` : `1 process${database.backend === 'pglite' ? ' (PGlite is one process; --workers needs DATABASE_URL)' : ''}`}`,
          `  Web app  ${base}/`,
          `  API      ${base}/v1`,
          `  OpenAPI  ${base}/openapi.json`,
          `  Docs     ${base}/docs`,
        ];
        if (mode === 'production' && (await database.db.selectFrom('app_user').select('id').limit(1).executeTakeFirst()) === undefined) {
          lines.push("  No users yet: create an administrator with SPROUT_PASSWORD='…' sprout user create --role admin --username <name>");
          lines.push('  (the demo with its published logins: npm start, or sprout serve --mode demo)');
        }
        cliIo().stdout.write(`${lines.join('\n')}\n`);
        // Production never creates a demo login, not even on an empty database.
        if (mode !== 'demo' || !flags.demo) {
          startEod();
          await closed;
          return;
        }
        const started = performance.now();
        const demoLogins = await fillDemo(database.db, flags, (progress) => (filling = progress));
        filling = null;
        startEod();
        if (demoLogins.length > 0) {
          const logins = [`  Demo ready ${((performance.now() - started) / 1000).toFixed(1)} s after the server answered. Demo logins (the web app, or POST /v1/auth/token with username and password):`];
          for (const login of demoLogins) logins.push(`    ${login.username.padEnd(16)} ${login.password}`);
          cliIo().stdout.write(`${logins.join('\n')}\n`);
        }
        await closed;
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
 * not race to), then forks the workers, which share the port (node's cluster module hands each
 * connection to one of them in turn) and nothing but the database. A worker that dies is
 * replaced; SIGINT/SIGTERM stop them all.
 */
async function runPrimary(workers: number, port: number, flags: ServeFlags): Promise<void> {
  const database = await openDatabase({ url: cliIo().env.DATABASE_URL, dataDir: flags.dataDir });
  setUpAudit(flags.dataDir, cliIo().env);
  await database.close();
  let stopping = false;
  let listening = 0;
  const fork = (index: number) => {
    const worker = cluster.fork({ SPROUT_WORKER_INDEX: String(index), SPROUT_WORKERS_STARTED: String(workers) });
    let listened = false;
    worker.once('listening', () => {
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

/** On an empty database (no users, no enterprises): the demo book, then the logins bound to it. */
async function fillDemo(db: Kysely<Database>, flags: ServeFlags, onProgress: (progress: DemoFilling) => void): Promise<readonly DemoLogin[]> {
  const users = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
  if (users) return [];
  const enterprises = wholeNumber(flags.demoEnterprises, 'demoEnterprises');
  const hasEnterprises = (await db.selectFrom('enterprise').select('id').limit(1).executeTakeFirst()) !== undefined;
  let borrowerEnterpriseId: string | null = null;
  let coreEnterpriseId: string | null = null;
  if (enterprises > 0 && !hasEnterprises) {
    const tty = cliIo().stderr.isTTY === true;
    cliIo().stderr.write(`Filling the demo book (${enterprises} enterprises, ${flags.demoMonths} months; seed ${DEMO_SEED})…\n`);
    onProgress({ phase: 'register', done: 0, total: enterprises });
    const summary = await generateDemo(db, {
      enterprises,
      months: wholeNumber(flags.demoMonths, 'demoMonths'),
      seed: DEMO_SEED,
      onProgress: (progress) => {
        onProgress({ phase: progress.phase, done: progress.done, total: progress.total });
        if (tty) cliIo().stderr.write(`\r${progressLine(progress)}\u001b[K`);
      },
    });
    if (tty) cliIo().stderr.write('\n');
    cliIo().stderr.write(`Demo book ready in ${summary.seconds.toFixed(1)} s: ${summary.applications.approved + summary.applications.declined + summary.applications.referred} applications, ${summary.drawdowns} drawdowns, ${summary.loans.active} loans on the books\n`);
    borrowerEnterpriseId = summary.showcaseEnterpriseId;
    coreEnterpriseId = summary.coreEnterpriseId;
  } else if (hasEnterprises) {
    // A book made earlier (say by `sprout demo`): the borrower gets one of its performing borrowers.
    borrowerEnterpriseId = (await performingBorrowers(db))[0] ?? null;
  }
  onProgress({ phase: 'logins', done: 0, total: 1 });
  return seedDemoUsers(db, { borrowerEnterpriseId, coreEnterpriseId });
}

function wholeNumber(text: string, field: string): number {
  if (!/^[0-9]{1,7}$/.test(text)) throw new ValidationError(field, `must be a whole number, got "${text}"`);
  return Number(text);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || port < 1 || port > 65535) throw new ValidationError('port', `must be 1 to 65535, got "${text}"`);
  return port;
}

/** `POST /v1/backups` on the embedded database: the dump with the audit checkpoints beside it (src/system/backup.ts). */
function backupOf(database: OpenDatabase, auditDir: string): Pick<AppContext, 'backup'> {
  const dump = database.dumpDataDir;
  if (dump === undefined) return {};
  return { backup: () => createBackup({ dumpDataDir: dump, checkpointsFile: join(auditDir, CHECKPOINT_FILE) }) };
}

/** `SPROUT_AUDIT_CHECKPOINT_MINUTES`: 1 to 1440, default 10. */
function checkpointMinutes(env: NodeJS.ProcessEnv): number {
  const text = env.SPROUT_AUDIT_CHECKPOINT_MINUTES;
  if (text === undefined || text === '') return DEFAULT_CHECKPOINT_MINUTES;
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) throw new ValidationError('SPROUT_AUDIT_CHECKPOINT_MINUTES', `must be 1 to 1440; got "${text}"`);
  return minutes;
}

/** 'simulated (all sources)' or 'tax http, electricity csv, …': what the operator sees at start. */
function connectorSummary(kinds: Readonly<Record<DataSource, ConnectorKind>>): string {
  const distinct = new Set(DATA_SOURCES.map((s) => kinds[s]));
  if (distinct.size === 1) return `${kinds.tax} (all sources)`;
  return DATA_SOURCES.map((s) => `${s} ${kinds[s]}`).join(', ');
}
