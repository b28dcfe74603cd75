/**
 * `sprout eod run`: close the business date (日终). Safe to run again after a crash (it resumes),
 * and from several processes at once on PostgreSQL (they share the chunks). Without `--date` it
 * resumes an unfinished run but never closes a further day unasked (`--next`; date-to-close.ts);
 * chunks held by a killed process are reported and, with `--take-over`, released at once.
 */
import { hostname } from 'node:os';
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { monitoringRunTotals } from '../monitoring/monitor-run.js';
import { runEod, type EodSummary } from '../eod/run-eod.js';
import { runEodUntil } from '../eod/catch-up.js';
import { setGeneralProvisionRate } from '../eod/general-provision.js';
import { inTransaction } from '../db/transaction.js';
import { getBusinessDate } from '../system/business-date.js';
import { DEFAULT_KEEP_DAILY_YEARS, keptDailyYears, MIN_KEEP_DAILY_YEARS, pruneLoanHistory, setKeptDailyYears } from '../reporting/history-retention.js';
import { dateToClose } from '../eod/date-to-close.js';
import type { HeldChunk } from '../eod/eod-run.js';
import { setUpAudit } from '../audit/audit-files.js';
import { writeAuditCheckpoint } from '../audit/audit-checkpoint.js';
import { formatMoney } from '../money/format-money.js';
import { runCommand } from './run-command.js';
import { stabilityOptionsFromEnv } from '../decision/deployed-models.js';
import { cliIo } from './io.js';
import { connectorsForMode } from '../data/index.js';
import type { DataProvider } from '../data/data-provider.js';
import { parseServeMode } from './serve-command.js';

interface RunFlags {
  date?: string;
  until?: string;
  next?: boolean;
  takeOver?: boolean;
  workers?: string;
  shardsPerChunk?: string;
  dataDir?: string;
  format: string;
  monitor?: boolean;
}

