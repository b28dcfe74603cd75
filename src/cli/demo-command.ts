/**
 * `sprout demo --enterprises N --months M [--seed S]`: fill an empty database with the
 * deterministic demo (src/demo/), with progress on stderr when it is a terminal, and print its
 * summary (JSON with `--format json`).
 */
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { DEFAULT_DEMO_ENTERPRISES, DEFAULT_DEMO_MONTHS, DEMO_SEED, generateDemo } from '../demo/generate-demo.js';
import { demoSummaryJson, progressLine } from '../demo/demo-report.js';
import { ValidationError } from '../errors.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface DemoFlags {
  enterprises: string;
  months: string;
  seed: string;
  dataDir?: string;
  format: string;
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('fill an empty database with a deterministic demo book: enterprises, applications, lines, loans, months of history')
    .option('--enterprises <N>', 'simulated enterprises to register', String(DEFAULT_DEMO_ENTERPRISES))
    .option('--months <M>', 'months of history before the current business date', String(DEFAULT_DEMO_MONTHS))
    .option('--seed <S>', 'the simulation seed (same seed, same demo)', String(DEMO_SEED))
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: DemoFlags) => {
        const options = { enterprises: wholeNumber(flags.enterprises, 'enterprises'), months: wholeNumber(flags.months, 'months'), seed: wholeNumber(flags.seed, 'seed') };
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const tty = cliIo().stderr.isTTY === true;
          const summary = await generateDemo(database.db, { ...options, onProgress: tty ? (progress) => cliIo().stderr.write(`\r${progressLine(progress)}\u001b[K`) : undefined });
          if (tty) cliIo().stderr.write('\n');
          const json = await demoSummaryJson(database.db, summary);
          if (flags.format === 'json') {
            cliIo().stdout.write(`${JSON.stringify(json)}\n`);
          } else {
            const { applications, loans } = json;
            cliIo().stdout.write(
              `demo (seed ${json.seed}): ${json.enterprises} enterprises, ${json.from} to ${json.to} (${json.eodRuns} end-of-day runs) in ${json.seconds} s\n` +
                `  applications: ${applications.approved} approved, ${applications.declined} declined, ${applications.referred} referred (in the review queue)\n` +
                `  ${json.lines} lines, ${json.drawdowns} drawdowns, ${json.repayments} repayments, ${json.renewals} renewals\n` +
                `  loans: ${loans.active} active (${loans.overdue} overdue, ${loans.nonPerforming} non-performing), ${loans.closed} closed, ${loans.renewed} renewed\n` +
                `  ledger: debits ${json.ledger.totalDebit} = credits ${json.ledger.totalCredit}; ${json.ledger.reconciled ? 'reconciles with the loans' : 'DOES NOT RECONCILE'}\n`,
            );
          }
          if (!json.ledger.balanced || !json.ledger.reconciled) cliIo().exitCode = 1;
        } finally {
          await database.close();
        }
      }),
    );
}

function wholeNumber(text: string, field: string): number {
  if (!/^[0-9]{1,9}$/.test(text)) throw new ValidationError(field, `must be a whole number, got "${text}"`);
  return Number(text);
}
