/**
 * One process that serves (`sprout serve`, or one worker of `sprout serve --workers N`): opens the
 * database, builds the HTTP app, listens, fills the demo book in demo mode and runs the schedules
 * when it is the lead. serve-command.ts parses the flags and loads this module only in a process
 * that serves: a cluster's primary, which only forks, and the commands that read `parseServeMode`
 * never load the HTTP app (≈ 0.7 s of CPU a process, docs/benchmarks.md, s12i).
 */
import cluster from 'node:cluster';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { CHECKPOINT_FILE, setUpAudit } from '../audit/audit-files.js';
import { DEFAULT_CHECKPOINT_MINUTES, startAuditCheckpoints } from '../audit/audit-checkpoint.js';
import type { DemoLogin } from '../auth/demo-users.js';
import { seedDemoUsers } from '../auth/demo-users.js';
import { DATA_SOURCES, type ConnectorKind, type Connectors, type DataSource } from '../data/index.js';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { DecisionConfig } from '../decision/decide.js';
import { DEFAULT_REVIEW_POLICY } from '../decision/review-application.js';
import { stabilityOptionsFromEnv } from '../decision/deployed-models.js';
import { progressLine } from '../demo/demo-report.js';
import { DEMO_SEED, generateDemo, performingBorrowers } from '../demo/generate-demo.js';
import { parseCutOff, startEodSchedule } from '../eod/eod-scheduler.js';
import { ValidationError } from '../errors.js';
import { buildApp } from '../http/app.js';
import type { AppContext, DemoFilling } from '../http/app-context.js';
import { dashboardSharedMsFromEnv } from '../reporting/portfolio-dashboard.js';
import { rateLimitsFromEnv } from '../http/rate-limit.js';
import { startRequestsInTurns } from '../http/request-turns.js';
import { compileRouteSchemas, MONTH_END_ROUTES } from '../http/schema-compilers.js';
import type { TrustProxy } from '../http/transport-security.js';
import { parseMoney } from '../money/index.js';
import { loggingGateway } from '../notifications/channels.js';
import { startNoticeDelivery } from '../notifications/deliver-notices.js';
import { channelsFrom, deliveryIntervalFrom } from '../notifications/notification-config.js';
import { createBackup } from '../system/backup.js';
import { VERSION } from '../version.js';
import { cliIo } from './io.js';
import { announceListening, listenOptions } from './worker-socket.js';
import type { ServeFlags, ServeMode } from './serve-command.js';

/** Where `npm run build:web` puts the web app. */
const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** What serve-command.ts settled before this process serves. */
export interface ServeSettings {
  readonly mode: ServeMode;
  readonly trustProxy: TrustProxy;
  readonly port: number;
  /** Worker 1, or the only process: it runs the timers and the demo; the others only answer requests. */
  readonly lead: boolean;
  readonly connectors: Connectors;
  /** SPROUT_MODEL_REGISTRY, shown at start. */
  readonly registry: string | undefined;
  readonly decisionConfig: DecisionConfig | undefined;
}

/**
 * Serves until the server closes (SIGINT/SIGTERM end the process).
 *
 * @example
 * await serveProcess(flags, { mode: 'demo', trustProxy: false, port: 3000, lead: true, connectors, registry: undefined, decisionConfig: undefined });
 */
export async function serveProcess(flags: ServeFlags, settings: ServeSettings): Promise<void> {
  const { mode, trustProxy, port, lead, connectors, registry, decisionConfig } = settings;
  // The settings first: a bad one is refused before the database is opened (and, on PGlite, created and migrated).
  const confirmAbove = flags.confirmAbove ?? cliIo().env.SPROUT_CONFIRM_ABOVE;
  const reviewPolicy = confirmAbove === undefined ? DEFAULT_REVIEW_POLICY : { ...DEFAULT_REVIEW_POLICY, version: `${DEFAULT_REVIEW_POLICY.version}+confirm-above-${confirmAbove}`, confirmAbove: parseMoney(confirmAbove, 'confirm-above') };
  const rateLimits = rateLimitsFromEnv(cliIo().env);
  const dashboardSharedMs = dashboardSharedMsFromEnv(cliIo().env);
  const database = await openDatabase({ url: cliIo().env.DATABASE_URL, dataDir: flags.dataDir, readUrl: cliIo().env.DATABASE_READ_URL });
  // The server answers at once; in demo mode the book fills after it listens, and the login page
  // shows how far (GET /v1/auth/welcome) until the logins exist.
  let filling: DemoFilling | null = null;
  // The key is in use since the CLI started (main.ts); checkpoints go outside the database from now on.
  const audit = setUpAudit(flags.dataDir, cliIo().env);
  const stopCheckpoints = lead ? await startAuditCheckpoints(database.db, audit.anchor, checkpointMinutes(cliIo().env), (error) => cliIo().stderr.write(`sprout: audit checkpoint failed: ${String(error)}\n`)) : async () => {};
  const app = await buildApp(
    { db: database.db, ...(database.readDb === undefined ? {} : { readDb: database.readDb }), backend: database.backend, version: VERSION, now: () => new Date(), webRoot: WEB_ROOT, demo: mode === 'demo', demoFilling: () => filling, reviewPolicy, rateLimits, repaymentBatching: cliIo().env.SPROUT_REPAYMENT_BATCH === 'off' ? 'off' : 'on', dashboardSharedMs, trustProxy, audit, dataProvider: connectors.provider, ...backupOf(database, audit.dir), ...(decisionConfig === undefined ? {} : { decisionConfig }) },
    { logger: { level: cliIo().env.LOG_LEVEL ?? 'warn' } },
  );
  // Not in the first second of a burst, where every request would wait behind each compiler's turn.
  compileRouteSchemas(MONTH_END_ROUTES);
  // A month end's thousands of repayments start a few a turn, so that pages read meanwhile are not stuck behind them (request-turns.ts).
  startRequestsInTurns(app.server);
  // The binary stops on a signal and exits; a program run in a longer process stops on its io's.
  const signal = cliIo().signal;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      stopEod();
      stopNotices();
      await app.close();
      await stopCheckpoints();
      await database.close();
      if (signal === undefined) process.exit(0);
    })());
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
  if (signal === undefined) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } else if (signal.aborted) {
    await stop();
    return;
  } else {
    signal.addEventListener('abort', () => void stop(), { once: true });
  }
  // A worker on Linux listens on a socket of its own (SO_REUSEPORT): the primary then passes no connection (worker-socket.ts).
  await app.listen({ port, host: flags.host, ...listenOptions({ platform: process.platform, worker: cluster.isWorker }) });
  if (cluster.isWorker) announceListening();
  // The action lasts as long as the server: the CLI gives the audit key back when a command's
  // action returns (runSprout), and every record this server appends must be hashed with it.
  // Stopped, the command ends once the last checkpoint is written and the database closed.
  const closed = new Promise<void>((resolve) => app.server.once('close', () => resolve())).then(() => stopping);
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