export function eodCommand(): Command {
  const eod = new Command('eod').description('end of day: accrual, billing, classification, provision');
  eod
    .command('run')
    .description('close the current business date; afterwards the business date is the next day')
    .option('--date <YYYY-MM-DD>', 'the date to close (only allowed: the current business date; a closed date is reported as closed)')
    .option('--next', 'close the current business date (without --date or --next, only an unfinished run is resumed)')
    .option('--until <YYYY-MM-DD>', 'catch up: close every date from the current business date through this one, in order')
    .option('--take-over', 'release the chunks other workers hold (a killed run) instead of waiting for their leases to run out')
    .option('--workers <N>', 'concurrent workers in this process (PostgreSQL; PGlite always uses 1)', '1')
    .option('--shards-per-chunk <K>', 'a new run has 1024 / K chunks, each a range of loan ids holding as many loans (default: about 16,000 loans a chunk; on Citus, as many a shard of loan, at least one)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .option('--monitor', 'post-lending monitoring must run first: fail if the connectors are not configured (docs/operations.md)')
    .option('--no-monitor', 'close the date without post-lending monitoring')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: RunFlags) => {
        const monitoringProvider = await monitoringConnectors(flags.monitor);
        let workers = wholeNumber(flags.workers ?? '1', 'workers');
        const shardsPerChunk = flags.shardsPerChunk === undefined ? undefined : wholeNumber(flags.shardsPerChunk, 'shardsPerChunk');
        if (shardsPerChunk !== undefined && (shardsPerChunk < 1 || shardsPerChunk > 1024)) throw new ValidationError('shardsPerChunk', 'must be 1 to 1024');
        const crashAfter = crashAfterChunks();
        const database = await openCommandDatabase(flags.dataDir);
        try {
          if (database.backend === 'pglite' && workers > 1) {
            cliIo().stderr.write('sprout: PGlite is a single connection; running with 1 worker\n');
            workers = 1;
          }
          const tty = cliIo().stderr.isTTY === true;
          const anchor = setUpAudit(flags.dataDir, cliIo().env).anchor;
          const options = {
            takeOver: flags.takeOver,
            onHeldChunks: (held: readonly HeldChunk[]) => cliIo().stderr.write(heldMessage(held)),
            workers,
            shardsPerChunk,
            // Post-lending monitoring, the night's first step (bounded and resumable; `sprout monitor run` runs it alone).
            monitoring: monitoringProvider === undefined ? undefined : { provider: monitoringProvider, now: new Date() },
            // The deployed champion's PSI thresholds and window (SPROUT_PSI_WARN, SPROUT_PSI_WATCH, SPROUT_PSI_WINDOW).
            modelStability: stabilityOptionsFromEnv(cliIo().env),
            onProgress: tty ? (done: number, total: number) => cliIo().stderr.write(`\rend of day: chunk ${done}/${total}`) : undefined,
            // For crash tests: die as abruptly as a killed process, right after a chunk commits.
            afterChunk: crashAfter === undefined ? undefined : (committed: number) => { if (committed >= crashAfter) process.kill(process.pid, 'SIGKILL'); },
          };
          const report = async (summary: EodSummary): Promise<void> => {
            if (tty && summary.chunksProcessed > 0) cliIo().stderr.write('\n');
            if (summary.takenOver > 0) cliIo().stderr.write(`sprout: took over ${summary.takenOver} chunks held by other workers\n`);
            // One checkpoint of the audit trail outside the database per night closed (src/audit/audit-checkpoint.ts).
            if (!summary.alreadyDone) await writeAuditCheckpoint(database.db, anchor, 'eod');
            const seconds = Math.round(summary.seconds * 1000) / 1000;
            if (flags.format === 'json') {
              const { date, loans, chunks } = summary;
              // The monitoring step's totals over every call of the date, so a resumed run reports what the whole night did.
              const totals = await monitoringRunTotals(database.db, summary.date);
              const monitoring = totals === null ? null : { enterprises: totals.enterprises, pulls: totals.pulls, warnings: totals.warnings };
              cliIo().stdout.write(`${JSON.stringify({ date, loans, chunks, seconds, interest: formatMoney(summary.interest), penalty: formatMoney(summary.penalty), monitoring })}\n`);
            } else {
              cliIo().stdout.write(
                `${summary.alreadyDone ? 'already closed' : 'closed'} ${summary.date}: ${summary.loans} loans in ${summary.chunks} chunks, ${seconds} s; ` +
                  `interest ${formatMoney(summary.interest)}, penalty ${formatMoney(summary.penalty)}; ` +
                  (summary.monitoring === null || summary.monitoring.alreadyDone ? '' : `monitoring ${summary.monitoring.enterprises} borrowers: ${summary.monitoring.pulls} pulls, ${summary.monitoring.warnings} warnings; `) +
                  `business date ${summary.businessDate}\n`,
              );
            }
          };
          if (flags.until !== undefined) {
            if (flags.date !== undefined || flags.next === true) throw new ValidationError('until', 'give --until alone, without --date or --next');
            const closed = await runEodUntil(database.db, flags.until, { ...options, onDate: report });
            if (closed.length === 0) cliIo().stdout.write(`nothing to close: the business date is ${await getBusinessDate(database.db)}, after ${flags.until}\n`);
            return;
          }
          const date = await dateToClose(database.db, { date: flags.date, next: flags.next });
          await report(await runEod(database.db, { ...options, date }));
        } finally {
          await database.close();
        }
      }),
    );
  eod
    .command('general-provision')
    .description('the general provision (一般准备) end of day holds at each month end, as a percentage of risk assets: show it, or set it with --rate')
    .option('--rate <PERCENT>', 'set the share, e.g. 1.5 (at most two decimals); it applies from the next month end')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (flags: { rate?: string; dataDir?: string }) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const rate = flags.rate;
          const bp = rate === undefined
            ? (await database.db.selectFrom('system_state').select('general_provision_bp').executeTakeFirstOrThrow()).general_provision_bp
            : await inTransaction(database.db, (trx) => setGeneralProvisionRate(trx, rate, cliIo().env.USER ?? 'cli'));
          cliIo().stdout.write(`general provision: ${(bp / 100).toFixed(2)}% of risk assets at each month end\n`);
        } finally {
          await database.close();
        }
      }),
    );
  eod
    .command('prune-history')
    .description(
      `loan history retention: end of day keeps every night's loan_day rows for the configured years (default ${DEFAULT_KEEP_DAILY_YEARS}, at least ${MIN_KEEP_DAILY_YEARS}) ` +
        `and month ends only before, pruning a few dates a night; this prunes the whole backlog now`,
    )
    .option('--keep-daily-years <N>', 'years of daily rows to keep, from now on also in end of day')
    .option('--off', 'end of day stops pruning (nothing is pruned now)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (flags: { keepDailyYears?: string; off?: boolean; dataDir?: string }) => {
        const years = flags.keepDailyYears === undefined ? undefined : /^[0-9]{1,3}$/.test(flags.keepDailyYears) ? Number(flags.keepDailyYears) : Number.NaN;
        if (flags.off === true && years !== undefined) throw new ValidationError('off', 'give either --off or --keep-daily-years');
        const database = await openCommandDatabase(flags.dataDir);
        try {
          if (flags.off === true) {
            await setKeptDailyYears(database.db, null);
            cliIo().stdout.write('loan history: end of day keeps every night from now on; nothing pruned\n');
            return;
          }
          if (years !== undefined) await setKeptDailyYears(database.db, years);
          const result = await pruneLoanHistory(database.db, { keepDailyYears: years });
          const configured = await keptDailyYears(database.db);
          cliIo().stdout.write(
            `loan history: daily rows kept from ${result.dailyFrom}, month ends only before; ${result.rowsDeleted} rows of ${result.datesPruned} dates deleted; ` +
              `end of day keeps ${configured === null ? 'every night (retention off)' : `${configured} years of nights`}\n`,
          );
        } finally {
          await database.close();
        }
      }),
    );
  return eod;
}

