/**
 * `sprout eod run`: close the business date (日终). Safe to run again after a crash (it resumes),
 * and from several processes at once on PostgreSQL (they share the chunks).
 */
import { Command, Option } from 'commander';
import { openDatabase } from '../db/database.js';
import { ValidationError } from '../errors.js';
import { runEod } from '../eod/run-eod.js';
import { formatMoney } from '../money/format-money.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface RunFlags {
  date?: string;
  workers?: string;
  shardsPerChunk?: string;
  dataDir?: string;
  format: string;
}

export function eodCommand(): Command {
  const eod = new Command('eod').description('end of day: accrual, billing, classification, provision');
  eod
    .command('run')
    .description('close the current business date; afterwards the business date is the next day')
    .option('--date <YYYY-MM-DD>', 'the date to close (default and only allowed: the current business date)')
    .option('--workers <N>', 'concurrent workers in this process (PostgreSQL; PGlite always uses 1)', '1')
    .option('--shards-per-chunk <K>', 'loan shards per chunk for a new run (default: about 4,000 loans a chunk)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: RunFlags) => {
        let workers = wholeNumber(flags.workers ?? '1', 'workers');
        const shardsPerChunk = flags.shardsPerChunk === undefined ? undefined : wholeNumber(flags.shardsPerChunk, 'shardsPerChunk');
        if (shardsPerChunk !== undefined && (shardsPerChunk < 1 || shardsPerChunk > 1024)) throw new ValidationError('shardsPerChunk', 'must be 1 to 1024');
        const crashAfter = crashAfterChunks();
        const database = await openDatabase({ url: cliIo().env.DATABASE_URL, dataDir: flags.dataDir });
        try {
          if (database.backend === 'pglite' && workers > 1) {
            cliIo().stderr.write('sprout: PGlite is a single connection; running with 1 worker\n');
            workers = 1;
          }
          const tty = cliIo().stderr.isTTY === true;
          const summary = await runEod(database.db, {
            date: flags.date,
            workers,
            shardsPerChunk,
            onProgress: tty ? (done, total) => cliIo().stderr.write(`\rend of day: chunk ${done}/${total}`) : undefined,
            // For crash tests: die as abruptly as a killed process, right after a chunk commits.
            afterChunk: crashAfter === undefined ? undefined : (committed) => { if (committed >= crashAfter) process.kill(process.pid, 'SIGKILL'); },
          });
          if (tty && summary.chunksProcessed > 0) cliIo().stderr.write('\n');
          const seconds = Math.round(summary.seconds * 1000) / 1000;
          if (flags.format === 'json') {
            const { date, loans, chunks } = summary;
            cliIo().stdout.write(`${JSON.stringify({ date, loans, chunks, seconds, interest: formatMoney(summary.interest), penalty: formatMoney(summary.penalty) })}\n`);
          } else {
            cliIo().stdout.write(
              `${summary.alreadyDone ? 'already closed' : 'closed'} ${summary.date}: ${summary.loans} loans in ${summary.chunks} chunks, ${seconds} s; ` +
                `interest ${formatMoney(summary.interest)}, penalty ${formatMoney(summary.penalty)}; business date ${summary.businessDate}\n`,
            );
          }
        } finally {
          await database.close();
        }
      }),
    );
  return eod;
}

function crashAfterChunks(): number | undefined {
  const text = cliIo().env.SPROUT_EOD_CRASH_AFTER_CHUNKS;
  return text === undefined || text === '' ? undefined : wholeNumber(text, 'SPROUT_EOD_CRASH_AFTER_CHUNKS');
}

function wholeNumber(text: string, field: string): number {
  if (!/^[0-9]{1,7}$/.test(text)) throw new ValidationError(field, `must be a whole number, got "${text}"`);
  return Number(text);
}
