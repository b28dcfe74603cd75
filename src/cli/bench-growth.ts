/**
 * `sprout bench growth --loans N`: end of day, decisions, repayments and the regulatory reports on
 * one fresh database holding a synthetic book of N loans, with this process's peak memory — one row
 * of the growth table in docs/benchmarks.md (issue 21; src/system/growth-benchmark.ts).
 */
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { benchmarkGrowth } from '../system/growth-benchmark.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';
import { wholeNumber } from './whole-number.js';

interface GrowthFlags {
  loans: string;
  decisions: string;
  repayments: string;
  warmup: string;
  workers: string;
  seed?: string;
  dataDir?: string;
  format: string;
}

export function benchGrowth(): Command {
  return new Command('growth')
    .description('on an empty database: a synthetic book of N loans and its second night of end of day timed, then the regulatory reports, decisions for new firms and repayments through the service layer, one at a time; with peak memory')
    .requiredOption('--loans <N>', 'number of loans, e.g. 1000000')
    .option('--decisions <D>', 'timed decisions', '200')
    .option('--repayments <R>', 'timed repayments', '200')
    .option('--warmup <W>', 'untimed decisions, and as many repayments, before the timed ones', '50')
    .option('--workers <N>', 'end-of-day workers (PostgreSQL; PGlite always uses 1)', '1')
    .option('--seed <N>', 'PRNG seed of the book (default 20250630)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: GrowthFlags) => {
        const loans = wholeNumber(flags.loans, 'loans', 1, 10_000_000);
        const decisions = wholeNumber(flags.decisions, 'decisions', 1, 100_000);
        const repayments = wholeNumber(flags.repayments, 'repayments', 1, 100_000);
        const warmup = wholeNumber(flags.warmup, 'warmup', 0, 100_000);
        let workers = wholeNumber(flags.workers, 'workers', 1, 64);
        const seed = flags.seed === undefined ? undefined : wholeNumber(flags.seed, 'seed', 0, 99_999_999);
        if (loans < warmup + repayments) throw new ValidationError('loans', `must be at least the repayments and their warm-up (${warmup + repayments}): each repays another loan`);
        const database = await openCommandDatabase(flags.dataDir);
        try {
          if (database.backend === 'pglite') workers = 1;
          const result = await benchmarkGrowth(database.db, database.backend, {
            loans,
            seed,
            decisions,
            repayments,
            warmup,
            workers,
            onPhase: (line) => cliIo().stderr.write(`bench growth: ${line}\n`),
          });
          cliIo().stdout.write(
            flags.format === 'json'
              ? `${JSON.stringify(result)}\n`
              : `growth at ${result.loans} loans on ${result.backend}: end of day ${result.eodSeconds} s (second night), decision p50 ${result.decisionP50Ms} ms (mean ${result.decisionMeanMs}), ` +
                  `repayment p50 ${result.repaymentP50Ms} ms (mean ${result.repaymentMeanMs}), reports ${result.reportsSeconds} s (slowest ${result.slowestReport.report} ${result.slowestReport.seconds} s), ` +
                  `peak RSS ${result.peakRssMb} MB (${result.peakRssAtStartMb} MB at the start)${result.serverPeakRssMb === null ? '' : ` (largest PostgreSQL backend ${result.serverPeakRssMb} MB)`}, load ${result.loadAtStart}→${result.loadAtEnd}; ${result.balanced ? 'reconciled' : 'NOT RECONCILED'}\n`,
          );
          if (!result.balanced) cliIo().exitCode = 1;
        } finally {
          await database.close();
        }
      }),
    );
}