/** What a rerun waits for, and how to stop waiting when the holder is dead. */
function heldMessage(held: readonly HeldChunk[]): string {
  const lines = held.map((chunk) => {
    const [host, pid] = chunk.claimedBy.split('#')[0]!.split(':');
    const dead = host === hostname() && pid !== undefined && !processAlive(Number(pid)) ? '; that process is not running' : '';
    const lease = chunk.leaseLeftSeconds > 0 ? `its lease runs out in ${chunk.leaseLeftSeconds} s` : 'its lease has run out';
    return `  chunk ${chunk.chunkNo + 1} held by ${chunk.claimedBy} since ${chunk.claimedAt.toISOString()}: ${lease}${dead}\n`;
  });
  return `sprout: end of day is waiting for chunks other workers hold:\n${lines.join('')}sprout: if those workers were killed, stop this run and start it again with --take-over\n`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function crashAfterChunks(): number | undefined {
  const text = cliIo().env.SPROUT_EOD_CRASH_AFTER_CHUNKS;
  return text === undefined || text === '' ? undefined : wholeNumber(text, 'SPROUT_EOD_CRASH_AFTER_CHUNKS');
}

function wholeNumber(text: string, field: string): number {
  if (!/^[0-9]{1,7}$/.test(text)) throw new ValidationError(field, `must be a whole number, got "${text}"`);
  return Number(text);
}

/**
 * The night's post-lending monitoring pulls from the configured connectors (src/data/connectors.ts):
 * the demo's simulator in demo mode, the bank's sources in production. Unless `--monitor` demands
 * it, a production process with no connectors configured closes the date without monitoring and
 * says why; `--no-monitor` skips it.
 */
async function monitoringConnectors(flag: boolean | undefined): Promise<DataProvider | undefined> {
  if (flag === false) return undefined;
  try {
    return (await connectorsForMode(cliIo().env, parseServeMode(cliIo().env.SPROUT_MODE))).provider;
  } catch (error) {
    if (flag === true || !(error instanceof ValidationError)) throw error;
    cliIo().stderr.write(`sprout: post-lending monitoring skipped tonight (--monitor makes it required): ${error.message}\n`);
    return undefined;
  }
}
