/**
 * `sprout serve` (what `npm start` runs): open the database, migrate it; on an empty database fill
 * the deterministic demo book (src/demo/, progress on stderr) and create the demo logins; then
 * serve the API and the web app (`web/dist`, built by `npm run build:web`).
 */
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { DemoLogin } from '../auth/demo-users.js';
import type { Database } from '../db/schema.js';
import { seedDemoUsers } from '../auth/demo-users.js';
import { DEFAULT_DEMO_ENTERPRISES, DEFAULT_DEMO_MONTHS, DEMO_SEED, generateDemo, performingBorrowers } from '../demo/generate-demo.js';
import { progressLine } from '../demo/demo-report.js';
import { openDatabase } from '../db/database.js';
import { ValidationError } from '../errors.js';
import { buildApp } from '../http/app.js';
import { DEFAULT_REVIEW_POLICY } from '../decision/review-application.js';
import { parseMoney } from '../money/index.js';
import { rateLimitsFromEnv } from '../http/rate-limit.js';
import { VERSION } from '../version.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

/** Where `npm run build:web` puts the web app. */
const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

interface ServeFlags {
  port?: string;
  host: string;
  dataDir?: string;
  confirmAbove?: string;
  demo: boolean;
  demoEnterprises: string;
  demoMonths: string;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the Sprout server (embedded PGlite in ./data unless DATABASE_URL is set)')
    .option('--port <N>', 'port to listen on (default $PORT or 3000)')
    .option('--host <HOST>', 'address to listen on', cliIo().env.HOST ?? '127.0.0.1')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .option('--confirm-above <YUAN>', 'approvals of referred applications above this need a second approver (default $SPROUT_CONFIRM_ABOVE or 500000.00)')
    .option('--no-demo', 'do not fill the demo book nor create demo logins on an empty database')
    .option('--demo-enterprises <N>', 'enterprises in the demo book on an empty database (0: logins only)', String(DEFAULT_DEMO_ENTERPRISES))
    .option('--demo-months <M>', 'months of history in the demo book', String(DEFAULT_DEMO_MONTHS))
    .action(
      runCommand(async (flags: ServeFlags) => {
        const port = parsePort(flags.port ?? cliIo().env.PORT ?? '3000');
        const database = await openDatabase({ url: cliIo().env.DATABASE_URL, dataDir: flags.dataDir });
        const confirmAbove = flags.confirmAbove ?? cliIo().env.SPROUT_CONFIRM_ABOVE;
        const reviewPolicy = confirmAbove === undefined ? DEFAULT_REVIEW_POLICY : { ...DEFAULT_REVIEW_POLICY, version: `${DEFAULT_REVIEW_POLICY.version}+confirm-above-${confirmAbove}`, confirmAbove: parseMoney(confirmAbove, 'confirm-above') };
        const demoLogins = flags.demo ? await fillDemo(database.db, flags) : [];
        const app = await buildApp(
          { db: database.db, backend: database.backend, version: VERSION, now: () => new Date(), webRoot: WEB_ROOT, reviewPolicy, rateLimits: rateLimitsFromEnv(cliIo().env) },
          { logger: { level: cliIo().env.LOG_LEVEL ?? 'warn' } },
        );
        const stop = async () => {
          await app.close();
          await database.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await app.listen({ port, host: flags.host });
        const base = `http://${flags.host === '0.0.0.0' ? 'localhost' : flags.host}:${port}`;
        const lines = [
          `Sprout ${VERSION} on ${database.backend} (${database.location})`,
          `  Web app  ${base}/`,
          `  API      ${base}/v1`,
          `  OpenAPI  ${base}/openapi.json`,
          `  Docs     ${base}/docs`,
        ];
        if (demoLogins.length > 0) {
          lines.push('  Demo logins (the web app, or POST /v1/auth/token with username and password):');
          for (const login of demoLogins) lines.push(`    ${login.username.padEnd(16)} ${login.password}`);
        }
        cliIo().stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

/** On an empty database (no users, no enterprises): the demo book, then the logins bound to it. */
async function fillDemo(db: Kysely<Database>, flags: ServeFlags): Promise<readonly DemoLogin[]> {
  const users = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
  if (users) return [];
  const enterprises = wholeNumber(flags.demoEnterprises, 'demoEnterprises');
  const hasEnterprises = (await db.selectFrom('enterprise').select('id').limit(1).executeTakeFirst()) !== undefined;
  let borrowerEnterpriseId: string | null = null;
  if (enterprises > 0 && !hasEnterprises) {
    const tty = cliIo().stderr.isTTY === true;
    cliIo().stderr.write(`Filling the demo book (${enterprises} enterprises, ${flags.demoMonths} months; seed ${DEMO_SEED})…\n`);
    const summary = await generateDemo(db, {
      enterprises,
      months: wholeNumber(flags.demoMonths, 'demoMonths'),
      seed: DEMO_SEED,
      onProgress: tty ? (progress) => cliIo().stderr.write(`\r${progressLine(progress)}\u001b[K`) : undefined,
    });
    if (tty) cliIo().stderr.write('\n');
    cliIo().stderr.write(`Demo book ready in ${summary.seconds.toFixed(1)} s: ${summary.applications.approved + summary.applications.declined + summary.applications.referred} applications, ${summary.drawdowns} drawdowns, ${summary.loans.active} loans on the books\n`);
    borrowerEnterpriseId = summary.showcaseEnterpriseId;
  } else if (hasEnterprises) {
    // A book made earlier (say by `sprout demo`): the borrower gets one of its performing borrowers.
    borrowerEnterpriseId = (await performingBorrowers(db))[0] ?? null;
  }
  return seedDemoUsers(db, { borrowerEnterpriseId });
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
