/**
 * `sprout report <name> [--as-of YYYY-MM-DD] [--from D1 --to D2] [--format table|json|csv|xlsx]
 * [--out FILE] [--store]`: a regulatory report (inclusive, five-category, migration, renewals,
 * foreign-trade) as of a closed business date (default: the last month end), from the loan
 * history. `--store` keeps the run (figures, definition version, digest) for filing.
 */
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { inTransaction } from '../db/transaction.js';
import { ValidationError } from '../errors.js';
import { parseReportName, REPORT_NAMES, runReport } from '../reporting/regulatory-reports.js';
import { figuresDigest, storeReportRun } from '../reporting/report-runs.js';
import { REPORT_FORMATS, reportCsv, reportTable, reportXlsx, type ReportFormat } from '../reporting/report-sheets.js';
import { cliIo } from './io.js';
import { runCommand } from './run-command.js';

interface ReportFlags {
  asOf?: string;
  from?: string;
  to?: string;
  format: ReportFormat;
  out?: string;
  store?: boolean;
  dataDir?: string;
}

export function reportCommand(): Command {
  return new Command('report')
    .description(`a regulatory report from the loan history: ${REPORT_NAMES.join(', ')}`)
    .argument('<name>', REPORT_NAMES.join(' | '))
    .option('--as-of <DATE>', 'the closed business date to report as of (default: the last month end)')
    .option('--from <DATE>', 'migration: the start date (default: the month end before); renewals: the first day (default: the month\'s first); foreign-trade: new lending from (default: 1 January)')
    .option('--to <DATE>', 'migration and renewals: the end date (default: --as-of)')
    .addOption(new Option('--format <FORMAT>', 'output format').choices([...REPORT_FORMATS]).default('table'))
    .option('--out <FILE>', 'write to FILE instead of standard output (required for xlsx)')
    .option('--store', 'store the run with its digest, for filing (maker-checker over the API)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (nameText: string, flags: ReportFlags) => {
        const name = parseReportName(nameText, 'name');
        if (flags.format === 'xlsx' && flags.out === undefined) throw new ValidationError('out', 'a spreadsheet is written to a file: give --out FILE');
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const options = { asOf: flags.asOf, from: flags.from, to: flags.to };
          const report = flags.store
            ? (await inTransaction(database.db, (trx) => storeReportRun(trx, name, options, `cli:${userInfo().username}`))).figures
            : await runReport(database.db, name, options);
          const output = flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : flags.format === 'csv' ? reportCsv(report) : flags.format === 'xlsx' ? await reportXlsx(report) : reportTable(report);
          if (flags.out === undefined) cliIo().stdout.write(output as string);
          else writeFileSync(flags.out, output);
          if (flags.store) cliIo().stderr.write(`sprout: stored ${name} as of ${report.asOf}, digest ${figuresDigest(report)}\n`);
        } finally {
          await database.close();
        }
      }),
    );
}
