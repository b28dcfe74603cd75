/**
 * `sprout serve` (what `npm start` runs): open the database, migrate it, seed the demo logins on
 * an empty database, and serve the API and the web app (`web/dist`, built by `npm run build:web`).
 */
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { seedDemoUsers } from '../auth/demo-users.js';
import { openDatabase } from '../db/database.js';
import { ValidationError } from '../errors.js';
import { buildApp } from '../http/app.js';
import { DEFAULT_REVIEW_POLICY } from '../decision/review-application.js';
import { parseMoney } from '../money/index.js';
import { VERSION } from '../version.js';
import { runCommand } from './run-command.js';

/** Where `npm run build:web` puts the web app. */
const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

interface ServeFlags {
  port?: string;
  host: string;
  dataDir?: string;
  confirmAbove?: string;
  demo: boolean;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the Sprout server (embedded PGlite in ./data unless DATABASE_URL is set)')
    .option('--port <N>', 'port to listen on (default $PORT or 3000)')
    .option('--host <HOST>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .option('--confirm-above <YUAN>', 'approvals of referred applications above this need a second approver (default $SPROUT_CONFIRM_ABOVE or 500000.00)')
    .option('--no-demo', 'do not create demo logins on an empty database')
    .action(
      runCommand(async (flags: ServeFlags) => {
        const port = parsePort(flags.port ?? process.env.PORT ?? '3000');
        const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: flags.dataDir });
        const confirmAbove = flags.confirmAbove ?? process.env.SPROUT_CONFIRM_ABOVE;
        const reviewPolicy = confirmAbove === undefined ? DEFAULT_REVIEW_POLICY : { ...DEFAULT_REVIEW_POLICY, version: `${DEFAULT_REVIEW_POLICY.version}+confirm-above-${confirmAbove}`, confirmAbove: parseMoney(confirmAbove, 'confirm-above') };
        const demoLogins = flags.demo ? await seedDemoUsers(database.db) : [];
        const app = await buildApp(
          { db: database.db, backend: database.backend, version: VERSION, now: () => new Date(), webRoot: WEB_ROOT, reviewPolicy },
          { logger: { level: process.env.LOG_LEVEL ?? 'warn' } },
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
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || port < 1 || port > 65535) throw new ValidationError('port', `must be 1 to 65535, got "${text}"`);
  return port;
}
