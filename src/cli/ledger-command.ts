/**
 * `sprout ledger trial-balance` and `sprout ledger reconcile`: the general ledger's balances, and
 * the loan sub-ledger checked against them. `reconcile` exits 1 on any difference, so a cron job
 * or CI can alert on it.
 */
import { Command, Option } from 'commander';
import { parseBusinessDate } from '../calendar/business-date.js';
import { openCommandDatabase } from './command-database.js';
import { reconcile } from '../ledger/reconcile.js';
import { trialBalance } from '../ledger/trial-balance.js';
import { formatMoney } from '../money/format-money.js';
import { EXIT, runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface LedgerFlags {
  date?: string;
  dataDir?: string;
  format: string;
}

export function ledgerCommand(): Command {
  const ledger = new Command('ledger').description('general ledger reports');
  ledger
    .command('trial-balance')
    .description('every account\'s balance (debit positive, credit negative) and whether debits equal credits')
    .option('--date <YYYY-MM-DD>', 'entries dated on or before this date (default: all)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(
      runCommand(async (flags: LedgerFlags) => {
        const asOf = flags.date === undefined ? null : parseBusinessDate(flags.date, 'date');
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const tb = await trialBalance(database.db, asOf);
          if (flags.format === 'json') {
            cliIo().stdout.write(`${JSON.stringify({
              asOf: tb.asOf,
              rows: tb.rows.map((row) => ({ code: row.code, name: row.name, nameZh: row.nameZh, type: row.type, purpose: row.purpose, balance: formatMoney(row.balance) })),
              totalDebit: formatMoney(tb.totalDebit),
              totalCredit: formatMoney(tb.totalCredit),
              balanced: tb.balanced,
            })}\n`);
            return;
          }
          const lines = [`trial balance${asOf === null ? '' : ` as of ${asOf}`}`, `${'code'.padEnd(8)} ${'account'.padEnd(36)} ${'debit'.padStart(18)} ${'credit'.padStart(18)}`];
          for (const row of tb.rows) {
            lines.push(`${row.code.padEnd(8)} ${row.name.padEnd(36)} ${(row.balance > 0n ? formatMoney(row.balance) : '').padStart(18)} ${(row.balance < 0n ? formatMoney(-row.balance) : '').padStart(18)}`);
          }
          lines.push(`${'total'.padEnd(45)} ${formatMoney(tb.totalDebit).padStart(18)} ${formatMoney(tb.totalCredit).padStart(18)}`);
          lines.push(tb.balanced ? 'balanced' : 'NOT BALANCED');
          cliIo().stdout.write(`${lines.join('\n')}\n`);
        } finally {
          await database.close();
        }
      }),
    );
  ledger
    .command('reconcile')
    .description('compare the loans\' balances with the general ledger; exits 1 on any difference')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(
      runCommand(async (flags: LedgerFlags) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const result = await reconcile(database.db);
          if (flags.format === 'json') {
            cliIo().stdout.write(`${JSON.stringify({
              lines: result.lines.map((line) => ({
                purpose: line.purpose,
                subLedger: formatMoney(line.subLedger),
                generalLedger: formatMoney(line.generalLedger),
                difference: formatMoney(line.difference),
              })),
              trialBalanceBalanced: result.trialBalanceBalanced,
              balanced: result.balanced,
            })}\n`);
          } else {
            const lines = [`${'account purpose'.padEnd(24)} ${'loans'.padStart(18)} ${'ledger'.padStart(18)} ${'difference'.padStart(14)}`];
            for (const line of result.lines) {
              lines.push(`${line.purpose.padEnd(24)} ${formatMoney(line.subLedger).padStart(18)} ${formatMoney(line.generalLedger).padStart(18)} ${formatMoney(line.difference).padStart(14)}`);
            }
            lines.push(result.balanced ? 'reconciled' : `NOT RECONCILED${result.trialBalanceBalanced ? '' : ' (the trial balance does not balance)'}`);
            cliIo().stdout.write(`${lines.join('\n')}\n`);
          }
          if (!result.balanced) cliIo().exitCode = EXIT.failed;
        } finally {
          await database.close();
        }
      }),
    );
  return ledger;
}
