/**
 * `sprout receivables import --core ID FILE.csv [--confirm]`: a core enterprise's payables from a
 * CSV file (src/supply-chain/receivable-import.ts), as the core-enterprise portal's upload does.
 * The whole file or nothing: refused rows are listed with their line and column, and then no row
 * is imported; the exit status is 1 when any row was refused.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { formatMoney } from '../money/index.js';
import { importReceivables } from '../supply-chain/receivable-import.js';
import { getBusinessDate } from '../system/business-date.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface ImportFlags {
  core: string;
  confirm?: boolean;
  dataDir?: string;
  format: string;
}

export function receivablesCommand(): Command {
  const receivables = new Command('receivables').description('supply-chain finance: receivables on a core enterprise');
  receivables
    .command('import')
    .description('register receivables from a CSV file (seller,invoice_no,amount,issued_on,due_on[,documents]) on a core enterprise')
    .argument('<file>', 'CSV file with a header line')
    .requiredOption('--core <ID>', "the core enterprise's id")
    .option('--confirm', 'confirm (确权) each registered receivable at once, as the core enterprise')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (file: string, flags: ImportFlags) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          throw new ValidationError('file', `cannot read ${file}: ${(error as Error).message}`);
        }
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const today = await getBusinessDate(database.db);
          const outcome = await importReceivables(database.db, flags.core, text, { today, by: `cli:${userInfo().username}`, confirm: flags.confirm === true });
          const shown = outcome.rows.map((row) => ({ ...row, confirmedAmount: row.confirmedAmount === null ? null : formatMoney(row.confirmedAmount) }));
          const refused = shown.filter((row) => row.error !== null);
          if (flags.format === 'json') cliIo().stdout.write(`${JSON.stringify({ imported: outcome.imported, rows: shown })}\n`);
          else {
            const lines = outcome.imported
              ? [`${shown.length} receivables registered${flags.confirm ? ' and confirmed' : ''}`]
              : [`nothing imported: ${refused.length} of ${shown.length} rows refused; correct them and import the file again`];
            for (const row of shown) {
              if (row.error !== null) lines.push(`  line ${row.line} ${row.invoiceNo}: refused${row.error.field === null ? '' : `, ${row.error.field}`} (${row.error.reason}) ${row.error.message}`);
              else if (outcome.imported) lines.push(`  line ${row.line} ${row.invoiceNo}: ${row.receivableId}${row.certificateId === null ? '' : ` certificate ${row.certificateId} ${row.confirmedAmount}`}`);
            }
            cliIo().stdout.write(`${lines.join('\n')}\n`);
          }
          if (refused.length > 0) cliIo().exitCode = 1;
        } finally {
          await database.close();
        }
      }),
    );
  return receivables;
}
